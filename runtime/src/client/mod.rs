//! The HTTP client: [`Client`] and what it shares between clones (connection pool,
//! credentials, policy); how it authenticates ([`auth`]), is configured ([`builder`]), sends
//! ([`send`]) and what one call is ([`call`]).

mod auth;
mod builder;
mod call;
mod send;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

pub use auth::Auth;
use auth::AuthKind;
pub use builder::ClientBuilder;
pub use call::Call;
pub use send::MAX_BODY_BYTES;

use crate::error::{ConfigError, Error};
use crate::method::{Method, Response};
use crate::policy::Policy;
use crate::raw::RawRequest;
use crate::retry::{self, Controls, OperatingBudget};
use crate::secret::Secret;

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
    ///
    /// For a typed method, [`Client::operating_of`] cannot be misspelt.
    pub fn operating(&self, method: &str) -> Option<OperatingBudget> {
        self.inner.controls.operating(method)
    }

    /// The time budget of the typed method `M`, as [`Client::operating`] gives it:
    /// `client.operating_of::<BlogpostShareRequest>()`.
    pub fn operating_of<M: Method>(&self) -> Option<OperatingBudget> {
        self.operating(M::NAME)
    }

    /// How long calls of this client (and its clones) have waited for the client-side rate
    /// limiter so far, in all: with [`RateLimit::STANDARD`](crate::RateLimit::STANDARD), the
    /// 51st call in a burst waits 0.5 s. Zero without a rate limit.
    pub fn rate_limit_waited(&self) -> Duration {
        self.inner.controls.limiter_waited()
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
        Call::new(self, request)
    }

    /// A call of any method by its wire name, specified or not, with `params` as a JSON
    /// object: the same policy, authentication and error decoding as a typed call, the
    /// result as JSON.
    ///
    /// ```no_run
    /// # async fn run(client: b24_rest_runtime::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let me = client.call_raw("user.current", serde_json::json!({})).await?;
    /// println!("{}", me.result["NAME"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn call_raw(
        &self,
        method: impl Into<String>,
        params: serde_json::Value,
    ) -> Call<'_, RawRequest> {
        self.call(RawRequest::new(method, params))
    }

    /// Sends `request` under the client's [`Policy`] (pacing, retries, token refresh) and
    /// decodes the answer.
    pub async fn send<M: Method>(
        &self,
        request: &M,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        retry::send(self, request, request.safe_to_repeat()).await
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
