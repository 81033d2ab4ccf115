//! The HTTP client: authentication, request encoding, the single send path, and [`Call`].

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION};

use crate::decode::decode_answer;
use crate::error::{ConfigError, Error, TransportError, TransportErrorKind};
use crate::method::{Method, Response};
use crate::policy::Policy;
use crate::retry::{self, Controls, OperatingBudget, RefreshResult, Refresher};
use crate::secret::Secret;
use crate::text;

/// The largest answer body the client reads; a larger one is [`TransportErrorKind::BodyTooLarge`].
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Default time for a whole call: the server's own limit is 60 seconds.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(65);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How the client authenticates: an incoming webhook or an OAuth access token.
///
/// `Debug` never shows the webhook code or the token.
#[derive(Clone)]
pub struct Auth {
    origin: String,
    kind: AuthKind,
}

#[derive(Clone)]
enum AuthKind {
    Webhook { user_id: u64, code: Secret },
    OAuth { token: Secret },
}

impl Auth {
    /// A webhook URL as Bitrix24 shows it: `https://<portal>/rest/<user_id>/<code>/` (the
    /// trailing slash is optional). Plain `http://` is refused except for loopback hosts.
    pub fn webhook(url: &str) -> Result<Auth, ConfigError> {
        let parsed = parse_portal_url(url)?;
        let segments: Vec<&str> = parsed
            .path_segments()
            .map(Iterator::collect)
            .unwrap_or_default();
        let segments = match segments.as_slice() {
            [path @ .., ""] => path,
            path => path,
        };
        let [rest, user_id, code] = segments else {
            return Err(ConfigError::NotAWebhookUrl {
                reason: "the path is not /rest/<user_id>/<code>/",
            });
        };
        if *rest != "rest" {
            return Err(ConfigError::NotAWebhookUrl {
                reason: "the path does not start with /rest/",
            });
        }
        if user_id.is_empty() || !user_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConfigError::NotAWebhookUrl {
                reason: "the user id is not a number",
            });
        }
        let user_id = user_id
            .parse::<u64>()
            .map_err(|_| ConfigError::NotAWebhookUrl {
                reason: "the user id is too large",
            })?;
        if code.is_empty()
            || !code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(ConfigError::NotAWebhookUrl {
                reason: "the webhook code is empty or has characters other than letters, digits, `_` and `-`",
            });
        }
        Ok(Auth {
            origin: origin(&parsed),
            kind: AuthKind::Webhook {
                user_id,
                code: Secret::new(*code),
            },
        })
    }

    /// An OAuth access token for a portal. `portal_url` is the portal's address
    /// (`https://portal.example`), optionally followed by `/rest/` as in OAuth's
    /// `client_endpoint`.
    pub fn oauth(portal_url: &str, access_token: impl Into<String>) -> Result<Auth, ConfigError> {
        let parsed = parse_portal_url(portal_url)?;
        if !matches!(parsed.path(), "" | "/" | "/rest" | "/rest/") {
            return Err(ConfigError::InvalidUrl {
                reason: "a portal URL has no path other than /rest/".into(),
            });
        }
        let token = access_token.into();
        if token.trim().is_empty() {
            return Err(ConfigError::EmptyToken);
        }
        Ok(Auth {
            origin: origin(&parsed),
            kind: AuthKind::OAuth {
                token: Secret::new(token),
            },
        })
    }

    /// The endpoint with the secret masked, e.g. `https://portal.example/rest/1/***/`.
    fn masked_endpoint(&self) -> String {
        match &self.kind {
            AuthKind::Webhook { user_id, .. } => format!("{}/rest/{user_id}/***/", self.origin),
            AuthKind::OAuth { .. } => format!("{}/rest/", self.origin),
        }
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            AuthKind::Webhook { .. } => "webhook",
            AuthKind::OAuth { .. } => "oauth",
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Auth");
        s.field("kind", &self.kind_name())
            .field("endpoint", &self.masked_endpoint());
        if let AuthKind::OAuth { token } = &self.kind {
            s.field("access_token", token);
        }
        s.finish()
    }
}

