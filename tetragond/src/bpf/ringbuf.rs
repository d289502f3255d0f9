//! Drains the BPF ring buffer without making the kernel wait.
//!
//! The kernel side posts without waking us (cheaper per exec) and forces a
//! wake-up only once a backlog builds, so besides epoll readiness the
//! reader also polls on a short timer.

use std::time::Duration;

use anyhow::{Context, Result};
use aya::maps::{MapData, RingBuf};
use tokio::io::unix::AsyncFd;

/// How long a record may sit unread when the kernel did not wake us.
const POLL_INTERVAL: Duration = Duration::from_millis(20);

pub struct RingBufReader {
    fd: AsyncFd<RingBuf<MapData>>,
}

impl RingBufReader {
    pub fn new(ring: RingBuf<MapData>) -> Result<Self> {
        // SAFETY: the ring buffer owns its map fd, which stays open for as
        // long as the RingBuf, and so the AsyncFd that owns it, lives.
        let fd = unsafe { AsyncFd::register(ring) }
            .map_err(|e| e.into_parts().1)
            .context("registering the ring buffer with the reactor")?;
        Ok(RingBufReader { fd })
    }

    /// Waits until records may be ready (a wake-up or the poll timer), then
    /// hands each available record to `f`; returns how many it handed over.
    pub async fn read_batch(&mut self, mut f: impl FnMut(&[u8])) -> Result<usize> {
        tokio::select! {
            guard = self.fd.readable_mut() => {
                let mut guard = guard.context("waiting on the ring buffer")?;
                guard.clear_ready();
            }
            _ = tokio::time::sleep(POLL_INTERVAL) => {}
        }
        let ring = self.fd.get_mut();
        let mut n = 0;
        while let Some(item) = ring.next() {
            f(&item);
            n += 1;
        }
        Ok(n)
    }
}
