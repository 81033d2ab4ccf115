//! `b24 <list method> --all [--limit N]`: every record the request matches, read with the
//! SDK's reader of whole lists (`Client::read_all`: id windows or `start` pages, many pages a
//! `batch` request, never a record missed or repeated) where the method has one, else walked
//! page by page with its pager (`Client::pages`: offsets, page numbers, cursors), printed one
//! JSON object a line as the portal sent it.

use b24_rest::{AsJson, Error, ListMethod, Method, MethodError, Paged};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::exit::Exit;
use crate::run::{Outcome, Prepared, Session, failure_line, noting_retries};

/// Reads every record of a list method: the request's JSON and the `--limit`, if any.
pub type PrepareAll = fn(Value, Option<u64>) -> Result<Prepared, String>;

/// Decodes `body` into the typed request `M` (strictly, as for a single call), ready to read
/// every record it matches, at most `limit`.
pub fn prepare_all<M>(body: Value, limit: Option<u64>) -> Result<Prepared, String>
where
    M: ListMethod + Serialize + Clone + DeserializeOwned + Send + Sync + 'static,
{
    let request: M = serde_json::from_value(body).map_err(|error| error.to_string())?;
    Ok(Prepared::new(move |session| {
        read_all(session, AsJson(request), limit)
    }))
}

/// Decodes `body` into the typed request `M` (strictly, as for a single call), ready to walk
/// every page it matches and print at most `limit` records.
pub fn prepare_pages<M>(body: Value, limit: Option<u64>) -> Result<Prepared, String>
where
    M: Paged + Serialize + DeserializeOwned + Send + Sync + 'static,
{
    let request: M = serde_json::from_value(body).map_err(|error| error.to_string())?;
    Ok(Prepared::new(move |session| {
        walk_pages(session, AsJson(request), limit)
    }))
}

/// Walks the pages and prints each record on a line; on a failure, the records of the pages
/// read before it and the line that names it.
fn walk_pages<M>(session: &Session<'_>, request: AsJson<M>, limit: Option<u64>) -> Outcome
where
    M: Paged + Serialize + Send + Sync + 'static,
{
    let name = request.name().to_owned();
    let runtime = match current_thread(&name) {
        Ok(runtime) => runtime,
        Err(outcome) => return outcome,
    };
    let mut stdout = String::new();
    let mut left = limit.unwrap_or(u64::MAX);
    let mut pages = session.client.pages(request);
    let failure = runtime.block_on(async {
        while left > 0 {
            match noting_retries(session, pages.next_page()).await? {
                Ok(page) => {
                    for record in AsJson::<M>::into_items(page.result) {
                        if left == 0 {
                            break;
                        }
                        left -= 1;
                        stdout.push_str(&serde_json::to_string(&record).unwrap_or_default());
                        stdout.push('\n');
                    }
                }
                Err(error) => return Some(error),
            }
        }
        None
    });
    printed(session, &name, stdout, failure)
}

/// Reads the records and prints each on a line; on a failure, the records read before it
/// (which are correct) and the line that names it.
fn read_all<M>(session: &Session<'_>, request: AsJson<M>, limit: Option<u64>) -> Outcome
where
    M: ListMethod + Serialize + Clone + Send + Sync + 'static,
{
    let name = request.name().to_owned();
    if session.verbose {
        (session.note)(&format!(
            "b24: reading every record of {name} on {}",
            session.client.portal()
        ));
    }
    let runtime = match current_thread(&name) {
        Ok(runtime) => runtime,
        Err(outcome) => return outcome,
    };
    let mut stdout = String::new();
    let mut reader = session.client.read_all(request);
    if let Some(limit) = limit {
        reader = reader.limit(limit);
    }
    let failure = runtime.block_on(async {
        loop {
            match noting_retries(session, reader.next()).await {
                None => return None,
                Some(Ok(record)) => {
                    stdout.push_str(&serde_json::to_string(&record).unwrap_or_default());
                    stdout.push('\n');
                }
                Some(Err(error)) => return Some(error),
            }
        }
    });
    if session.verbose {
        let stats = reader.stats();
        (session.note)(&format!("b24: {name}: {stats:?}"));
    }
    printed(session, &name, stdout, failure)
}

/// The records printed, and the line that names the failure that stopped the read, if one did
/// (the records before it are correct).
fn printed<E: MethodError>(
    session: &Session<'_>,
    name: &str,
    stdout: String,
    failure: Option<Error<E>>,
) -> Outcome {
    match failure {
        None => Outcome::success(stdout),
        Some(error) => Outcome {
            exit: Exit::of(&error),
            stdout,
            stderr: vec![failure_line(name, session.client.portal(), &error)],
        },
    }
}

/// The single-threaded runtime a read runs on, or the outcome that says why there is none.
fn current_thread(name: &str) -> Result<tokio::runtime::Runtime, Outcome> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Outcome {
            exit: Exit::Transport,
            stdout: String::new(),
            stderr: vec![format!(
                "error: {name}: cannot start the async runtime: {error}"
            )],
        })
}
