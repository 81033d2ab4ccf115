//! Where the credentials come from (`--webhook`, or `--portal` and `--token`, else the
//! `B24_WEBHOOK`, `B24_PORTAL` and `B24_ACCESS_TOKEN` variables), and the [`Redactor`] that
//! keeps them out of everything `b24` prints.

use std::ffi::OsString;

use b24_rest::Auth;

/// Environment variable with the webhook URL.
pub const ENV_WEBHOOK: &str = "B24_WEBHOOK";
/// Environment variable with the portal URL, for OAuth.
pub const ENV_PORTAL: &str = "B24_PORTAL";
/// Environment variable with the OAuth access token.
pub const ENV_TOKEN: &str = "B24_ACCESS_TOKEN";

/// How authentication is explained in `b24 --help`.
pub const HELP: &str = "\
Authentication (flags win over the environment):
  --webhook URL, or B24_WEBHOOK                an inbound webhook, https://<portal>/rest/<user>/<code>/
  --portal URL --token TOKEN, or B24_PORTAL    an OAuth access token for the portal
    and B24_ACCESS_TOKEN
The webhook code and the token are never printed, not even with --verbose.";

/// The credentials given on the command line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Flags {
    /// `--webhook`.
    pub webhook: Option<String>,
    /// `--portal`.
    pub portal: Option<String>,
    /// `--token`.
    pub token: Option<String>,
}

/// Picks the credentials: the flags first, then the environment (`env` reads a variable;
/// empty ones count as unset). The error never shows a secret.
pub fn resolve(flags: &Flags, env: &dyn Fn(&str) -> Option<String>) -> Result<Auth, String> {
    let env = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    if let Some(url) = &flags.webhook {
        return Auth::webhook(url).map_err(|error| format!("--webhook: {error}"));
    }
    if flags.portal.is_some() || flags.token.is_some() {
        let (portal, portal_from) = match &flags.portal {
            Some(portal) => (portal.clone(), "--portal"),
            None => (
                env(ENV_PORTAL).ok_or("--token needs --portal (or B24_PORTAL)")?,
                ENV_PORTAL,
            ),
        };
        let token = match &flags.token {
            Some(token) => token.clone(),
            None => env(ENV_TOKEN).ok_or("--portal needs --token (or B24_ACCESS_TOKEN)")?,
        };
        return Auth::oauth(&portal, token).map_err(|error| format!("{portal_from}: {error}"));
    }
    match (env(ENV_WEBHOOK), env(ENV_PORTAL), env(ENV_TOKEN)) {
        (Some(_), Some(_), _) => Err(format!(
            "both {ENV_WEBHOOK} and {ENV_PORTAL} are set: unset one, or choose with --webhook \
             or --portal and --token"
        )),
        (Some(url), None, _) => {
            Auth::webhook(&url).map_err(|error| format!("{ENV_WEBHOOK}: {error}"))
        }
        (None, Some(portal), Some(token)) => {
            Auth::oauth(&portal, token).map_err(|error| format!("{ENV_PORTAL}: {error}"))
        }
        (None, Some(_), None) => Err(format!("{ENV_PORTAL} is set but {ENV_TOKEN} is not")),
        (None, None, _) => Err(format!(
            "no portal: pass --webhook URL (or set {ENV_WEBHOOK}), or --portal URL and --token \
             TOKEN (or set {ENV_PORTAL} and {ENV_TOKEN})"
        )),
    }
}

/// Replaces every secret `b24` was given with `***` in text it is about to print.
///
/// The secrets are collected from the raw command line and the environment before anything
/// is parsed, so that even a parse error that quotes an argument shows none.
#[derive(Debug, Default, Clone)]
pub struct Redactor {
    /// Longest first, so that a secret containing another is replaced whole.
    secrets: Vec<String>,
}

impl Redactor {
    /// The secrets in `args` (values of `--webhook` and `--token`) and in the environment.
    pub fn new(args: &[OsString], env: &dyn Fn(&str) -> Option<String>) -> Redactor {
        let mut redactor = Redactor::default();
        let args: Vec<String> = args
            .iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect();
        for (i, arg) in args.iter().enumerate() {
            for (flag, is_webhook) in [("--webhook", true), ("--token", false)] {
                let value = if arg == flag {
                    args.get(i + 1).cloned()
                } else {
                    arg.strip_prefix(flag)
                        .and_then(|rest| rest.strip_prefix('='))
                        .map(str::to_owned)
                };
                if let Some(value) = value {
                    redactor.add(&value, is_webhook);
                }
            }
        }
        if let Some(url) = env(ENV_WEBHOOK) {
            redactor.add(&url, true);
        }
        if let Some(token) = env(ENV_TOKEN) {
            redactor.add(&token, false);
        }
        redactor
    }

