//! The `b24` command line: calls any Bitrix24 REST method the b24-rest specs describe.
//!
//! `b24 <method> [flags]` sends one call through the SDK's typed client: the method's wire
//! name is the subcommand, its parameters are flags parsed with the SDK's own types (or the
//! whole request comes as `--json`), the result is printed as the portal sent it, and a
//! failure is one line naming the typed error, with an exit code by class (see [`exit`]).
//! `b24 call <method>` calls any method by name, specified or not; `b24 help` and
//! `b24 completions <shell>` print help and completion scripts.
//!
//! The per-method part (`generated/`) is written by `cargo xtask gen` from `spec/`; the rest
//! is generic over [`b24_rest::Method`].

pub mod auth;
pub mod catalog;
pub mod command;
pub mod exit;
#[rustfmt::skip]
pub mod generated;
pub mod list;
pub mod params;
pub mod request;
pub mod run;

use std::ffi::OsString;
use std::io::Read;
use std::sync::mpsc;
use std::time::Duration;

use b24_rest::{Backoff, Client, Policy, ResetWait};
use clap::ArgMatches;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::catalog::Catalog;
use crate::run::{Outcome, Prepared, Session};

/// The time allowed to connect, unless `--timeout` is shorter.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// One run of `b24` on `args` (program name first), reading variables with `env`; `--verbose`
/// lines go to `note` as they happen.
pub fn cli(
    args: Vec<OsString>,
    env: &dyn Fn(&str) -> Option<String>,
    stdin: &mut dyn Read,
    note: &dyn Fn(&str),
) -> Outcome {
    let catalog = match catalog::get() {
        Ok(catalog) => catalog,
        Err(problem) => return Outcome::internal(problem),
    };
    let args = command::normalize(args, catalog);
    let matches = match command::build_for(catalog, &args).try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(error) => return refused(catalog, &error),
    };
    // The request is checked before the credentials: a wrong value is a usage error even
    // where no portal is configured.
    let prepared = match matches.subcommand() {
        Some((command::COMPLETIONS, sub)) => return completions(catalog, sub),
        Some((command::CALL, sub)) => raw_call(sub, stdin),
        Some((name, sub)) => typed_call(catalog, name, sub, stdin),
        None => Err(Outcome::usage(
            "error: no method given; see `b24 --help`".to_owned(),
        )),
    };
    let sent = prepared.and_then(|prepared| {
        let session = session(&matches, env, note)?;
        Ok(prepared.send(&session))
    });
    sent.unwrap_or_else(|refused| refused)
}

/// What `clap` refused: help and version go to stdout and exit 0; an unknown method gets the
/// closest names; anything else is a usage error as `clap` words it.
fn refused(catalog: &Catalog, error: &clap::Error) -> Outcome {
    if !error.use_stderr() {
        return Outcome::success(error.render().to_string());
    }
    if error.kind() == ErrorKind::InvalidSubcommand
        && let Some(ContextValue::String(name)) = error.get(ContextKind::InvalidSubcommand)
    {
        return Outcome::usage(command::unknown_method(catalog, name));
    }
    Outcome::usage(error.render().to_string())
}

/// `b24 completions <SHELL>`: the script, with every method and flag of this build.
fn completions(catalog: &'static Catalog, matches: &ArgMatches) -> Outcome {
    let Some(shell) = matches.get_one::<clap_complete::Shell>(command::SHELL) else {
        return Outcome::usage("error: completions: no shell given".to_owned());
    };
    let mut script = Vec::new();
    clap_complete::generate(*shell, &mut command::build(catalog), "b24", &mut script);
    Outcome::success(String::from_utf8_lossy(&script).into_owned())
}

