//! Kernel boot-time nanoseconds to wall-clock timestamps.

use tetragon_api::wkt::Timestamp;

/// Wall-clock time of boot, in nanoseconds since the epoch, measured as
/// CLOCK_REALTIME - CLOCK_BOOTTIME (the clock bpf_ktime_get_boot_ns reads).
#[derive(Debug, Clone, Copy)]
pub struct BootClock {
    boot_epoch_ns: i128,
}

fn clock_ns(clock: libc::clockid_t) -> i128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes only into the timespec we pass.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128
}

impl BootClock {
    pub fn now() -> Self {
        BootClock {
            boot_epoch_ns: clock_ns(libc::CLOCK_REALTIME) - clock_ns(libc::CLOCK_BOOTTIME),
        }
    }

    pub fn boot_ns_now() -> u64 {
        clock_ns(libc::CLOCK_BOOTTIME) as u64
    }

    pub fn timestamp(&self, boot_ns: u64) -> Timestamp {
        let ns = self.boot_epoch_ns + boot_ns as i128;
        Timestamp {
            seconds: ns.div_euclid(1_000_000_000) as i64,
            nanos: ns.rem_euclid(1_000_000_000) as i32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boot_time_of_now_is_close_to_the_wall_clock() {
        let clock = BootClock::now();
        let ts = clock.timestamp(BootClock::boot_ns_now());
        let wall = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!((ts.seconds - wall).abs() <= 1);
        assert!((0..1_000_000_000).contains(&ts.nanos));
    }
}