/// Parses a portal URL: `https`, or `http` to a loopback host; a host; no user info, query or
/// fragment. Errors never echo the URL (it may hold the webhook code).
fn parse_portal_url(url: &str) -> Result<Url, ConfigError> {
    let parsed = Url::parse(url.trim()).map_err(|e| ConfigError::InvalidUrl {
        reason: e.to_string(),
    })?;
    let Some(host) = parsed.host_str().filter(|h| !h.is_empty()) else {
        return Err(ConfigError::InvalidUrl {
            reason: "no host".into(),
        });
    };
    match parsed.scheme() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(ConfigError::InsecureScheme {
                host: host.to_owned(),
            });
        }
        other => {
            return Err(ConfigError::InvalidUrl {
                reason: format!(
                    "unsupported scheme `{}`",
                    text::clip_escaped(other, 16, false)
                ),
            });
        }
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(ConfigError::InvalidUrl {
            reason: "a user name or password in the URL".into(),
        });
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(ConfigError::InvalidUrl {
            reason: "a query or fragment in the URL".into(),
        });
    }
    Ok(parsed)
}

/// `127.0.0.0/8`, `::1` or `localhost`.
fn is_loopback(host: &str) -> bool {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// `scheme://host[:port]`, without a trailing slash.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Settings of a [`Client`]; [`build`](Self::build) makes a `C`: this crate's [`Client`] by
/// default, the generated crate's client (the same client with the API's accessors) as
/// `b24_rest::ClientBuilder`.
#[derive(Debug, Clone)]
pub struct ClientBuilder<C = Client> {
    auth: Auth,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: String,
    no_proxy: bool,
    policy: Policy,
    refresher: Option<Refresher>,
    client: PhantomData<fn() -> C>,
}

impl<C> ClientBuilder<C> {
    /// Starts configuring a client with default settings.
    pub fn new(auth: Auth) -> Self {
        ClientBuilder {
            auth,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            user_agent: concat!("b24-rest/", env!("CARGO_PKG_VERSION")).to_owned(),
            no_proxy: false,
            policy: Policy::default(),
            refresher: None,
            client: PhantomData,
        }
    }

    /// Time allowed for a whole call, answer body included. Default 65 s (the server stops a
    /// request after 60 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to connect. Default 10 s.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// No time limit on calls or on connecting, for callers that bound calls themselves
    /// (e.g. with `tokio::time::timeout`) or run them under a paused test clock.
    #[must_use]
    pub fn no_timeouts(mut self) -> Self {
        self.timeout = None;
        self.connect_timeout = None;
        self
    }

    /// How calls are paced and which failures are retried; [`Policy::default`] unless set.
    /// Shared by every clone of the client.
    #[must_use]
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// For OAuth clients: how to get a new access token when the portal answers
    /// `expired_token` (access tokens live one hour). The client calls it once, however many
    /// calls met the expired token at the same time, uses the new token for every later call
    /// of every clone, and repeats each of those calls once. A refresher that does not finish
    /// within [`Policy::token_refresh_timeout`] (default 30 s) is dropped, and the calls
    /// waiting on it get [`Error::TokenRefresh`].
    ///
    /// A webhook client has no token to refresh: [`ClientBuilder::build`] refuses a
    /// refresher for one ([`ConfigError::TokenRefresherWithoutOAuth`]).
    ///
    /// ```no_run
    /// # async fn fetch_new_token() -> Result<String, std::io::Error> { Ok(String::new()) }
    /// use b24_rest_runtime::{Auth, Client};
    ///
    /// # fn build() -> Result<Client, b24_rest_runtime::ConfigError> {
    /// let client = Client::builder(Auth::oauth("https://portal.example", "current-token")?)
    ///     .token_refresher(|| async { Ok(fetch_new_token().await?) })
    ///     .build()?;
    /// # Ok(client)
    /// # }
    /// ```
    #[must_use]
    pub fn token_refresher<F, Fut>(mut self, refresh: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = RefreshResult> + Send + 'static,
    {
        self.refresher = Some(Refresher::new(refresh));
        self
    }

    /// The `User-Agent` header. Default `b24-rest/<version>`.
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Ignore the system's proxy settings (`HTTPS_PROXY`, …).
    #[must_use]
    pub fn no_proxy(mut self) -> Self {
        self.no_proxy = true;
        self
    }

    /// Builds the client.
    ///
    /// Fails for an invalid `User-Agent` and for a [token refresher](Self::token_refresher)
    /// on a webhook client.
    pub fn build(self) -> Result<C, ConfigError>
    where
        C: From<Client>,
    {
        // Refused rather than ignored: on `expired_token` the refresher would run and fail,
        // turning the portal's own error into a confusing `TokenRefresh`.
        if self.refresher.is_some() && matches!(self.auth.kind, AuthKind::Webhook { .. }) {
            return Err(ConfigError::TokenRefresherWithoutOAuth);
        }
        let mut http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .user_agent(self.user_agent.as_str());
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        if let Some(timeout) = self.connect_timeout {
            http = http.connect_timeout(timeout);
        }
        if self.no_proxy {
            http = http.no_proxy();
        }
        let http = http.build().map_err(|e| ConfigError::HttpClient {
            message: e.without_url().to_string(),
        })?;
        let credentials = match self.auth.kind {
            AuthKind::Webhook { user_id, code } => Credentials::Webhook { user_id, code },
            AuthKind::OAuth { token } => Credentials::OAuth {
                token: RwLock::new(token),
                generation: AtomicU64::new(0),
            },
        };
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                http,
                origin: self.auth.origin,
                credentials,
                timeout: self.timeout,
                user_agent: self.user_agent,
                controls: Controls::new(self.policy, self.refresher),
            }),
        }))
    }
}

