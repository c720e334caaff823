//! The devices of the `virt` board: CLINT, PLIC, 16550 UART, syscon, goldfish RTC and
//! virtio-mmio (block, network, entropy).
//!
//! Contract:
//! - **Deterministic.** A device's behaviour is a function of its state, the guest's accesses
//!   (with the [`IoCtx`] instruction count / `mtime` they happen at) and the inputs pushed into
//!   it. No device reads host time, spawns threads or uses randomness.
//! - **Every host contact goes through a backend trait** ([`ConsoleBackend`], [`BlockBackend`],
//!   [`NetBackend`], [`EntropyBackend`], [`WallClock`]), so the replication layer can log,
//!   compare and feed them. Asynchronous input (console bytes, received frames) is pushed in by
//!   the board between runs, at instruction counts it chose.
//! - **Hostile guests are contained.** Bad register accesses are access faults or ignored;
//!   virtio descriptors outside RAM, looping chains or bad queue sizes set an error status or
//!   `DEVICE_NEEDS_RESET`; nothing panics or hangs.
//! - **Snapshots.** Every device implements [`Snapshot`]; save → restore → save gives identical
//!   bytes.

use memory::GuestRam;
pub use riscv::IoCtx;

/// What a device may touch while handling an access: guest RAM (for DMA) and the time.
pub struct DeviceCtx<'a> {
    pub ram: &'a mut GuestRam,
    pub now: IoCtx,
}

/// A memory-mapped register window. Offsets are relative to the device's base address.
pub trait Mmio {
    /// Size of the register window in bytes.
    fn size(&self) -> u64;
    /// A load of `size` bytes (1, 2, 4 or 8); `None` makes it an access fault.
    fn read(&mut self, offset: u64, size: u8, ctx: &mut DeviceCtx) -> Option<u64>;
    /// A store; `false` makes it an access fault.
    fn write(&mut self, offset: u64, size: u8, value: u64, ctx: &mut DeviceCtx) -> bool;
}

/// A device's saved state, for snapshot and replica verification.
pub trait Snapshot {
    /// Appends the device state to `out` in a fixed, host-independent layout.
    fn save(&self, out: &mut Vec<u8>);
    /// Replaces the device state with one produced by [`Snapshot::save`].
    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError>;
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SnapshotError {
    #[error("device snapshot truncated")]
    RestoreTruncated,
    #[error("device snapshot malformed: {0}")]
    RestoreMalformed(&'static str),
}

/// Where guest console output goes (UART transmit, virtio-console).
pub trait ConsoleBackend {
    fn write(&mut self, bytes: &[u8]);
}

/// The disk behind virtio-blk. Reads and writes are whole 512-byte sectors.
pub trait BlockBackend {
    fn capacity_sectors(&self) -> u64;
    fn read(&mut self, sector: u64, buf: &mut [u8]) -> std::io::Result<()>;
    fn write(&mut self, sector: u64, data: &[u8]) -> std::io::Result<()>;
    fn flush(&mut self) -> std::io::Result<()>;
}

/// Where frames the guest transmits go. Received frames are pushed into the device.
pub trait NetBackend {
    fn transmit(&mut self, frame: &[u8]);
}

/// Entropy for virtio-rng. The device asks only when the guest does, so a backend whose bytes
/// are a function of its own state (the replication layer's keyed stream) keeps replicas equal.
pub trait EntropyBackend {
    fn fill(&mut self, buf: &mut [u8]);
}

/// Wall-clock time for the RTC, in nanoseconds since the Unix epoch (a fixed value until the
/// replication layer logs the host clock).
pub trait WallClock {
    fn now_ns(&mut self) -> u64;
}
pub mod clint;
pub mod plic;
pub mod rtc;
pub mod snap;
pub mod syscon;
pub mod uart;
pub mod virtio;
