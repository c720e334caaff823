//! The one error type of this crate.

use std::io;

/// Everything that can go wrong in this crate.
///
/// Guest-controlled input (addresses, lengths, snapshot bytes) always yields one of these instead of a
/// panic, so a misbehaving guest or a corrupt file cannot take the monitor down.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    /// `GuestRam::new`: the base address is not aligned to [`FRAME_SIZE`](crate::FRAME_SIZE).
    #[error("guest RAM base {base:#x} is not aligned to the 4 KiB frame size")]
    BadBase {
        /// The rejected base guest-physical address.
        base: u64,
    },
    /// `GuestRam::new`: the size is zero, not a multiple of [`FRAME_SIZE`](crate::FRAME_SIZE), or has
    /// more frames than the host can index or allocate a frame table for.
    #[error("guest RAM size {size:#x} is not a non-zero multiple of the 4 KiB frame size")]
    BadSize {
        /// The rejected size in bytes.
        size: u64,
    },
    /// `GuestRam::new`: `base + size` does not fit in a 64-bit address.
    #[error("guest RAM at {base:#x} of size {size:#x} overflows the 64-bit address space")]
    AddressOverflow {
        /// The requested base guest-physical address.
        base: u64,
        /// The requested size in bytes.
        size: u64,
    },
    /// `read`/`write`: some byte of `[gpa, gpa + len)` lies outside guest RAM.
    #[error("guest access of {len} bytes at {gpa:#x} is outside guest RAM")]
    OutOfRange {
        /// First guest-physical address of the access.
        gpa: u64,
        /// Length of the access in bytes.
        len: u64,
    },
    /// `save`/`restore`: the underlying writer or reader failed (including a truncated snapshot).
    #[error("snapshot I/O failed")]
    SnapshotIo(#[from] io::Error),
    /// `restore`: the bytes are not a snapshot this crate wrote, or they were corrupted.
    #[error("snapshot is malformed: {reason}")]
    SnapshotFormat {
        /// What was wrong, for humans.
        reason: &'static str,
    },
}
