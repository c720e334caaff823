//! virtio-mmio (version 2, "modern") devices: block, network and entropy.
//!
//! [`VirtioMmio`] is the register window the board maps (0x1000 bytes per slot); it owns the
//! split virtqueues ([`Queue`]) and hands them to a [`VirtioDevice`] ([`Blk`], [`Net`],
//! [`Rng`]) when the guest writes `QueueNotify`. Requests complete synchronously inside that
//! store, so completion lands on the notifying instruction in every replica.
//!
//! A guest that breaks the ring rules (descriptors outside RAM, looping or over-long chains,
//! invalid queue sizes, an avail index running ahead by more than the queue size, malformed
//! requests) gets `DEVICE_NEEDS_RESET` and a configuration-change interrupt (virtio 1.2
//! §2.1.2); the device then uses no buffers until the driver resets it. Nothing panics, and
//! every loop is bounded by the queue size or a fixed limit.

mod blk;
mod mmio;
mod net;
mod queue;
mod rng;

pub use blk::{Blk, BlkError};
pub use mmio::{VirtioMmio, VirtioSlot};
pub use net::{Net, NetError};
pub use queue::{Chain, Queue, QueueError};
pub use rng::{Rng, RngError};

use memory::GuestRam;

use crate::{BlockBackend, EntropyBackend, NetBackend, Snapshot};

/// Device IDs (virtio 1.2 §5).
pub mod device_id {
    pub const NET: u32 = 1;
    pub const BLOCK: u32 = 2;
    pub const ENTROPY: u32 = 4;
}

/// Device status bits (virtio 1.2 §2.1).
pub mod status {
    pub const ACKNOWLEDGE: u32 = 1;
    pub const DRIVER: u32 = 2;
    pub const DRIVER_OK: u32 = 4;
    pub const FEATURES_OK: u32 = 8;
    pub const DEVICE_NEEDS_RESET: u32 = 64;
    pub const FAILED: u32 = 128;
}

/// Feature bits this crate knows about, as bit numbers.
pub mod feature {
    pub const RING_INDIRECT_DESC: u32 = 28;
    pub const VERSION_1: u32 = 32;
    pub const BLK_SEG_MAX: u32 = 2;
    pub const BLK_RO: u32 = 5;
    pub const BLK_BLK_SIZE: u32 = 6;
    pub const BLK_FLUSH: u32 = 9;
    pub const NET_MAC: u32 = 5;
    pub const NET_STATUS: u32 = 16;
}

/// `InterruptStatus` bits.
pub mod interrupt {
    pub const USED_BUFFER: u32 = 1;
    pub const CONFIG_CHANGE: u32 = 2;
}

/// The device half of a virtio device; [`VirtioMmio`] is the transport half.
///
/// `Snapshot` covers the device's own state (configuration, counters), never its backend or
/// the queues, which the transport saves.
pub trait VirtioDevice: Snapshot {
    /// The error that makes the transport set `DEVICE_NEEDS_RESET`.
    type Error: std::error::Error + From<QueueError>;

    fn device_id(&self) -> u32;
    /// Device-specific feature bits; the transport adds the ring and version bits.
    fn device_features(&self) -> u64;
    /// One entry per virtqueue: its `QueueNumMax`.
    fn queue_max_sizes(&self) -> &'static [u16];
    /// Fills `data` from the configuration space at `offset`; bytes past its end read as 0.
    fn read_config(&self, offset: u64, data: &mut [u8]);
    /// Configuration writes; the devices here have no writable fields, so they are dropped.
    fn write_config(&mut self, _offset: u64, _data: &[u8]) {}
    /// Uses whatever the driver made available on queue `index`. Returning an error leaves
    /// the buffers used so far in place and puts the device into `DEVICE_NEEDS_RESET`.
    fn process(&mut self, index: usize, queue: &mut Queue, ram: &mut GuestRam) -> Result<(), Self::Error>;
    /// Device-side part of a driver reset (status written as 0).
    fn reset(&mut self) {}
}

/// Copies `config[offset..]` into `data`, zero-filling past the end of the configuration.
pub(crate) fn copy_config(config: &[u8], offset: u64, data: &mut [u8]) {
    data.fill(0);
    let Ok(start) = usize::try_from(offset) else {
        return;
    };
    if let Some(src) = config.get(start..) {
        let n = src.len().min(data.len());
        data[..n].copy_from_slice(&src[..n]);
    }
}

// Boxed backends, so a board can hold `Blk<Box<dyn BlockBackend + Send>>` and choose the
// backend at run time.
impl<T: BlockBackend + ?Sized> BlockBackend for Box<T> {
    fn capacity_sectors(&self) -> u64 {
        (**self).capacity_sectors()
    }
    fn read(&mut self, sector: u64, buf: &mut [u8]) -> std::io::Result<()> {
        (**self).read(sector, buf)
    }
    fn write(&mut self, sector: u64, data: &[u8]) -> std::io::Result<()> {
        (**self).write(sector, data)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        (**self).flush()
    }
}

impl<T: NetBackend + ?Sized> NetBackend for Box<T> {
    fn transmit(&mut self, frame: &[u8]) {
        (**self).transmit(frame)
    }
}

impl<T: EntropyBackend + ?Sized> EntropyBackend for Box<T> {
    fn fill(&mut self, buf: &mut [u8]) {
        (**self).fill(buf)
    }
}
