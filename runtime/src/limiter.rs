//! The client-side leaky bucket that paces calls ([`RateLimit`]), shared by every clone of a
//! client.
//!
//! It mirrors the portal's counter: each call adds one, the level drains at `per_second`, and
//! a call that would take the level above `burst` waits until it would not. Waiting callers
//! reserve their slot up front, so they leave in the order they came and never all at once.
//!
//! A caller that gives up while waiting (its call future dropped, e.g. by a timeout) gives
//! its slot back: the level drops by one, so later callers are not slowed by a call that was
//! never sent. Callers already waiting keep the wait they were given, which is then a
//! little longer than needed, never shorter.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use crate::policy::RateLimit;

pub(crate) struct Limiter {
    rate: RateLimit,
    bucket: Mutex<Bucket>,
    /// Nanoseconds every caller has waited, in all: what a benchmark reports beside the
    /// requests made.
    waited: AtomicU64,
}

struct Bucket {
    /// Calls in the bucket, reservations of waiting callers included.
    level: f64,
    updated: Instant,
}

impl Limiter {
    pub(crate) fn new(rate: RateLimit) -> Self {
        Limiter {
            rate,
            bucket: Mutex::new(Bucket {
                level: 0.0,
                updated: Instant::now(),
            }),
            waited: AtomicU64::new(0),
        }
    }

    /// How long callers have waited for their slots, in all (those that gave up included).
    pub(crate) fn waited(&self) -> Duration {
        Duration::from_nanos(self.waited.load(Ordering::Relaxed))
    }

    /// Reserves the next slot and returns how long the caller must wait for it.
    fn reserve(&self) -> Duration {
        let mut bucket = self.lock();
        let burst = f64::from(self.rate.burst());
        let per_second = self.rate.per_second();
        let now = Instant::now();
        let drained = now.duration_since(bucket.updated).as_secs_f64() * per_second;
        bucket.level = (bucket.level - drained).max(0.0);
        bucket.updated = now;
        let over = bucket.level + 1.0 - burst;
        bucket.level += 1.0;
        if over > 0.0 {
            Duration::from_secs_f64(over / per_second)
        } else {
            Duration::ZERO
        }
    }

    /// Waits for the next slot; returns how long that took. Dropped before the wait is over,
    /// it gives the slot back.
    pub(crate) async fn acquire(&self) -> Duration {
        let wait = self.reserve();
        if !wait.is_zero() {
            let nanos = u64::try_from(wait.as_nanos()).unwrap_or(u64::MAX);
            self.waited.fetch_add(nanos, Ordering::Relaxed);
            let reservation = Reservation {
                limiter: self,
                used: false,
            };
            tokio::time::sleep(wait).await;
            reservation.use_it();
        }
        wait
    }

    /// Takes back one reserved slot that will not be used.
    fn release(&self) {
        let per_second = self.rate.per_second();
        let mut bucket = self.lock();
        let now = Instant::now();
        let drained = now.duration_since(bucket.updated).as_secs_f64() * per_second;
        bucket.level = (bucket.level - drained - 1.0).max(0.0);
        bucket.updated = now;
    }

    /// The portal said `QUERY_LIMIT_EXCEEDED`: its bucket is full (other programs on the same
    /// IP address count too), so ours is treated as full, slowing every clone down.
    pub(crate) fn saturate(&self) {
        let burst = f64::from(self.rate.burst());
        let mut bucket = self.lock();
        bucket.level = bucket.level.max(burst);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Bucket> {
        self.bucket
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A slot reserved by a waiting caller: given back when dropped unused.
struct Reservation<'l> {
    limiter: &'l Limiter,
    used: bool,
}

impl Reservation<'_> {
    /// The wait is over and the call goes out: the slot stays taken.
    fn use_it(mut self) {
        self.used = true;
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if !self.used {
            self.limiter.release();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With a paused clock, `n` calls started together take exactly the time the bucket
    /// allows: nothing for the burst, then one slot per `1 / per_second`.
    #[tokio::test(start_paused = true)]
    async fn calls_take_the_time_the_bucket_allows() {
        for (rate, calls) in [(RateLimit::STANDARD, 60_u32), (RateLimit::ENTERPRISE, 270)] {
            let limiter = std::sync::Arc::new(Limiter::new(rate));
            let start = Instant::now();
            let mut tasks = Vec::new();
            for _ in 0..calls {
                let limiter = std::sync::Arc::clone(&limiter);
                tasks.push(tokio::spawn(async move {
                    limiter.acquire().await;
                    Instant::now()
                }));
            }
            let mut finished = Vec::new();
            for task in tasks {
                finished.push(task.await.expect("task").duration_since(start));
            }
            finished.sort();
            let slot = 1.0 / rate.per_second();
            for (i, at) in finished.iter().enumerate() {
                let allowed = (i as f64 + 1.0 - f64::from(rate.burst())).max(0.0) * slot;
                assert!(
                    (at.as_secs_f64() - allowed).abs() < 1e-3,
                    "call {i} left at {at:?}, the bucket allows {allowed} s"
                );
            }
            let expected = f64::from(calls - rate.burst()) / rate.per_second();
            let total = finished.last().expect("calls").as_secs_f64();
            assert!((total - expected).abs() < 1e-3, "{total} vs {expected}");
        }
    }

    /// A caller that gives up while waiting does not delay the next one: burst 1 at 1/s, the
    /// second caller (due at 1 s) gives up at 0.1 s, and the third leaves at 1 s, not 2 s.
    #[tokio::test(start_paused = true)]
    async fn a_cancelled_wait_gives_its_slot_back() {
        let limiter = Limiter::new(RateLimit::new(1, 1.0).expect("valid"));
        assert_eq!(limiter.acquire().await, Duration::ZERO);
        let gave_up = tokio::time::timeout(Duration::from_millis(100), limiter.acquire()).await;
        assert!(
            gave_up.is_err(),
            "the second caller should still be waiting"
        );
        let wait = limiter.acquire().await;
        assert!(
            (wait.as_secs_f64() - 0.9).abs() < 1e-6,
            "the third caller waited {wait:?}, not the 0.9 s left of the first slot"
        );
        // A wait that runs to its end keeps its slot: the next caller queues behind it.
        assert_eq!(limiter.acquire().await, Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn the_bucket_drains_while_idle_and_fills_on_503() {
        let limiter = Limiter::new(RateLimit::new(2, 1.0).expect("valid"));
        assert_eq!(limiter.acquire().await, Duration::ZERO);
        assert_eq!(limiter.acquire().await, Duration::ZERO);
        assert_eq!(limiter.acquire().await, Duration::from_secs(1));
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(limiter.acquire().await, Duration::ZERO);
        limiter.saturate();
        assert_eq!(limiter.acquire().await, Duration::from_secs(1));
    }
}
