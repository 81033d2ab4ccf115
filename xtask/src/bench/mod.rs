//! `cargo xtask bench`: measures generation scale, the drift check, the compile cost of the
//! generated crate and the runtime overhead of the client, and prints them as tables or as
//! JSON lines (`--json`). The latest tables live in `BENCHMARKS.md`.
//!
//! Every figure is the median of several runs with its spread (min–max). Timings of the
//! generator come from the optimised xtask, each run in a fresh process.

mod compile;
mod generation;
mod list;
mod machine;
mod runtime;
mod stats;
mod synthetic;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Value, json};

pub use generation::{GenerationRun, PHASES};
pub use stats::Sample;

/// Help for `cargo xtask bench`.
pub const USAGE: &str = "\
usage: cargo xtask bench [SECTION...] [--methods N[,N...]] [--runs N] [--threads N] [--json] [--root DIR]

sections (default: all of them, in this order):
  gen       generation of synthetic spec sets (default sizes 1,10,100,1000,10000)
  drift     `cargo xtask gen --check` on the real spec/
  compile   cargo check / cargo build of the generated crate (default sizes 1,100,1000)
  deps      crates a downstream crate pulls in, and its cold build
  runtime   encode/decode and a full call against hand-written serde_json + reqwest
  list      reading 10,000 records (3 fields selected) from the mock portal at the default
            rate limit, by each strategy of read_all and by plain `start` paging (HTTP
            requests, wall time), then 100,000 records (peak heap); about 4 minutes

--methods N,...   sizes for gen and compile (e.g. --methods 1000 runs that size alone)
--threads N       threads the generator emits on (default: all cores)
--runs N          runs per measurement (default: 5 for gen, drift and runtime, 3 for
                  compile, 1 for the cold build of deps)
--quick           list: leave out the strategies that send one page a request
--json            print each measurement as one JSON line instead of tables
";

/// What `cargo xtask bench` measures and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Workspace root.
    pub root: PathBuf,
    /// Sections to run, in order.
    pub sections: Vec<Section>,
    /// Sizes for `gen` and `compile`; their defaults when `None`.
    pub methods: Option<Vec<usize>>,
    /// Runs per measurement; the section's default when `None`.
    pub runs: Option<usize>,
    /// Threads the generator emits on; all cores when `None`.
    pub threads: Option<usize>,
    /// Print JSON lines instead of tables.
    pub json: bool,
    /// `list`: leave out the strategies that send one page a request (about 80 s each).
    pub quick: bool,
}

/// A part of the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Generation of synthetic spec sets.
    Gen,
    /// `cargo xtask gen --check` on the real specs.
    Drift,
    /// `cargo check` and `cargo build` of the generated crate.
    Compile,
    /// Downstream dependency count and cold build.
    Deps,
    /// Client overhead against hand-written baselines.
    Runtime,
    /// Reading whole lists from the mock portal under the default rate limit.
    List,
}

impl Section {
    const ALL: [Section; 6] = [
        Section::Gen,
        Section::Drift,
        Section::Compile,
        Section::Deps,
        Section::Runtime,
        Section::List,
    ];

    fn parse(name: &str) -> Option<Section> {
        Some(match name {
            "gen" => Section::Gen,
            "drift" => Section::Drift,
            "compile" => Section::Compile,
            "deps" => Section::Deps,
            "runtime" => Section::Runtime,
            "list" => Section::List,
            _ => return None,
        })
    }
}

/// What the `bench` arguments ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BenchCommand {
    /// Run sections.
    Run(Options),
    /// One generation of `methods` methods in this process, printed as one JSON line (what
    /// the `gen` section runs in a fresh process per run).
    GenOnce {
        /// Workspace root.
        root: PathBuf,
        /// Methods in the synthetic set.
        methods: usize,
        /// Threads to emit on.
        threads: usize,
    },
}

