//! The heap object behind every guest frame: its bytes plus a lazily computed hash.
//!
//! The hash cache lives in the shared allocation, not in the RAM, so replicas that share a frame
//! hash it once between them.

use std::sync::{Arc, LazyLock, OnceLock};

use crate::hash::FrameHash;
use crate::{FrameData, FRAME_SIZE};

/// One 4 KiB guest frame. Shared between RAMs through `Arc`; written only when exclusively owned.
#[derive(Debug)]
pub(crate) struct Frame {
    pub(crate) data: FrameData,
    /// Hash of `data`. Whoever mutates `data` must empty this first (see `GuestRam::frame_mut`).
    pub(crate) hash: OnceLock<FrameHash>,
}

impl Clone for Frame {
    /// A copy-on-write copy: same bytes, and an empty cache because the copy is about to be written.
    fn clone(&self) -> Self {
        Self {
            data: self.data,
            hash: OnceLock::new(),
        }
    }
}

impl Frame {
    pub(crate) fn new(data: FrameData) -> Self {
        Self {
            data,
            hash: OnceLock::new(),
        }
    }

    /// The cached hash, computing it if needed; the flag says whether it had to be computed.
    pub(crate) fn hash(&self) -> (FrameHash, bool) {
        let mut computed = false;
        let hash = *self.hash.get_or_init(|| {
            computed = true;
            FrameHash::of(&self.data)
        });
        (hash, computed)
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.data == [0; FRAME_SIZE]
    }
}

/// The one all-zero frame every fresh RAM points at. The static keeps a reference forever, so the
/// frame is never exclusively owned by a RAM and `Arc::make_mut` always copies before a write.
static ZERO: LazyLock<Arc<Frame>> = LazyLock::new(|| {
    let frame = Frame::new([0; FRAME_SIZE]);
    // Precomputed so digesting untouched RAM costs one cache lookup per frame.
    frame.hash();
    Arc::new(frame)
});

/// The shared zero frame.
pub(crate) fn zero_frame() -> &'static Arc<Frame> {
    &ZERO
}
