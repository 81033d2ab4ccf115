//! Command-line entry of `cargo xtask`; the work is done in the library (`xtask::run`).

use std::process::ExitCode;

/// Generation builds and drops millions of small token trees and syntax nodes; mimalloc
/// serves them markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let code = xtask::run(
        std::env::args().skip(1),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
