//! OAuth applications end to end: renewing tokens with Bitrix24's authorization server
//! ([`OAuthApp`], given to [`ClientBuilder::oauth_app`](crate::ClientBuilder::oauth_app)) and
//! handing each rotated refresh token to the application to store.
//!
//! The server is `https://oauth.bitrix.info` (`settings/oauth/auto-renewal.md`): a GET of
//! `/oauth/token/?grant_type=refresh_token&client_id=…&client_secret=…&refresh_token=…`
//! answers a new pair of tokens; the refresh token changes each time, and the old one stops
//! working, so the new one must be stored before anything else can fail.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use crate::client::Auth;
use crate::error::ConfigError;
use crate::values::{Id, SecretText};

/// Bitrix24's authorization server.
pub const OAUTH_SERVER: &str = "https://oauth.bitrix.info";

/// A new pair of tokens and what the authorization server says with them. `Debug` prints the
/// tokens as `***`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OAuthTokens {
    /// The access token for REST calls; it lives one hour.
    pub access_token: SecretText,
    /// The new refresh token: store it instead of the previous one, which no longer works.
    pub refresh_token: SecretText,
    /// Seconds the access token lives.
    #[serde(default)]
    pub expires_in: Option<Id>,
    /// Unix time at which the access token expires.
    #[serde(default)]
    pub expires: Option<Id>,
    /// The portal's REST address (`https://portal.bitrix24.com/rest/`).
    #[serde(default)]
    pub client_endpoint: Option<String>,
    /// The portal's unique identifier.
    #[serde(default)]
    pub member_id: Option<String>,
    /// The scopes granted, comma-separated.
    #[serde(default)]
    pub scope: Option<String>,
    /// The application's status on the portal (`F` free, `P` paid, `L` local, …).
    #[serde(default)]
    pub status: Option<String>,
    /// The user the tokens act for.
    #[serde(default)]
    pub user_id: Option<Id>,
}

/// Why the authorization server gave no tokens: its `error` and `error_description`
/// (`invalid_grant` for an expired or already used refresh token, `PAYMENT_REQUIRED`, …), or
/// why it could not be asked. Never holds the client secret or a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the authorization server refused to renew the tokens: {code}{}{description} (HTTP {status})", if description.is_empty() { "" } else { ": " })]
pub struct OAuthError {
    /// HTTP status (0 when no answer came).
    pub status: u16,
    /// The `error` code, or `transport` when no answer came.
    pub code: String,
    /// The `error_description`, or what went wrong.
    pub description: String,
}

type TokensObserver = Arc<dyn Fn(&OAuthTokens) + Send + Sync>;

/// An OAuth application's credentials with Bitrix24's authorization server: given to
/// [`ClientBuilder::oauth_app`](crate::ClientBuilder::oauth_app), it renews the access token
/// when the portal answers `expired_token`, and hands every new pair of tokens to
/// [`on_tokens`](Self::on_tokens) so that the application stores the rotated refresh token.
///
/// ```no_run
/// # fn store(refresh_token: &str) {}
/// use b24_rest_runtime::{Auth, Client, OAuthApp};
///
/// # fn build() -> Result<Client, b24_rest_runtime::ConfigError> {
/// let app = OAuthApp::new("app.573ad8a0346747.09223434", "client-secret", "stored-refresh-token")
///     .on_tokens(|tokens| store(tokens.refresh_token.expose()));
/// let client = Client::builder(Auth::oauth("https://portal.bitrix24.com", "access-token")?)
///     .oauth_app(app)
///     .build()?;
/// # Ok(client)
/// # }
/// ```
#[derive(Clone)]
pub struct OAuthApp {
    client_id: String,
    client_secret: SecretText,
    refresh_token: Arc<Mutex<SecretText>>,
    server: String,
    on_tokens: Option<TokensObserver>,
}

