//! The `b24` command line: calls any Bitrix24 REST method the b24-rest specs describe.
//!
//! `b24 <method> [flags]` sends one call through the SDK's typed client: the method's wire
//! name is the subcommand, its parameters are flags parsed with the SDK's own types (or the
//! whole request comes as `--json`), the result is printed as JSON, and a failure is one line
//! naming the typed error, with an exit code by class (see [`exit`]).
//!
//! The per-method part (`generated/`) is written by `cargo xtask gen` from `spec/`; the rest
//! is generic over [`b24_rest::Method`].

pub mod auth;
pub mod catalog;
pub mod command;
pub mod exit;
#[rustfmt::skip]
pub mod generated;
pub mod params;
pub mod request;
pub mod run;

use std::ffi::OsString;
use std::io::Read;
use std::time::Duration;

use b24_rest::{Backoff, Client, Policy, ResetWait};

use crate::exit::Exit;
use crate::run::{Outcome, Session};

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
    let matches = match command::build(catalog).try_get_matches_from(args) {
        Ok(matches) => matches,
        // Help and version are "errors" that go to stdout and exit 0.
        Err(error) if !error.use_stderr() => {
            return Outcome {
                exit: Exit::Success,
                stdout: error.render().to_string(),
                stderr: Vec::new(),
            };
        }
        Err(error) => return Outcome::usage(error.render().to_string()),
    };
    let Some((name, matches)) = matches.subcommand() else {
        return Outcome::usage("error: no method given; see `b24 --help`".to_owned());
    };
    let Some(method) = catalog.find(name) else {
        return Outcome::usage(format!("error: unknown method `{name}`; see `b24 --help`"));
    };
    let Some(prepare) = catalog.prepare(name) else {
        return Outcome::internal(&format!("`{name}` has no typed request"));
    };

    let body = match matches.get_one::<String>(command::JSON) {
        Some(source) => match request::from_json(source, stdin) {
            Ok(body) => body,
            Err(problem) => return Outcome::usage(format!("error: {name}: {problem}")),
        },
        None => match request::from_flags(method, matches) {
            Ok(body) => body,
            Err(problem) => return Outcome::usage(format!("error: {name}: {problem}")),
        },
    };
    let prepared = match prepare(body) {
        Ok(prepared) => prepared,
        Err(problem) => {
            return Outcome::usage(format!("error: {name}: invalid request: {problem}"));
        }
    };

    let flags = auth::Flags {
        webhook: matches.get_one::<String>(command::WEBHOOK).cloned(),
        portal: matches.get_one::<String>(command::PORTAL).cloned(),
        token: matches.get_one::<String>(command::TOKEN).cloned(),
    };
    let auth = match auth::resolve(&flags, env) {
        Ok(auth) => auth,
        Err(problem) => return Outcome::usage(format!("error: {problem}")),
    };
    let mut builder = Client::builder(auth)
        .user_agent(concat!("b24/", env!("CARGO_PKG_VERSION")))
        .policy(policy(matches.get_flag(command::NO_RETRY)));
    let deadline = matches.get_one::<Duration>(command::TIMEOUT).copied();
    if let Some(timeout) = deadline {
        builder = builder
            .timeout(timeout)
            .connect_timeout(timeout.min(CONNECT_TIMEOUT));
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(problem) => return Outcome::usage(format!("error: {problem}")),
    };

    let verbose = matches.get_flag(command::VERBOSE);
    if verbose {
        note(&format!("b24: calling {name} on {}", client.portal()));
    }
    let session = Session {
        full: matches.get_flag(command::FULL),
        verbose,
        note,
        deadline,
        client,
    };
    prepared.send(&session)
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
        ] {
            let outcome = run(args, &[]);
            assert_eq!(outcome.exit, Exit::Success, "{args:?}");
            assert!(!outcome.stdout.is_empty(), "{args:?}");
            assert!(outcome.stderr.is_empty(), "{args:?}");
        }
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
