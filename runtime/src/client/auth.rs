//! How the client authenticates: a webhook URL or an OAuth access token, parsed and checked
//! before anything is sent; `Debug` never shows the webhook code or the token.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use crate::error::ConfigError;
use crate::secret::Secret;
use crate::text;

/// How the client authenticates: an incoming webhook or an OAuth access token.
///
/// `Debug` never shows the webhook code or the token.
#[derive(Clone)]
pub struct Auth {
    pub(super) origin: String,
    pub(super) kind: AuthKind,
}

#[derive(Clone)]
pub(super) enum AuthKind {
    Webhook { user_id: u64, code: Secret },
    OAuth { token: Secret },
}

impl Auth {
    /// The portal's origin, `scheme://host[:port]`.
    pub(crate) fn origin(&self) -> &str {
        &self.origin
    }

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
}
