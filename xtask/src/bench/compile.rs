//! Compile-cost benchmarks: `cargo check` and `cargo build` of the generated crate made from
//! synthetic spec sets (in a scratch workspace with copies of the hand-written runtime and
//! contract crates), with
//! rustc's peak memory; and what a downstream crate pulls in and costs to build cold.
//!
//! Dependencies are built once first; each measured run cleans only `b24-rest` and builds it
//! with `CARGO_INCREMENTAL=0`, so the figures are full builds of the crate, not touched
//! rebuilds that incremental caches would make look cheap.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

use super::stats::{self, Sample};
use super::{Options, Report, cargo, megabytes, run_tool, synthetic};

/// Default sizes of the compile benchmark.
const COMPILE_SIZES: &[usize] = &[1, 100, 1_000];

/// The package measured.
const PACKAGE: &str = "b24-rest";

/// The hand-written crates the generated one depends on by path, copied beside it.
const RUNTIME_CRATES: [&str; 2] = ["runtime", "contract"];

/// Scratch space of the compile benchmarks, in the target folder so that dependency builds
/// are kept between runs.
fn bench_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("b24-bench")
}

/// The `compile` section.
pub(super) fn section(
    options: &Options,
    report: &mut Report<'_>,
    err: &mut dyn Write,
) -> Result<(), String> {
    let sizes = options
        .methods
        .clone()
        .unwrap_or_else(|| COMPILE_SIZES.to_vec());
    let runs = options.runs.unwrap_or(3);
    let work = bench_dir(&options.root).join("compile");
    let mut rows = Vec::new();
    for &methods in &sizes {
        let lines = prepare_crate(&options.root, &work, methods)?;
        let _ = writeln!(err, "bench: compile {methods}: building dependencies");
        for step in ["check", "build"] {
            run_tool(&mut cargo_in(&work, &[step, "-p", PACKAGE]))?;
        }
        let mut results = Vec::new();
        for step in ["check", "build"] {
            let mut wall = Sample::default();
            let mut memory = Sample::default();
            for _ in 0..runs {
                run_tool(&mut cargo_in(&work, &["clean", "-p", PACKAGE, "--quiet"]))?;
                let measured = timed(&mut cargo_in(&work, &[step, "-p", PACKAGE]))?;
                wall.push(measured.wall);
                memory.push(measured.peak_memory as f64);
            }
            let _ = writeln!(
                err,
                "bench: compile {methods}: cargo {step} {}",
                stats::seconds_spread(&wall)
            );
            report.record(&json!({
                "bench": "compile",
                "methods": methods,
                "command": format!("cargo {step}"),
                "lines": lines,
                "wall_s": wall.to_json(),
                "peak_memory_bytes": memory.to_json(),
            }))?;
            results.push((wall, memory));
        }
        rows.push((methods, lines, results));
    }
    let mut table = String::from(
        "### Compile cost of the generated crate (`CARGO_INCREMENTAL=0`, dependencies built, `cargo clean -p b24-rest` before each run)\n\n\
         | methods | lines of `api/` | `cargo check`, median (min–max) | peak memory | `cargo build`, median (min–max) | peak memory |\n\
         |---:|---:|---|---:|---|---:|\n",
    );
    for (methods, lines, results) in rows {
        table.push_str(&format!("| {methods} | {lines} |"));
        for (wall, memory) in results {
            table.push_str(&format!(
                " {} | {} |",
                stats::seconds_spread(&wall),
                megabytes(memory.median())
            ));
        }
        table.push('\n');
    }
    report.table(&table)
}

