//! A minimal virtio driver, playing Linux's part against a `VirtioMmio` and a `GuestRam`,
//! plus in-memory backends. Shared by the `virtio_*` test files, each of which uses a part.
#![allow(dead_code)]

use devices::virtio::{status, VirtioDevice, VirtioMmio};
use devices::{BlockBackend, DeviceCtx, EntropyBackend, IoCtx, Mmio, NetBackend, Snapshot};
use memory::GuestRam;

pub const RAM_BASE: u64 = 0x8000_0000;
pub const RAM_SIZE: u64 = 1 << 20;
/// Queue `i`'s rings live at `RAM_BASE + i * 0x4000`; buffers are allocated from here up.
const HEAP: u64 = RAM_BASE + 0x10000;

pub const NOW: IoCtx = IoCtx { icount: 0, mtime: 0 };

pub mod reg {
    pub const MAGIC: u64 = 0x000;
    pub const VERSION: u64 = 0x004;
    pub const DEVICE_ID: u64 = 0x008;
    pub const VENDOR_ID: u64 = 0x00c;
    pub const DEVICE_FEATURES: u64 = 0x010;
    pub const DEVICE_FEATURES_SEL: u64 = 0x014;
    pub const DRIVER_FEATURES: u64 = 0x020;
    pub const DRIVER_FEATURES_SEL: u64 = 0x024;
    pub const QUEUE_SEL: u64 = 0x030;
    pub const QUEUE_NUM_MAX: u64 = 0x034;
    pub const QUEUE_NUM: u64 = 0x038;
    pub const QUEUE_READY: u64 = 0x044;
    pub const QUEUE_NOTIFY: u64 = 0x050;
    pub const INTERRUPT_STATUS: u64 = 0x060;
    pub const INTERRUPT_ACK: u64 = 0x064;
    pub const STATUS: u64 = 0x070;
    pub const QUEUE_DESC_LOW: u64 = 0x080;
    pub const QUEUE_DESC_HIGH: u64 = 0x084;
    pub const QUEUE_DRIVER_LOW: u64 = 0x090;
    pub const QUEUE_DRIVER_HIGH: u64 = 0x094;
    pub const QUEUE_DEVICE_LOW: u64 = 0x0a0;
    pub const QUEUE_DEVICE_HIGH: u64 = 0x0a4;
    pub const CONFIG_GENERATION: u64 = 0x0fc;
    pub const CONFIG: u64 = 0x100;
}

pub const VERSION_1: u64 = 1 << 32;
pub const INDIRECT_DESC: u64 = 1 << 28;
pub const F_NEXT: u16 = 1;
pub const F_WRITE: u16 = 2;
pub const F_INDIRECT: u16 = 4;

/// The driver's view of one virtqueue.
#[derive(Clone, Copy, Debug, Default)]
pub struct Vq {
    pub size: u16,
    pub desc: u64,
    pub avail: u64,
    pub used: u64,
    pub next_desc: u16,
    pub avail_idx: u16,
    pub last_used: u16,
}

/// A buffer in a chain: guest address, length, device-writable.
pub type Buf = (u64, u32, bool);

pub struct Driver<D> {
    pub dev: VirtioMmio<D>,
    pub ram: GuestRam,
    pub vqs: Vec<Vq>,
    heap: u64,
}

impl<D: VirtioDevice> Driver<D> {
    pub fn new(device: D) -> Self {
        Self {
            dev: VirtioMmio::new(device),
            ram: GuestRam::new(RAM_BASE, RAM_SIZE).unwrap(),
            vqs: Vec::new(),
            heap: HEAP,
        }
    }

    /// A second driver over a copy of this RAM, its transport rebuilt around `device` from
    /// this one's snapshot: what a replica restored from a checkpoint would be.
    pub fn restored_copy(&self, device: D) -> Self {
        let mut snap = Vec::new();
        self.dev.save(&mut snap);
        let mut dev = VirtioMmio::new(device);
        dev.restore(&snap).expect("restore of a fresh snapshot failed");
        Self {
            dev,
            ram: self.ram.fork(),
            vqs: self.vqs.clone(),
            heap: self.heap,
        }
    }

    pub fn snapshot(&self) -> Vec<u8> {
        let mut snap = Vec::new();
        self.dev.save(&mut snap);
        snap
    }

    pub fn read_sized(&mut self, offset: u64, size: u8) -> Option<u64> {
        let mut ctx = DeviceCtx {
            ram: &mut self.ram,
            now: NOW,
        };
        self.dev.read(offset, size, &mut ctx)
    }

    pub fn write_sized(&mut self, offset: u64, size: u8, value: u64) -> bool {
        let mut ctx = DeviceCtx {
            ram: &mut self.ram,
            now: NOW,
        };
        self.dev.write(offset, size, value, &mut ctx)
    }

    pub fn read(&mut self, offset: u64) -> u32 {
        self.read_sized(offset, 4).expect("register read faulted") as u32
    }

    pub fn write(&mut self, offset: u64, value: u32) {
        assert!(
            self.write_sized(offset, 4, u64::from(value)),
            "register write faulted"
        );
    }