/// Parses the arguments that follow `cargo xtask bench`.
pub fn parse_args(
    args: impl Iterator<Item = String>,
    root: PathBuf,
) -> Result<BenchCommand, String> {
    let mut options = Options {
        root,
        sections: Vec::new(),
        methods: None,
        runs: None,
        threads: None,
        json: false,
        quick: false,
    };
    let mut once = false;
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => options.json = true,
            "--quick" => options.quick = true,
            "--root" => {
                options.root = PathBuf::from(args.next().ok_or("`--root` needs a folder")?);
            }
            "--runs" => {
                let runs = args.next().ok_or("`--runs` needs a number")?;
                match runs.parse::<usize>() {
                    Ok(runs) if runs > 0 => options.runs = Some(runs),
                    _ => return Err(format!("`--runs` needs a positive number, not `{runs}`")),
                }
            }
            "--threads" => {
                let threads = args.next().ok_or("`--threads` needs a number")?;
                match threads.parse::<usize>() {
                    Ok(threads) if threads > 0 => options.threads = Some(threads),
                    _ => {
                        return Err(format!(
                            "`--threads` needs a positive number, not `{threads}`"
                        ));
                    }
                }
            }
            "--methods" => {
                let list = args.next().ok_or("`--methods` needs sizes")?;
                let sizes = list
                    .split(',')
                    .map(|size| size.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<Vec<_>, _>>()
                    .ok()
                    .filter(|sizes| !sizes.is_empty() && !sizes.contains(&0))
                    .ok_or_else(|| format!("`--methods` needs positive sizes, not `{list}`"))?;
                options.methods = Some(sizes);
            }
            "gen-once" => once = true,
            other => match Section::parse(other) {
                Some(section) if !options.sections.contains(&section) => {
                    options.sections.push(section);
                }
                Some(_) => {}
                None => return Err(format!("unknown argument to `bench`: `{other}`")),
            },
        }
    }
    if once {
        return match options.methods.as_deref() {
            Some([methods]) => Ok(BenchCommand::GenOnce {
                root: options.root,
                methods: *methods,
                threads: options.threads.unwrap_or_else(all_cores),
            }),
            _ => Err("`bench gen-once` needs exactly one size: `--methods N`".to_owned()),
        };
    }
    if options.sections.is_empty() {
        options.sections = Section::ALL.to_vec();
    }
    Ok(BenchCommand::Run(options))
}

/// Runs a parsed `bench` command; returns the exit code.
pub fn run(command: BenchCommand, out: &mut dyn Write, err: &mut dyn Write) -> io::Result<u8> {
    let result = match command {
        BenchCommand::GenOnce {
            root,
            methods,
            threads,
        } => generation::run_once(&root, methods, threads, &generation::scratch_dir())
            .and_then(|run| writeln!(out, "{}", run.to_json()).map_err(|e| e.to_string())),
        BenchCommand::Run(options) => run_sections(&options, out, err),
    };
    match result {
        Ok(()) => Ok(crate::EXIT_OK),
        Err(problem) => {
            writeln!(err, "error: {problem}")?;
            Ok(crate::EXIT_FAILURE)
        }
    }
}

/// Where measurements go: JSON lines as they come, or tables.
pub struct Report<'a> {
    json: bool,
    out: &'a mut dyn Write,
}

