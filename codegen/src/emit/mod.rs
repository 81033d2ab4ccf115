//! Emission: the model in, generated files out. Pure; nothing here touches the disk.
//!
//! Every Rust file is built as a token stream with `quote!`, parsed into a `syn::File` and
//! printed with `prettyplease`, then headed with [`crate::GENERATED_MARKER`]. Generated Rust
//! imports nothing: it names everything by absolute path (`paths.rs`). Data that is not code
//! is serialised with `serde_json` into the shapes of `b24_rest_contract` instead: each
//! scope's examples and error forms (`spec_data.rs`) and the command line's method catalogue
//! (`cli.rs`). The crate's manifest, README and licences are text (`package.rs`).

mod batch;
mod cli;
mod docs;
mod event;
mod method;
mod modules;
mod package;
mod paths;
mod shared;
mod spec_data;
mod types;

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;

use crate::model::{Event, Method, Model, Scope};
use crate::{GENERATED_MARKER, GeneratedFile};

/// Folder of the generated API modules, relative to the workspace root.
pub const API_DIR: &str = "generated/src/api";

/// Every generated file of the model, built on as many threads as the machine has, in job
/// order.
pub fn emit(model: &Model) -> Vec<GeneratedFile> {
    collect(model, available_threads(), false).0
}

/// The number of threads emission uses by default: one per core.
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// How [`emit_timed`] spent its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmitTiming {
    /// Wall time of the whole emission.
    pub wall: Duration,
    /// Time the threads spent in total building files (tokens, formatting, JSON), not
    /// counting time spent waiting for the sink.
    pub busy: Duration,
    /// Of `busy`, the time spent formatting: parsing the tokens into a `syn::File` and
    /// printing it with `prettyplease`.
    pub formatting: Duration,
    /// Time the calling thread spent in the sink (writing, for `xtask`), while the worker
    /// threads went on building.
    pub sink: Duration,
    /// Worker threads used.
    pub threads: usize,
}

/// [`emit`] on at most `threads` threads, also saying where the time went, for
/// `cargo xtask bench`'s per-phase report. Same output as [`emit`], whatever `threads` is;
/// only the clocks differ ([`emit_each`] reads none unless asked to measure).
pub fn emit_timed(model: &Model, threads: usize) -> (Vec<GeneratedFile>, EmitTiming) {
    collect(model, threads, true)
}

/// Every file, in job order, with the timing when `measure`.
fn collect(model: &Model, threads: usize, measure: bool) -> (Vec<GeneratedFile>, EmitTiming) {
    let mut built = Vec::new();
    let timing = emit_each(model, threads, measure, |index, files| {
        built.push((index, files));
        Ok::<(), std::convert::Infallible>(())
    });
    let timing = match timing {
        Ok(timing) => timing,
        Err(never) => match never {},
    };
    built.sort_unstable_by_key(|(index, _)| *index);
    let files = built.into_iter().flat_map(|(_, files)| files).collect();
    (files, timing)
}

/// Builds every file of the model on up to `threads` worker threads and hands each job's
/// files to `sink` on the calling thread as soon as they are formatted, with the job's index
/// (files in job order are what [`emit`] returns). Stops at the first error of `sink`.
///
/// At most a few jobs' files wait for the sink at any time, so memory stays that of the
/// model however many methods there are. `measure` turns the clocks of [`EmitTiming`] on.
pub fn emit_each<E>(
    model: &Model,
    threads: usize,
    measure: bool,
    mut sink: impl FnMut(usize, Vec<GeneratedFile>) -> Result<(), E>,
) -> Result<EmitTiming, E> {
    let started = Instant::now();
    let jobs = jobs(model);
    let threads = threads.clamp(1, jobs.len().max(1));
    let mut timing = EmitTiming {
        threads,
        ..EmitTiming::default()
    };
    let next = AtomicUsize::new(0);
    let outcome = std::thread::scope(|scope| {
        // Bounded: a worker that runs ahead of the sink waits instead of piling up files.
        let (sender, receiver) = std::sync::mpsc::sync_channel(threads * 2);
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let sender = sender.clone();
                let (jobs, next) = (&jobs, &next);
                scope.spawn(move || {
                    let mut clock = Clock::start(measure);
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(index) else { break };
                        let files = clock.time(|| job.run(model));
                        // The sink failed and hung up: nothing more is wanted.
                        if sender.send((index, files)).is_err() {
                            break;
                        }
                    }
                    clock.stop()
                })
            })
            .collect();
        drop(sender);
        let mut outcome = Ok(());
        for (index, files) in &receiver {
            let sink_started = measure.then(Instant::now);
            outcome = sink(index, files);
            timing.sink += sink_started
                .map(|started| started.elapsed())
                .unwrap_or_default();
            if outcome.is_err() {
                break;
            }
        }
        drop(receiver);
        for worker in workers {
            match worker.join() {
                Ok((busy, formatting)) => {
                    timing.busy += busy;
                    timing.formatting += formatting;
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        outcome
    });
    outcome?;
    timing.wall = started.elapsed();
    Ok(timing)
}

