//! The virtio-mmio transport, version 2 only (virtio 1.2 §4.2.2).
//!
//! Register accesses below the configuration space must be aligned 32-bit (the spec requires
//! it of drivers and Linux uses `readl`/`writel`); anything else is an access fault. Reads of
//! write-only registers return 0 and writes to read-only ones are ignored. Queue registers
//! are ignored while their queue is ready, and `DriverFeatures` once `FEATURES_OK` is set,
//! because changing them under a live ring could only corrupt it.

use memory::GuestRam;

use super::status::{DEVICE_NEEDS_RESET, DRIVER_OK, FEATURES_OK};
use super::{feature, interrupt, Queue, VirtioDevice};
use crate::snap::{SnapReader, SnapWriter};
use crate::{DeviceCtx, Mmio, Snapshot, SnapshotError};

const MAGIC: u32 = 0x7472_6976; // "virt"
const VENDOR_ID: u32 = 0x554d_4551; // "QEMU", as QEMU's virt board reports it
const WINDOW: u64 = 0x1000;
const CONFIG: u64 = 0x100;

const TRANSPORT_FEATURES: u64 = 1 << feature::VERSION_1 | 1 << feature::RING_INDIRECT_DESC;

mod reg {
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
    pub const SHM_LEN_LOW: u64 = 0x0b0;
    pub const SHM_LEN_HIGH: u64 = 0x0b4;
    pub const CONFIG_GENERATION: u64 = 0x0fc;
}

/// A virtio device behind one virtio-mmio register window.
pub struct VirtioMmio<D> {
    pub(crate) device: D,
    pub(crate) queues: Vec<Queue>,
    device_features_sel: u32,
    driver_features: u64,
    driver_features_sel: u32,
    queue_sel: u32,
    status: u32,
    interrupt_status: u32,
    config_generation: u32,
    /// Why the device last entered `DEVICE_NEEDS_RESET`; diagnostics only, not snapshotted.
    fault: Option<String>,
}

impl<D: VirtioDevice> VirtioMmio<D> {
    pub fn new(device: D) -> Self {
        let queues = device
            .queue_max_sizes()
            .iter()
            .map(|&max| Queue::new(max))
            .collect();
        Self {
            device,
            queues,
            device_features_sel: 0,
            driver_features: 0,
            driver_features_sel: 0,
            queue_sel: 0,
            status: 0,
            interrupt_status: 0,
            config_generation: 0,
            fault: None,
        }
    }

    pub fn device(&self) -> &D {
        &self.device
    }

    pub fn device_mut(&mut self) -> &mut D {
        &mut self.device
    }

    /// The interrupt line: high while `InterruptStatus` is non-zero.
    pub fn irq(&self) -> bool {
        self.interrupt_status != 0
    }

    /// The device status register as the driver last set it, plus `DEVICE_NEEDS_RESET`.
    pub fn status(&self) -> u32 {
        self.status
    }

    /// Why the device needs a reset, while it does.
    pub fn fault(&self) -> Option<&str> {
        self.fault.as_deref()
    }

    /// All features offered: the device's plus `VERSION_1` and `RING_INDIRECT_DESC`.
    pub fn offered_features(&self) -> u64 {
        self.device.device_features() | TRANSPORT_FEATURES
    }

    /// Features the driver accepted (meaningful once `FEATURES_OK` is set).
    pub fn driver_features(&self) -> u64 {
        self.driver_features
    }

    /// Signals a configuration-space change: a new `ConfigGeneration` and a config interrupt.
    pub fn config_changed(&mut self) {
        self.config_generation = self.config_generation.wrapping_add(1);
        self.interrupt_status |= interrupt::CONFIG_CHANGE;
    }

    /// The driver finished initialisation and nothing has gone wrong since: the device may
    /// use buffers.
    pub fn live(&self) -> bool {
        self.status & (DRIVER_OK | FEATURES_OK) == DRIVER_OK | FEATURES_OK
            && self.status & DEVICE_NEEDS_RESET == 0
    }

