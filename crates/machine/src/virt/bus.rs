//! The physical address space of the `virt` board as the hart sees it: RAM, the reset ROM and
//! the device windows.

use devices::clint::Clint;
use devices::plic::Plic;
use devices::rtc::Rtc;
use devices::syscon::Syscon;
use devices::uart::Uart;
use devices::virtio::{Blk, Net, Rng, VirtioMmio, VirtioSlot};
use devices::{BlockBackend, DeviceCtx, EntropyBackend, Mmio, NetBackend, Snapshot};
use memory::GuestRam;
use riscv::{Bus, IoCtx, FRAME_SIZE};

use super::layout::*;

pub(crate) type BlkSlot = VirtioMmio<Blk<Box<dyn BlockBackend + Send>>>;
pub(crate) type NetSlot = VirtioMmio<Net<Box<dyn NetBackend + Send>>>;
pub(crate) type RngSlot = VirtioMmio<Rng<Box<dyn EntropyBackend + Send>>>;

/// Virtio slots in use: the disk is slot 0 (vda), the NIC slot 1, the entropy source slot 2.
pub(crate) const VIRTIO_SLOTS_USED: u64 = 3;

/// Every device of the board. Virtio slot `i` sits at `VIRTIO_BASE + i * VIRTIO_STRIDE`.
pub(crate) struct Devices {
    pub rom: Box<[u8; FRAME_SIZE]>,
    pub clint: Clint,
    pub plic: Plic,
    pub uart: Uart,
    pub syscon: Syscon,
    pub rtc: Rtc,
    pub blk: Option<BlkSlot>,
    pub net: Option<NetSlot>,
    pub rng: RngSlot,
    pub empty: EmptySlot,
}

/// A virtio-mmio slot with no device: device ID 0, which drivers skip (as QEMU's empty slots).
pub(crate) struct EmptySlot;

impl Mmio for EmptySlot {
    fn size(&self) -> u64 {
        VIRTIO_STRIDE
    }

    fn read(&mut self, offset: u64, _: u8, _: &mut DeviceCtx) -> Option<u64> {
        Some(match offset {
            0x000 => 0x7472_6976, // "virt"
            0x004 => 2,
            0x00c => 0x554d_4551, // vendor "QEMU"
            _ => 0,
        })
    }

    fn write(&mut self, _: u64, _: u8, _: u64, _: &mut DeviceCtx) -> bool {
        true
    }
}

impl Devices {
    /// Every device with state, in a fixed order (absent virtio devices are skipped).
    pub fn snapshots(&self) -> Vec<&dyn Snapshot> {
        let mut v: Vec<&dyn Snapshot> = vec![&self.clint, &self.plic, &self.uart, &self.syscon, &self.rtc];
        if let Some(b) = &self.blk {
            v.push(b);
        }
        if let Some(n) = &self.net {
            v.push(n);
        }
        v.push(&self.rng);
        v
    }

    pub fn snapshots_mut(&mut self) -> Vec<&mut dyn Snapshot> {
        let mut v: Vec<&mut dyn Snapshot> = vec![
            &mut self.clint,
            &mut self.plic,
            &mut self.uart,
            &mut self.syscon,
            &mut self.rtc,
        ];
        if let Some(b) = &mut self.blk {
            v.push(b);
        }
        if let Some(n) = &mut self.net {
            v.push(n);
        }
        v.push(&mut self.rng);
        v
    }

    /// The virtio slots in order, `None` where the slot is empty.
    pub fn virtio_slots(&mut self) -> [Option<&mut dyn VirtioSlot>; VIRTIO_SLOTS_USED as usize] {
        [
            self.blk.as_mut().map(|d| d as &mut dyn VirtioSlot),
            self.net.as_mut().map(|d| d as &mut dyn VirtioSlot),
            Some(&mut self.rng as &mut dyn VirtioSlot),
        ]
    }
}

impl Devices {
    /// The device whose window holds `pa`, and `pa`'s offset in it.
    fn route(&mut self, pa: u64) -> Option<(&mut dyn Mmio, u64)> {
        let dev: (&mut dyn Mmio, u64) = match pa {
            SYSCON..=0x10_0fff => (&mut self.syscon, SYSCON),
            RTC..=0x10_1fff => (&mut self.rtc, RTC),
            CLINT..=0x200_ffff => (&mut self.clint, CLINT),
            PLIC..=0xc5f_ffff => (&mut self.plic, PLIC),
            UART..=0x1000_00ff => (&mut self.uart, UART),
            _ => {
                let slot = pa.checked_sub(VIRTIO_BASE)? / VIRTIO_STRIDE;
                if slot >= VIRTIO_SLOTS_USED {
                    return None;
                }
                let off = pa - VIRTIO_BASE - slot * VIRTIO_STRIDE;
                let dev: &mut dyn Mmio = match slot {
                    0 => self
                        .blk
                        .as_mut()
                        .map_or(&mut self.empty as &mut dyn Mmio, |d| d as &mut dyn Mmio),
                    1 => self
                        .net
                        .as_mut()
                        .map_or(&mut self.empty as &mut dyn Mmio, |d| d as &mut dyn Mmio),
                    _ => &mut self.rng,
                };
                return Some((dev, off));
            }
        };
        Some((dev.0, pa - dev.1))
    }
}

/// The hart's bus for one run: borrows the RAM and the devices.
pub(crate) struct VirtBus<'a> {
    pub ram: &'a mut GuestRam,
    pub devs: &'a mut Devices,
}

impl Bus for VirtBus<'_> {
    fn ram(&self, pa: u64) -> Option<&[u8; FRAME_SIZE]> {
        if let Some(i) = self.ram.frame_index(pa) {
            return Some(self.ram.frame(i));
        }
        // The reset ROM is executable, so it is served as a (read-only) frame.
        (pa >> 12 == RESET_ROM >> 12).then_some(&*self.devs.rom)
    }

    fn ram_mut(&mut self, pa: u64) -> Option<&mut [u8; FRAME_SIZE]> {
        let i = self.ram.frame_index(pa)?;
        Some(self.ram.frame_mut(i))
    }

    fn ram_stamp(&self) -> Option<(u64, u64)> {
        // The reset ROM is written only when the board is made.
        Some(self.ram.stamp())
    }

    fn io_load(&mut self, pa: u64, size: u8, now: &IoCtx) -> Option<u64> {
        let (dev, off) = self.devs.route(pa)?;
        let mut ctx = DeviceCtx {
            ram: self.ram,
            now: *now,
        };
        dev.read(off, size, &mut ctx)
    }

    fn io_store(&mut self, pa: u64, size: u8, value: u64, now: &IoCtx) -> bool {
        let Some((dev, off)) = self.devs.route(pa) else {
            return false;
        };
        let mut ctx = DeviceCtx {
            ram: self.ram,
            now: *now,
        };
        dev.write(off, size, value, &mut ctx)
    }
}
