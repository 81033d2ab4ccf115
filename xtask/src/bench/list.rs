//! The `list` section: runs the runtime's example `read_all_bench` (release, feature `mock`):
//! 10,000 records with three fields selected read from the mock portal under the default rate
//! limit by each strategy of `Client::read_all` and by plain `start` paging, then 100,000
//! records by the fastest one, and passes its table on (HTTP requests, wall time, the rate
//! limiter's waits, the portal's own answer time, peak heap).

use std::io::Write;
use std::process::Command;

use serde_json::json;

use super::{Options, Report, cargo, run_tool};

/// The `list` section.
pub(super) fn section(
    options: &Options,
    report: &mut Report<'_>,
    err: &mut dyn Write,
) -> Result<(), String> {
    let _ = writeln!(
        err,
        "bench: list: building and running read_all_bench{} (minutes: the rate limit is real)",
        if options.quick { " --quick" } else { "" }
    );
    let mut command = Command::new(cargo());
    command
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "b24-rest-runtime",
            "--features",
            "mock",
            "--example",
            "read_all_bench",
            "--",
        ])
        .current_dir(&options.root);
    if options.quick {
        command.arg("--quick");
    }
    let output = run_tool(&mut command)?;
    let rows: Vec<&str> = output
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| strategy"))
        .collect();
    if rows.is_empty() {
        return Err(format!("read_all_bench printed no measurement:\n{output}"));
    }
    for row in &rows {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        report.record(&json!({"bench": "list", "cells": cells}))?;
    }
    let mut table = String::from("### Reading whole lists (`Client::read_all`)\n\n");
    table.push_str(output.trim_end());
    table.push('\n');
    report.table(&table)
}