impl OAuthApp {
    /// An application with its `client_id` and `client_secret` (from the partner area or the
    /// local application form) and the refresh token it has stored.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> OAuthApp {
        OAuthApp {
            client_id: client_id.into(),
            client_secret: SecretText::new(client_secret),
            refresh_token: Arc::new(Mutex::new(SecretText::new(refresh_token))),
            server: OAUTH_SERVER.to_owned(),
            on_tokens: None,
        }
    }

    /// Another authorization server (the mock portal's, in tests): `https`, or `http` to a
    /// loopback host.
    pub fn server(mut self, url: &str) -> Result<OAuthApp, ConfigError> {
        // The same checks as a portal address: never send the secret in clear to another host.
        self.server = Auth::oauth(url, "-")?.origin().to_owned();
        Ok(self)
    }

    /// Called with every new pair of tokens, before the access token is used: store
    /// `tokens.refresh_token` there (the previous one stops working).
    #[must_use]
    pub fn on_tokens(mut self, store: impl Fn(&OAuthTokens) + Send + Sync + 'static) -> Self {
        self.on_tokens = Some(Arc::new(store));
        self
    }

    /// The refresh token the next renewal will use.
    pub fn refresh_token(&self) -> SecretText {
        self.refresh_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Asks the authorization server for a new pair of tokens with the current refresh token;
    /// on success the new refresh token replaces it and [`on_tokens`](Self::on_tokens) runs.
    pub async fn renew(&self) -> Result<OAuthTokens, OAuthError> {
        let refresh_token = self.refresh_token();
        let url = format!("{}/oauth/token/", self.server);
        let query = [
            ("grant_type", "refresh_token"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
            ("refresh_token", refresh_token.expose()),
        ];
        let transport = |message: String| OAuthError {
            status: 0,
            code: "transport".to_owned(),
            description: message,
        };
        let response = http()
            .get(url)
            .query(&query)
            .send()
            .await
            // Without the URL: its query holds the client secret and the refresh token.
            .map_err(|e| transport(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport(e.without_url().to_string()))?;
        let tokens = read_tokens(status, &body)?;
        *self
            .refresh_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = tokens.refresh_token.clone();
        if let Some(store) = &self.on_tokens {
            store(&tokens);
        }
        Ok(tokens)
    }
}

impl fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("refresh_token", &"***")
            .field("server", &self.server)
            .finish()
    }
}

/// One HTTP client for every renewal of the process: renewals are rare, and a client per
/// renewal would open a connection pool each time.
fn http() -> &'static reqwest::Client {
    static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    HTTP.get_or_init(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default()
    })
}

