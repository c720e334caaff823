//! Re-sharing identical frames between RAMs and accounting for what sharing saves.

use std::sync::Arc;

use crate::dirty::DirtyLog;
use crate::{GuestRam, FRAME_SIZE};

/// Frame counts over a set of RAMs, from [`GuestRam::stats`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryStats {
    /// Sum of the RAMs' frame counts: what they would cost with no sharing.
    pub logical_frames: usize,
    /// Distinct frame allocations they reference (by identity, not content), the shared zero frame
    /// counted once: what they actually cost.
    pub unique_frames: usize,
}

impl MemoryStats {
    /// `logical_frames` in bytes.
    pub fn logical_bytes(&self) -> u64 {
        self.logical_frames as u64 * FRAME_SIZE as u64
    }

    /// `unique_frames` in bytes.
    pub fn unique_bytes(&self) -> u64 {
        self.unique_frames as u64 * FRAME_SIZE as u64
    }
}

impl<D: DirtyLog> GuestRam<D> {
    /// For each index in `frames` (indices outside either RAM are skipped) whose contents are
    /// byte-identical in both RAMs but held in distinct allocations, makes `self` share `other`'s
    /// frame. Returns how many frames merged. Contents never change, so no frame is marked dirty;
    /// if any frame merged, the [`epoch`](Self::epoch) of both RAMs changes.
    ///
    /// Costs a 4 KiB comparison per candidate, skipped when both frames' hashes are cached and differ;
    /// passing [`dirty_frames`](Self::dirty_frames) keeps the candidate set small.
    pub fn merge_identical<E: DirtyLog>(
        &mut self,
        other: &GuestRam<E>,
        frames: impl IntoIterator<Item = usize>,
    ) -> usize {
        let mut merged = 0;
        for idx in frames {
            let (Some(mine), Some(theirs)) = (self.frames.get(idx), other.frames.get(idx)) else {
                continue;
            };
            if Arc::ptr_eq(mine, theirs) {
                continue;
            }
            if let (Some(a), Some(b)) = (mine.hash.get(), theirs.hash.get()) {
                if a != b {
                    continue;
                }
            }
            if mine.data != theirs.data {
                continue;
            }
            self.frames[idx] = Arc::clone(theirs);
            merged += 1;
        }
        if merged > 0 {
            self.bump_epoch();
            other.bump_epoch();
        }
        merged
    }

    /// Frame counts over `rams`: O(total frames log total frames), no frame contents read.
    pub fn stats(rams: &[&GuestRam<D>]) -> MemoryStats {
        // Sorting addresses instead of using a HashSet keeps host randomness (RandomState) out.
        let mut frames: Vec<*const _> = rams
            .iter()
            .flat_map(|ram| ram.frames.iter().map(Arc::as_ptr))
            .collect();
        let logical_frames = frames.len();
        frames.sort_unstable();
        frames.dedup();
        MemoryStats {
            logical_frames,
            unique_frames: frames.len(),
        }
    }

    /// Frames no other RAM references (never the shared zero frame): what dropping this RAM would
    /// free. A snapshot if other RAMs are concurrently being dropped or written on other threads.
    pub fn private_frames(&self) -> usize {
        // A non-zero allocation sits at one index of a RAM at most (fork and merge keep indices), so
        // a count of one means this RAM, at this index, is the only holder.
        self.frames.iter().filter(|f| Arc::strong_count(f) == 1).count()
    }
}