/// A specified method: its request from the flags or `--json`, decoded into its typed request.
fn typed_call(
    catalog: &Catalog,
    name: &str,
    matches: &ArgMatches,
    stdin: &mut dyn Read,
) -> Result<Prepared, Outcome> {
    let usage = |problem: String| Outcome::usage(format!("error: {name}: {problem}"));
    let Some(method) = catalog.find(name) else {
        return Err(Outcome::usage(command::unknown_method(catalog, name)));
    };
    let Some(prepare) = catalog.prepare(&method.name) else {
        return Err(Outcome::internal(&format!("`{name}` has no typed request")));
    };
    // `--all` exists only on list methods.
    let read_all = matches
        .try_get_one::<bool>(command::ALL)
        .ok()
        .flatten()
        .copied()
        .unwrap_or(false)
        .then(|| catalog.read_all(&method.name))
        .flatten();
    let body = match matches.get_one::<String>(command::JSON) {
        Some(source) => {
            let mut body = request::from_json(source, stdin).map_err(usage)?;
            request::check_json(catalog, method, &mut body).map_err(usage)?;
            body
        }
        None => request::from_flags(method, matches).map_err(usage)?,
    };
    let prepared = match read_all {
        Some(read_all) => {
            let limit = matches.get_one::<u64>(command::ALL_LIMIT).copied();
            read_all(body, limit)
        }
        None => prepare(body),
    };
    prepared.map_err(|problem| usage(format!("invalid request: {problem}")))
}

/// `b24 call <METHOD> [--json BODY]`: any method by name, the parameters as given (none
/// without `--json`).
fn raw_call(matches: &ArgMatches, stdin: &mut dyn Read) -> Result<Prepared, Outcome> {
    let Some(name) = matches.get_one::<String>(command::METHOD) else {
        return Err(Outcome::usage("error: call: no method given".to_owned()));
    };
    let params = match matches.get_one::<String>(command::JSON) {
        Some(source) => request::from_json(source, stdin)
            .map_err(|problem| Outcome::usage(format!("error: {name}: {problem}")))?,
        None => serde_json::Value::Object(serde_json::Map::new()),
    };
    Ok(run::prepare_raw(name, params))
}

/// The client and what the call shares, from the credentials and `b24`'s own options.
fn session<'a>(
    matches: &ArgMatches,
    env: &dyn Fn(&str) -> Option<String>,
    note: &'a dyn Fn(&str),
) -> Result<Session<'a>, Outcome> {
    let flags = auth::Flags {
        webhook: matches.get_one::<String>(command::WEBHOOK).cloned(),
        portal: matches.get_one::<String>(command::PORTAL).cloned(),
        token: matches.get_one::<String>(command::TOKEN).cloned(),
    };
    let auth = auth::resolve(&flags, env).map_err(|problem| usage_error(&problem))?;
    let deadline = matches.get_one::<Duration>(command::TIMEOUT).copied();
    let policy = policy(matches.get_flag(command::NO_RETRY)).deadline(deadline);
    let mut builder = Client::builder(auth)
        .user_agent(concat!("b24/", env!("CARGO_PKG_VERSION")))
        .policy(policy)
        .connect_timeout(deadline.map_or(CONNECT_TIMEOUT, |d| d.min(CONNECT_TIMEOUT)));
    let verbose = matches.get_flag(command::VERBOSE);
    let (retried, retries) = mpsc::channel();
    if verbose {
        // Called on the calling task before each wait; `run::send` shows the line at once.
        builder = builder.on_retry(move |notice| {
            let _ = retried.send(notice.to_string());
        });
    }
    let client = builder.build().map_err(|problem| usage_error(&problem))?;
    Ok(Session {
        full: matches.get_flag(command::FULL),
        verbose,
        note,
        retries,
        client,
    })
}

fn usage_error(problem: &dyn std::fmt::Display) -> Outcome {
    Outcome::usage(format!("error: {problem}"))
}

