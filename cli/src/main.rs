//! `b24`: calls any Bitrix24 REST method the b24-rest specs describe, from the command line.
//! The work is done by [`b24_cli::cli`]; this prints its outcome with every secret hidden.

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let env = |name: &str| std::env::var(name).ok();
    let redactor = b24_cli::auth::Redactor::new(&args, &env);
    // Output that cannot be written (a closed pipe) changes nothing about the call.
    let note = |line: &str| {
        let _ = writeln!(std::io::stderr(), "{}", redactor.redact(line.trim_end()));
    };
    let outcome = b24_cli::cli(args, &env, &mut std::io::stdin().lock(), &note);
    let _ = std::io::stdout()
        .lock()
        .write_all(redactor.redact(&outcome.stdout).as_bytes());
    for line in &outcome.stderr {
        note(line);
    }
    ExitCode::from(outcome.exit.code())
}
