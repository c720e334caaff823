//! virtio-blk (device ID 2, virtio 1.2 §5.2): IN, OUT, FLUSH and GET_ID on one request queue.
//!
//! Requests that are well framed but wrong (sector range past the disk, data not a multiple
//! of 512 bytes, writes to a read-only disk, backend failure) complete with `IOERR`; unknown
//! types with `UNSUPP`. Requests without a 16-byte header or a status byte cannot be answered
//! at all, so they put the device into `DEVICE_NEEDS_RESET`, as QEMU does.

use memory::GuestRam;

use super::{copy_config, device_id, feature, Chain, Queue, QueueError, VirtioDevice};
use crate::snap::{SnapReader, SnapWriter};
use crate::{BlockBackend, Snapshot, SnapshotError};

const SECTOR: u64 = 512;
const HEADER: u64 = 16;
const QUEUE_MAX: u16 = 256;
/// Segments per request, as QEMU advertises: the queue size less header and status.
const SEG_MAX: u32 = QUEUE_MAX as u32 - 2;
/// Bounce-buffer size: a request of any length costs at most this much host memory.
const CHUNK: u64 = 64 * 1024;
const ID_LEN: usize = 20;

const T_IN: u32 = 0;
const T_OUT: u32 = 1;
const T_FLUSH: u32 = 4;
const T_GET_ID: u32 = 8;

const S_OK: u8 = 0;
const S_IOERR: u8 = 1;
const S_UNSUPP: u8 = 2;

#[derive(Debug, thiserror::Error)]
pub enum BlkError {
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error("virtio-blk request has {len} readable bytes, too few for the 16-byte header")]
    ReadHeader { len: u64 },
    #[error("virtio-blk request has no device-writable byte for its status")]
    WriteStatus,
}

/// A virtio block device over a [`BlockBackend`].
pub struct Blk<B> {
    backend: B,
    read_only: bool,
    serial: [u8; ID_LEN],
}

impl<B: BlockBackend> Blk<B> {
    /// A disk offering `VIRTIO_BLK_F_RO` when `read_only`, with GET_ID serial "extravirt".
    pub fn new(backend: B, read_only: bool) -> Self {
        Self {
            backend,
            read_only,
            serial: [0; ID_LEN],
        }
        .with_serial(b"extravirt")
    }

    /// The GET_ID string: up to 20 bytes, NUL-padded (longer input is cut).
    pub fn with_serial(mut self, serial: &[u8]) -> Self {
        let n = serial.len().min(ID_LEN);
        self.serial = [0; ID_LEN];
        self.serial[..n].copy_from_slice(&serial[..n]);
        self
    }

    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// After changing the backend's capacity, call [`super::VirtioMmio::config_changed`].
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Serves one request; returns the used length (bytes written, status included).
    fn handle(&mut self, chain: &Chain, ram: &mut GuestRam) -> Result<u32, BlkError> {
        let readable = chain.readable_len();
        if readable < HEADER {
            return Err(BlkError::ReadHeader { len: readable });
        }
        let writable = chain.writable_len();
        if writable == 0 {
            return Err(BlkError::WriteStatus);
        }
        let mut header = [0; HEADER as usize];
        chain.read_at(ram, 0, &mut header)?;
        let kind = u32::from_le_bytes(header[0..4].try_into().unwrap());
        let sector = u64::from_le_bytes(header[8..16].try_into().unwrap());
        let (status, written) = match kind {
            T_IN => self.read_sectors(chain, ram, sector, writable - 1)?,
            T_OUT => (self.write_sectors(chain, ram, sector, readable - HEADER)?, 0),
            T_FLUSH => (
                if self.backend.flush().is_ok() {
                    S_OK
                } else {
                    S_IOERR
                },
                0,
            ),
            T_GET_ID => {
                let n = (writable - 1).min(ID_LEN as u64) as usize;
                chain.write_at(ram, 0, &self.serial[..n])?;
                (S_OK, n as u64)
            }
            _ => (S_UNSUPP, 0),
        };
        chain.write_at(ram, writable - 1, &[status])?;
        // `data_range` keeps `written` below u32::MAX.
        Ok(written as u32 + 1)
    }

