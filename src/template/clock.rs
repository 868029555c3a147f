//! Where `now` comes from. A template set reads the time through a
//! [`Clock`], so a caller can render the same templates twice with clocks
//! far apart and compare: whatever differs depends on the time (or on
//! randomness, see [`TemplateSet::set_random_seed`]) and is not drift.
//!
//! This module must not format times.
//!
//! [`TemplateSet::set_random_seed`]: super::TemplateSet::set_random_seed

use std::fmt;
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// One reading of a clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockReading {
    /// Wall-clock time: nanoseconds since 1970-01-01T00:00:00Z.
    pub unix_nanos: i128,
    /// Monotonic time: nanoseconds since the process started, which Go
    /// prints after the wall-clock time (`m=+0.042527261`).
    pub monotonic_nanos: i64,
}

/// A source of the current time for `now`, `ago`, `date` of a non-time…
pub trait Clock: fmt::Debug {
    /// The current time.
    fn now(&self) -> ClockReading;
}

/// The machine's clock (the default).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

fn process_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

impl Clock for SystemClock {
    fn now(&self) -> ClockReading {
        let start = process_start();
        let wall = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(since) => since.as_nanos() as i128,
            Err(before) => -(before.duration().as_nanos() as i128),
        };
        let monotonic = Instant::now().duration_since(start).as_nanos().min(i64::MAX as u128) as i64;
        ClockReading { unix_nanos: wall, monotonic_nanos: monotonic }
    }
}

/// Another clock moved by a fixed amount: render once with the system clock
/// and once with `ShiftedClock::new(SystemClock, 10 years)` to see which
/// output depends on the time.
#[derive(Debug)]
pub struct ShiftedClock<C: Clock> {
    base: C,
    shift_nanos: i128,
}

impl<C: Clock> ShiftedClock<C> {
    /// `base` moved forward by `shift` (backward when `backward`).
    pub fn new(base: C, shift: std::time::Duration, backward: bool) -> ShiftedClock<C> {
        let nanos = shift.as_nanos() as i128;
        ShiftedClock { base, shift_nanos: if backward { -nanos } else { nanos } }
    }
}

impl<C: Clock> Clock for ShiftedClock<C> {
    fn now(&self) -> ClockReading {
        let reading = self.base.now();
        ClockReading { unix_nanos: reading.unix_nanos + self.shift_nanos, ..reading }
    }
}

/// A clock that always reads the same time (tests, reproducible renders).
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub ClockReading);

impl FixedClock {
    /// Always `unix_seconds` after the epoch, zero monotonic reading.
    pub fn at_unix_seconds(unix_seconds: i64) -> FixedClock {
        FixedClock(ClockReading { unix_nanos: i128::from(unix_seconds) * 1_000_000_000, monotonic_nanos: 0 })
    }
}

impl Clock for FixedClock {
    fn now(&self) -> ClockReading {
        self.0
    }
}
