//! Emission: the model in, generated files out. Pure; nothing here touches the disk.
//!
//! Every Rust file is built as a token stream with `quote!`, then parsed into a `syn::File`,
//! laid out as a hand-written file would be and printed with `prettyplease` (`render.rs`),
//! and headed with [`crate::GENERATED_MARKER`]. Generated Rust imports nothing: it names
//! everything by absolute path (`paths.rs`). Data that is not code is serialised with
//! `serde_json` into the shapes of `b24_rest_contract` instead: each scope's examples and
//! error forms (`spec_data.rs`) and the command line's method catalogue (`cli.rs`). The
//! crate's manifest, README and licences are text (`package.rs`).
//!
//! Nothing here reads a clock: `cargo xtask bench` times the jobs through [`emit_each_with`]
//! and the format phase by calling [`format()`] itself.

mod batch;
mod cli;
mod docs;
mod event;
mod list;
mod method;
mod modules;
mod package;
mod paths;
mod render;
mod shared;
mod spec_data;
mod types;

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::GeneratedFile;
use crate::model::{Event, Method, Model, Scope};

pub use render::format;
use render::render;

/// Folder of the generated API modules, relative to the workspace root.
pub const API_DIR: &str = "generated/src/api";

/// Every generated file of the model, built on as many threads as the machine has, in job
/// order.
pub fn emit(model: &Model) -> Vec<GeneratedFile> {
    collect(model, available_threads())
}

/// The number of threads emission uses by default: one per core.
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Every file, in job order, built on up to `threads` threads.
fn collect(model: &Model, threads: usize) -> Vec<GeneratedFile> {
    let mut built = Vec::new();
    let outcome = emit_each(model, threads, |index, files| {
        built.push((index, files));
        Ok::<(), std::convert::Infallible>(())
    });
    if let Err(never) = outcome {
        match never {}
    }
    built.sort_unstable_by_key(|(index, _)| *index);
    built.into_iter().flat_map(|(_, files)| files).collect()
}

/// Builds every file of the model on up to `threads` worker threads and hands each job's
/// files to `sink` on the calling thread as soon as they are formatted, with the job's index
/// (files in job order are what [`emit`] returns). Stops at the first error of `sink`.
///
/// At most a few jobs' files wait for the sink at any time, so memory stays that of the
/// model however many methods there are.
pub fn emit_each<E>(
    model: &Model,
    threads: usize,
    sink: impl FnMut(usize, Vec<GeneratedFile>) -> Result<(), E>,
) -> Result<(), E> {
    emit_each_with(model, threads, |job| job.run(), sink)
}

/// [`emit_each`] with each job run by `run` (which must call [`Job::run`] and return its
/// files): the hook through which `cargo xtask bench` times the jobs with its own clocks, so
/// that no clock is read on the way `cargo xtask gen` goes.
pub fn emit_each_with<E>(
    model: &Model,
    threads: usize,
    run: impl Fn(&Job<'_>) -> Vec<GeneratedFile> + Sync,
    mut sink: impl FnMut(usize, Vec<GeneratedFile>) -> Result<(), E>,
) -> Result<(), E> {
    let jobs = jobs(model);
    let threads = clamp_threads(jobs.len(), threads);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        // Bounded: a worker that runs ahead of the sink waits instead of piling up files.
        let (sender, receiver) = std::sync::mpsc::sync_channel(threads * 2);
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let sender = sender.clone();
                let (jobs, next, run) = (&jobs, &next, &run);
                scope.spawn(move || {
                    while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                        // The sink failed and hung up: nothing more is wanted.
                        if sender.send((job.index, run(job))).is_err() {
                            break;
                        }
                    }
                })
            })
            .collect();
        drop(sender);
        let outcome = receiver
            .iter()
            .try_for_each(|(index, files)| sink(index, files));
        drop(receiver);
        for worker in workers {
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        }
        outcome
    })
}

/// The threads [`emit_each`] runs on for `model` when asked for `wanted`.
pub fn worker_threads(model: &Model, wanted: usize) -> usize {
    clamp_threads(jobs(model).len(), wanted)
}

/// At least one thread, and no more than there are jobs.
fn clamp_threads(jobs: usize, wanted: usize) -> usize {
    wanted.clamp(1, jobs.max(1))
}

/// The jobs of one emission, in output order.
fn jobs(model: &Model) -> Vec<Job<'_>> {
    // The files that grow with every method of a scope (its spec data and command line
    // catalogue) come first in each scope, so that the longest jobs do not start last.
    let mut kinds = vec![
        JobKind::Cli,
        JobKind::Package,
        JobKind::ApiRoot,
        JobKind::Shared,
        JobKind::Batch,
        JobKind::List,
    ];
    for scope in &model.scopes {
        kinds.push(JobKind::SpecData(scope));
        kinds.push(JobKind::CliCatalogue(scope));
        kinds.push(JobKind::ScopeRoot(scope));
        kinds.extend(
            scope
                .methods
                .iter()
                .map(|method| JobKind::Method(scope, method)),
        );
        kinds.extend(
            scope
                .events
                .iter()
                .map(|event| JobKind::Event(scope, event)),
        );
    }
    kinds
        .into_iter()
        .enumerate()
        .map(|(index, kind)| Job { model, index, kind })
        .collect()
}

/// One job of an emission: a file or a few, independent of every other job's, so that jobs
/// run in parallel.
pub struct Job<'a> {
    model: &'a Model,
    index: usize,
    kind: JobKind<'a>,
}

/// What a [`Job`] builds.
enum JobKind<'a> {
    Package,
    ApiRoot,
    Shared,
    Batch,
    List,
    Cli,
    CliCatalogue(&'a Scope),
    ScopeRoot(&'a Scope),
    SpecData(&'a Scope),
    Method(&'a Scope, &'a Method),
    Event(&'a Scope, &'a Event),
}

impl Job<'_> {
    /// Builds the job's files: token streams formatted ([`format()`]), or JSON and text.
    pub fn run(&self) -> Vec<GeneratedFile> {
        let model = self.model;
        match self.kind {
            JobKind::Package => package::files(model),
            JobKind::ApiRoot => vec![modules::api_root(model)],
            JobKind::Shared => shared::files(model),
            JobKind::Batch => vec![batch::file(model)],
            JobKind::List => vec![list::file()],
            JobKind::Cli => vec![cli::code_file(model)],
            JobKind::CliCatalogue(scope) => vec![cli::scope_file(model, scope)],
            JobKind::ScopeRoot(scope) => vec![modules::scope_root(scope)],
            JobKind::SpecData(scope) => vec![spec_data::file(scope)],
            JobKind::Method(scope, method) => vec![method::file(model, scope, method)],
            JobKind::Event(scope, event) => vec![event::file(model, scope, event)],
        }
    }
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
        let one = collect(&model, 1);
        assert_eq!(worker_threads(&model, 1), 1);
        let three = collect(&model, 3);
        assert_eq!(worker_threads(&model, 3), 3);
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
        let stopped = emit_each(&model, 2, |_, _| {
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