impl Report<'_> {
    /// Prints one measurement as a JSON line (with `--json`).
    pub fn record(&mut self, value: &Value) -> Result<(), String> {
        if self.json {
            writeln!(self.out, "{value}").map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Prints a table (without `--json`).
    pub fn table(&mut self, text: &str) -> Result<(), String> {
        if !self.json {
            writeln!(self.out, "{text}").map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

fn run_sections(options: &Options, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), String> {
    let mut report = Report {
        json: options.json,
        out,
    };
    let machine = machine::describe();
    report.record(&json!({"bench": "machine", "machine": machine.to_json()}))?;
    report.table(&machine.to_markdown())?;
    for section in &options.sections {
        let _ = writeln!(err, "bench: {section:?} (load {})", machine::load_average());
        match section {
            Section::Gen => gen_section(options, &mut report, err)?,
            Section::Drift => drift_section(options, &mut report, err)?,
            Section::Compile => compile::section(options, &mut report, err)?,
            Section::Deps => compile::deps_section(options, &mut report, err)?,
            Section::Runtime => runtime::section(options, &mut report, err)?,
            Section::List => list::section(options, &mut report, err)?,
        }
    }
    let _ = writeln!(err, "bench: done (load {})", machine::load_average());
    Ok(())
}

/// Default sizes of the generation benchmark.
const GEN_SIZES: &[usize] = &[1, 10, 100, 1_000, 10_000];

fn gen_section(
    options: &Options,
    report: &mut Report<'_>,
    err: &mut dyn Write,
) -> Result<(), String> {
    let xtask = optimised_xtask(&options.root, err)?;
    let sizes = options
        .methods
        .clone()
        .unwrap_or_else(|| GEN_SIZES.to_vec());
    let runs = options.runs.unwrap_or(5);
    let threads = options.threads.unwrap_or_else(all_cores);
    let mut rows = Vec::new();
    let mut previous: Option<f64> = None;
    for &methods in &sizes {
        let mut samples: Vec<GenerationRun> = Vec::new();
        // One warm-up run (page cache, allocator), not counted.
        for run in 0..=runs {
            let line = run_tool(
                Command::new(&xtask)
                    .args(["bench", "gen-once", "--methods", &methods.to_string()])
                    .args(["--threads", &threads.to_string(), "--root"])
                    .arg(&options.root),
            )?;
            let value: Value = serde_json::from_str(line.trim())
                .map_err(|e| format!("`bench gen-once` printed `{line}`: {e}"))?;
            let sample = GenerationRun::from_json(&value)
                .ok_or_else(|| format!("`bench gen-once` printed `{line}`"))?;
            if run > 0 {
                samples.push(sample);
            }
        }
        let total = Sample::of(samples.iter().map(GenerationRun::total));
        let phases: Vec<Sample> = (0..PHASES.len())
            .map(|phase| Sample::of(samples.iter().map(|run| run.phases[phase])))
            .collect();
        let peak = Sample::of(samples.iter().map(|run| run.peak_memory as f64));
        let first = &samples[0];
        let growth = previous.map(|before| total.median() / before);
        previous = Some(total.median());
        let phase_json: serde_json::Map<String, Value> = PHASES
            .iter()
            .zip(&phases)
            .map(|(name, sample)| ((*name).to_owned(), sample.to_json()))
            .collect();
        report.record(&json!({
            "bench": "gen",
            "methods": methods,
            "threads": threads,
            "total_s": total.to_json(),
            "per_method_s": total.median() / methods as f64,
            "growth": growth,
            "phases_s": phase_json,
            "files": first.files,
            "lines": first.lines,
            "bytes": first.bytes,
            "peak_memory_bytes": peak.to_json(),
        }))?;
        let _ = writeln!(
            err,
            "bench: gen {methods}: {}",
            stats::seconds_spread(&total)
        );
        rows.push((
            methods,
            total,
            phases,
            peak,
            growth,
            first.files,
            first.lines,
        ));
    }
    let mut table = format!(
        "### Generation (optimised xtask, one fresh process per run, emitting on {threads} threads)\n\n\
         | methods | files | lines | total, median (min–max) | per method | growth | load | validate | model | emit | format | write | peak memory |\n\
         |---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (methods, total, phases, peak, growth, files, lines) in rows {
        let phase_cells: Vec<String> = phases
            .iter()
            .map(|sample| stats::seconds(sample.median()))
            .collect();
        table.push_str(&format!(
            "| {methods} | {files} | {lines} | {} | {} | {} | {} | {} |\n",
            stats::seconds_spread(&total),
            stats::seconds(total.median() / methods as f64),
            growth.map_or("—".to_owned(), |g| format!("{g:.1}×")),
            phase_cells.join(" | "),
            megabytes(peak.median()),
        ));
    }
    report.table(&table)
}

fn drift_section(
    options: &Options,
    report: &mut Report<'_>,
    err: &mut dyn Write,
) -> Result<(), String> {
    let runs = options.runs.unwrap_or(5);
    let xtask = optimised_xtask(&options.root, err)?;
    let cargo = cargo();
    let mut rows = Vec::new();
    let commands: [(&str, Command); 2] = [
        ("cargo xtask gen --check", {
            let mut command = Command::new(&cargo);
            command
                .args(["xtask", "gen", "--check"])
                .current_dir(&options.root);
            command
        }),
        ("xtask gen --check (optimised binary alone)", {
            let mut command = Command::new(&xtask);
            command
                .args(["gen", "--check", "--root"])
                .arg(&options.root);
            command
        }),
    ];
    for (label, mut command) in commands {
        let mut sample = Sample::default();
        let mut up_to_date = true;
        for run in 0..=runs {
            let started = Instant::now();
            let output = command
                .output()
                .map_err(|e| format!("cannot run {command:?}: {e}"))?;
            // Exit 1 is drift found: the check ran all the same.
            match output.status.code() {
                Some(0) => {}
                Some(1) => up_to_date = false,
                _ => {
                    return Err(format!(
                        "{command:?} failed ({}):\n{}",
                        output.status,
                        String::from_utf8_lossy(&output.stderr)
                    ));
                }
            }
            if run > 0 {
                sample.push(started.elapsed().as_secs_f64());
            }
        }
        report.record(&json!({
            "bench": "drift",
            "command": label,
            "up_to_date": up_to_date,
            "wall_s": sample.to_json(),
        }))?;
        let note = if up_to_date { "" } else { " (drift found)" };
        rows.push(format!(
            "| `{label}`{note} | {} |",
            stats::seconds_spread(&sample)
        ));
    }
    report.table(&format!(
        "### Drift check on the real `spec/`\n\n| command | wall, median (min–max) |\n|---|---|\n{}\n",
        rows.join("\n")
    ))
}

/// The machine's cores (what the generator emits on by default).
fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The cargo that runs us (`$CARGO`), or `cargo`.
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// The optimised xtask binary: this one if it is optimised, else built with `--release`.
fn optimised_xtask(root: &Path, err: &mut dyn Write) -> Result<PathBuf, String> {
    if !cfg!(debug_assertions) {
        return std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"));
    }
    let _ = writeln!(err, "bench: building the optimised xtask");
    let output = run_tool(
        Command::new(cargo())
            .args([
                "build",
                "--release",
                "--quiet",
                "-p",
                "xtask",
                "--message-format=json",
            ])
            .current_dir(root),
    )?;
    output
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["target"]["name"] == "xtask")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "`cargo build --release -p xtask` named no xtask binary".to_owned())
}

/// Runs `command`, returns its standard output; fails with its standard error.
pub fn run_tool(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Bytes as `123 MB` (10^6).
pub fn megabytes(bytes: f64) -> String {
    format!("{:.0} MB", bytes / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<BenchCommand, String> {
        parse_args(
            args.iter().map(|arg| (*arg).to_owned()),
            PathBuf::from("/r"),
        )
    }

    #[test]
    fn parses_bench_command_lines() {
        let Ok(BenchCommand::Run(all)) = parse(&[]) else {
            panic!("no arguments run everything")
        };
        assert_eq!(all.sections, Section::ALL);
        assert!(!all.json);

        let Ok(BenchCommand::Run(one)) =
            parse(&["gen", "--methods", "1_000", "--json", "--runs", "3"])
        else {
            panic!("one size of one section")
        };
        assert_eq!(one.sections, [Section::Gen]);
        assert_eq!(one.methods, Some(vec![1000]));
        assert_eq!(one.runs, Some(3));
        assert!(one.json);

        assert_eq!(
            parse(&["gen-once", "--methods", "10"]),
            Ok(BenchCommand::GenOnce {
                root: PathBuf::from("/r"),
                methods: 10,
                threads: all_cores(),
            })
        );
        assert!(parse(&["gen-once"]).is_err());
        assert!(parse(&["gen", "--methods", "0"]).is_err());
        assert!(parse(&["--runs", "0"]).is_err());
        assert!(parse(&["speed"]).is_err());
    }
}
