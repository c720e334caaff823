//! Guest RAM for extravirt: 4 KiB frames shared copy-on-write between replicas.
//!
//! ```
//! use memory::{GuestRam, FRAME_SIZE};
//!
//! // 16 frames at 0x8000_0000; all of them start as the one shared zero frame.
//! let mut primary = GuestRam::new(0x8000_0000, 16 * FRAME_SIZE as u64)?;
//! primary.write(0x8000_0ffe, b"span")?; // crosses from frame 0 into frame 1
//!
//! // A replica shares every frame until one side writes it.
//! primary.clear_dirty();
//! let mut replica = primary.fork();
//! replica.write(0x8000_0000, b"fault")?;
//! assert_ne!(primary.digest(), replica.digest());
//! assert_eq!(replica.dirty_frames().collect::<Vec<_>>(), [0]);
//!
//! // Once the contents agree again, merging re-shares the frame and the copy is freed.
//! replica.write(0x8000_0000, &[0; 5])?;
//! assert_eq!(primary.digest(), replica.digest());
//! assert_eq!(replica.merge_identical(&primary, replica.dirty_frames().collect::<Vec<_>>()), 1);
//! assert_eq!(GuestRam::stats(&[&primary, &replica]).unique_frames, 3); // zero + frames 0 and 1
//!
//! let mut buf = [0; 4];
//! replica.read(0x8000_0ffe, &mut buf)?;
//! assert_eq!(&buf, b"span");
//! # Ok::<(), memory::MemoryError>(())
//! ```
//!
//! # Contract
//!
//! - A [`GuestRam`] covers `[base, base + size)`, both frame aligned. Frames are indexed from 0 at
//!   `base`; [`GuestRam::frame`] and [`GuestRam::frame_mut`] are O(1), lock-free and allocate only
//!   when `frame_mut` must copy a shared frame. Repeated `frame_mut` of a frame within one
//!   [`GuestRam::epoch`] costs no atomic operation.
//! - Writes through one RAM are never visible through another, however they share frames.
//! - Out-of-range accesses through [`GuestRam::read`]/[`GuestRam::write`] return
//!   [`MemoryError::OutOfRange`]; only the index-based frame accessors panic, like slice indexing.
//! - [`GuestRam::digest`] and [`FrameHash`] depend only on layout and contents, never on sharing,
//!   host or run. Cached frame and group hashes make repeated digests cost O(frames written
//!   since) plus one hash per 128 frames.
//! - [`GuestRam::epoch`] tells a caller caching writable frame pointers when to drop them.
//! - Everything is deterministic: no randomness, clocks or threads; `GuestRam` is `Send + Sync`.
//! - One `unsafe` block: `frame_mut`'s fast path writes through a frame it proved unique earlier in
//!   the same epoch (the `Arc` uniqueness check it skips is a locked instruction per guest store;
//!   `extravirt bench`'s memory loop measures the difference).

#![deny(unsafe_code)]
#![warn(missing_docs)]

mod dirty;
mod error;
mod frame;
mod hash;
mod ram;
mod share;
pub mod snapshot;
#[cfg(test)]
mod tests;

pub use dirty::{DirtyBitmap, DirtyLog};
pub use error::MemoryError;
pub use hash::{Digest, FrameHash};
pub use ram::GuestRam;
pub use share::MemoryStats;

/// Bytes per guest frame: the RISC-V base page size.
pub const FRAME_SIZE: usize = 4096;

/// The contents of one guest frame.
pub type FrameData = [u8; FRAME_SIZE];
