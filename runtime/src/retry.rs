//! The life of one call under the client's [`Policy`]: pacing, attempts, waits between them,
//! token refresh, and the `operating` budget each successful answer reports.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument;

use crate::client::Client;
use crate::error::{Error, TransportError, TransportErrorKind};
use crate::limiter::Limiter;
use crate::method::{Method, Response};
use crate::policy::Policy;
use crate::system_error::SystemError;
use crate::time::Time;

/// What a token refresher returns: the new access token, or why there is none.
pub type RefreshResult = Result<String, Box<dyn std::error::Error + Send + Sync>>;

/// A user-supplied function that obtains a new OAuth access token (e.g. from
/// `oauth.bitrix.info` with the refresh token it keeps).
#[derive(Clone)]
pub(crate) struct Refresher(
    Arc<dyn Fn() -> Pin<Box<dyn Future<Output = RefreshResult> + Send>> + Send + Sync>,
);

impl Refresher {
    pub(crate) fn new<F, Fut>(refresh: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = RefreshResult> + Send + 'static,
    {
        Refresher(Arc::new(move || Box::pin(refresh())))
    }
}

impl fmt::Debug for Refresher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<token refresher>")
    }
}

/// The state the policy needs, shared by every clone of a client.
pub(crate) struct Controls {
    pub(crate) policy: Policy,
    limiter: Option<Limiter>,
    refresher: Option<Refresher>,
    retry_observer: Option<RetryObserver>,
    /// Held while the refresher runs, so that concurrent `expired_token`s make one refresh.
    /// It keeps the last failed refresh, so that the calls that queued behind it get its
    /// error instead of running the refresher again one after the other (with a hung
    /// refresher, each would wait the whole timeout in turn).
    refreshing: tokio::sync::Mutex<Option<TokenRefreshError>>,
    /// How many refreshes have failed: a caller that sees it change while it waited for
    /// `refreshing` takes the failure kept there.
    refresh_failures: AtomicU64,
    /// The last time budget of each method, by its wire name in lower case (the portal
    /// matches names without regard to case).
    operating: Mutex<HashMap<String, OperatingBudget>>,
    jitter: AtomicU64,
}

impl Controls {
    pub(crate) fn new(
        policy: Policy,
        refresher: Option<Refresher>,
        retry_observer: Option<RetryObserver>,
    ) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9e37_79b9_7f4a_7c15, |d| d.as_nanos() as u64);
        Controls {
            limiter: policy.rate_limit_settings().map(Limiter::new),
            policy,
            refresher,
            retry_observer,
            refreshing: tokio::sync::Mutex::new(None),
            refresh_failures: AtomicU64::new(0),
            operating: Mutex::new(HashMap::new()),
            // xorshift needs a non-zero state.
            jitter: AtomicU64::new(seed | 1),
        }
    }

    /// How long calls have waited for the rate limiter, in all.
    pub(crate) fn limiter_waited(&self) -> Duration {
        self.limiter
            .as_ref()
            .map_or(Duration::ZERO, Limiter::waited)
    }

    pub(crate) fn has_refresher(&self) -> bool {
        self.refresher.is_some()
    }

    /// `delay` drawn at random from `[delay / 2, delay]`.
    fn jittered(&self, delay: Duration) -> Duration {
        let mut x = self.jitter.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter.store(x, Ordering::Relaxed);
        let fraction = (x >> 11) as f64 / (1_u64 << 53) as f64;
        delay.mul_f64(0.5 + 0.5 * fraction)
    }

    pub(crate) fn note_operating(&self, method: &str, time: Option<&Time>) {
        let Some(time) = time else { return };
        if time.operating.is_none() && time.operating_reset_at.is_none() {
            return;
        }
        // The reset is measured from the server's own `finish` (or `start`), not from this
        // machine's clock, so a skewed clock does not stretch or cut the wait.
        let server_now = time.finish.or(time.start);
        let resets_after = match (time.operating_reset_at, server_now) {
            (Some(reset), Some(now)) if reset.is_finite() && now.is_finite() => {
                Some(Duration::from_secs_f64((reset - now).clamp(0.0, 86_400.0)))
            }
            _ => None,
        };
        let budget = OperatingBudget {
            operating: time.operating,
            reset_at: time.operating_reset_at,
            resets_after,
            observed: Instant::now(),
        };
        self.lock_operating()
            .insert(method.to_ascii_lowercase(), budget);
    }

    /// How long to wait after `OPERATION_TIME_LIMIT` for `method`.
    fn reset_wait(&self, method: &str) -> Duration {
        let settings = self.policy.operation_time_limit_settings();
        let known = self
            .lock_operating()
            .get(&method.to_ascii_lowercase())
            .and_then(OperatingBudget::resets_in)
            .filter(|wait| !wait.is_zero());
        known
            .unwrap_or(settings.fallback())
            .min(settings.max_wait())
    }

    pub(crate) fn operating(&self, method: &str) -> Option<OperatingBudget> {
        self.lock_operating()
            .get(&method.to_ascii_lowercase())
            .copied()
    }

    fn lock_operating(&self) -> std::sync::MutexGuard<'_, HashMap<String, OperatingBudget>> {
        self.operating
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A method's time budget as the last successful answer reported it (`time.operating` and
/// `time.operating_reset_at`); see [`Client::operating`](crate::Client::operating).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OperatingBudget {
    operating: Option<f64>,
    reset_at: Option<f64>,
    resets_after: Option<Duration>,
    observed: Instant,
}

