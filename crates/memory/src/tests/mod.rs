//! Unit tests, grouped by the behaviour they pin down.

use std::sync::Arc;

use crate::{GuestRam, FRAME_SIZE};

mod access;
mod digest;
mod sharing;
mod snapshot;

const BASE: u64 = 0x8000_0000;
const FRAME: u64 = FRAME_SIZE as u64;

fn ram(frames: u64) -> GuestRam {
    GuestRam::new(BASE, frames * FRAME).unwrap()
}

/// Whether both RAMs hold the very same allocation for frame `idx`.
fn shares<D, E>(a: &GuestRam<D>, b: &GuestRam<E>, idx: usize) -> bool {
    Arc::ptr_eq(&a.frames[idx], &b.frames[idx])
}

fn unique(rams: &[&GuestRam]) -> usize {
    GuestRam::stats(rams).unique_frames
}

/// The random tests' generator (xorshift64): steps `x` and returns it.
fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// What [`GuestRam::stats`] counts, by sorting every frame pointer: the reference it is checked
/// against.
fn distinct_allocations(rams: &[&GuestRam]) -> usize {
    let mut p: Vec<_> = rams
        .iter()
        .flat_map(|r| r.frames.iter().map(Arc::as_ptr))
        .collect();
    p.sort_unstable();
    p.dedup();
    p.len()
}

#[test]
fn guest_ram_can_move_to_and_be_shared_with_replica_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<GuestRam>();
    send_sync::<GuestRam<()>>();
}
