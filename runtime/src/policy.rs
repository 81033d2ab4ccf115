//! What the client does about a portal's limits and failures: the [`Policy`] (rate limiter,
//! retries, token refresh) and its parts, with the defaults a cloud portal needs.

use std::time::Duration;

use crate::error::ConfigError;

/// How a [`Client`](crate::Client) paces its calls and which failures it retries.
///
/// Every clone of a client shares one policy, one rate limiter and one token. Defaults
/// ([`Policy::default`]):
///
/// | situation | default | setter |
/// |---|---|---|
/// | pacing | leaky bucket, burst 50, 2 requests/s ([`RateLimit::STANDARD`]) | [`Policy::rate_limit`] |
/// | `QUERY_LIMIT_EXCEEDED` (503) | 5 retries, delay 1 s doubling to at most 30 s, with jitter | [`Policy::query_limit`] |
/// | `OPERATION_TIME_LIMIT` (429) | 2 retries, each after the method's budget resets (from `operating_reset_at`), else after 60 s; never more than 10 min | [`Policy::operation_time_limit`] |
/// | `expired_token` (401), OAuth | refresh once with the [token refresher](crate::ClientBuilder::token_refresher), given at most 30 s, repeat once | [`Policy::refresh_expired_token`], [`Policy::token_refresh_timeout`] |
/// | no connection could be made (refused, DNS, TLS handshake, connect timeout) | every method: 2 retries, delay 1 s doubling to 10 s | [`Policy::connect_failure`] |
/// | timeout or connection lost after sending; a 502, 503 or 504 that is not a REST answer (a proxy's HTML page, an empty body) | methods safe to repeat: 2 retries, delay 1 s doubling to 10 s; **others never** | [`Policy::ambiguous`] |
/// | any other error | returned at once | — |
///
/// A `QUERY_LIMIT_EXCEEDED` call never ran, nor did one that found no connection, so both
/// are retried for every method. A call that may have run (a timeout, a connection lost
/// after the request was sent, a gateway error from a proxy in front of the portal, which
/// may have passed the request on) is sent again only when its spec marks it safe to
/// repeat; for the others the caller gets the error, whose
/// [`may_have_run`](crate::Error::may_have_run) says so. This holds whatever the policy.
///
/// ```
/// use std::time::Duration;
/// use b24_rest_runtime::{Backoff, Policy, RateLimit};
///
/// // An Enterprise portal, fewer retries of 503s:
/// let policy = Policy::default()
///     .rate_limit(Some(RateLimit::ENTERPRISE))
///     .query_limit(Backoff::new(2, Duration::from_millis(500), Duration::from_secs(5)));
/// assert_eq!(policy.rate_limit_settings(), Some(RateLimit::ENTERPRISE));
/// // No pacing and no retries at all:
/// let bare = Policy::none();
/// assert_eq!(bare.rate_limit_settings(), None);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    rate_limit: Option<RateLimit>,
    query_limit: Backoff,
    operation_time_limit: ResetWait,
    connect_failure: Backoff,
    ambiguous: Backoff,
    refresh_expired_token: bool,
    token_refresh_timeout: Duration,
    deadline: Option<Duration>,
}

/// How long a token refresher may run by default: long enough for an OAuth server's round
/// trip, short enough that calls waiting on a hung refresher get an error.
const DEFAULT_TOKEN_REFRESH_TIMEOUT: Duration = Duration::from_secs(30);

impl Default for Policy {
    fn default() -> Self {
        Policy {
            rate_limit: Some(RateLimit::STANDARD),
            query_limit: Backoff::new(5, Duration::from_secs(1), Duration::from_secs(30)),
            operation_time_limit: ResetWait::new(
                2,
                Duration::from_secs(60),
                Duration::from_secs(600),
            ),
            connect_failure: Backoff::new(2, Duration::from_secs(1), Duration::from_secs(10)),
            ambiguous: Backoff::new(2, Duration::from_secs(1), Duration::from_secs(10)),
            refresh_expired_token: true,
            token_refresh_timeout: DEFAULT_TOKEN_REFRESH_TIMEOUT,
            deadline: None,
        }
    }
}