/// The `deps` section: crates a downstream crate pulls in with default features, and its
/// cold build (every dependency from scratch).
pub(super) fn deps_section(
    options: &Options,
    report: &mut Report<'_>,
    err: &mut dyn Write,
) -> Result<(), String> {
    let runs = options.runs.unwrap_or(1);
    let work = bench_dir(&options.root).join("downstream");
    prepare_downstream(&options.root, &work)?;
    let tree = run_tool(&mut cargo_in(
        &work,
        &["tree", "-e", "normal", "--prefix", "none"],
    ))?;
    let mut crates: Vec<&str> = tree
        .lines()
        .map(|line| line.trim_end_matches(" (*)").trim())
        .filter(|line| !line.is_empty())
        .collect();
    crates.sort_unstable();
    crates.dedup();
    // The downstream crate itself is not pulled in.
    let pulled_in = crates.len().saturating_sub(1);

    let mut wall = Sample::default();
    let mut memory = Sample::default();
    let mut slowest = Vec::new();
    for run in 0..runs {
        let _ = writeln!(err, "bench: deps: cold build {}/{runs}", run + 1);
        run_tool(&mut cargo_in(&work, &["clean", "--quiet"]))?;
        let measured = timed(&mut cargo_in(&work, &["build", "--timings"]))?;
        wall.push(measured.wall);
        memory.push(measured.peak_memory as f64);
        slowest = slowest_units(&work.join("target/cargo-timings/cargo-timing.html"));
    }
    let slowest_json: Vec<Value> = slowest
        .iter()
        .map(|(name, seconds)| json!({"unit": name, "seconds": seconds}))
        .collect();
    report.record(&json!({
        "bench": "deps",
        "crates_pulled_in": pulled_in,
        "cold_build_s": wall.to_json(),
        "peak_memory_bytes": memory.to_json(),
        "slowest_units": slowest_json,
    }))?;
    let slowest_text: Vec<String> = slowest
        .iter()
        .map(|(name, seconds)| format!("{name} {seconds:.1} s"))
        .collect();
    report.table(&format!(
        "### A downstream crate (`b24-rest` with default features)\n\n\
         | crates pulled in (`cargo tree -e normal`) | cold `cargo build` (`CARGO_INCREMENTAL=0`), median (min–max) | peak memory | slowest units (of the last run) |\n\
         |---:|---|---:|---|\n| {pulled_in} | {} | {} | {} |\n",
        stats::seconds_spread(&wall),
        megabytes(memory.median()),
        slowest_text.join(", ")
    ))
}

/// Writes a scratch workspace: the generated crate (every file of it, manifest included) with
/// the API of `methods` synthetic methods, beside copies of the runtime and contract crates
/// it depends on; returns the line count of its generated `api/` files.
fn prepare_crate(root: &Path, work: &Path, methods: usize) -> Result<usize, String> {
    let specs = b24_codegen::load_files(synthetic::spec_files(root, methods)?)
        .map_err(|errors| format!("synthetic specs: {} errors", errors.len()))?;
    let files = b24_codegen::generate(&specs)
        .map_err(|errors| format!("synthetic specs: {} errors", errors.len()))?;

    for hand_written in RUNTIME_CRATES {
        remove_if_present(&work.join(hand_written))?;
        copy_tree(
            &root.join(hand_written),
            &work.join(hand_written),
            &["target"],
        )?;
    }
    let crate_dir = work.join("generated");
    remove_if_present(&crate_dir)?;
    let mut lines = 0;
    for file in &files {
        let Some(relative) = file.path.strip_prefix("generated/") else {
            continue;
        };
        if relative.starts_with("src/api/") {
            lines += file.contents.lines().count();
        }
        write_file(&crate_dir.join(relative), file.contents.as_bytes())?;
    }
    let mut members = vec!["generated"];
    members.extend(RUNTIME_CRATES);
    write_file(
        &work.join("Cargo.toml"),
        workspace_of(root, &members)?.as_bytes(),
    )?;
    fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(lines)
}

/// A crate that depends on the real `generated/` with default features.
fn prepare_downstream(root: &Path, work: &Path) -> Result<(), String> {
    let generated = root.join("generated");
    let manifest = format!(
        "[package]\nname = \"downstream\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nb24-rest = {{ path = {:?} }}\n\n[workspace]\n",
        generated.display().to_string()
    );
    write_file(&work.join("Cargo.toml"), manifest.as_bytes())?;
    write_file(
        &work.join("src/main.rs"),
        b"fn main() {\n    let client = b24_rest::Client::webhook(\"https://example.bitrix24.com/rest/1/code/\");\n    println!(\"{}\", client.is_ok());\n}\n",
    )?;
    fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(())
}

