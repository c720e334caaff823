//! Content hashes: [`FrameHash`] per frame and [`Digest`] over a whole RAM.
//!
//! Both are BLAKE3 with every integer encoded little-endian, so values are stable across runs,
//! hosts and versions of this crate with the same `DIGEST_DOMAIN`.

use std::fmt;

use crate::dirty::DirtyLog;
use crate::{FrameData, GuestRam};

/// Prefix of every RAM digest; bump the version if the digested layout ever changes.
const DIGEST_DOMAIN: &[u8] = b"extravirt memory digest v2\0";

/// Frames per group of the digest: each group's hash is cached until one of its frames is
/// written, so a digest of a mostly untouched 256 MiB RAM hashes 16 KiB of group hashes, not
/// 2 MiB of frame hashes (that was 8% of a CPU-bound run's time, at every checkpoint).
pub(crate) const DIGEST_CHUNK: usize = 128;

macro_rules! hash_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name([u8; 32]);

        impl $name {
            /// Wraps raw hash bytes, e.g. read back from a log.
            pub const fn from_bytes(bytes: [u8; 32]) -> Self {
                Self(bytes)
            }

            /// The raw hash bytes.
            pub const fn as_bytes(&self) -> &[u8; 32] {
                &self.0
            }
        }

        /// Lowercase hex, 64 characters.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }
    };
}

hash_type! {
    /// BLAKE3 of one frame's 4096 bytes: the same value `b3sum` prints for a dump of the frame.
    FrameHash
}

hash_type! {
    /// Digest of a whole RAM: BLAKE3 of `"extravirt memory digest v2\0" || base as u64 LE ||
    /// size as u64 LE || G0 || G1 || ...`, where group hash `Gi` is BLAKE3 of `FrameHash of
    /// frame 128i || ... || FrameHash of frame 128i+127` (fewer in the last group).
    Digest
}

impl FrameHash {
    pub(crate) fn of(data: &FrameData) -> Self {
        Self(blake3::hash(data).into())
    }
}

impl<D: DirtyLog> GuestRam<D> {
    /// Hash of frame `idx`'s contents. Reuses the hash cached in the frame, which replicas sharing
    /// the frame also see; may change the [`epoch`](Self::epoch) (see there).
    ///
    /// # Panics
    /// If `idx >= frame_count()`.
    pub fn frame_hash(&self, idx: usize) -> FrameHash {
        let (hash, computed) = self.frames[idx].hash();
        if computed {
            self.bump_epoch();
        }
        hash
    }

    /// Digest of base, size and contents; equal for equal contents whatever the sharing.
    ///
    /// Only frames written since they were last hashed are read, and only the groups holding
    /// them are hashed again: the shared zero frame and shared or untouched frames reuse cached
    /// hashes. May change the [`epoch`](Self::epoch) (see there).
    pub fn digest(&self) -> Digest {
        let mut hasher = blake3::Hasher::new();
        hasher.update(DIGEST_DOMAIN);
        hasher.update(&self.base().to_le_bytes());
        hasher.update(&self.size().to_le_bytes());
        let mut computed_any = false;
        for (frames, cached) in self.frames.chunks(DIGEST_CHUNK).zip(&self.chunk_hashes) {
            let chunk = cached.get_or_init(|| {
                let mut batch = [0u8; 32 * DIGEST_CHUNK];
                for (frame, out) in frames.iter().zip(batch.chunks_exact_mut(32)) {
                    let (hash, computed) = frame.hash();
                    computed_any |= computed;
                    out.copy_from_slice(hash.as_bytes());
                }
                blake3::hash(&batch[..frames.len() * 32]).into()
            });
            hasher.update(chunk);
        }
        // A frame hashed just now must not stay writable without `frame_mut`'s bookkeeping,
        // which drops its hash and its group's.
        if computed_any {
            self.bump_epoch();
        }
        Digest(hasher.finalize().into())
    }
}
