//! `--export-rate-limit`: at most N events a minute reach the export file.
//!
//! A token bucket holding a minute's worth of events, refilled continuously,
//! so a burst can use the whole minute's budget at once but the long-run
//! rate never exceeds N per minute.

use std::time::Instant;

pub struct RateLimiter {
    per_minute: f64,
    tokens: f64,
    last: Instant,
    dropped: u64,
}

impl RateLimiter {
    pub fn new(per_minute: u64) -> Self {
        RateLimiter::starting_at(per_minute, Instant::now())
    }

    fn starting_at(per_minute: u64, now: Instant) -> Self {
        RateLimiter {
            per_minute: per_minute as f64,
            tokens: per_minute as f64,
            last: now,
            dropped: 0,
        }
    }

    /// Whether one more event may pass now; a refused one is counted.
    pub fn allow(&mut self) -> bool {
        self.allow_at(Instant::now())
    }

    fn allow_at(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_minute / 60.0).min(self.per_minute);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            self.dropped += 1;
            false
        }
    }

    /// Events refused since the last call.
    pub fn take_dropped(&mut self) -> u64 {
        std::mem::take(&mut self.dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn passes_a_minutes_budget_then_drops_and_counts() {
        let t0 = Instant::now();
        let mut rl = RateLimiter::starting_at(3, t0);
        let passed: Vec<bool> = (0..5).map(|_| rl.allow_at(t0)).collect();
        assert_eq!(passed, [true, true, true, false, false]);
        assert_eq!(rl.take_dropped(), 2);
        assert_eq!(rl.take_dropped(), 0);
    }

    #[test]
    fn refills_at_the_per_minute_rate() {
        let t0 = Instant::now();
        let mut rl = RateLimiter::starting_at(60, t0);
        for _ in 0..60 {
            assert!(rl.allow_at(t0));
        }
        assert!(!rl.allow_at(t0));
        // One event a second at 60 a minute.
        assert!(rl.allow_at(t0 + Duration::from_secs(1)));
        assert!(!rl.allow_at(t0 + Duration::from_secs(1)));
        // The bucket never holds more than a minute's worth.
        let later = t0 + Duration::from_secs(3600);
        assert_eq!((0..100).filter(|_| rl.allow_at(later)).count(), 60);
    }
}