/// A Bitrix24 REST client. Cheap to clone (shares one connection pool); `Send + Sync`.
///
/// Method calls are reached through scope accessors, e.g.
/// `client.log().blogpost().share(217, dest).await`. `Debug` never shows the webhook code or
/// the access token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    origin: String,
    credentials: Credentials,
    timeout: Option<Duration>,
    user_agent: String,
    controls: Controls,
}

enum Credentials {
    Webhook {
        user_id: u64,
        code: Secret,
    },
    /// Behind a lock so that a refreshed token can replace it while the client is shared.
    OAuth {
        token: RwLock<Secret>,
        /// Bumped whenever the token is replaced, so that calls that met `expired_token`
        /// together refresh it once.
        generation: AtomicU64,
    },
}

/// What one call sends.
struct Prepared {
    url: String,
    body: Vec<u8>,
    /// Redacted from every text an error keeps.
    secret: Secret,
}

impl Client {
    /// A client for a webhook URL `https://<portal>/rest/<user_id>/<code>/`, default settings.
    pub fn webhook(url: &str) -> Result<Client, ConfigError> {
        Client::builder(Auth::webhook(url)?).build()
    }

    /// A client for an OAuth access token on a portal (`https://portal.example`), default
    /// settings.
    pub fn oauth(portal_url: &str, access_token: impl Into<String>) -> Result<Client, ConfigError> {
        Client::builder(Auth::oauth(portal_url, access_token)?).build()
    }

    /// Starts configuring a client.
    pub fn builder(auth: Auth) -> ClientBuilder {
        ClientBuilder::new(auth)
    }

    /// The portal's origin, e.g. `https://portal.example`.
    pub fn portal(&self) -> &str {
        &self.inner.origin
    }

