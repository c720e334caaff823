//! Re-sharing identical frames between RAMs and accounting for what sharing saves.

use std::sync::Arc;

use crate::dirty::DirtyLog;
use crate::frame::{zero_frame, Frame};
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
    /// When both frames' hashes are cached (as after a [`digest`](Self::digest) of each RAM),
    /// they decide: equal BLAKE3 hashes are taken as equal contents, as the replicas' state
    /// digests already are. Otherwise each candidate costs a 4 KiB comparison. Passing
    /// [`dirty_frames`](Self::dirty_frames) keeps the candidate set small.
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
            let same = match (mine.hash.get(), theirs.hash.get()) {
                (Some(a), Some(b)) => a == b,
                // The two frames were usually written on different cores: comparing their
                // bytes here pulled 8 KiB per candidate into this core's cache.
                _ => mine.data == theirs.data,
            };
            if !same {
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

    /// Frame counts over `rams`: O(total frames) pointer comparisons, no frame contents read.
    pub fn stats(rams: &[&GuestRam<D>]) -> MemoryStats {
        // An allocation other than the shared zero frame sits at one frame index only (new
        // frames are made at an index, and fork, merge and restore keep indices), so distinct
        // frames can be counted index by index: no sort, no hashing.
        const CHUNK: usize = 64;
        let zero = Arc::as_ptr(zero_frame());
        let logical_frames = rams.iter().map(|r| r.frames.len()).sum();
        let longest = rams.iter().map(|r| r.frames.len()).max().unwrap_or(0);
        let (mut unique_frames, mut zero_seen) = (0, false);
        let mut seen = Vec::with_capacity(rams.len());
        for at in (0..longest).step_by(CHUNK) {
            let span = at..(at + CHUNK).min(longest);
            // Mostly every RAM holds the same frames across a whole chunk: compared without
            // branches, this runs as vector instructions (the coordinator samples at every
            // checkpoint, and the per-index loop below had cost it ~0.2 ms each time).
            let first = rams[0].frames.get(span.clone());
            let same = first.filter(|first| {
                rams[1..].iter().all(|r| {
                    r.frames.get(span.clone()).is_some_and(|f| {
                        f.iter()
                            .zip(*first)
                            .fold(true, |eq, (a, b)| eq & Arc::ptr_eq(a, b))
                    })
                })
            });
            if let Some(frames) = same {
                let zeros = frames
                    .iter()
                    .fold(0, |n, f| n + (Arc::as_ptr(f) == zero) as usize);
                unique_frames += frames.len() - zeros;
                zero_seen |= zeros > 0;
            } else {
                for idx in span {
                    zero_seen |= Self::distinct_at(rams, idx, zero, &mut seen);
                    unique_frames += seen.len();
                }
            }
        }
        MemoryStats {
            logical_frames,
            unique_frames: unique_frames + zero_seen as usize,
        }
    }

    /// Leaves the distinct non-zero frames at index `idx` over `rams` in `seen`; returns
    /// whether any RAM holds the zero frame there.
    fn distinct_at(
        rams: &[&GuestRam<D>],
        idx: usize,
        zero: *const Frame,
        seen: &mut Vec<*const Frame>,
    ) -> bool {
        seen.clear();
        let mut zero_seen = false;
        for f in rams.iter().filter_map(|r| r.frames.get(idx)).map(Arc::as_ptr) {
            if f == zero {
                zero_seen = true;
            } else if !seen.contains(&f) {
                seen.push(f);
            }
        }
        zero_seen
    }

    /// Frames no other RAM references (never the shared zero frame): what dropping this RAM would
    /// free. A snapshot if other RAMs are concurrently being dropped or written on other threads.
    pub fn private_frames(&self) -> usize {
        // A non-zero allocation sits at one index of a RAM at most (fork and merge keep indices), so
        // a count of one means this RAM, at this index, is the only holder.
        self.frames.iter().filter(|f| Arc::strong_count(f) == 1).count()
    }
}