    fn add(&mut self, value: &str, is_webhook: bool) {
        let mut found = vec![value.to_owned(), value.trim().to_owned()];
        if is_webhook {
            // The code: the segment after `/rest/<user id>/`.
            if let Some((_, path)) = value.split_once("/rest/") {
                found.extend(
                    path.split(['/', '?', '#'])
                        .nth(1)
                        .map(|code| code.trim().to_owned()),
                );
            }
        }
        for secret in found {
            if !secret.is_empty() && !self.secrets.contains(&secret) {
                self.secrets.push(secret);
            }
        }
        self.secrets
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    }

    /// `text` with every secret replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), "***");
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEBHOOK: &str = "https://portal.example/rest/1/s3cr3tc0de/";

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    fn flags(webhook: Option<&str>, portal: Option<&str>, token: Option<&str>) -> Flags {
        Flags {
            webhook: webhook.map(str::to_owned),
            portal: portal.map(str::to_owned),
            token: token.map(str::to_owned),
        }
    }

    #[test]
    fn flags_win_over_the_environment() {
        let vars = [(ENV_WEBHOOK, "https://other.example/rest/2/othercode/")];
        let auth = resolve(&flags(Some(WEBHOOK), None, None), &env(&vars)).unwrap();
        assert!(format!("{auth:?}").contains("portal.example"), "{auth:?}");
        let auth = resolve(
            &flags(None, Some("https://portal.example"), Some("tok")),
            &env(&vars),
        )
        .unwrap();
        assert!(format!("{auth:?}").contains("oauth"), "{auth:?}");
    }

    #[test]
    fn the_environment_is_read_when_no_flag_is_given() {
        let auth = resolve(&Flags::default(), &env(&[(ENV_WEBHOOK, WEBHOOK)])).unwrap();
        assert!(format!("{auth:?}").contains("webhook"), "{auth:?}");
        let vars = [
            (ENV_PORTAL, "https://portal.example"),
            (ENV_TOKEN, "tok-123"),
        ];
        let auth = resolve(&Flags::default(), &env(&vars)).unwrap();
        assert!(format!("{auth:?}").contains("oauth"), "{auth:?}");
        // A flag of one half of OAuth takes the other half from the environment.
        let vars = [(ENV_PORTAL, "https://portal.example")];
        assert!(resolve(&flags(None, None, Some("tok")), &env(&vars)).is_ok());
    }

    #[test]
    fn missing_or_ambiguous_credentials_are_explained() {
        let error = resolve(&Flags::default(), &env(&[(ENV_WEBHOOK, " ")])).unwrap_err();
        assert!(error.starts_with("no portal"), "{error}");
        let vars = [(ENV_WEBHOOK, WEBHOOK), (ENV_PORTAL, "https://p.example")];
        let error = resolve(&Flags::default(), &env(&vars)).unwrap_err();
        assert!(error.contains("both"), "{error}");
        let error = resolve(&flags(None, Some("https://p.example"), None), &env(&[])).unwrap_err();
        assert!(error.contains("--token"), "{error}");
        let error = resolve(
            &Flags::default(),
            &env(&[(ENV_PORTAL, "https://p.example")]),
        )
        .unwrap_err();
        assert!(error.contains(ENV_TOKEN), "{error}");
    }

    #[test]
    fn bad_credentials_never_show_the_secret() {
        let bad = "http://portal.example/rest/1/s3cr3tc0de/";
        let error = resolve(&flags(Some(bad), None, None), &env(&[])).unwrap_err();
        assert!(error.starts_with("--webhook: "), "{error}");
        assert!(!error.contains("s3cr3tc0de"), "{error}");
        let error = resolve(&Flags::default(), &env(&[(ENV_WEBHOOK, bad)])).unwrap_err();
        assert!(error.starts_with("B24_WEBHOOK: "), "{error}");
        assert!(!error.contains("s3cr3tc0de"), "{error}");
    }

    #[test]
    fn redactor_hides_every_form_of_the_secrets() {
        let args: Vec<OsString> = [
            "b24",
            "--webhook",
            WEBHOOK,
            "--token=tok-SECRET-1",
            "log.blogpost.share",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        let vars = [(ENV_TOKEN, "tok-ENV-2")];
        let redactor = Redactor::new(&args, &env(&vars));
        let text =
            format!("{WEBHOOK} s3cr3tc0de tok-SECRET-1 tok-ENV-2 https://portal.example/rest/1/");
        assert_eq!(
            redactor.redact(&text),
            "*** *** *** *** https://portal.example/rest/1/"
        );
        assert_eq!(Redactor::default().redact("plain"), "plain");
    }
}