    /// Replaces the OAuth access token for every later call (on all clones of this client).
    /// Fails for webhook clients and empty tokens.
    pub fn set_access_token(&self, access_token: impl Into<String>) -> Result<(), ConfigError> {
        let Credentials::OAuth { token, generation } = &self.inner.credentials else {
            return Err(ConfigError::NotOAuth);
        };
        let access_token = access_token.into();
        if access_token.trim().is_empty() {
            return Err(ConfigError::EmptyToken);
        }
        let mut slot = token
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *slot = Secret::new(access_token);
        generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// The time budget of `method` (its wire name, e.g. `log.blogpost.share`) as the last
    /// successful answer reported it: seconds used and when part of it is released. `None`
    /// until an answer carried `operating` or `operating_reset_at`. Shared by all clones.
    pub fn operating(&self, method: &str) -> Option<OperatingBudget> {
        self.inner.controls.operating(method)
    }

    /// The policy this client follows.
    pub fn policy(&self) -> &Policy {
        &self.inner.controls.policy
    }

    pub(crate) fn controls(&self) -> &Controls {
        &self.inner.controls
    }

    /// Which OAuth token is current (0 for webhooks).
    pub(crate) fn token_generation(&self) -> u64 {
        match &self.inner.credentials {
            Credentials::OAuth { generation, .. } => generation.load(Ordering::SeqCst),
            Credentials::Webhook { .. } => 0,
        }
    }

    /// The credential calls are sent with now (the webhook code or the current access
    /// token), to redact it from what the portal sends back.
    pub(crate) fn current_secret(&self) -> Secret {
        match &self.inner.credentials {
            Credentials::Webhook { code, .. } => code.clone(),
            Credentials::OAuth { token, .. } => token
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .clone(),
        }
    }

    /// The current OAuth token, to redact it from a refresher's error.
    pub(crate) fn current_token(&self) -> Option<String> {
        match &self.inner.credentials {
            Credentials::OAuth { token, .. } => Some(
                token
                    .read()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .expose()
                    .to_owned(),
            ),
            Credentials::Webhook { .. } => None,
        }
    }

    /// A call of `request`, sent when awaited.
    pub fn call<M: Method>(&self, request: M) -> Call<'_, M> {
        Call {
            client: self,
            request,
        }
    }