/// The SDK's default policy (pacing, retries of rate limits, retries of safe methods after an
/// ambiguous failure); with `--no-retry`, pacing only.
fn policy(no_retry: bool) -> Policy {
    if no_retry {
        Policy::default()
            .query_limit(Backoff::NEVER)
            .operation_time_limit(ResetWait::NEVER)
            .connect_failure(Backoff::NEVER)
            .ambiguous(Backoff::NEVER)
            .refresh_expired_token(false)
    } else {
        Policy::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::Exit;

    fn run(args: &[&str], env: &[(&str, &str)]) -> Outcome {
        let args = std::iter::once("b24")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect();
        let env = |name: &str| {
            env.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        };
        cli(args, &env, &mut std::io::empty(), &|_| {})
    }

    #[test]
    fn help_and_version_exit_0_on_stdout() {
        for args in [
            &["--help"][..],
            &["--version"],
            &["log.blogpost.share", "--help"],
            &["help"],
            &["help", "log.blogpost.share"],
            &["completions", "bash"],
        ] {
            let outcome = run(args, &[]);
            assert_eq!(outcome.exit, Exit::Success, "{args:?}");
            assert!(!outcome.stdout.is_empty(), "{args:?}");
            assert!(outcome.stderr.is_empty(), "{args:?}");
        }
    }

    #[test]
    fn help_is_as_help_in_any_case() {
        let long = run(&["log.blogpost.share", "--help"], &[]).stdout;
        assert!(long.contains("Errors of log.blogpost.share"), "{long}");
        for args in [
            &["help", "log.blogpost.share"][..],
            &["help", "LOG.BLOGPOST.SHARE"],
            &["--full", "help", "Log.Blogpost.Share"],
        ] {
            assert_eq!(run(args, &[]).stdout, long, "{args:?}");
        }
        assert_eq!(run(&["help"], &[]).stdout, run(&["--help"], &[]).stdout);
        let typo = run(&["help", "log.blogpost.shar"], &[]);
        assert_eq!(typo.exit, Exit::Usage);
        assert!(typo.stderr[0].contains("did you mean `log.blogpost.share`?"));
    }

    #[test]
    fn completions_name_every_method_for_every_shell() {
        for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
            let outcome = run(&["completions", shell], &[]);
            assert_eq!(outcome.exit, Exit::Success, "{shell}: {outcome:?}");
            for expected in ["log.blogpost.share", "post-id", "completions", "call"] {
                assert!(outcome.stdout.contains(expected), "{shell}: {expected}");
            }
        }
        let outcome = run(&["completions", "tcsh"], &[]);
        assert_eq!(outcome.exit, Exit::Usage, "{outcome:?}");
    }

    #[test]
    fn usage_errors_exit_2_before_any_credential_is_needed() {
        for args in [
            &[][..],
            &["no.such.method"],
            &["log.blogpost.share", "--post-id", "abc", "--dest", "SG1"],
            &["log.blogpost.share", "--post-id", "1", "--dest", "sg69"],
            &["log.blogpost.share", "--post-id", "1"],
            &[
                "log.blogpost.share",
                "--json",
                "{\"POST_ID\":1,\"DEST\":[\"SG1\"],\"X\":1}",
            ],
            &["log.blogpost.share", "--json", "{", "--post-id", "1"],
            &[
                "log.blogpost.add",
                "--post-message",
                "hi",
                "--important",
                "maybe",
            ],
            &[
                "log.blogpost.add",
                "--json",
                "{\"POST_MESSAGE\":\"hi\",\"IMPORTANT\":\"maybe\"}",
            ],
            &["call"],
            &["call", "user.current", "--json", "[1]"],
            &[
                "log.blogpost.share",
                "--post-id",
                "1",
                "--dest",
                "SG1",
                "--timeout",
                "0",
            ],
        ] {
            let outcome = run(args, &[]);
            assert_eq!(outcome.exit, Exit::Usage, "{args:?}: {outcome:?}");
            assert!(outcome.stdout.is_empty(), "{args:?}");
        }
        // A valid request without credentials says what is missing.
        let outcome = run(
            &["log.blogpost.share", "--post-id", "1", "--dest", "SG1"],
            &[],
        );
        assert_eq!(outcome.exit, Exit::Usage);
        assert!(
            outcome.stderr[0].starts_with("error: no portal"),
            "{outcome:?}"
        );
    }
}