    /// The sectors `[sector, sector + len / 512)` if `len` is whole sectors on the disk and
    /// small enough for the u32 used length.
    fn data_range(&self, sector: u64, len: u64) -> Option<u64> {
        let end = sector.checked_add(len / SECTOR)?;
        (len.is_multiple_of(SECTOR) && len < u64::from(u32::MAX) && end <= self.backend.capacity_sectors())
            .then_some(len)
    }

    fn read_sectors(
        &mut self,
        chain: &Chain,
        ram: &mut GuestRam,
        sector: u64,
        len: u64,
    ) -> Result<(u8, u64), BlkError> {
        let Some(len) = self.data_range(sector, len) else {
            return Ok((S_IOERR, 0));
        };
        let mut buf = vec![0; len.min(CHUNK) as usize];
        for off in (0..len).step_by(CHUNK as usize) {
            let piece = &mut buf[..(len - off).min(CHUNK) as usize];
            if self.backend.read(sector + off / SECTOR, piece).is_err() {
                return Ok((S_IOERR, 0));
            }
            chain.write_at(ram, off, piece)?;
        }
        Ok((S_OK, len))
    }

    fn write_sectors(
        &mut self,
        chain: &Chain,
        ram: &GuestRam,
        sector: u64,
        len: u64,
    ) -> Result<u8, BlkError> {
        let Some(len) = self.data_range(sector, len).filter(|_| !self.read_only) else {
            return Ok(S_IOERR);
        };
        let mut buf = vec![0; len.min(CHUNK) as usize];
        for off in (0..len).step_by(CHUNK as usize) {
            let piece = &mut buf[..(len - off).min(CHUNK) as usize];
            chain.read_at(ram, HEADER + off, piece)?;
            if self.backend.write(sector + off / SECTOR, piece).is_err() {
                return Ok(S_IOERR);
            }
        }
        Ok(S_OK)
    }
}

impl<B: BlockBackend> VirtioDevice for Blk<B> {
    type Error = BlkError;

    fn device_id(&self) -> u32 {
        device_id::BLOCK
    }

    fn device_features(&self) -> u64 {
        let ro = if self.read_only { 1 << feature::BLK_RO } else { 0 };
        1 << feature::BLK_FLUSH | 1 << feature::BLK_SEG_MAX | ro
    }

    fn queue_max_sizes(&self) -> &'static [u16] {
        &[QUEUE_MAX]
    }

    /// `capacity` at 0x0, `size_max` (not offered, 0) at 0x8, `seg_max` at 0xc.
    fn read_config(&self, offset: u64, data: &mut [u8]) {
        let mut config = [0; 16];
        config[0..8].copy_from_slice(&self.backend.capacity_sectors().to_le_bytes());
        config[12..16].copy_from_slice(&SEG_MAX.to_le_bytes());
        copy_config(&config, offset, data);
    }

    fn process(&mut self, _index: usize, queue: &mut Queue, ram: &mut GuestRam) -> Result<(), BlkError> {
        while let Some(chain) = queue.pop(ram)? {
            let len = self.handle(&chain, ram)?;
            queue.push_used(ram, chain.head(), len)?;
        }
        Ok(())
    }
}

const TAG: &[u8; 4] = b"VBK1";

impl<B: BlockBackend> Snapshot for Blk<B> {
    /// The configuration the driver saw. The capacity belongs to the backend, so restore
    /// only checks it: a snapshot restored over a different disk is refused.
    fn save(&self, out: &mut Vec<u8>) {
        let mut w = SnapWriter::new(out);
        w.tag(TAG);
        w.bool(self.read_only);
        w.bytes(&self.serial);
        w.u64(self.backend.capacity_sectors());
    }

    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError> {
        let mut r = SnapReader::new(data);
        r.tag(TAG)?;
        let read_only = r.bool()?;
        let serial = r.array()?;
        if r.u64()? != self.backend.capacity_sectors() {
            return Err(SnapshotError::RestoreMalformed(
                "virtio-blk capacity differs from the backend",
            ));
        }
        r.finish()?;
        (self.read_only, self.serial) = (read_only, serial);
        Ok(())
    }
}