/// The jobs of one emission, in output order.
fn jobs(model: &Model) -> Vec<Job<'_>> {
    // The files that grow with every method of a scope (its spec data and command line
    // catalogue) come first in each scope, so that the longest jobs do not start last.
    let mut jobs = vec![
        Job::Cli,
        Job::Package,
        Job::ApiRoot,
        Job::Shared,
        Job::Batch,
    ];
    for scope in &model.scopes {
        jobs.push(Job::SpecData(scope));
        jobs.push(Job::CliCatalogue(scope));
        jobs.push(Job::ScopeRoot(scope));
        jobs.extend(
            scope
                .methods
                .iter()
                .map(|method| Job::Method(scope, method)),
        );
        jobs.extend(scope.events.iter().map(|event| Job::Event(scope, event)));
    }
    jobs
}

/// A thread's clocks while [`emit_each`] measures: the time it spent building files (not
/// waiting for the sink) and, through [`FORMAT_CLOCK`], the part of it spent formatting.
/// Reads no clock when not measuring.
struct Clock {
    measuring: bool,
    busy: Duration,
}

impl Clock {
    fn start(measuring: bool) -> Clock {
        if measuring {
            FORMAT_CLOCK.with(|clock| clock.set(Some(Duration::ZERO)));
        }
        Clock {
            measuring,
            busy: Duration::ZERO,
        }
    }

    /// Runs one job, adding its time to the busy time.
    fn time<T>(&mut self, job: impl FnOnce() -> T) -> T {
        if !self.measuring {
            return job();
        }
        let started = Instant::now();
        let result = job();
        self.busy += started.elapsed();
        result
    }

    /// Busy and formatting time; zero when not measuring. Stops the formatting clock.
    fn stop(self) -> (Duration, Duration) {
        let formatting = FORMAT_CLOCK.with(Cell::take).unwrap_or_default();
        (self.busy, formatting)
    }
}

/// One file to build: each is independent of the others, so they are built in parallel.
enum Job<'a> {
    Package,
    ApiRoot,
    Shared,
    Batch,
    Cli,
    CliCatalogue(&'a Scope),
    ScopeRoot(&'a Scope),
    SpecData(&'a Scope),
    Method(&'a Scope, &'a Method),
    Event(&'a Scope, &'a Event),
}

impl Job<'_> {
    fn run(&self, model: &Model) -> Vec<GeneratedFile> {
        match self {
            Job::Package => package::files(model),
            Job::ApiRoot => vec![modules::api_root(model)],
            Job::Shared => shared::files(model),
            Job::Batch => vec![batch::file(model)],
            Job::Cli => vec![cli::code_file(model)],
            Job::CliCatalogue(scope) => vec![cli::scope_file(model, scope)],
            Job::ScopeRoot(scope) => vec![modules::scope_root(scope)],
            Job::SpecData(scope) => vec![spec_data::file(scope)],
            Job::Method(scope, method) => vec![method::file(model, scope, method)],
            Job::Event(scope, event) => vec![event::file(model, scope, event)],
        }
    }
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

    #[test]
    fn streamed_files_are_the_collected_ones_and_a_failing_sink_stops_emission() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the workspace root");
        let collected = crate::generate(&crate::load_dir(root).expect("loads")).expect("generates");
        let mut streamed = Vec::new();
        let specs = crate::load_dir(root).expect("loads");
        crate::generate_each(specs, 2, |file| {
            streamed.push(file);
            Ok::<(), ()>(())
        })
        .expect("generates");
        streamed.sort_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(streamed, collected);

        let specs = crate::load_dir(root).expect("loads");
        let model = crate::model::build(&specs).expect("resolves");
        let mut handed_out = 0;
        let stopped = emit_each(&model, 2, false, |_, _| {
            handed_out += 1;
            if handed_out == 3 {
                Err("disk full")
            } else {
                Ok(())
            }
        });
        assert_eq!(stopped, Err("disk full"));
        assert_eq!(handed_out, 3, "nothing is handed out after the sink fails");
    }
}
