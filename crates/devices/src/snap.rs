//! The byte format shared by every device's [`Snapshot`](crate::Snapshot): little-endian
//! fixed-width integers in a fixed order, led by a 4-byte tag naming the device and layout
//! version.
//!
//! There is no self-description beyond the tag: a layout change means a new tag, so an old
//! snapshot fails loudly ([`SnapshotError::RestoreMalformed`]) instead of being misread.
//! [`SnapReader`] never panics on short or hostile input; every read is bounds-checked and
//! returns [`SnapshotError::RestoreTruncated`] when the data runs out.
//!
//! ```
//! use devices::snap::{SnapReader, SnapWriter};
//!
//! let mut out = Vec::new();
//! let mut w = SnapWriter::new(&mut out);
//! w.tag(b"DEMO");
//! w.u32(7);
//! w.blob(b"abc");
//!
//! let mut r = SnapReader::new(&out);
//! r.tag(b"DEMO")?;
//! assert_eq!(r.u32()?, 7);
//! assert_eq!(r.blob()?, b"abc");
//! r.finish()?;
//! # Ok::<(), devices::SnapshotError>(())
//! ```

use crate::SnapshotError;

/// Appends fields to a snapshot buffer.
pub struct SnapWriter<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> SnapWriter<'a> {
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        Self { out }
    }

    /// The device/version tag; restore checks it with [`SnapReader::tag`].
    pub fn tag(&mut self, tag: &[u8; 4]) {
        self.out.extend_from_slice(tag);
    }

    pub fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    pub fn bool(&mut self, v: bool) {
        self.out.push(v as u8);
    }

    pub fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    /// Raw bytes whose length the reader knows from the layout.
    pub fn bytes(&mut self, v: &[u8]) {
        self.out.extend_from_slice(v);
    }

    /// Variable-length bytes, prefixed with their length as a u64.
    pub fn blob(&mut self, v: &[u8]) {
        self.u64(v.len() as u64);
        self.bytes(v);
    }
}

/// Reads fields back in the order they were written.
pub struct SnapReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> SnapReader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    /// Bytes not yet consumed.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Checks the device/version tag, so one device's state is never restored into another.
    pub fn tag(&mut self, tag: &[u8; 4]) -> Result<(), SnapshotError> {
        if self.bytes(4)? == tag {
            Ok(())
        } else {
            Err(SnapshotError::RestoreMalformed(
                "wrong device tag or layout version",
            ))
        }
    }

    pub fn u8(&mut self) -> Result<u8, SnapshotError> {
        Ok(self.array::<1>()?[0])
    }

    /// Only 0 and 1 are accepted: anything else means the bytes are not what we wrote.
    pub fn bool(&mut self) -> Result<bool, SnapshotError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(SnapshotError::RestoreMalformed("boolean is neither 0 nor 1")),
        }
    }

    pub fn u16(&mut self) -> Result<u16, SnapshotError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    pub fn u32(&mut self) -> Result<u32, SnapshotError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn u64(&mut self) -> Result<u64, SnapshotError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], SnapshotError> {
        let mut a = [0; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }

    pub fn bytes(&mut self, len: usize) -> Result<&'a [u8], SnapshotError> {
        if len > self.remaining() {
            return Err(SnapshotError::RestoreTruncated);
        }
        let s = &self.data[self.pos..self.pos + len];
        self.pos += len;
        Ok(s)
    }

    /// The counterpart of [`SnapWriter::blob`]. The length is checked against the data before
    /// anything is allocated, so a hostile length cannot exhaust memory.
    pub fn blob(&mut self) -> Result<&'a [u8], SnapshotError> {
        let len = self.u64()?;
        if len > self.remaining() as u64 {
            return Err(SnapshotError::RestoreTruncated);
        }
        self.bytes(len as usize)
    }

    /// Fails if bytes are left over: a device's slice of the snapshot must be exactly what its
    /// `save` produced.
    pub fn finish(self) -> Result<(), SnapshotError> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(SnapshotError::RestoreMalformed(
                "trailing bytes after device state",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_little_endian() {
        let mut out = Vec::new();
        let mut w = SnapWriter::new(&mut out);
        w.tag(b"TEST");
        w.u8(0xab);
        w.bool(true);
        w.u16(0x1234);
        w.u32(0xdead_beef);
        w.u64(0x0102_0304_0506_0708);
        w.bytes(&[9, 9]);
        w.blob(b"xyz");
        assert_eq!(&out[4..10], &[0xab, 1, 0x34, 0x12, 0xef, 0xbe]);

        let mut r = SnapReader::new(&out);
        r.tag(b"TEST").unwrap();
        assert_eq!(r.u8(), Ok(0xab));
        assert_eq!(r.bool(), Ok(true));
        assert_eq!(r.u16(), Ok(0x1234));
        assert_eq!(r.u32(), Ok(0xdead_beef));
        assert_eq!(r.u64(), Ok(0x0102_0304_0506_0708));
        assert_eq!(r.array::<2>(), Ok([9, 9]));
        assert_eq!(r.blob(), Ok(&b"xyz"[..]));
        assert_eq!(r.finish(), Ok(()));
    }

    #[test]
    fn short_input_is_truncated_not_a_panic() {
        let mut r = SnapReader::new(&[1, 2, 3]);
        assert_eq!(r.u64(), Err(SnapshotError::RestoreTruncated));
        // A failed read consumes nothing.
        assert_eq!(r.remaining(), 3);
        assert_eq!(r.u16(), Ok(0x0201));
        assert_eq!(r.u16(), Err(SnapshotError::RestoreTruncated));
    }

    #[test]
    fn hostile_blob_length_is_truncated() {
        let mut r = SnapReader::new(&[0xff; 9]);
        assert_eq!(r.blob(), Err(SnapshotError::RestoreTruncated));
    }

    #[test]
    fn wrong_tag_bad_bool_and_trailing_bytes_are_malformed() {
        assert!(matches!(
            SnapReader::new(b"PLIC").tag(b"UART"),
            Err(SnapshotError::RestoreMalformed(_))
        ));
        assert!(matches!(
            SnapReader::new(&[2]).bool(),
            Err(SnapshotError::RestoreMalformed(_))
        ));
        assert!(matches!(
            SnapReader::new(&[0]).finish(),
            Err(SnapshotError::RestoreMalformed(_))
        ));
    }
}
