//! Generation benchmarks: the generator's phases (load, validate, model, emit, format, write)
//! timed on one synthetic spec set, in this process, with its peak memory.
//!
//! The orchestrator ([`super`]) runs each measurement in a fresh process of the optimised
//! xtask, so that the peak memory of one set is not that of an earlier, larger one.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::synthetic;
use crate::{Mode, Writer};

/// The phases of one generation, in pipeline order.
pub const PHASES: &[&str] = &["load", "validate", "model", "emit", "format", "write"];

/// One generation of a synthetic set, measured.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerationRun {
    /// Methods in the set.
    pub methods: usize,
    /// Threads emission ran on.
    pub threads: usize,
    /// Seconds per phase, in [`PHASES`] order.
    pub phases: Vec<f64>,
    /// Files written.
    pub files: usize,
    /// Lines of the files written.
    pub lines: usize,
    /// Bytes of the files written.
    pub bytes: usize,
    /// The process's peak resident memory, in bytes (0 where the system does not say).
    pub peak_memory: u64,
}

impl GenerationRun {
    /// Wall time of the whole generation: the sum of the phases.
    pub fn total(&self) -> f64 {
        self.phases.iter().sum()
    }

    /// The run as one JSON object (what `bench gen-once` prints).
    pub fn to_json(&self) -> Value {
        let phases: serde_json::Map<String, Value> = PHASES
            .iter()
            .zip(&self.phases)
            .map(|(name, seconds)| ((*name).to_owned(), json!(seconds)))
            .collect();
        json!({
            "bench": "gen-once",
            "methods": self.methods,
            "threads": self.threads,
            "total_s": self.total(),
            "phases_s": phases,
            "files": self.files,
            "lines": self.lines,
            "bytes": self.bytes,
            "peak_memory_bytes": self.peak_memory,
        })
    }

    /// Reads what [`GenerationRun::to_json`] wrote.
    pub fn from_json(value: &Value) -> Option<GenerationRun> {
        let phases = PHASES
            .iter()
            .map(|name| value["phases_s"][name].as_f64())
            .collect::<Option<Vec<f64>>>()?;
        Some(GenerationRun {
            methods: usize::try_from(value["methods"].as_u64()?).ok()?,
            threads: usize::try_from(value["threads"].as_u64()?).ok()?,
            phases,
            files: usize::try_from(value["files"].as_u64()?).ok()?,
            lines: usize::try_from(value["lines"].as_u64()?).ok()?,
            bytes: usize::try_from(value["bytes"].as_u64()?).ok()?,
            peak_memory: value["peak_memory_bytes"].as_u64()?,
        })
    }
}

/// Generates a synthetic set of `methods` methods made from the specs under `root` (emitting
/// on up to `threads` threads), timing each phase; writes the files into `scratch` (emptied
/// first, removed after).
pub(super) fn run_once(
    root: &Path,
    methods: usize,
    threads: usize,
    scratch: &Path,
) -> Result<GenerationRun, String> {
    let inputs = synthetic::spec_files(root, methods)?;
    let specs_failed = |errors: Vec<b24_codegen::SpecError>| {
        let shown: Vec<String> = errors.iter().take(5).map(ToString::to_string).collect();
        format!(
            "the synthetic specs are invalid ({} errors):\n{}",
            errors.len(),
            shown.join("\n")
        )
    };

    let started = Instant::now();
    let specs = b24_codegen::load_files(inputs).map_err(specs_failed)?;
    let load = started.elapsed();

    let started = Instant::now();
    b24_codegen::validate::validate(&specs).map_err(specs_failed)?;
    let validate = started.elapsed();

    let started = Instant::now();
    let model = b24_codegen::model::build(&specs).map_err(specs_failed)?;
    let model_time = started.elapsed();

    drop(specs);

    let emitted = emit_and_write(&model, threads, scratch)?;
    Ok(GenerationRun {
        methods,
        threads: b24_codegen::emit::worker_threads(&model, threads),
        phases: [load, validate, model_time]
            .iter()
            .chain(&emitted.phases)
            .map(Duration::as_secs_f64)
            .collect(),
        files: emitted.files,
        lines: emitted.lines,
        bytes: emitted.bytes,
        peak_memory: peak_memory(),
    })
}

/// What one emission wrote, and its emit, format and write phases.
struct Emitted {
    files: usize,
    lines: usize,
    bytes: usize,
    phases: [Duration; 3],
}