impl OperatingBudget {
    /// Seconds of execution time the method has used in the portal's ten-minute window.
    pub fn operating(&self) -> Option<f64> {
        self.operating
    }

    /// Unix time (the portal's clock) at which the oldest minute of that use is released.
    pub fn reset_at(&self) -> Option<f64> {
        self.reset_at
    }

    /// How long from now until that release, measured on the portal's clock from the answer;
    /// `Some(0)` once it has passed, `None` when the answer did not say.
    pub fn resets_in(&self) -> Option<Duration> {
        self.resets_after
            .map(|after| after.saturating_sub(self.observed.elapsed()))
    }
}

/// The access token had expired and the token refresher failed; the call was not repeated.
#[derive(Clone)]
pub struct TokenRefreshError {
    message: String,
    refresher_error: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl TokenRefreshError {
    fn new(
        message: String,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
        secret: &str,
    ) -> Self {
        let message = crate::text::redact(&message, Some(secret)).into_owned();
        TokenRefreshError {
            message: crate::text::clip_escaped(&message, 500, false),
            refresher_error: source.map(Arc::from),
        }
    }

    /// What the refresher reported (the current token redacted).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The refresher's own error, for downcasting. Unlike [`TokenRefreshError::message`], it
    /// is as the refresher made it: the current token is not redacted from it.
    pub fn refresher_error(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.refresher_error.as_deref()
    }
}

impl fmt::Display for TokenRefreshError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the access token expired and refreshing it failed: {}",
            self.message
        )
    }
}

/// No `source()`: the refresher's own error may quote the token it failed to replace, and
/// error reporters print the whole chain. It stays reachable through
/// [`TokenRefreshError::refresher_error`].
impl std::error::Error for TokenRefreshError {}

impl fmt::Debug for TokenRefreshError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The source's own `Debug` could show what its `Display` hides: only the message.
        f.debug_struct("TokenRefreshError")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl PartialEq for TokenRefreshError {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message
    }
}

/// Why the client sends a call again.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// `QUERY_LIMIT_EXCEEDED`: the portal's rate limit; the call never ran.
    QueryLimitExceeded,
    /// `OPERATION_TIME_LIMIT`: the method's time budget is used up until it resets.
    OperationTimeLimit,
    /// `expired_token`: the access token was refreshed.
    TokenRefreshed,
    /// No connection could be made; the request never left.
    ConnectFailure,
    /// A timeout, a lost connection or a gateway error of a method safe to repeat.
    Ambiguous,
}

impl RetryReason {
    /// A short description, as tracing events and [`RetryNotice`]'s `Display` show it.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryReason::QueryLimitExceeded => "QUERY_LIMIT_EXCEEDED",
            RetryReason::OperationTimeLimit => "OPERATION_TIME_LIMIT",
            RetryReason::ConnectFailure => "no connection could be made",
            RetryReason::Ambiguous => "no sure answer from a method safe to repeat",
            RetryReason::TokenRefreshed => "expired_token, token refreshed",
        }
    }
}

/// A retry the client is about to make: what happened, which retry of how many, and how long
/// it waits first. Logged as a `tracing` event at INFO (target `b24_rest_runtime::retry`) and
/// handed to the observer of [`ClientBuilder::on_retry`](crate::ClientBuilder::on_retry).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub struct RetryNotice {
    /// The method's wire name.
    pub method: String,
    /// Why.
    pub reason: RetryReason,
    /// Which retry for this reason this is (1 for the first).
    pub retry: u32,
    /// How many retries the policy allows for this reason.
    pub retries: u32,
    /// How long the client waits before sending again.
    pub wait: Duration,
    /// The failure that caused it, as its error prints (secrets redacted).
    pub cause: String,
}

