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
use crate::error::{Error, TransportErrorKind};
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
    pub(crate) fn new(policy: Policy, refresher: Option<Refresher>) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9e37_79b9_7f4a_7c15, |d| d.as_nanos() as u64);
        Controls {
            limiter: policy.rate_limit_settings().map(Limiter::new),
            policy,
            refresher,
            refreshing: tokio::sync::Mutex::new(None),
            refresh_failures: AtomicU64::new(0),
            operating: Mutex::new(HashMap::new()),
            // xorshift needs a non-zero state.
            jitter: AtomicU64::new(seed | 1),
        }
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

/// Why a call is sent again.
#[derive(Debug, Clone, Copy)]
enum Again {
    QueryLimit,
    OperationTimeLimit,
    ConnectFailure,
    Ambiguous,
    TokenRefreshed,
}

impl Again {
    fn as_str(self) -> &'static str {
        match self {
            Again::QueryLimit => "QUERY_LIMIT_EXCEEDED",
            Again::OperationTimeLimit => "OPERATION_TIME_LIMIT",
            Again::ConnectFailure => "no connection could be made",
            Again::Ambiguous => "ambiguous failure of a method safe to repeat",
            Again::TokenRefreshed => "expired_token, token refreshed",
        }
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
    let outcome = attempts(client, request, safe_to_repeat, &span)
        .instrument(span.clone())
        .await;
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

async fn attempts<M: Method>(
    client: &Client,
    request: &M,
    safe_to_repeat: bool,
    span: &tracing::Span,
) -> Result<Response<M::Output>, Error<M::Error>> {
    let controls = client.controls();
    let policy = &controls.policy;
    let mut query_limit_retries = 0;
    let mut reset_retries = 0;
    let mut ambiguous_retries = 0;
    let mut connect_retries = 0;
    let mut refreshed = false;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        span.record("attempts", attempt);
        let limiter_wait = match &controls.limiter {
            Some(limiter) => limiter.acquire().await,
            None => Duration::ZERO,
        };
        let generation = client.token_generation();
        let attempt_span = tracing::debug_span!(
            "b24_rest.attempt",
            attempt,
            limiter_wait_ms = limiter_wait.as_millis() as u64,
            status = tracing::field::Empty,
        );
        let outcome = client
            .send_once(request)
            .instrument(attempt_span.clone())
            .await;
        if let Some(status) = outcome_status(&outcome) {
            attempt_span.record("status", status);
        }
        let (again, delay) = match &outcome {
            Ok(response) => {
                controls.note_operating(request.name(), response.time.as_ref());
                return outcome;
            }
            Err(Error::System(SystemError::QueryLimitExceeded(_)))
                if query_limit_retries < policy.query_limit_settings().retries() =>
            {
                if let Some(limiter) = &controls.limiter {
                    limiter.saturate();
                }
                let delay = policy.query_limit_settings().delay(query_limit_retries);
                query_limit_retries += 1;
                (Again::QueryLimit, controls.jittered(delay))
            }
            Err(Error::System(SystemError::OperationTimeLimit(_)))
                if reset_retries < policy.operation_time_limit_settings().retries() =>
            {
                reset_retries += 1;
                (
                    Again::OperationTimeLimit,
                    controls.reset_wait(request.name()),
                )
            }
            Err(Error::System(SystemError::ExpiredToken(_)))
                if !refreshed && policy.refreshes_expired_token() && controls.has_refresher() =>
            {
                refreshed = true;
                if let Err(failure) = refresh(client, generation).await {
                    return Err(Error::TokenRefresh(failure));
                }
                (Again::TokenRefreshed, Duration::ZERO)
            }
            Err(Error::Transport(transport))
                if transport.kind() == TransportErrorKind::Connect
                    && connect_retries < policy.connect_failure_settings().retries() =>
            {
                // No connection, so the request never left: safe for every method.
                let delay = policy.connect_failure_settings().delay(connect_retries);
                connect_retries += 1;
                (Again::ConnectFailure, controls.jittered(delay))
            }
            Err(error)
                if is_ambiguous(error)
                    && safe_to_repeat
                    && ambiguous_retries < policy.ambiguous_settings().retries() =>
            {
                let delay = policy.ambiguous_settings().delay(ambiguous_retries);
                ambiguous_retries += 1;
                (Again::Ambiguous, controls.jittered(delay))
            }
            Err(_) => return outcome,
        };
        tracing::debug!(
            attempt,
            reason = again.as_str(),
            wait_ms = delay.as_millis() as u64,
            "sending the call again"
        );
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
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
        let controls = Controls::new(Policy::none().operation_time_limit(wait), None);
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
        let controls = Controls::new(Policy::default(), None);
        let delay = Duration::from_millis(1000);
        let draws: Vec<Duration> = (0..1000).map(|_| controls.jittered(delay)).collect();
        assert!(draws.iter().all(|d| *d >= delay / 2 && *d <= delay));
        let distinct: std::collections::BTreeSet<_> = draws.iter().collect();
        assert!(distinct.len() > 900, "the draws barely vary");
    }
}
