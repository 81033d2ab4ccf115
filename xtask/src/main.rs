//! Command-line entry of `cargo xtask`; the work is done in the library (`xtask::run`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let code = xtask::run(
        std::env::args().skip(1),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