impl fmt::Display for RetryNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({}): retry {} of {} in {:.1} s",
            self.method,
            self.reason.as_str(),
            self.cause,
            self.retry,
            self.retries,
            self.wait.as_secs_f64()
        )
    }
}

/// A function that sees every [`RetryNotice`] of a client.
#[derive(Clone)]
pub(crate) struct RetryObserver(pub(crate) Arc<dyn Fn(&RetryNotice) + Send + Sync>);

impl fmt::Debug for RetryObserver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<retry observer>")
    }
}

/// Sends `request` under the client's policy. `safe_to_repeat` decides whether a call that
/// may have run is sent again.
pub(crate) async fn send<M: Method>(
    client: &Client,
    request: &M,
    safe_to_repeat: bool,
) -> Result<Response<M::Output>, Error<M::Error>> {
    let span = tracing::debug_span!(
        "b24_rest.call",
        method = request.name(),
        safe_to_repeat,
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        outcome = tracing::field::Empty,
    );
    let (outcome, attempts) = attempts(client, request, safe_to_repeat)
        .instrument(span.clone())
        .await;
    // Recorded once, at the end: a field recorded per attempt shows as `attempts=1
    // attempts=2 …` in most subscribers.
    span.record("attempts", attempts);
    span.record(
        "outcome",
        match &outcome {
            Ok(_) => "ok",
            Err(err) => err.variant_name(),
        },
    );
    if let Some(status) = outcome_status(&outcome) {
        span.record("status", status);
    }
    outcome
}

/// How many retries each reason has used so far in one call.
#[derive(Default)]
struct Used {
    query_limit: u32,
    reset: u32,
    ambiguous: u32,
    connect: u32,
    refreshed: bool,
}

/// What to do after an attempt.
enum Next {
    /// The outcome is the call's.
    Return,
    /// Refresh the access token, then send again at once.
    Refresh,
    /// Send again after the wait; the retry's number and the allowed count.
    Retry(RetryReason, Duration, u32, u32),
}

