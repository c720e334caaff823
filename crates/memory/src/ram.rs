//! [`GuestRam`]: the frame table, copy-on-write access, forking, dirty tracking and the epoch.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use crate::dirty::{DirtyBitmap, DirtyLog};
use crate::frame::{zero_frame, Frame};
use crate::{FrameData, MemoryError, FRAME_SIZE};

const FRAME_BYTES: u64 = FRAME_SIZE as u64;

/// Source of epoch values. Global rather than per RAM so that no two RAMs in the process ever show
/// the same epoch: a cache keyed on the epoch cannot be fooled by swapping in a different RAM.
static NEXT_EPOCH: AtomicU64 = AtomicU64::new(1);

fn fresh_epoch() -> u64 {
    NEXT_EPOCH.fetch_add(1, Ordering::Relaxed)
}

/// Guest RAM: a contiguous guest-physical range made of 4 KiB frames that may be shared,
/// copy-on-write, with other `GuestRam`s.
///
/// `D` records which frames were written since the last [`clear_dirty`](Self::clear_dirty); use
/// `GuestRam<()>` to track nothing.
pub struct GuestRam<D = DirtyBitmap> {
    base: u64,
    size: u64,
    pub(crate) frames: Vec<Arc<Frame>>,
    dirty: D,
    /// Atomic only so `&self` operations (`fork`, `digest`, being merged from) can change it.
    epoch: AtomicU64,
    /// Per frame, the epoch in which `frame_mut` last made it exclusive, dirty and unhashed (0:
    /// never). While that is still the current epoch, all three still hold, so a write needs
    /// none of `frame_mut`'s bookkeeping (an atomic compare-exchange per store, otherwise).
    writable: Vec<u64>,
    /// Per group of [`DIGEST_CHUNK`](crate::hash::DIGEST_CHUNK) frames, the hash of their frame
    /// hashes, cached by [`digest`](Self::digest) and dropped when a frame of the group is made
    /// writable; so a digest rehashes only the groups written since the last one.
    pub(crate) chunk_hashes: Vec<OnceLock<[u8; 32]>>,
    /// Calls of [`write`](Self::write): half of the [`stamp`](Self::stamp).
    writes: u64,
}

impl GuestRam<DirtyBitmap> {
    /// Creates `size` bytes of zeroed RAM at guest-physical `base`, tracked by a [`DirtyBitmap`].
    ///
    /// Every frame starts as a reference to one process-wide zero frame, so this costs one pointer
    /// per frame, not `size` bytes.
    ///
    /// # Errors
    /// [`MemoryError::BadBase`] if `base` is not frame aligned, [`MemoryError::BadSize`] if `size` is
    /// zero or not a multiple of [`FRAME_SIZE`], [`MemoryError::AddressOverflow`] if `base + size`
    /// exceeds `u64::MAX`.
    pub fn new(base: u64, size: u64) -> Result<Self, MemoryError> {
        Self::new_with_log(base, size)
    }
}

impl<D: DirtyLog> GuestRam<D> {
    /// Like [`GuestRam::new`], with a caller-chosen dirty log type, e.g. `GuestRam::<()>::new_with_log`.
    ///
    /// # Errors
    /// As for [`GuestRam::new`].
    pub fn new_with_log(base: u64, size: u64) -> Result<Self, MemoryError> {
        Ok(Self::from_frames(base, Self::zeroed_frames(base, size)?))
    }

    /// A checked layout's frame table, every entry the shared zero frame.
    pub(crate) fn zeroed_frames(base: u64, size: u64) -> Result<Vec<Arc<Frame>>, MemoryError> {
        let count = Self::check_layout(base, size)?;
        let mut frames = Vec::new();
        // A corrupt snapshot header can ask for petabytes; fail cleanly rather than abort.
        frames
            .try_reserve_exact(count)
            .map_err(|_| MemoryError::BadSize { size })?;
        frames.resize(count, Arc::clone(zero_frame()));
        Ok(frames)
    }