    pub fn status(&mut self) -> u32 {
        self.read(reg::STATUS)
    }

    pub fn needs_reset(&mut self) -> bool {
        self.status() & status::DEVICE_NEEDS_RESET != 0
    }

    pub fn device_features(&mut self) -> u64 {
        self.write(reg::DEVICE_FEATURES_SEL, 0);
        let low = self.read(reg::DEVICE_FEATURES);
        self.write(reg::DEVICE_FEATURES_SEL, 1);
        u64::from(self.read(reg::DEVICE_FEATURES)) << 32 | u64::from(low)
    }

    /// The §3.1.1 sequence up to FEATURES_OK; returns whether the device kept FEATURES_OK.
    pub fn negotiate(&mut self, features: u64) -> bool {
        self.write(reg::STATUS, 0);
        self.write(reg::STATUS, status::ACKNOWLEDGE);
        self.write(reg::STATUS, status::ACKNOWLEDGE | status::DRIVER);
        self.write(reg::DRIVER_FEATURES_SEL, 0);
        self.write(reg::DRIVER_FEATURES, features as u32);
        self.write(reg::DRIVER_FEATURES_SEL, 1);
        self.write(reg::DRIVER_FEATURES, (features >> 32) as u32);
        self.write(
            reg::STATUS,
            status::ACKNOWLEDGE | status::DRIVER | status::FEATURES_OK,
        );
        self.status() & status::FEATURES_OK != 0
    }

    /// Programs queue `index` with `size` entries at its fixed ring addresses (the rings
    /// zeroed first, as Linux allocates them) and sets QueueReady.
    pub fn setup_queue(&mut self, index: u32, size: u32) {
        let base = RAM_BASE + u64::from(index) * 0x4000;
        let vq = Vq {
            size: size as u16,
            desc: base,
            avail: base + 0x1000,
            used: base + 0x2000,
            ..Vq::default()
        };
        self.ram.write(base, &[0; 0x4000]).unwrap();
        self.write(reg::QUEUE_SEL, index);
        self.write(reg::QUEUE_NUM, size);
        self.set_queue_addresses(vq.desc, vq.avail, vq.used);
        self.write(reg::QUEUE_READY, 1);
        if self.vqs.len() <= index as usize {
            self.vqs.resize(index as usize + 1, Vq::default());
        }
        self.vqs[index as usize] = vq;
    }

    pub fn set_queue_addresses(&mut self, desc: u64, avail: u64, used: u64) {
        for (low, value) in [
            (reg::QUEUE_DESC_LOW, desc),
            (reg::QUEUE_DRIVER_LOW, avail),
            (reg::QUEUE_DEVICE_LOW, used),
        ] {
            self.write(low, value as u32);
            self.write(low + 4, (value >> 32) as u32);
        }
    }

    /// Full probe: accept everything offered, `size`-entry queues, DRIVER_OK.
    pub fn init_with(&mut self, size: u32) {
        let offered = self.device_features();
        assert!(self.negotiate(offered), "device refused its own features");
        for index in 0..self.dev.device().queue_max_sizes().len() as u32 {
            self.setup_queue(index, size);
        }
        self.driver_ok();
        assert!(
            !self.needs_reset(),
            "device failed during init: {:?}",
            self.dev.fault()
        );
    }

    pub fn init(&mut self) {
        self.init_with(16);
    }

    pub fn driver_ok(&mut self) {
        let current = self.status();
        self.write(reg::STATUS, current | status::DRIVER_OK);
    }

    pub fn alloc(&mut self, len: u64) -> u64 {
        let addr = self.heap;
        self.heap = (self.heap + len + 15) & !15;
        assert!(self.heap <= RAM_BASE + RAM_SIZE, "test heap exhausted");
        addr
    }

    pub fn alloc_with(&mut self, data: &[u8]) -> u64 {
        let addr = self.alloc(data.len() as u64);
        self.ram.write(addr, data).unwrap();
        addr
    }

    pub fn mem(&self, addr: u64, len: usize) -> Vec<u8> {
        let mut buf = vec![0; len];
        self.ram.read(addr, &mut buf).unwrap();
        buf
    }

    /// Writes a raw descriptor into queue `q`'s table at `index`.
    pub fn write_desc(&mut self, q: usize, index: u16, addr: u64, len: u32, flags: u16, next: u16) {
        let at = self.vqs[q].desc + 16 * u64::from(index);
        write_raw_desc(&mut self.ram, at, addr, len, flags, next);
    }

    /// Puts `head` in the avail ring and bumps the avail index by `bump`.
    pub fn make_available(&mut self, q: usize, head: u16, bump: u16) {
        let vq = self.vqs[q];
        let slot = vq.avail + 4 + 2 * u64::from(vq.avail_idx % vq.size);
        self.ram.write(slot, &head.to_le_bytes()).unwrap();
        let idx = vq.avail_idx.wrapping_add(bump);
        self.ram.write(vq.avail + 2, &idx.to_le_bytes()).unwrap();
        self.vqs[q].avail_idx = idx;
    }