/// The tokens of a 2xx answer, or the server's error.
fn read_tokens(status: u16, body: &[u8]) -> Result<OAuthTokens, OAuthError> {
    let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let text = |key: &str| match value.get(key) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let error = |code: String, description: String| OAuthError {
        status,
        code,
        description,
    };
    if value.get("error").is_some() {
        return Err(error(text("error"), text("error_description")));
    }
    if !(200..300).contains(&status) {
        return Err(error(
            String::new(),
            "an answer that is not JSON tokens".to_owned(),
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| error(String::new(), format!("the tokens do not read: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_errors_read_as_the_server_sends_them() {
        let body =
            br#"{"access_token":"ydtj8pho","client_endpoint":"https://portal.bitrix24.com/rest/",
            "domain":"oauth.bitrix.info","expires":1780319382,"expires_in":3600,
            "member_id":"a223c6","refresh_token":"3s6lr4kr","scope":"crm,task",
            "server_endpoint":"https://oauth.bitrix.info/rest/","status":"F","user_id":67}"#;
        let tokens = read_tokens(200, body).unwrap();
        assert_eq!(tokens.refresh_token.expose(), "3s6lr4kr");
        assert_eq!(tokens.user_id, Some(Id(67)));
        let shown = format!("{tokens:?}");
        assert!(
            !shown.contains("ydtj8pho") && !shown.contains("3s6lr4kr"),
            "{shown}"
        );

        let refused = read_tokens(
            401,
            br#"{"error":"invalid_grant","error_description":"Invalid grant"}"#,
        )
        .unwrap_err();
        assert_eq!(
            (refused.code.as_str(), refused.status),
            ("invalid_grant", 401)
        );
        assert_eq!(
            refused.to_string(),
            "the authorization server refused to renew the tokens: invalid_grant: Invalid grant (HTTP 401)"
        );
        let bare = read_tokens(400, br#"{"error":"wrong_client"}"#).unwrap_err();
        assert_eq!(
            bare.to_string(),
            "the authorization server refused to renew the tokens: wrong_client (HTTP 400)"
        );
        assert!(read_tokens(502, b"<html>").is_err());
    }

    #[test]
    fn debug_never_shows_the_secret_or_the_refresh_token() {
        let app = OAuthApp::new("app.1", "secret-abc", "refresh-xyz");
        let shown = format!("{app:?}");
        assert!(shown.contains("app.1"), "{shown}");
        assert!(
            !shown.contains("secret-abc") && !shown.contains("refresh-xyz"),
            "{shown}"
        );
        assert!(app.clone().server("http://example.com").is_err());
        assert!(app.server("http://127.0.0.1:9/").is_ok());
    }
}

#[cfg(all(test, feature = "mock"))]
mod end_to_end {
    use std::sync::{Arc, Mutex};

    use serde_json::json;

    use super::*;
    use crate::error::Error;
    use crate::mock::{MockAnswer, MockPortal};
    use crate::test_method::NoSpecs;

    #[tokio::test]
    async fn an_expired_token_is_renewed_and_each_rotated_refresh_token_is_handed_over() {
        let portal = MockPortal::<NoSpecs>::start();
        portal.register_oauth_app("app.1", "secret-1", "refresh-0");
        portal.set_default(
            "user.current",
            MockAnswer::json(200, json!({"result": {"ID": "1"}})),
        );
        let stored: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = Arc::clone(&stored);
        let app = OAuthApp::new("app.1", "secret-1", "refresh-0")
            .server(&portal.oauth_server_url())
            .unwrap()
            .on_tokens(move |tokens| {
                sink.lock()
                    .unwrap()
                    .push(tokens.refresh_token.expose().to_owned())
            });
        let client = portal
            .oauth_client_builder()
            .policy(crate::Policy::none().refresh_expired_token(true))
            .oauth_app(app.clone())
            .build()
            .unwrap();

        for round in 1..=2 {
            let current = client.current_token().unwrap();
            portal.expire_token(&current);
            let me = client.call_raw("user.current", json!({})).await.unwrap();
            assert_eq!(me.result["ID"], "1");
            assert_eq!(portal.oauth_renewals("app.1"), round);
        }
        assert_eq!(
            *stored.lock().unwrap(),
            ["mock-refresh-token-app.1-1", "mock-refresh-token-app.1-2"]
        );
        assert_eq!(app.refresh_token().expose(), "mock-refresh-token-app.1-2");
    }

    #[tokio::test]
    async fn a_refused_renewal_is_a_token_refresh_error_without_secrets() {
        let portal = MockPortal::<NoSpecs>::start();
        portal.register_oauth_app("app.1", "secret-1", "refresh-current");
        let app = OAuthApp::new("app.1", "secret-1", "refresh-stale")
            .server(&portal.oauth_server_url())
            .unwrap();
        let client = portal
            .oauth_client_builder()
            .policy(crate::Policy::none().refresh_expired_token(true))
            .oauth_app(app)
            .build()
            .unwrap();
        portal.expire_token(MockPortal::<NoSpecs>::ACCESS_TOKEN);
        let err = client
            .call_raw("user.current", json!({}))
            .await
            .unwrap_err();
        let Error::TokenRefresh(failure) = &err else {
            panic!("{err:?}")
        };
        let oauth = failure
            .refresher_error()
            .and_then(|source| source.downcast_ref::<OAuthError>())
            .expect("the authorization server's error");
        assert_eq!(oauth.code, "invalid_grant");
        let shown = format!("{err} {err:?}");
        for secret in ["secret-1", "refresh-stale", "refresh-current"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert_eq!(portal.oauth_renewals("app.1"), 0);
    }
}