    /// Sends `request` under the client's [`Policy`] (pacing, retries, token refresh) and
    /// decodes the answer.
    pub async fn send<M: Method>(
        &self,
        request: &M,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        retry::send(self, request, M::SAFE_TO_REPEAT).await
    }

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
        if M::NAME.is_empty()
            || !M::NAME
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            return Err(encode_error(format!(
                "invalid method name `{}`",
                text::clip_escaped(M::NAME, 100, false)
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
        match &self.inner.credentials {
            Credentials::Webhook { user_id, code } => Ok(Prepared {
                url: format!("{origin}/rest/{user_id}/{}/{}", code.expose(), M::NAME),
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
                    url: format!("{origin}/rest/{}", M::NAME),
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

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        let mut s = f.debug_struct("Client");
        match &inner.credentials {
            Credentials::Webhook { user_id, .. } => s
                .field("auth", &"webhook")
                .field("endpoint", &format!("{}/rest/{user_id}/***/", inner.origin)),
            Credentials::OAuth { .. } => s
                .field("auth", &"oauth")
                .field("endpoint", &format!("{}/rest/", inner.origin))
                .field("access_token", &"***"),
        };
        s.field("timeout", &inner.timeout)
            .field("user_agent", &inner.user_agent)
            .field("policy", &inner.controls.policy)
            .finish()
    }
}

/// One prepared call: the client and the request. Await it (or call [`Call::send`]) to send.
///
/// Each generated method wraps it in a call type of its own that adds the setters of its
/// optional parameters, e.g. `client.log().blogpost().share(217, dest).user_id(1).await`.
pub struct Call<'a, M: Method> {
    client: &'a Client,
    request: M,
}

impl<'a, M: Method> Call<'a, M> {
    /// The request as it will be sent.
    pub fn request(&self) -> &M {
        &self.request
    }

    /// The request, to change in place (what the generated setters do: no closure per
    /// setter to compile).
    pub fn request_mut(&mut self) -> &mut M {
        &mut self.request
    }

    /// The request, without sending it.
    pub fn into_request(self) -> M {
        self.request
    }

    /// Changes the request.
    #[must_use]
    pub fn map_request(self, f: impl FnOnce(M) -> M) -> Self {
        Call {
            client: self.client,
            request: f(self.request),
        }
    }

    /// Sends the request and decodes the answer.
    pub async fn send(self) -> Result<Response<M::Output>, Error<M::Error>> {
        self.client.send(&self.request).await
    }

    /// A pager over every page of a list method, from this call's `start` on.
    pub fn pages(self) -> crate::Pager<'a, M>
    where
        M: crate::Paged,
    {
        self.client.pages(self.request)
    }
}

impl<'a, M: Method> IntoFuture for Call<'a, M> {
    type Output = Result<Response<M::Output>, Error<M::Error>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<M: Method + fmt::Debug> fmt::Debug for Call<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", &M::NAME)
            .field("request", &self.request)
            .field("client", self.client)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls() {
        for url in [
            "https://portal.example/rest/1/abc123def456/",
            "https://portal.example/rest/1/abc123def456",
            "  https://PORTAL.example/rest/1/abc123def456/ ",
            "https://portal.example:8443/rest/1/abc123def456/",
            "http://127.0.0.1:8080/rest/1/abc123def456/",
            "http://127.8.9.1/rest/1/abc123def456/",
            "http://localhost:1/rest/1/abc123def456/",
            "http://[::1]:99/rest/1/abc123def456/",
        ] {
            let auth = Auth::webhook(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            let shown = format!("{auth:?}");
            assert!(!shown.contains("abc123def456"), "{shown}");
            assert!(shown.contains("/rest/1/***/"), "{shown}");
        }
        let auth = Auth::webhook("https://PORTAL.example/rest/1/abc123def456").unwrap();
        assert_eq!(auth.masked_endpoint(), "https://portal.example/rest/1/***/");
    }

    #[test]
    fn bad_webhook_urls() {
        type Check = fn(&ConfigError) -> bool;
        let cases: &[(&str, Check)] = &[
            (
                "http://portal.example/rest/1/abc123def456/",
                |e| matches!(e, ConfigError::InsecureScheme { host } if host == "portal.example"),
            ),
            ("http://127.0.0.1.example/rest/1/abc123def456/", |e| {
                matches!(e, ConfigError::InsecureScheme { .. })
            }),
            ("ftp://portal.example/rest/1/abc123def456/", |e| {
                matches!(e, ConfigError::InvalidUrl { .. })
            }),
            ("portal.example/rest/1/abc123def456/", |e| {
                matches!(e, ConfigError::InvalidUrl { .. })
            }),
            ("https://portal.example/rest/1/abc123def456/?x=1", |e| {
                matches!(e, ConfigError::InvalidUrl { .. })
            }),
            ("https://user:abc123def456@portal.example/rest/1/x/", |e| {
                matches!(e, ConfigError::InvalidUrl { .. })
            }),
            ("https://portal.example/rest/abc123def456/", |e| {
                matches!(e, ConfigError::NotAWebhookUrl { .. })
            }),
            ("https://portal.example/rest/x/abc123def456/", |e| {
                matches!(e, ConfigError::NotAWebhookUrl { .. })
            }),
            ("https://portal.example/api/1/abc123def456/", |e| {
                matches!(e, ConfigError::NotAWebhookUrl { .. })
            }),
            ("https://portal.example/rest/1/abc123def456/profile", |e| {
                matches!(e, ConfigError::NotAWebhookUrl { .. })
            }),
            ("https://portal.example/rest/1/abc%20123def456/", |e| {
                matches!(e, ConfigError::NotAWebhookUrl { .. })
            }),
            ("https://portal.example/rest/1//", |e| {
                matches!(e, ConfigError::NotAWebhookUrl { .. })
            }),
        ];
        for (url, check) in cases {
            let err = Auth::webhook(url).unwrap_err();
            assert!(check(&err), "{url}: {err:?}");
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("abc123def456"), "{shown}");
        }
    }

    #[test]
    fn oauth_urls() {
        for url in [
            "https://portal.example",
            "https://portal.example/",
            "https://portal.example/rest/",
            "https://portal.example/rest",
        ] {
            let auth = Auth::oauth(url, "tok-secret-1").unwrap();
            assert_eq!(auth.masked_endpoint(), "https://portal.example/rest/");
            assert!(!format!("{auth:?}").contains("tok-secret-1"));
        }
        assert!(matches!(
            Auth::oauth("https://portal.example/other/", "t"),
            Err(ConfigError::InvalidUrl { .. })
        ));
        assert!(matches!(
            Auth::oauth("https://portal.example", " "),
            Err(ConfigError::EmptyToken)
        ));
        assert!(matches!(
            Auth::oauth("http://portal.example", "t"),
            Err(ConfigError::InsecureScheme { .. })
        ));
    }

    #[test]
    fn loopback() {
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("127.255.0.9"));
        assert!(is_loopback("[::1]"));
        assert!(is_loopback("localhost"));
        assert!(!is_loopback("128.0.0.1"));
        assert!(!is_loopback("[::2]"));
        assert!(!is_loopback("localhost.example"));
        assert!(!is_loopback("example"));
    }

    #[test]
    fn set_access_token() {
        let client = Client::oauth("https://portal.example", "old-token-1").unwrap();
        client.set_access_token("new-token-2").unwrap();
        let Credentials::OAuth { token, .. } = &client.inner.credentials else {
            panic!()
        };
        assert_eq!(token.read().unwrap().expose(), "new-token-2");
        assert!(matches!(
            client.set_access_token(""),
            Err(ConfigError::EmptyToken)
        ));
        let webhook = Client::webhook("https://portal.example/rest/1/abcdef/").unwrap();
        assert!(matches!(
            webhook.set_access_token("x"),
            Err(ConfigError::NotOAuth)
        ));
    }

    #[test]
    fn client_is_send_sync_and_calls_are_send() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        fn assert_send<T: Send>(_: &T) {}
        assert_send_sync::<Client>();
        let client = Client::webhook("https://portal.example/rest/1/abcdef/").unwrap();
        let call = client.call(crate::test_method::Share::new(1, &["UA"]));
        let future = call.into_future();
        assert_send(&future);
    }

    #[test]
    fn a_token_refresher_needs_an_oauth_client() {
        let webhook = Auth::webhook("https://portal.example/rest/1/abcdef123/").unwrap();
        let err = Client::builder(webhook)
            .token_refresher(|| async { Ok("new-token".to_owned()) })
            .build()
            .unwrap_err();
        assert_eq!(err, ConfigError::TokenRefresherWithoutOAuth);
        let shown = err.to_string();
        assert!(
            shown.contains("webhook") && shown.contains("token_refresher"),
            "{shown}"
        );
        assert!(!format!("{shown} {err:?}").contains("abcdef123"));

        let oauth = Auth::oauth("https://portal.example", "tok-1").unwrap();
        let client = Client::builder(oauth)
            .token_refresher(|| async { Ok("new-token".to_owned()) })
            .build();
        assert!(client.is_ok());
    }

    #[test]
    fn bad_user_agent_is_a_config_error() {
        let auth = Auth::webhook("https://portal.example/rest/1/abcdef/").unwrap();
        let err = Client::builder(auth)
            .user_agent("bad\nagent")
            .build()
            .unwrap_err();
        assert!(matches!(err, ConfigError::HttpClient { .. }), "{err:?}");
    }
}