impl Policy {
    /// No rate limiter, no retries, no token refresh: every answer reaches the caller as the
    /// portal sent it.
    pub fn none() -> Self {
        Policy {
            rate_limit: None,
            query_limit: Backoff::NEVER,
            operation_time_limit: ResetWait::NEVER,
            connect_failure: Backoff::NEVER,
            ambiguous: Backoff::NEVER,
            refresh_expired_token: false,
            token_refresh_timeout: DEFAULT_TOKEN_REFRESH_TIMEOUT,
            deadline: None,
        }
    }

    /// Paces calls with a client-side leaky bucket (`None`: no pacing).
    #[must_use]
    pub fn rate_limit(mut self, rate_limit: Option<RateLimit>) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Retries of `QUERY_LIMIT_EXCEEDED`.
    #[must_use]
    pub fn query_limit(mut self, backoff: Backoff) -> Self {
        self.query_limit = backoff;
        self
    }

    /// Retries of `OPERATION_TIME_LIMIT`.
    #[must_use]
    pub fn operation_time_limit(mut self, wait: ResetWait) -> Self {
        self.operation_time_limit = wait;
        self
    }

    /// Retries when no connection could be made (refused, DNS, TLS handshake, connect
    /// timeout). The request never left, so every method is retried, `share` too.
    #[must_use]
    pub fn connect_failure(mut self, backoff: Backoff) -> Self {
        self.connect_failure = backoff;
        self
    }

    /// Retries of methods safe to repeat after a failure that leaves open whether the call
    /// ran: a timeout, a connection lost after sending, or a 502, 503 or 504 answer that is
    /// not a REST answer (an HTML page or an empty body from a proxy). Methods not safe to
    /// repeat are never retried then, whatever this says.
    #[must_use]
    pub fn ambiguous(mut self, backoff: Backoff) -> Self {
        self.ambiguous = backoff;
        self
    }

    /// Whether `expired_token` makes an OAuth client call its token refresher and repeat the
    /// call once (it needs a refresher; webhooks have no tokens to refresh).
    #[must_use]
    pub fn refresh_expired_token(mut self, refresh: bool) -> Self {
        self.refresh_expired_token = refresh;
        self
    }

    /// How long the token refresher may run before the calls waiting on it get
    /// [`Error::TokenRefresh`](crate::Error::TokenRefresh) (the refresher's future is dropped).
    /// Default 30 s.
    #[must_use]
    pub fn token_refresh_timeout(mut self, timeout: Duration) -> Self {
        self.token_refresh_timeout = timeout;
        self
    }

    /// The time a whole call may take, pacing, retries and their waits included (`None`, the
    /// default: only each attempt's own timeout). A retry whose wait would end past it is not
    /// made: the call ends with the portal's last answer, so a refusal stays a refusal (it
    /// never ran) instead of becoming a timeout. An attempt still without an answer at the
    /// deadline ends as a timeout that may have run.
    #[must_use]
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// The time a whole call may take, if limited.
    pub fn deadline_settings(&self) -> Option<Duration> {
        self.deadline
    }

    /// The rate limit in force, if any.
    pub fn rate_limit_settings(&self) -> Option<RateLimit> {
        self.rate_limit
    }

    /// The retries of `QUERY_LIMIT_EXCEEDED`.
    pub fn query_limit_settings(&self) -> Backoff {
        self.query_limit
    }

    /// The retries of `OPERATION_TIME_LIMIT`.
    pub fn operation_time_limit_settings(&self) -> ResetWait {
        self.operation_time_limit
    }

    /// The retries when no connection could be made.
    pub fn connect_failure_settings(&self) -> Backoff {
        self.connect_failure
    }

    /// The retries after an ambiguous failure (safe methods only).
    pub fn ambiguous_settings(&self) -> Backoff {
        self.ambiguous
    }

    /// Whether an expired token is refreshed.
    pub fn refreshes_expired_token(&self) -> bool {
        self.refresh_expired_token
    }

