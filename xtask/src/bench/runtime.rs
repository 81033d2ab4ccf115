//! The `runtime` section: runs the SDK's bench binary (`sdk-tests/benches/runtime.rs`:
//! encode, decode and a full call against hand-written `serde_json` and raw `reqwest`) and
//! tabulates the JSON lines it prints.

use std::io::Write;
use std::process::Command;

use serde_json::Value;

use super::{Options, Report, cargo, run_tool};

/// The `runtime` section.
pub(super) fn section(
    options: &Options,
    report: &mut Report<'_>,
    err: &mut dyn Write,
) -> Result<(), String> {
    let runs = options.runs.unwrap_or(7).to_string();
    let _ = writeln!(err, "bench: runtime: building and running the bench binary");
    let output = run_tool(
        Command::new(cargo())
            .args([
                "bench",
                "--quiet",
                "-p",
                "b24-sdk-tests",
                "--bench",
                "runtime",
                "--",
                "--runs",
                &runs,
            ])
            .current_dir(&options.root),
    )?;
    let mut table = String::from(
        "### Runtime: SDK against hand-written `serde_json` and raw `reqwest` (ns per operation)\n\n\
         | case | SDK, median (min–max) | hand-written, median (min–max) | ratio of medians |\n\
         |---|---|---|---:|\n",
    );
    let mut cases = 0;
    let mut connections = String::new();
    for line in output.lines().filter(|line| line.starts_with('{')) {
        let value: Value = serde_json::from_str(line)
            .map_err(|e| format!("the runtime bench printed `{line}`: {e}"))?;
        report.record(&value)?;
        if value["bench"] == "runtime-connections" {
            connections = format!(
                "New connections per 100 calls: SDK {}, hand-written {} (both keep the connection alive).\n",
                value["sdk_new_connections"], value["baseline_new_connections"]
            );
            continue;
        }
        let cell = |side: &str| {
            format!(
                "{:.0} ({:.0}–{:.0})",
                value[side]["median"].as_f64().unwrap_or_default(),
                value[side]["min"].as_f64().unwrap_or_default(),
                value[side]["max"].as_f64().unwrap_or_default()
            )
        };
        table.push_str(&format!(
            "| {} | {} | {} | {:.2}× |\n",
            value["case"].as_str().unwrap_or("?"),
            cell("sdk_ns"),
            cell("baseline_ns"),
            value["ratio"].as_f64().unwrap_or_default()
        ));
        cases += 1;
    }
    if cases == 0 {
        return Err(format!(
            "the runtime bench printed no measurement:\n{output}"
        ));
    }
    table.push('\n');
    table.push_str(&connections);
    report.table(&table)
}
