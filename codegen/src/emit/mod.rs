//! Emission: the model in, generated files out. Pure; nothing here touches the disk.
//!
//! Every Rust file is built as a token stream with `quote!`, parsed into a `syn::File` and
//! printed with `prettyplease`, then headed with [`crate::GENERATED_MARKER`]. Data that is
//! not code (the command line's method catalogue) is serialised with `serde_json` instead.

mod batch;
mod cli;
mod docs;
mod event;
mod method;
mod mock;
mod modules;
mod shared;
mod types;

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

use crate::model::{Event, Method, Model, Scope};
use crate::{GENERATED_MARKER, GeneratedFile};

/// Folder of the generated API modules, relative to the workspace root.
pub const API_DIR: &str = "generated/src/api";

/// Every generated file of the model, built on as many threads as the machine has.
pub fn emit(model: &Model) -> Vec<GeneratedFile> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    emit_on(model, threads, false).0
}

/// How [`emit_timed`] spent its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmitTiming {
    /// Wall time of the whole emission.
    pub wall: Duration,
    /// Time the threads spent in total, building tokens and formatting.
    pub busy: Duration,
    /// Of `busy`, the time spent formatting: parsing the tokens into a `syn::File` and
    /// printing it with `prettyplease`.
    pub formatting: Duration,
    /// Threads used.
    pub threads: usize,
}

/// [`emit`] on at most `threads` threads, also saying where the time went, for
/// `cargo xtask bench`'s per-phase report. Same output as [`emit`], whatever `threads` is;
/// `emit` itself never reads the clock.
pub fn emit_timed(model: &Model, threads: usize) -> (Vec<GeneratedFile>, EmitTiming) {
    let started = Instant::now();
    let (files, mut timing) = emit_on(model, threads, true);
    timing.wall = started.elapsed();
    (files, timing)
}

/// One file to build: each is independent of the others, so they are built in parallel.
enum Job<'a> {
    ApiRoot,
    Shared,
    Batch,
    Mock,
    Cli,
    ScopeRoot(&'a Scope),
    Method(&'a Scope, &'a Method),
    Event(&'a Scope, &'a Event),
}

impl Job<'_> {
    fn run(&self, model: &Model) -> Vec<GeneratedFile> {
        match self {
            Job::ApiRoot => vec![modules::api_root(model)],
            Job::Shared => shared::files(model),
            Job::Batch => vec![batch::file(model)],
            Job::Mock => vec![mock::file(model)],
            Job::Cli => cli::files(model),
            Job::ScopeRoot(scope) => vec![modules::scope_root(scope)],
            Job::Method(scope, method) => vec![method::file(model, scope, method)],
            Job::Event(scope, event) => vec![event::file(model, scope, event)],
        }
    }
}

/// Builds every file on up to `threads` threads, each taking the next job in turn; the
/// files come out in job order, so the output never depends on scheduling.
fn emit_on(model: &Model, threads: usize, measure: bool) -> (Vec<GeneratedFile>, EmitTiming) {
    // The files that grow with every method (mock answers, the CLI table) come first, so
    // that the longest jobs do not start last.
    let mut jobs = vec![Job::Mock, Job::Cli, Job::ApiRoot, Job::Shared, Job::Batch];
    for scope in &model.scopes {
        jobs.push(Job::ScopeRoot(scope));
        jobs.extend(
            scope
                .methods
                .iter()
                .map(|method| Job::Method(scope, method)),
        );
        jobs.extend(scope.events.iter().map(|event| Job::Event(scope, event)));
    }
    let threads = threads.clamp(1, jobs.len());
    let next = AtomicUsize::new(0);
    let work = || {
        if measure {
            FORMAT_CLOCK.with(|clock| clock.set(Some(Duration::ZERO)));
        }
        let started = Instant::now();
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(index) else { break };
            done.push((index, job.run(model)));
        }
        let formatting = FORMAT_CLOCK.with(Cell::take).unwrap_or_default();
        (done, started.elapsed(), formatting)
    };
    let results = if threads == 1 {
        vec![work()]
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
            workers
                .into_iter()
                .map(|worker| match worker.join() {
                    Ok(result) => result,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        })
    };
    let mut timing = EmitTiming {
        threads,
        ..EmitTiming::default()
    };
    let mut built = Vec::with_capacity(jobs.len());
    for (done, busy, formatting) in results {
        timing.busy += busy;
        timing.formatting += formatting;
        built.extend(done);
    }
    built.sort_unstable_by_key(|(index, _)| *index);
    let files = built.into_iter().flat_map(|(_, files)| files).collect();
    (files, timing)
}

thread_local! {
    /// Formatting time on this thread while [`emit_timed`] measures; `None` (and the clock
    /// never read) otherwise.
    static FORMAT_CLOCK: Cell<Option<Duration>> = const { Cell::new(None) };
}

/// Formats `tokens` as the file `path`, generated from `from`.
fn render(path: String, from: &str, tokens: TokenStream) -> GeneratedFile {
    let started = FORMAT_CLOCK.with(Cell::get).map(|_| Instant::now());
    let file: syn::File = match syn::parse2(tokens) {
        Ok(file) => file,
        // The emitter builds every token stream itself from validated names: a parse
        // failure is a bug in this crate, never a fault of the spec.
        Err(error) => panic!("b24-codegen emitted invalid Rust for {path}: {error}"),
    };
    let mut contents = format!("// {GENERATED_MARKER} from {from}. Do not edit.\n\n");
    contents.push_str(&prettyplease::unparse(&file));
    if let Some(started) = started {
        let spent = started.elapsed();
        FORMAT_CLOCK.with(|clock| clock.set(clock.get().map(|total| total + spent)));
    }
    GeneratedFile { path, contents }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn output_does_not_depend_on_the_thread_count() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace root");
        let specs = crate::load_dir(root).expect("the real specs load");
        let model = crate::model::build(&specs).expect("the real specs resolve");
        let (one, timing) = emit_timed(&model, 1);
        assert_eq!(timing.threads, 1);
        assert!(timing.formatting <= timing.busy);
        let (three, timing) = emit_timed(&model, 3);
        assert_eq!(timing.threads, 3);
        assert_eq!(one, three);
        assert_eq!(one, emit(&model));
    }
}
