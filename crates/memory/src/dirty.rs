//! Dirty-frame tracking, pluggable in the spirit of rust-vmm vm-memory's `Bitmap`.
//!
//! [`GuestRam`](crate::GuestRam) calls [`DirtyLog::mark`] on every `frame_mut`, so implementations must
//! make `mark` O(1) and allocation-free.

/// A record of which frames were handed out for writing since the last [`DirtyLog::clear`].
///
/// Marks are conservative: a frame is marked when a writable reference to it is taken, even if the
/// caller then writes nothing, or writes back the bytes that were already there. `Clone` because
/// [`GuestRam::fork`](crate::GuestRam::fork) hands the child a copy of the parent's marks.
pub trait DirtyLog: Clone {
    /// Creates a clean log for a RAM of `frames` frames.
    fn with_frames(frames: usize) -> Self;
    /// Records that frame `idx` may have been written. `idx` is always below the frame count.
    fn mark(&mut self, idx: usize);
    /// Whether frame `idx` was marked since the last clear.
    fn is_dirty(&self, idx: usize) -> bool;
    /// Forgets every mark.
    fn clear(&mut self);
    /// The marked frame indices, in ascending order.
    fn iter(&self) -> impl Iterator<Item = usize> + '_;
}

/// The no-op log, for RAMs whose users never ask what changed: nothing is ever dirty.
impl DirtyLog for () {
    fn with_frames(_frames: usize) -> Self {}
    fn mark(&mut self, _idx: usize) {}
    fn is_dirty(&self, _idx: usize) -> bool {
        false
    }
    fn clear(&mut self) {}
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::empty()
    }
}

/// The default log: one bit per frame (8 KiB for 256 MiB of RAM).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DirtyBitmap {
    words: Vec<u64>,
}

impl DirtyBitmap {
    /// How many frames are currently marked.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }
}

impl DirtyLog for DirtyBitmap {
    fn with_frames(frames: usize) -> Self {
        Self {
            words: vec![0; frames.div_ceil(64)],
        }
    }

    #[inline]
    fn mark(&mut self, idx: usize) {
        self.words[idx / 64] |= 1 << (idx % 64);
    }

    fn is_dirty(&self, idx: usize) -> bool {
        self.words
            .get(idx / 64)
            .is_some_and(|w| w & (1 << (idx % 64)) != 0)
    }

    fn clear(&mut self) {
        self.words.fill(0);
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        // Skipping whole zero words keeps a mostly-clean 256 MiB log cheap to walk.
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(w * 64 + bit)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmap_iterates_marks_in_ascending_order_across_words() {
        let mut log = DirtyBitmap::with_frames(200);
        for idx in [199, 0, 64, 63, 130, 64] {
            log.mark(idx);
        }
        assert_eq!(log.iter().collect::<Vec<_>>(), [0, 63, 64, 130, 199]);
        assert_eq!(log.count(), 5);
        assert!(log.is_dirty(130) && !log.is_dirty(131) && !log.is_dirty(10_000));
        log.clear();
        assert_eq!(log.iter().count(), 0);
    }

    /// Marks frames 3 and 5 of an 8-frame log, returning what it reports.
    fn marks_3_and_5<L: DirtyLog>() -> (Vec<usize>, bool) {
        let mut log = L::with_frames(8);
        log.mark(5);
        log.mark(3);
        (log.iter().collect(), log.is_dirty(3))
    }

    #[test]
    fn unit_log_never_reports_anything() {
        assert_eq!(marks_3_and_5::<()>(), (vec![], false));
        assert_eq!(marks_3_and_5::<DirtyBitmap>(), (vec![3, 5], true));
    }
}
