//! The one place a request goes out: encode, POST, read at most [`MAX_BODY_BYTES`], decode.

use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};

use super::{Client, Credentials};
use crate::decode::decode_answer;
use crate::error::{Error, TransportError, TransportErrorKind};
use crate::method::{Method, Response};
use crate::secret::Secret;
use crate::text;

/// The largest answer body the client reads; a larger one is [`TransportErrorKind::BodyTooLarge`].
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// What one call sends.
struct Prepared {
    url: String,
    body: Vec<u8>,
    /// Redacted from every text an error keeps.
    secret: Secret,
}

impl Client {
    /// The one place a request goes out: encode, POST, read at most [`MAX_BODY_BYTES`], decode.
    /// One attempt, no policy.
    pub(crate) async fn send_once<M: Method>(
        &self,
        request: &M,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        let Prepared { url, body, secret } = self.prepare(request).map_err(Error::Transport)?;
        let secret = Some(secret.expose());
        let transport = |e: reqwest::Error| TransportError::from_reqwest(e, secret);
        let mut response = self
            .inner
            .http
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| Error::Transport(transport(e)))?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| text::clip_escaped(ct, 100, false));
        if status.is_redirection() {
            let target = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|location| Url::parse(location).ok())
                .and_then(|url| url.host_str().map(|h| text::clip_escaped(h, 100, false)));
            let reason = match target {
                Some(host) => format!("a redirect to `{host}`, not followed"),
                None => "a redirect, not followed".to_owned(),
            };
            return Err(Error::UnexpectedAnswer {
                status: status.as_u16(),
                content_type,
                excerpt: String::new(),
                reason,
            });
        }
        let body = read_body(&mut response, status.as_u16(), secret)
            .await
            .map_err(Error::Transport)?;
        decode_answer::<M>(status.as_u16(), content_type.as_deref(), &body, secret)
    }

    fn prepare<M: Method>(&self, request: &M) -> Result<Prepared, TransportError> {
        let encode_error =
            |message: String| TransportError::new(TransportErrorKind::Other, message, false);
        let name = request.name();
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            return Err(encode_error(format!(
                "invalid method name `{}`",
                text::clip_escaped(name, 100, false)
            )));
        }
        let mut body = serde_json::to_vec(request)
            .map_err(|e| encode_error(format!("cannot encode the request: {e}")))?;
        if body == b"null" {
            body = b"{}".to_vec();
        }
        if body.first() != Some(&b'{') || body.last() != Some(&b'}') {
            return Err(encode_error(
                "the request does not encode as a JSON object".to_owned(),
            ));
        }
        let origin = &self.inner.origin;
        // `/rest/` or, for REST 3.0, `/rest/api/`.
        let base = request.api_version().base_path();
        match &self.inner.credentials {
            Credentials::Webhook { user_id, code } => Ok(Prepared {
                url: format!("{origin}{base}{user_id}/{}/{}", code.expose(), name),
                body,
                secret: code.clone(),
            }),
            Credentials::OAuth { token, .. } => {
                let token = token
                    .read()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .clone();
                let quoted = serde_json::to_string(token.expose())
                    .map_err(|e| encode_error(format!("cannot encode the token: {e}")))?;
                // `auth` goes last: {"POST_ID":217,"DEST":["SG69","DR4"],"auth":"TOKEN"}
                body.pop();
                if body.len() > 1 {
                    body.push(b',');
                }
                body.extend_from_slice(b"\"auth\":");
                body.extend_from_slice(quoted.as_bytes());
                body.push(b'}');
                Ok(Prepared {
                    url: format!("{origin}{base}{name}"),
                    body,
                    secret: token,
                })
            }
        }
    }
}

/// Reads the body in chunks, refusing more than [`MAX_BODY_BYTES`].
async fn read_body(
    response: &mut reqwest::Response,
    status: u16,
    secret: Option<&str>,
) -> Result<Vec<u8>, TransportError> {
    let too_large = || {
        TransportError::new(
            TransportErrorKind::BodyTooLarge,
            format!(
                "the answer body is larger than {} MiB",
                MAX_BODY_BYTES / (1024 * 1024)
            ),
            true,
        )
        .with_status(status)
    };
    let announced = response.content_length();
    if announced.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let capacity = announced.map_or(8 * 1024, |n| usize::try_from(n).unwrap_or(0));
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| TransportError::from_reqwest(e, secret).with_status(status))?
    {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