    /// How long the token refresher may run.
    pub fn token_refresh_timeout_settings(&self) -> Duration {
        self.token_refresh_timeout
    }
}

/// A leaky bucket like the portal's own: up to `burst` calls at once, then `per_second`.
///
/// The portal counts requests per portal and IP address; a call that finds its bucket full
/// gets `QUERY_LIMIT_EXCEEDED`. Pacing on the client keeps a busy program under the limit
/// instead of retrying into it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    burst: u32,
    per_second: f64,
}

impl RateLimit {
    /// Every plan but Enterprise: burst 50, 2 requests per second.
    pub const STANDARD: RateLimit = RateLimit {
        burst: 50,
        per_second: 2.0,
    };
    /// Enterprise plans: burst 250, 5 requests per second.
    pub const ENTERPRISE: RateLimit = RateLimit {
        burst: 250,
        per_second: 5.0,
    };

    /// Custom values, e.g. for an on-premise portal with its own limits.
    pub fn new(burst: u32, per_second: f64) -> Result<RateLimit, ConfigError> {
        if burst == 0 {
            return Err(ConfigError::InvalidPolicy {
                reason: "the burst of a rate limit is at least 1",
            });
        }
        if !(per_second.is_finite() && per_second > 0.0) {
            return Err(ConfigError::InvalidPolicy {
                reason: "the rate of a rate limit is a positive number of requests per second",
            });
        }
        Ok(RateLimit { burst, per_second })
    }

    /// How many calls may go at once.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// How many calls per second may go after the burst.
    pub fn per_second(&self) -> f64 {
        self.per_second
    }
}

/// Bounded retries with a growing delay: `initial`, doubled for each retry up to `max`, each
/// delay then drawn at random from its upper half (jitter, so that many clients throttled
/// together do not come back together).
///
/// Made with [`Backoff::new`] (or [`Backoff::NEVER`]) and changed with the `with_…` methods;
/// the fields are private so that a later knob is not a breaking change.
///
/// ```
/// use std::time::Duration;
/// use b24_rest_runtime::Backoff;
///
/// let backoff = Backoff::new(3, Duration::from_millis(500), Duration::from_secs(10))
///     .with_retries(5);
/// assert_eq!(backoff.retries(), 5);
/// assert_eq!(backoff.delay(2), Duration::from_secs(2));
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    retries: u32,
    initial: Duration,
    max: Duration,
}

impl Backoff {
    /// No retries.
    pub const NEVER: Backoff = Backoff {
        retries: 0,
        initial: Duration::ZERO,
        max: Duration::ZERO,
    };

    /// `retries` retries, the first after `initial`, doubling up to `max`.
    pub const fn new(retries: u32, initial: Duration, max: Duration) -> Self {
        Backoff {
            retries,
            initial,
            max,
        }
    }

    /// How many times a call is sent again (0: never).
    pub const fn retries(&self) -> u32 {
        self.retries
    }

    /// Delay before the first retry.
    pub const fn initial(&self) -> Duration {
        self.initial
    }

    /// The longest delay.
    pub const fn max(&self) -> Duration {
        self.max
    }

    /// The same backoff with `retries` retries.
    #[must_use]
    pub const fn with_retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// The same backoff with this first delay.
    #[must_use]
    pub const fn with_initial(mut self, initial: Duration) -> Self {
        self.initial = initial;
        self
    }

    /// The same backoff with this longest delay.
    #[must_use]
    pub const fn with_max(mut self, max: Duration) -> Self {
        self.max = max;
        self
    }

    /// The delay before retry `retry` (0 for the first), before jitter.
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 2_u32.saturating_pow(retry.min(31));
        self.initial.saturating_mul(factor).min(self.max)
    }
}