    /// Posts a direct chain using the next free descriptors; returns its head.
    pub fn post(&mut self, q: usize, bufs: &[Buf]) -> u16 {
        let head = self.vqs[q].next_desc;
        for (i, &(addr, len, writable)) in bufs.iter().enumerate() {
            let index = (head + i as u16) % self.vqs[q].size;
            let last = i + 1 == bufs.len();
            let flags = if writable { F_WRITE } else { 0 } | if last { 0 } else { F_NEXT };
            self.write_desc(q, index, addr, len, flags, (index + 1) % self.vqs[q].size);
        }
        self.vqs[q].next_desc = (head + bufs.len() as u16) % self.vqs[q].size;
        self.make_available(q, head, 1);
        head
    }

    /// Posts a chain through one indirect descriptor; returns its head.
    pub fn post_indirect(&mut self, q: usize, bufs: &[Buf]) -> u16 {
        let table = self.alloc(16 * bufs.len() as u64);
        for (i, &(addr, len, writable)) in bufs.iter().enumerate() {
            let last = i + 1 == bufs.len();
            let flags = if writable { F_WRITE } else { 0 } | if last { 0 } else { F_NEXT };
            write_raw_desc(
                &mut self.ram,
                table + 16 * i as u64,
                addr,
                len,
                flags,
                i as u16 + 1,
            );
        }
        let head = self.vqs[q].next_desc;
        self.write_desc(q, head, table, 16 * bufs.len() as u32, F_INDIRECT, 0);
        self.vqs[q].next_desc = (head + 1) % self.vqs[q].size;
        self.make_available(q, head, 1);
        head
    }

    pub fn kick(&mut self, q: u32) {
        self.write(reg::QUEUE_NOTIFY, q);
    }

    /// The next used element `(id, len)` the driver has not seen, if any.
    pub fn take_used(&mut self, q: usize) -> Option<(u32, u32)> {
        let vq = self.vqs[q];
        let idx = u16::from_le_bytes(self.mem(vq.used + 2, 2).try_into().unwrap());
        if idx == vq.last_used {
            return None;
        }
        let elem = self.mem(vq.used + 4 + 8 * u64::from(vq.last_used % vq.size), 8);
        self.vqs[q].last_used = vq.last_used.wrapping_add(1);
        Some((
            u32::from_le_bytes(elem[..4].try_into().unwrap()),
            u32::from_le_bytes(elem[4..].try_into().unwrap()),
        ))
    }

    pub fn config(&mut self, offset: u64, size: u8) -> u64 {
        self.read_sized(reg::CONFIG + offset, size)
            .expect("config read faulted")
    }
}

pub fn write_raw_desc(ram: &mut GuestRam, at: u64, addr: u64, len: u32, flags: u16, next: u16) {
    let mut d = [0; 16];
    d[0..8].copy_from_slice(&addr.to_le_bytes());
    d[8..12].copy_from_slice(&len.to_le_bytes());
    d[12..14].copy_from_slice(&flags.to_le_bytes());
    d[14..16].copy_from_slice(&next.to_le_bytes());
    ram.write(at, &d).unwrap();
}

/// A RAM disk that counts flushes and can be told to fail.
#[derive(Default)]
pub struct MemDisk {
    pub data: Vec<u8>,
    pub flushes: u32,
    pub fail: bool,
}

impl MemDisk {
    /// `sectors` sectors, sector `n` filled with byte `n as u8`.
    pub fn patterned(sectors: u64) -> Self {
        let data = (0..sectors * 512).map(|i| (i / 512) as u8).collect();
        Self {
            data,
            ..Self::default()
        }
    }
}

impl BlockBackend for MemDisk {
    fn capacity_sectors(&self) -> u64 {
        self.data.len() as u64 / 512
    }
    fn read(&mut self, sector: u64, buf: &mut [u8]) -> std::io::Result<()> {
        if self.fail {
            return Err(std::io::Error::other("injected"));
        }
        let at = sector as usize * 512;
        buf.copy_from_slice(&self.data[at..at + buf.len()]);
        Ok(())
    }
    fn write(&mut self, sector: u64, data: &[u8]) -> std::io::Result<()> {
        if self.fail {
            return Err(std::io::Error::other("injected"));
        }
        let at = sector as usize * 512;
        self.data[at..at + data.len()].copy_from_slice(data);
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.flushes += 1;
        if self.fail {
            return Err(std::io::Error::other("injected"));
        }
        Ok(())
    }
}

/// Collects transmitted frames.
#[derive(Default)]
pub struct FrameSink {
    pub frames: Vec<Vec<u8>>,
}

impl NetBackend for FrameSink {
    fn transmit(&mut self, frame: &[u8]) {
        self.frames.push(frame.to_vec());
    }
}

/// splitmix64: a seeded, reproducible entropy source.
pub struct Seeded(pub u64);

impl Seeded {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl EntropyBackend for Seeded {
    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf {
            *b = self.next() as u8;
        }
    }
}