/// The workspace manifest of `root` with `members` as its only members.
fn workspace_of(root: &Path, members: &[&str]) -> Result<String, String> {
    let manifest = read(&root.join("Cargo.toml"))?;
    let mut found = false;
    let quoted: Vec<String> = members.iter().map(|member| format!("{member:?}")).collect();
    let text: Vec<String> = manifest
        .lines()
        .map(|line| {
            if line.starts_with("members = ") {
                found = true;
                format!("members = [{}]", quoted.join(", "))
            } else {
                line.to_owned()
            }
        })
        .collect();
    if found {
        Ok(text.join("\n") + "\n")
    } else {
        Err("the workspace Cargo.toml has no `members = ` line".to_owned())
    }
}

/// A cargo command in `work`, with its own target folder and no incremental compilation.
fn cargo_in(work: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(cargo());
    command
        .args(args)
        .current_dir(work)
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PKG_NAME");
    command
}

/// A measured command: wall time and the peak memory of its largest process.
struct Measured {
    wall: f64,
    peak_memory: u64,
}

/// Runs `command` under `/usr/bin/time -v` when there is one (for the peak memory of the
/// largest process in its tree, which is rustc's), else alone.
fn timed(command: &mut Command) -> Result<Measured, String> {
    let gnu_time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("b24-bench-time-{}.txt", std::process::id()));
    let mut wrapped = if gnu_time.exists() {
        let mut wrapped = Command::new(gnu_time);
        wrapped
            .arg("-v")
            .arg("-o")
            .arg(&report)
            .arg(command.get_program());
        wrapped.args(command.get_args());
        if let Some(dir) = command.get_current_dir() {
            wrapped.current_dir(dir);
        }
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => wrapped.env(key, value),
                None => wrapped.env_remove(key),
            };
        }
        wrapped
    } else {
        std::mem::replace(command, Command::new("true"))
    };
    let started = Instant::now();
    run_tool(&mut wrapped)?;
    let wall = started.elapsed().as_secs_f64();
    let peak_memory = fs::read_to_string(&report)
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| {
                    line.trim()
                        .strip_prefix("Maximum resident set size (kbytes):")
                })
                .and_then(|kib| kib.trim().parse::<u64>().ok())
        })
        .map_or(0, |kib| kib * 1024);
    let _ = fs::remove_file(&report);
    Ok(Measured { wall, peak_memory })
}

/// The five slowest compilation units of a `cargo build --timings` report.
fn slowest_units(report: &Path) -> Vec<(String, f64)> {
    let Ok(html) = fs::read_to_string(report) else {
        return Vec::new();
    };
    let Some(start) = html.find("const UNIT_DATA = ") else {
        return Vec::new();
    };
    let data = &html[start + "const UNIT_DATA = ".len()..];
    let Some(end) = data.find(";\n") else {
        return Vec::new();
    };
    let Ok(Value::Array(units)) = serde_json::from_str::<Value>(&data[..end]) else {
        return Vec::new();
    };
    let mut units: Vec<(String, f64)> = units
        .iter()
        .filter_map(|unit| {
            let name = unit["name"].as_str()?;
            let target = unit["target"].as_str().unwrap_or_default().trim();
            let label = if target.is_empty() {
                name.to_owned()
            } else {
                format!("{name}{target}")
            };
            Some((label, unit["duration"].as_f64()?))
        })
        .collect();
    units.sort_by(|a, b| b.1.total_cmp(&a.1));
    units.truncate(5);
    units
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))
}

fn write_file(path: &Path, contents: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

fn remove_if_present(path: &Path) -> Result<(), String> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove `{}`: {e}", path.display())),
    }
}

/// Copies the files under `from` to `to`, skipping the relative paths in `skip`.
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<(), String> {
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let entries = fs::read_dir(from.join(&relative))
            .map_err(|e| format!("cannot read `{}`: {e}", from.join(&relative).display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", from.display()))?;
            let path = relative.join(entry.file_name());
            if skip.iter().any(|skipped| path == Path::new(skipped)) {
                continue;
            }
            if entry.path().is_dir() {
                pending.push(path);
            } else {
                let contents = fs::read(entry.path())
                    .map_err(|e| format!("cannot read `{}`: {e}", entry.path().display()))?;
                write_file(&to.join(&path), &contents)?;
            }
        }
    }
    Ok(())
}