/// Bounded retries of `OPERATION_TIME_LIMIT`: each waits until the method's time budget
/// resets, as the last successful answer's `operating_reset_at` told, or `fallback` when no
/// future reset is known; never longer than `max_wait`.
///
/// Made with [`ResetWait::new`] (or [`ResetWait::NEVER`]) and changed with the `with_…`
/// methods; the fields are private so that a later knob is not a breaking change.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResetWait {
    retries: u32,
    fallback: Duration,
    max_wait: Duration,
}

impl ResetWait {
    /// No retries.
    pub const NEVER: ResetWait = ResetWait {
        retries: 0,
        fallback: Duration::ZERO,
        max_wait: Duration::ZERO,
    };

    /// `retries` retries, waiting for the reset, `fallback` when unknown, at most `max_wait`.
    pub const fn new(retries: u32, fallback: Duration, max_wait: Duration) -> Self {
        ResetWait {
            retries,
            fallback,
            max_wait,
        }
    }

    /// How many times a call is sent again (0: never).
    pub const fn retries(&self) -> u32 {
        self.retries
    }

    /// The wait when no reset time is known.
    pub const fn fallback(&self) -> Duration {
        self.fallback
    }

    /// The longest wait.
    pub const fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// The same wait with `retries` retries.
    #[must_use]
    pub const fn with_retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// The same wait with this fallback.
    #[must_use]
    pub const fn with_fallback(mut self, fallback: Duration) -> Self {
        self.fallback = fallback;
        self
    }

    /// The same wait with this cap.
    #[must_use]
    pub const fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_max() {
        let backoff = Backoff::new(10, Duration::from_secs(1), Duration::from_secs(30));
        let delays: Vec<u64> = (0..7).map(|n| backoff.delay(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 30, 30]);
        assert_eq!(backoff.delay(u32::MAX), Duration::from_secs(30));
    }

    #[test]
    fn backoff_and_reset_wait_change_through_setters() {
        let backoff = Backoff::NEVER
            .with_retries(4)
            .with_initial(Duration::from_millis(10))
            .with_max(Duration::from_millis(25));
        assert_eq!(
            backoff,
            Backoff::new(4, Duration::from_millis(10), Duration::from_millis(25))
        );
        assert_eq!(
            (backoff.retries(), backoff.initial(), backoff.max()),
            (4, Duration::from_millis(10), Duration::from_millis(25))
        );
        let wait = ResetWait::NEVER
            .with_retries(1)
            .with_fallback(Duration::from_secs(5))
            .with_max_wait(Duration::from_secs(9));
        assert_eq!(
            wait,
            ResetWait::new(1, Duration::from_secs(5), Duration::from_secs(9))
        );
        assert_eq!(
            (wait.retries(), wait.fallback(), wait.max_wait()),
            (1, Duration::from_secs(5), Duration::from_secs(9))
        );
    }

    #[test]
    fn defaults_bound_connect_retries_and_the_refresh() {
        let policy = Policy::default();
        assert_eq!(policy.connect_failure_settings().retries(), 2);
        assert_eq!(
            policy.token_refresh_timeout_settings(),
            Duration::from_secs(30)
        );
        assert_eq!(Policy::none().connect_failure_settings(), Backoff::NEVER);
        let custom = Policy::none()
            .connect_failure(Backoff::NEVER.with_retries(1))
            .token_refresh_timeout(Duration::from_secs(2));
        assert_eq!(custom.connect_failure_settings().retries(), 1);
        assert_eq!(
            custom.token_refresh_timeout_settings(),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn rate_limits_are_checked() {
        assert_eq!(RateLimit::new(10, 1.5).map(|r| r.burst()), Ok(10));
        for (burst, rate) in [
            (0, 1.0),
            (1, 0.0),
            (1, -2.0),
            (1, f64::NAN),
            (1, f64::INFINITY),
        ] {
            assert!(RateLimit::new(burst, rate).is_err(), "{burst} {rate}");
        }
        let policy = Policy::default();
        assert_eq!(policy.rate_limit_settings(), Some(RateLimit::STANDARD));
        assert_eq!(RateLimit::STANDARD.burst(), 50);
        assert_eq!(RateLimit::ENTERPRISE.per_second(), 5.0);
    }
}