    /// Validates a layout and returns its frame count.
    fn check_layout(base: u64, size: u64) -> Result<usize, MemoryError> {
        if !base.is_multiple_of(FRAME_BYTES) {
            return Err(MemoryError::BadBase { base });
        }
        if size == 0 || !size.is_multiple_of(FRAME_BYTES) {
            return Err(MemoryError::BadSize { size });
        }
        if base.checked_add(size).is_none() {
            return Err(MemoryError::AddressOverflow { base, size });
        }
        usize::try_from(size / FRAME_BYTES).map_err(|_| MemoryError::BadSize { size })
    }

    /// Builds a RAM around frames whose layout was already checked.
    pub(crate) fn from_frames(base: u64, frames: Vec<Arc<Frame>>) -> Self {
        Self {
            base,
            size: frames.len() as u64 * FRAME_BYTES,
            dirty: D::with_frames(frames.len()),
            writable: vec![0; frames.len()],
            chunk_hashes: vec![OnceLock::new(); frames.len().div_ceil(crate::hash::DIGEST_CHUNK)],
            writes: 0,
            frames,
            epoch: AtomicU64::new(fresh_epoch()),
        }
    }

    /// Guest-physical address of the first byte.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Size in bytes (a non-zero multiple of [`FRAME_SIZE`]).
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Number of frames, `size() / FRAME_SIZE`.
    pub fn frame_count(&self) -> usize {
        self.frames.len()
    }

    /// Index of the frame holding guest-physical address `gpa`, or `None` outside this RAM.
    #[inline]
    pub fn frame_index(&self, gpa: u64) -> Option<usize> {
        let offset = gpa.checked_sub(self.base).filter(|&off| off < self.size)?;
        Some((offset / FRAME_BYTES) as usize)
    }

    /// Whether all of `[gpa, gpa + len)` lies inside this RAM. An empty range counts as inside when
    /// `gpa` is in `[base, base + size]`.
    pub fn contains(&self, gpa: u64, len: u64) -> bool {
        gpa >= self.base && len <= self.size && gpa - self.base <= self.size - len
    }

    /// Read access to frame `idx`. O(1), never copies.
    ///
    /// # Panics
    /// If `idx >= frame_count()`.
    #[inline]
    pub fn frame(&self, idx: usize) -> &FrameData {
        &self.frames[idx].data
    }

    /// Write access to frame `idx`: copies the frame first if any other RAM shares it, marks it
    /// dirty and drops its cached hash. O(1); allocates only for that copy.
    ///
    /// The returned reference stays exclusive, dirty and unhashed until [`epoch`](Self::epoch)
    /// changes, so a caller may keep writing through a pointer derived from it until then.
    /// Writes through it do not change the [`stamp`](Self::stamp): its caller knows of them.
    ///
    /// # Panics
    /// If `idx >= frame_count()`.
    #[inline]
    #[allow(unsafe_code)]
    pub fn frame_mut(&mut self, idx: usize) -> &mut FrameData {
        let epoch = *self.epoch.get_mut();
        if self.writable[idx] == epoch {
            let frame = Arc::as_ptr(&self.frames[idx]).cast_mut();
            // SAFETY: `writable[idx] == epoch` means the slow path below made this `Arc` unique
            // in the current epoch, and everything that could have shared it since (fork, merge)
            // would have changed the epoch; no `Weak` is ever made. So this RAM holds the only
            // reference to the frame, and `&mut self` makes the returned borrow exclusive: the
            // same conditions under which `Arc::get_mut` hands out `&mut`.
            return unsafe { &mut (*frame).data };
        }
        self.frame_mut_slow(idx, epoch)
    }

    #[inline(never)]
    fn frame_mut_slow(&mut self, idx: usize, epoch: u64) -> &mut FrameData {
        let slot = &mut self.frames[idx];
        self.dirty.mark(idx);
        let frame = Arc::make_mut(slot);
        frame.hash.take();
        self.chunk_hashes[idx / crate::hash::DIGEST_CHUNK].take();
        self.writable[idx] = epoch;
        &mut frame.data
    }