    /// §2.1.2: a device that cannot go on sets `DEVICE_NEEDS_RESET` and tells the driver.
    pub(crate) fn fail(&mut self, error: &dyn std::error::Error) {
        if self.status & DEVICE_NEEDS_RESET == 0 {
            self.fault = Some(error.to_string());
        }
        self.status |= DEVICE_NEEDS_RESET;
        self.interrupt_status |= interrupt::CONFIG_CHANGE;
    }

    /// Raises the used-buffer interrupt if queue `index` gained used entries since `before`,
    /// unless the driver asked for none.
    pub(crate) fn signal_used(&mut self, index: usize, before: u16, ram: &GuestRam) {
        let q = &self.queues[index];
        if q.used_idx() != before && !q.interrupt_suppressed(ram) {
            self.interrupt_status |= interrupt::USED_BUFFER;
        }
    }

    fn notify(&mut self, index: u32, ram: &mut GuestRam) {
        if !self.live() {
            return;
        }
        let index = index as usize;
        let Some(q) = self.queues.get_mut(index).filter(|q| q.ready()) else {
            return;
        };
        let before = q.used_idx();
        let result = self.device.process(index, q, ram);
        self.signal_used(index, before, ram);
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    fn reset(&mut self) {
        self.device.reset();
        self.queues.iter_mut().for_each(Queue::reset);
        self.device_features_sel = 0;
        self.driver_features = 0;
        self.driver_features_sel = 0;
        self.queue_sel = 0;
        self.status = 0;
        self.interrupt_status = 0;
        self.fault = None;
    }

    fn write_status(&mut self, value: u32, ram: &mut GuestRam) {
        if value == 0 {
            return self.reset();
        }
        let old = self.status;
        let mut new = value & 0xff & !DEVICE_NEEDS_RESET;
        if new & FEATURES_OK != 0 && old & FEATURES_OK == 0 && !self.features_acceptable() {
            new &= !FEATURES_OK;
        }
        self.status = new | old & DEVICE_NEEDS_RESET;
        // Kicks before DRIVER_OK were not acted on (§3.1.1: no buffer use before it), so catch
        // up on every queue now.
        if old & DRIVER_OK == 0 && self.status & DRIVER_OK != 0 {
            for index in 0..self.queues.len() as u32 {
                self.notify(index, ram);
            }
        }
    }

    /// The driver must accept VERSION_1 (there is no legacy interface here) and nothing we
    /// did not offer.
    fn features_acceptable(&self) -> bool {
        let offered = self.offered_features();
        self.driver_features & !offered == 0 && self.driver_features & 1 << feature::VERSION_1 != 0
    }

    fn selected_queue(&mut self) -> Option<&mut Queue> {
        self.queues
            .get_mut(self.queue_sel as usize)
            .filter(|q| !q.ready())
    }

    fn read_register(&self, offset: u64) -> u32 {
        let queue = self.queues.get(self.queue_sel as usize);
        let features = self.offered_features();
        match offset {
            reg::MAGIC => MAGIC,
            reg::VERSION => 2,
            reg::DEVICE_ID => self.device.device_id(),
            reg::VENDOR_ID => VENDOR_ID,
            reg::DEVICE_FEATURES => match self.device_features_sel {
                0 => features as u32,
                1 => (features >> 32) as u32,
                _ => 0,
            },
            reg::QUEUE_NUM_MAX => queue.map_or(0, |q| u32::from(q.max_size())),
            reg::QUEUE_READY => queue.is_some_and(Queue::ready) as u32,
            reg::INTERRUPT_STATUS => self.interrupt_status,
            reg::STATUS => self.status,
            // No shared memory regions: length all-ones means "absent" (§4.2.2).
            reg::SHM_LEN_LOW | reg::SHM_LEN_HIGH => u32::MAX,
            reg::CONFIG_GENERATION => self.config_generation,
            _ => 0,
        }
    }

    fn write_register(&mut self, offset: u64, value: u32, ram: &mut GuestRam) {
        match offset {
            reg::DEVICE_FEATURES_SEL => self.device_features_sel = value,
            reg::DRIVER_FEATURES if self.status & FEATURES_OK == 0 => match self.driver_features_sel {
                0 => self.driver_features = self.driver_features & !0xffff_ffff | u64::from(value),
                1 => self.driver_features = self.driver_features & 0xffff_ffff | u64::from(value) << 32,
                _ => {}
            },
            reg::DRIVER_FEATURES_SEL => self.driver_features_sel = value,
            reg::QUEUE_SEL => self.queue_sel = value,
            reg::QUEUE_NUM => {
                if let Some(q) = self.selected_queue() {
                    q.num = value;
                }
            }
            reg::QUEUE_READY => self.write_queue_ready(value, ram),
            reg::QUEUE_NOTIFY => self.notify(value, ram),
            reg::INTERRUPT_ACK => self.interrupt_status &= !value,
            reg::STATUS => self.write_status(value, ram),
            reg::QUEUE_DESC_LOW
            | reg::QUEUE_DESC_HIGH
            | reg::QUEUE_DRIVER_LOW
            | reg::QUEUE_DRIVER_HIGH
            | reg::QUEUE_DEVICE_LOW
            | reg::QUEUE_DEVICE_HIGH => self.write_queue_address(offset, value),
            _ => {}
        }
    }

    fn write_queue_address(&mut self, offset: u64, value: u32) {
        let Some(q) = self.selected_queue() else { return };
        let field = match offset {
            reg::QUEUE_DESC_LOW | reg::QUEUE_DESC_HIGH => &mut q.desc,
            reg::QUEUE_DRIVER_LOW | reg::QUEUE_DRIVER_HIGH => &mut q.driver,
            _ => &mut q.device,
        };
        *field = if offset & 4 == 0 {
            *field & !0xffff_ffff | u64::from(value)
        } else {
            *field & 0xffff_ffff | u64::from(value) << 32
        };
    }

    /// An invalid size or ring placement leaves the queue not ready and the device in
    /// `DEVICE_NEEDS_RESET`: Linux does not read `QueueReady` back after setting it, so
    /// without the error status it would wait forever on a dead queue.
    fn write_queue_ready(&mut self, value: u32, ram: &GuestRam) {
        let Some(q) = self.queues.get_mut(self.queue_sel as usize) else {
            return;
        };
        if value & 1 == 0 {
            q.ready = false;
        } else if !q.ready() {
            if let Err(e) = q.activate(ram) {
                self.fail(&e);
            }
        }
    }
}

/// Object-safe view of any [`VirtioMmio`], for a board that keeps its slots in one list
/// (`Vec<Box<dyn VirtioSlot + Send>>`). Device-specific calls such as
/// [`VirtioMmio::receive`] need the concrete type.
pub trait VirtioSlot: Mmio + Snapshot {
    fn device_id(&self) -> u32;
    /// See [`VirtioMmio::irq`].
    fn irq(&self) -> bool;
    /// See [`VirtioMmio::config_changed`].
    fn config_changed(&mut self);
}

impl<D: VirtioDevice> VirtioSlot for VirtioMmio<D> {
    fn device_id(&self) -> u32 {
        self.device.device_id()
    }

