//! Saving a RAM to a byte stream and restoring it.
//!
//! Format, all integers little-endian:
//!
//! ```text
//! magic  b"XVIRTRAM"   version u32 = 1   base u64   size u64
//! { index u64, 4096 bytes }*   -- only frames that are not all zero, strictly ascending index
//! u64::MAX                     -- end of frames
//! digest [u8; 32]              -- GuestRam::digest of the saved RAM, checked on restore
//! ```
//!
//! The encoding is canonical (one byte string per content), so save → restore → save reproduces the
//! bytes. Dirty marks and sharing are not saved.

use std::io::{Read, Write};
use std::sync::Arc;

use crate::dirty::{DirtyBitmap, DirtyLog};
use crate::frame::{zero_frame, Frame};
use crate::{Digest, GuestRam, MemoryError, FRAME_SIZE};

const MAGIC: [u8; 8] = *b"XVIRTRAM";
const VERSION: u32 = 1;
const END: u64 = u64::MAX;

impl GuestRam<DirtyBitmap> {
    /// Reads a RAM written by [`save`](GuestRam::save), consuming exactly the bytes `save` wrote so
    /// that other data may follow in the stream. All-zero frames come back as the shared zero frame;
    /// nothing is marked dirty.
    ///
    /// # Errors
    /// [`MemoryError::SnapshotIo`] on a read failure or truncation, [`MemoryError::SnapshotFormat`]
    /// on a bad header, frame index or digest, and the errors of [`GuestRam::new`] on a bad layout.
    pub fn restore(r: &mut impl Read) -> Result<Self, MemoryError> {
        Self::restore_with_log(r)
    }
}

impl<D: DirtyLog> GuestRam<D> {
    /// Writes this RAM in the format of the [module docs](self), skipping all-zero frames. Issues
    /// many small writes: pass a buffered writer. Computes the [`digest`](Self::digest), so it may
    /// change the [`epoch`](Self::epoch).
    ///
    /// # Errors
    /// [`MemoryError::SnapshotIo`] if the writer fails.
    pub fn save(&self, w: &mut impl Write) -> Result<(), MemoryError> {
        w.write_all(&MAGIC)?;
        w.write_all(&VERSION.to_le_bytes())?;
        w.write_all(&self.base().to_le_bytes())?;
        w.write_all(&self.size().to_le_bytes())?;
        for (idx, frame) in self.frames.iter().enumerate() {
            if !Arc::ptr_eq(frame, zero_frame()) && !frame.is_zero() {
                w.write_all(&(idx as u64).to_le_bytes())?;
                w.write_all(&frame.data)?;
            }
        }
        w.write_all(&END.to_le_bytes())?;
        w.write_all(self.digest().as_bytes())?;
        Ok(())
    }

    /// [`GuestRam::restore`] with a caller-chosen dirty log type.
    ///
    /// # Errors
    /// As for [`GuestRam::restore`].
    pub fn restore_with_log(r: &mut impl Read) -> Result<Self, MemoryError> {
        if read_array::<8>(r)? != MAGIC {
            return Err(MemoryError::SnapshotFormat {
                reason: "not a guest RAM snapshot (bad magic)",
            });
        }
        if u32::from_le_bytes(read_array(r)?) != VERSION {
            return Err(MemoryError::SnapshotFormat {
                reason: "unsupported snapshot version",
            });
        }
        let base = read_u64(r)?;
        let size = read_u64(r)?;
        let mut frames = Self::zeroed_frames(base, size)?;
        let count = frames.len();
        let mut next_allowed = 0;
        loop {
            let idx = read_u64(r)?;
            if idx == END {
                break;
            }
            if idx < next_allowed || idx >= count as u64 {
                return Err(MemoryError::SnapshotFormat {
                    reason: "frame index out of order or range",
                });
            }
            next_allowed = idx + 1;
            let frame = Frame::new(read_array::<FRAME_SIZE>(r)?);
            if frame.is_zero() {
                return Err(MemoryError::SnapshotFormat {
                    reason: "all-zero frame stored explicitly",
                });
            }
            frames[idx as usize] = Arc::new(frame);
        }
        let expected = Digest::from_bytes(read_array(r)?);
        let ram = Self::from_frames(base, frames);
        if ram.digest() != expected {
            return Err(MemoryError::SnapshotFormat {
                reason: "digest mismatch (corrupt snapshot)",
            });
        }
        Ok(ram)
    }
}

fn read_array<const N: usize>(r: &mut impl Read) -> Result<[u8; N], MemoryError> {
    let mut buf = [0; N];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

fn read_u64(r: &mut impl Read) -> Result<u64, MemoryError> {
    Ok(u64::from_le_bytes(read_array(r)?))
}