    /// Copies `buf.len()` bytes starting at guest-physical `gpa` into `buf`, across frames.
    ///
    /// # Errors
    /// [`MemoryError::OutOfRange`] if any byte lies outside this RAM; `buf` is then untouched.
    pub fn read(&self, gpa: u64, buf: &mut [u8]) -> Result<(), MemoryError> {
        let mut done = 0;
        for (idx, at, n) in self.pieces(gpa, buf.len())? {
            buf[done..done + n].copy_from_slice(&self.frames[idx].data[at..at + n]);
            done += n;
        }
        Ok(())
    }

    /// Copies `data` into guest RAM starting at guest-physical `gpa`, across frames, with the
    /// copy-on-write and dirty marking of [`frame_mut`](Self::frame_mut).
    ///
    /// # Errors
    /// [`MemoryError::OutOfRange`] if any byte lies outside this RAM; nothing is written then.
    pub fn write(&mut self, gpa: u64, data: &[u8]) -> Result<(), MemoryError> {
        self.writes += 1;
        let mut done = 0;
        for (idx, at, n) in self.pieces(gpa, data.len())? {
            self.frame_mut(idx)[at..at + n].copy_from_slice(&data[done..done + n]);
            done += n;
        }
        Ok(())
    }

    /// Splits a range-checked access into `(frame index, offset in frame, length)` pieces.
    fn pieces(
        &self,
        gpa: u64,
        len: usize,
    ) -> Result<impl Iterator<Item = (usize, usize, usize)>, MemoryError> {
        let len = len as u64;
        if !self.contains(gpa, len) {
            return Err(MemoryError::OutOfRange { gpa, len });
        }
        let mut offset = gpa - self.base;
        let end = offset + len;
        Ok(std::iter::from_fn(move || {
            (offset < end).then(|| {
                let at = offset % FRAME_BYTES;
                let n = (FRAME_BYTES - at).min(end - offset);
                let piece = ((offset / FRAME_BYTES) as usize, at as usize, n as usize);
                offset += n;
                piece
            })
        }))
    }

    /// A copy of this RAM that shares every frame with it, copy-on-write: O(frames) reference
    /// copies, no frame copies. The copy gets the same dirty marks and a fresh epoch; this RAM's
    /// epoch changes because its frames are no longer exclusive.
    pub fn fork(&self) -> Self {
        self.bump_epoch();
        Self {
            base: self.base,
            size: self.size,
            frames: self.frames.clone(),
            dirty: self.dirty.clone(),
            epoch: AtomicU64::new(fresh_epoch()),
            writable: vec![0; self.frames.len()],
            chunk_hashes: self.chunk_hashes.clone(),
            writes: 0,
        }
    }

    /// Brings this RAM, a copy of `src` that agreed with it frame by frame when `src`'s dirty
    /// log was last cleared (a checkpoint forked right then, say), up to date in O(dirty
    /// frames): it shares `src`'s frame at every index in `src`'s
    /// [`dirty_frames`](Self::dirty_frames), so its contents and digest equal a fresh
    /// `src.fork()`'s. Its own dirty marks stay. A fresh fork of 256 MiB costs 65536
    /// reference-count increments, and dropping the copy it replaces as many decrements: most
    /// of a checkpoint's pause once digests were incremental. A `src` of another layout is
    /// forked whole.
    pub fn catch_up(&mut self, src: &Self) {
        if (self.base, self.size) != (src.base, src.size) {
            let dirty = self.dirty.clone();
            *self = src.fork();
            self.dirty = dirty;
            return;
        }
        // `src`'s frames at those indices stop being exclusive.
        src.bump_epoch();
        let mut chunk = usize::MAX;
        for idx in src.dirty_frames() {
            self.frames[idx] = Arc::clone(&src.frames[idx]);
            // Every frame of the chunk now equals `src`'s, so `src`'s cached hash of it holds.
            if idx / crate::hash::DIGEST_CHUNK != chunk {
                chunk = idx / crate::hash::DIGEST_CHUNK;
                self.chunk_hashes[chunk] = src.chunk_hashes[chunk].clone();
            }
        }
        self.bump_epoch();
    }