    fn irq(&self) -> bool {
        VirtioMmio::irq(self)
    }

    fn config_changed(&mut self) {
        VirtioMmio::config_changed(self)
    }
}

impl<D: VirtioDevice> std::fmt::Debug for VirtioMmio<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VirtioMmio")
            .field("device_id", &self.device.device_id())
            .field("status", &format_args!("{:#x}", self.status))
            .field("interrupt_status", &self.interrupt_status)
            .field("fault", &self.fault)
            .finish_non_exhaustive()
    }
}

impl<D: VirtioDevice> Mmio for VirtioMmio<D> {
    fn size(&self) -> u64 {
        WINDOW
    }

    fn read(&mut self, offset: u64, size: u8, _ctx: &mut DeviceCtx) -> Option<u64> {
        if offset < CONFIG {
            return (size == 4 && offset.is_multiple_of(4)).then(|| u64::from(self.read_register(offset)));
        }
        let len = config_access(offset, size)?;
        let mut buf = [0; 8];
        self.device.read_config(offset - CONFIG, &mut buf[..len]);
        Some(u64::from_le_bytes(buf))
    }

    fn write(&mut self, offset: u64, size: u8, value: u64, ctx: &mut DeviceCtx) -> bool {
        if offset < CONFIG {
            if size != 4 || !offset.is_multiple_of(4) {
                return false;
            }
            self.write_register(offset, value as u32, ctx.ram);
            return true;
        }
        let Some(len) = config_access(offset, size) else {
            return false;
        };
        self.device
            .write_config(offset - CONFIG, &value.to_le_bytes()[..len]);
        true
    }
}