/// The attempts of one call, and how many there were.
async fn attempts<M: Method>(
    client: &Client,
    request: &M,
    safe_to_repeat: bool,
) -> (Result<Response<M::Output>, Error<M::Error>>, u32) {
    let controls = client.controls();
    let started = Instant::now();
    let mut used = Used::default();
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let generation = client.token_generation();
        let outcome = one_attempt(client, request, attempt, started).await;
        let (reason, wait, retry, retries) =
            match next(controls, request, &outcome, safe_to_repeat, &mut used) {
                Next::Return => return (outcome, attempt),
                Next::Refresh => match refresh(client, generation).await {
                    Ok(()) => (RetryReason::TokenRefreshed, Duration::ZERO, 1, 1),
                    Err(failure) => return (Err(Error::TokenRefresh(failure)), attempt),
                },
                Next::Retry(reason, wait, retry, retries) => (reason, wait, retry, retries),
            };
        // A wait that would end past the deadline is not started: the portal's answer is
        // the call's, and a refusal (which never ran) does not turn into a timeout.
        if controls
            .policy
            .deadline_settings()
            .is_some_and(|deadline| started.elapsed() + wait >= deadline)
        {
            return (outcome, attempt);
        }
        let notice = RetryNotice {
            method: request.name().to_owned(),
            reason,
            retry,
            retries,
            wait,
            cause: outcome
                .as_ref()
                .err()
                .map(ToString::to_string)
                .unwrap_or_default(),
        };
        announce(controls, &notice, attempt);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// One attempt: pacing, then the request, within what is left of the call's deadline.
async fn one_attempt<M: Method>(
    client: &Client,
    request: &M,
    attempt: u32,
    started: Instant,
) -> Result<Response<M::Output>, Error<M::Error>> {
    let controls = client.controls();
    let limiter_wait = match &controls.limiter {
        Some(limiter) => limiter.acquire().await,
        None => Duration::ZERO,
    };
    let attempt_span = tracing::debug_span!(
        "b24_rest.attempt",
        attempt,
        limiter_wait_ms = limiter_wait.as_millis() as u64,
        status = tracing::field::Empty,
    );
    let send = client.send_once(request).instrument(attempt_span.clone());
    let outcome = match controls.policy.deadline_settings() {
        None => send.await,
        Some(deadline) => {
            let left = deadline.saturating_sub(started.elapsed());
            tokio::time::timeout(left, send)
                .await
                .unwrap_or_else(|_| Err(Error::Transport(past_deadline(deadline, left))))
        }
    };
    if let Some(status) = outcome_status(&outcome) {
        attempt_span.record("status", status);
    }
    outcome
}

/// The timeout of an attempt cut by the call's deadline: it may have run, unless the deadline
/// had passed before the request could leave.
fn past_deadline(deadline: Duration, left: Duration) -> TransportError {
    let sent = !left.is_zero();
    TransportError::new(
        TransportErrorKind::Timeout,
        format!(
            "no answer within the call's deadline of {:.1} s (retries included)",
            deadline.as_secs_f64()
        ),
        sent,
    )
}

/// Whether and when to send again after `outcome`, counting the retry in `used`.
fn next<M: Method>(
    controls: &Controls,
    request: &M,
    outcome: &Result<Response<M::Output>, Error<M::Error>>,
    safe_to_repeat: bool,
    used: &mut Used,
) -> Next {
    let policy = &controls.policy;
    let error = match outcome {
        Ok(response) => {
            controls.note_operating(request.name(), response.time.as_ref());
            return Next::Return;
        }
        Err(error) => error,
    };
    match error {
        Error::System(SystemError::QueryLimitExceeded(_))
            if used.query_limit < policy.query_limit_settings().retries() =>
        {
            if let Some(limiter) = &controls.limiter {
                limiter.saturate();
            }
            let settings = policy.query_limit_settings();
            let delay = controls.jittered(settings.delay(used.query_limit));
            used.query_limit += 1;
            Next::Retry(
                RetryReason::QueryLimitExceeded,
                delay,
                used.query_limit,
                settings.retries(),
            )
        }
        Error::System(SystemError::OperationTimeLimit(_))
            if used.reset < policy.operation_time_limit_settings().retries() =>
        {
            used.reset += 1;
            let wait = controls.reset_wait(request.name());
            let retries = policy.operation_time_limit_settings().retries();
            Next::Retry(RetryReason::OperationTimeLimit, wait, used.reset, retries)
        }
        Error::System(SystemError::ExpiredToken(_))
            if !used.refreshed && policy.refreshes_expired_token() && controls.has_refresher() =>
        {
            used.refreshed = true;
            Next::Refresh
        }
        Error::Transport(transport)
            if transport.kind() == TransportErrorKind::Connect
                && used.connect < policy.connect_failure_settings().retries() =>
        {
            // No connection, so the request never left: safe for every method.
            let settings = policy.connect_failure_settings();
            let delay = controls.jittered(settings.delay(used.connect));
            used.connect += 1;
            Next::Retry(
                RetryReason::ConnectFailure,
                delay,
                used.connect,
                settings.retries(),
            )
        }
        error
            if is_ambiguous(error)
                && safe_to_repeat
                && used.ambiguous < policy.ambiguous_settings().retries() =>
        {
            let settings = policy.ambiguous_settings();
            let delay = controls.jittered(settings.delay(used.ambiguous));
            used.ambiguous += 1;
            Next::Retry(
                RetryReason::Ambiguous,
                delay,
                used.ambiguous,
                settings.retries(),
            )
        }
        _ => Next::Return,
    }
}

/// Tells the retry to the `tracing` subscriber (INFO: a retry wait can last minutes, and
/// silence then reads as a hang) and to the client's observer.
fn announce(controls: &Controls, notice: &RetryNotice, attempt: u32) {
    tracing::info!(
        method = %notice.method,
        attempt,
        reason = notice.reason.as_str(),
        retry = notice.retry,
        retries = notice.retries,
        wait_ms = notice.wait.as_millis() as u64,
        "b24_rest: sending the call again: {notice}"
    );
    if let Some(observer) = &controls.retry_observer {
        (observer.0)(notice);
    }
}

/// A failure after which the call may or may not have run: a timeout or a connection lost
/// after sending, or a gateway error (502, 503, 504) that is not a REST answer. A proxy in
/// front of the portal sends those (an HTML page, an empty body) when the portal did not
/// answer it in time or at all, which tells nothing of whether the portal ran the call.
fn is_ambiguous<E>(error: &Error<E>) -> bool {
    match error {
        Error::Transport(transport) => transport.may_have_run(),
        Error::UnexpectedAnswer { status, .. } => matches!(status, 502..=504),
        _ => false,
    }
}

fn outcome_status<T, E: crate::MethodError>(outcome: &Result<T, Error<E>>) -> Option<u64> {
    match outcome {
        Ok(_) => None,
        Err(err) => err.status().map(u64::from),
    }
}

/// Refreshes the token unless another call already did since `seen_generation` was read;
/// concurrent callers wait for the one refresh in progress and share its outcome. The
/// refresher gets [`Policy::token_refresh_timeout`] to finish.
async fn refresh(client: &Client, seen_generation: u64) -> Result<(), TokenRefreshError> {
    let controls = client.controls();
    let Some(refresher) = &controls.refresher else {
        return Ok(());
    };
    let failures_seen = controls.refresh_failures.load(Ordering::SeqCst);
    let mut last_failure = controls.refreshing.lock().await;
    if client.token_generation() != seen_generation {
        return Ok(());
    }
    if controls.refresh_failures.load(Ordering::SeqCst) != failures_seen
        && let Some(failure) = last_failure.as_ref()
    {
        return Err(failure.clone());
    }
    let old = client.current_token().unwrap_or_default();
    let limit = controls.policy.token_refresh_timeout_settings();
    tracing::debug!(
        timeout_ms = limit.as_millis() as u64,
        "refreshing the access token"
    );
    let outcome = match tokio::time::timeout(limit, (refresher.0)()).await {
        Ok(Ok(token)) => client
            .set_access_token(token)
            .map_err(|e| TokenRefreshError::new(e.to_string(), None, &old)),
        Ok(Err(error)) => Err(TokenRefreshError::new(error.to_string(), Some(error), &old)),
        Err(_elapsed) => Err(TokenRefreshError::new(
            format!("the token refresher did not finish within {limit:?}"),
            None,
            &old,
        )),
    };
    match &outcome {
        Ok(()) => *last_failure = None,
        Err(failure) => {
            *last_failure = Some(failure.clone());
            controls.refresh_failures.fetch_add(1, Ordering::SeqCst);
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::ResetWait;

    fn time(value: serde_json::Value) -> Time {
        serde_json::from_value(value).expect("a time object")
    }

    /// The wait after `OPERATION_TIME_LIMIT` is the reset the last success announced,
    /// measured on the portal's clock and counted down on ours; the fallback when no future
    /// reset is known; never more than the cap.
    #[tokio::test(start_paused = true)]
    async fn the_reset_wait_comes_from_the_last_success() {
        let wait = ResetWait::new(2, Duration::from_secs(60), Duration::from_secs(100));
        let controls = Controls::new(Policy::none().operation_time_limit(wait), None, None);
        assert_eq!(controls.reset_wait("m.one"), Duration::from_secs(60));

        // A portal clock far from ours: only `operating_reset_at - finish` counts.
        let far = 4_000_000_000.0;
        controls.note_operating(
            "m.one",
            Some(&time(serde_json::json!({
                "finish": far, "operating": 3.5, "operating_reset_at": far + 30.0
            }))),
        );
        assert_eq!(controls.reset_wait("m.one"), Duration::from_secs(30));
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(controls.reset_wait("m.one"), Duration::from_secs(20));
        tokio::time::advance(Duration::from_secs(25)).await;
        assert_eq!(controls.reset_wait("m.one"), Duration::from_secs(60));
        assert_eq!(controls.reset_wait("m.other"), Duration::from_secs(60));

        controls.note_operating(
            "m.one",
            Some(&time(serde_json::json!({
                "start": 10.0, "operating_reset_at": 610.0
            }))),
        );
        assert_eq!(controls.reset_wait("m.one"), Duration::from_secs(100));
        let budget = controls.operating("m.one").expect("noted");
        assert_eq!(budget.operating(), None);
        assert_eq!(budget.reset_at(), Some(610.0));

        // An answer without budget fields leaves the last one in place.
        controls.note_operating("m.one", Some(&time(serde_json::json!({"finish": 1.0}))));
        assert_eq!(
            controls.operating("m.one").expect("kept").reset_at(),
            Some(610.0)
        );
    }

    #[test]
    fn jitter_stays_in_the_upper_half() {
        let controls = Controls::new(Policy::default(), None, None);
        let delay = Duration::from_millis(1000);
        let draws: Vec<Duration> = (0..1000).map(|_| controls.jittered(delay)).collect();
        assert!(draws.iter().all(|d| *d >= delay / 2 && *d <= delay));
        let distinct: std::collections::BTreeSet<_> = draws.iter().collect();
        assert!(distinct.len() > 900, "the draws barely vary");
    }
}
