//! [`ClientBuilder`]: the settings of a client (timeouts, proxy, user agent, policy, token
//! refresher), checked when it is built.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use super::{Auth, AuthKind, Client, Credentials, Inner};
use crate::error::ConfigError;
use crate::oauth::OAuthApp;
use crate::policy::Policy;
use crate::retry::{Controls, RefreshResult, Refresher, RetryNotice, RetryObserver};

/// Default time for a whole call: the server's own limit is 60 seconds.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(65);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

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
    retry_observer: Option<RetryObserver>,
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
            retry_observer: None,
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
    /// waiting on it get [`Error::TokenRefresh`](crate::Error::TokenRefresh).
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

    /// For OAuth applications: renews the access token with Bitrix24's authorization server
    /// when the portal answers `expired_token` (as a [token refresher](Self::token_refresher)
    /// does), and hands every new pair of tokens to the application's
    /// [`OAuthApp::on_tokens`] to store the rotated refresh token.
    #[must_use]
    pub fn oauth_app(self, app: OAuthApp) -> Self {
        self.token_refresher(move || {
            let app = app.clone();
            async move {
                let tokens = app.renew().await?;
                Ok(tokens.access_token.expose().to_owned())
            }
        })
    }

    /// Calls `observe` before every retry the client makes, with what happened, which retry
    /// of how many and how long it waits (the same [`RetryNotice`] the `tracing` event at
    /// INFO carries): a wait for `OPERATION_TIME_LIMIT` can last minutes, and a program may
    /// want to say so. The observer runs on the calling task; keep it quick.
    ///
    /// ```
    /// # fn build() -> Result<b24_rest_runtime::Client, b24_rest_runtime::ConfigError> {
    /// use b24_rest_runtime::{Auth, Client};
    ///
    /// let client = Client::builder(Auth::webhook("https://portal.example/rest/1/code123/")?)
    ///     .on_retry(|notice| eprintln!("{notice}"))
    ///     .build()?;
    /// # Ok(client)
    /// # }
    /// ```
    #[must_use]
    pub fn on_retry(mut self, observe: impl Fn(&RetryNotice) + Send + Sync + 'static) -> Self {
        self.retry_observer = Some(RetryObserver(Arc::new(observe)));
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
                controls: Controls::new(self.policy, self.refresher, self.retry_observer),
            }),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