/// Configuration space takes 1/2/4/8-byte accesses that fit in the window.
fn config_access(offset: u64, size: u8) -> Option<usize> {
    let fits = offset
        .checked_add(u64::from(size))
        .is_some_and(|end| end <= WINDOW);
    (matches!(size, 1 | 2 | 4 | 8) && fits).then_some(usize::from(size))
}

const TAG: &[u8; 4] = b"VMM2";

impl<D: VirtioDevice> Snapshot for VirtioMmio<D> {
    fn save(&self, out: &mut Vec<u8>) {
        let mut w = SnapWriter::new(out);
        w.tag(TAG);
        w.u32(self.device.device_id());
        for v in [
            self.device_features_sel,
            self.driver_features_sel,
            self.queue_sel,
            self.status,
        ] {
            w.u32(v);
        }
        w.u64(self.driver_features);
        w.u32(self.interrupt_status);
        w.u32(self.config_generation);
        w.u16(self.queues.len() as u16);
        for q in &self.queues {
            w.u32(q.num);
            w.bool(q.ready);
            w.u64(q.desc);
            w.u64(q.driver);
            w.u64(q.device);
            w.u16(q.next_avail);
            w.u16(q.next_used);
        }
        let mut device = Vec::new();
        self.device.save(&mut device);
        w.blob(&device);
    }

    /// All-or-nothing: nothing changes unless the whole snapshot, device part included, is
    /// valid.
    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError> {
        let mut r = SnapReader::new(data);
        r.tag(TAG)?;
        if r.u32()? != self.device.device_id() {
            return Err(SnapshotError::RestoreMalformed("virtio device id differs"));
        }
        let (device_features_sel, driver_features_sel, queue_sel, status) =
            (r.u32()?, r.u32()?, r.u32()?, r.u32()?);
        let driver_features = r.u64()?;
        let (interrupt_status, config_generation) = (r.u32()?, r.u32()?);
        if usize::from(r.u16()?) != self.queues.len() {
            return Err(SnapshotError::RestoreMalformed("virtio queue count differs"));
        }
        let mut queues = self.queues.clone();
        for q in &mut queues {
            q.num = r.u32()?;
            q.ready = r.bool()?;
            (q.desc, q.driver, q.device) = (r.u64()?, r.u64()?, r.u64()?);
            (q.next_avail, q.next_used) = (r.u16()?, r.u16()?);
            // Queue code divides by the size of a ready queue.
            if q.ready && !(q.num.is_power_of_two() && q.num <= u32::from(q.max_size())) {
                return Err(SnapshotError::RestoreMalformed(
                    "ready virtio queue has an invalid size",
                ));
            }
        }
        let device = r.blob()?;
        r.finish()?;
        if status > 0xff || interrupt_status > 3 {
            return Err(SnapshotError::RestoreMalformed("virtio status out of range"));
        }
        self.device.restore(device)?;
        self.queues = queues;
        (self.device_features_sel, self.driver_features_sel, self.queue_sel) =
            (device_features_sel, driver_features_sel, queue_sel);
        (self.status, self.driver_features) = (status, driver_features);
        (self.interrupt_status, self.config_generation) = (interrupt_status, config_generation);
        self.fault = None;
        Ok(())
    }
}