    /// Whether frame `idx` was written (handed out by `frame_mut`) since the
    /// [`epoch`](Self::epoch) last changed: a frame written that recently is likely to be
    /// written again, so sharing it would only buy a copy on the next write.
    ///
    /// # Panics
    /// If `idx >= frame_count()`.
    pub fn written_this_epoch(&self, idx: usize) -> bool {
        self.writable[idx] == self.epoch()
    }

    /// Frames written (strictly: handed out by `frame_mut`) since the last
    /// [`clear_dirty`](Self::clear_dirty), ascending.
    pub fn dirty_frames(&self) -> impl Iterator<Item = usize> + '_ {
        self.dirty.iter()
    }

    /// Whether frame `idx` is in [`dirty_frames`](Self::dirty_frames).
    pub fn is_dirty(&self, idx: usize) -> bool {
        self.dirty.is_dirty(idx)
    }

    /// The dirty log itself, for implementation-specific queries such as [`DirtyBitmap::count`].
    pub fn dirty_log(&self) -> &D {
        &self.dirty
    }

    /// Starts a new dirty-tracking interval. Changes the epoch, since outstanding writable
    /// references would otherwise write without being marked.
    pub fn clear_dirty(&mut self) {
        self.dirty.clear();
        self.bump_epoch();
    }

    /// Like [`clear_dirty`](Self::clear_dirty), returning the frames that were dirty: a replica
    /// that runs on past a checkpoint before it is verified keeps them, to give them back with
    /// [`mark_dirty`](Self::mark_dirty) if that checkpoint is never taken.
    pub fn take_dirty(&mut self) -> Vec<usize> {
        let frames = self.dirty.iter().collect();
        self.clear_dirty();
        frames
    }

    /// Marks `frames` dirty, as if they had been written. Indices past the end are ignored.
    pub fn mark_dirty(&mut self, frames: &[usize]) {
        for &idx in frames.iter().filter(|&&i| i < self.frames.len()) {
            self.dirty.mark(idx);
        }
    }

    /// A value that changes whenever a reference returned by an earlier
    /// [`frame_mut`](Self::frame_mut) may have stopped being (a) exclusively owned by this RAM,
    /// (b) marked dirty, or (c) free of a cached hash. A caller caching writable frame pointers must
    /// drop them all when it sees a new value. It changes exactly on:
    ///
    /// - [`fork`](Self::fork) (of this RAM: its frames become shared);
    /// - [`merge_identical`](Self::merge_identical), on both RAMs, when at least one frame merged;
    /// - [`clear_dirty`](Self::clear_dirty);
    /// - [`digest`](Self::digest), [`frame_hash`](Self::frame_hash) and [`save`](Self::save), when
    ///   they had to hash a frame whose hash was not cached (i.e. written since last hashed).
    ///
    /// It does not change on `frame_mut`, `write`, `read` or anything else. Values are opaque and
    /// never repeat within a process, across all RAMs, so a new or restored RAM never reuses one.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Relaxed)
    }

    /// A value that changes whenever this RAM's contents may have changed other than through
    /// [`frame_mut`](Self::frame_mut), or its frames may have moved: on every
    /// [`write`](Self::write) (devices' DMA, host input, fault injection) and every change of
    /// the [`epoch`](Self::epoch). Like the epoch, values never repeat across RAMs.
    ///
    /// It is for the one writer that uses `frame_mut`, the hart (through its bus), which tracks
    /// its own writes: while the stamp stays the same, everything it cached about RAM (frame
    /// addresses, decoded code) still holds, whatever happened in between.
    pub fn stamp(&self) -> (u64, u64) {
        (self.epoch(), self.writes)
    }

    pub(crate) fn bump_epoch(&self) {
        self.epoch.store(fresh_epoch(), Ordering::Relaxed);
    }
}

impl<D> fmt::Debug for GuestRam<D> {
    /// Summary only: dumping 65536 frame pointers helps nobody.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuestRam")
            .field("base", &format_args!("{:#x}", self.base))
            .field("size", &format_args!("{:#x}", self.size))
            .field("epoch", &self.epoch.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}