/// Emits every file of `model` on up to `threads` threads and writes them into `scratch`
/// (emptied first, removed after), timing the phases.
fn emit_and_write(
    model: &b24_codegen::model::Model,
    threads: usize,
    scratch: &Path,
) -> Result<Emitted, String> {
    // Emission, formatting and writing overlap: threads build and format files while the
    // calling thread writes each one as it comes (as `cargo xtask gen` does).
    remove_dir_if_present(scratch)?;
    let started = Instant::now();
    let (mut files, mut lines, mut bytes) = (0, 0, 0);
    let mut writing = Duration::ZERO;
    let mut writer = Writer::new(scratch, Mode::Write);
    let mut write = |file: b24_codegen::GeneratedFile| {
        files += 1;
        lines += file.contents.lines().count();
        bytes += file.contents.len();
        let written = Instant::now();
        let outcome = writer.accept(file).map_err(|failure| failure.to_string());
        writing += written.elapsed();
        outcome
    };
    let busy = BusyClock::default();
    b24_codegen::emit::emit_each_with(
        model,
        threads,
        |job| busy.time(|| job.run()),
        |_, built| built.into_iter().try_for_each(&mut write),
    )?;
    let schema = busy.time(b24_codegen::schema::files);
    schema.into_iter().try_for_each(&mut write)?;
    let finishing = Instant::now();
    writer.finish().map_err(|failure| failure.to_string())?;
    writing += finishing.elapsed();
    let wall = started.elapsed();
    let formatting = formatting_time(scratch)?;
    remove_dir_if_present(scratch)?;
    let building = busy.total().saturating_sub(formatting);
    Ok(Emitted {
        files,
        lines,
        bytes,
        phases: split_wall(wall, [building, formatting, writing]),
    })
}

/// The time the emission threads spent building files (tokens, formatting, JSON), summed
/// over the threads, not counting time spent waiting for the writer.
#[derive(Default)]
struct BusyClock {
    nanos: AtomicU64,
}

impl BusyClock {
    fn time<T>(&self, job: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let result = job();
        let spent = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.nanos.fetch_add(spent, Ordering::Relaxed);
        result
    }

    fn total(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::Relaxed))
    }
}

/// The format phase, measured apart so that no clock runs inside the generator: every Rust
/// file written under `dir` is lexed back into tokens (off the clock) and formatted again by
/// [`b24_codegen::emit::format`], the function emission formats with. A formatted file
/// formats to itself, so this is the work emission did, on the same items and docs.
fn formatting_time(dir: &Path) -> Result<Duration, String> {
    let mut total = Duration::ZERO;
    for path in rust_files(dir)? {
        let text = fs::read_to_string(&path)
            .map_err(|err| format!("cannot read `{}`: {err}", path.display()))?;
        let tokens: proc_macro2::TokenStream = text
            .parse()
            .map_err(|err| format!("`{}` does not lex: {err}", path.display()))?;
        let started = Instant::now();
        b24_codegen::emit::format(tokens)
            .map_err(|err| format!("`{}` does not parse: {err}", path.display()))?;
        total += started.elapsed();
    }
    Ok(total)
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut pending = vec![dir.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = pending.pop() {
        let entries =
            fs::read_dir(&dir).map_err(|err| format!("cannot read `{}`: {err}", dir.display()))?;
        for entry in entries {
            let path = entry
                .map_err(|err| format!("cannot read `{}`: {err}", dir.display()))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                found.push(path);
            }
        }
    }
    Ok(found)
}

/// Emission, formatting and writing run at the same time (on more threads than cores): the
/// wall time is split between them by their shares of the time spent in each.
fn split_wall(wall: Duration, parts: [Duration; 3]) -> [Duration; 3] {
    let total: f64 = parts.iter().map(Duration::as_secs_f64).sum();
    parts.map(|part| {
        if total == 0.0 {
            Duration::ZERO
        } else {
            wall.mul_f64(part.as_secs_f64() / total)
        }
    })
}

/// A scratch folder for one process's generated files: in memory (`/dev/shm`) where there is
/// one, so that the write phase measures xtask's writing and not the disk's journal. (On
/// ext4, creating thousands of files where as many were deleted seconds before, as repeated
/// runs do, costs 2 to 5 times more from one run to the next.)
pub(super) fn scratch_dir() -> PathBuf {
    let shared_memory = Path::new("/dev/shm");
    let base = if shared_memory.is_dir() {
        shared_memory.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    base.join(format!("b24-bench-gen-{}", std::process::id()))
}

fn remove_dir_if_present(dir: &Path) -> Result<(), String> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(format!("cannot remove `{}`: {err}", dir.display())),
    }
}

/// This process's peak resident memory (`VmHWM` of `/proc/self/status`), in bytes; 0 where
/// there is no such file.
pub(super) fn peak_memory() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .map_or(0, |kib: u64| kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_reports_every_phase_and_round_trips_as_json() {
        let scratch = scratch_dir().with_extension("test");
        let run = run_once(&crate::default_root(), 3, 2, &scratch).expect("generation runs");
        assert_eq!(run.phases.len(), PHASES.len());
        assert!(run.files > 3 && run.lines > 100 && run.bytes > run.lines);
        assert!(!scratch.exists(), "the scratch folder is removed");
        assert_eq!(GenerationRun::from_json(&run.to_json()), Some(run));
    }
}
