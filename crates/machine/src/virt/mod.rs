//! The `virt` board: QEMU-compatible memory map and devices, OpenSBI `fw_dynamic` boot.
//!
//! [`VirtMachine::run`] advances the guest by an exact number of retired instructions. Device
//! interrupt lines are re-evaluated after every device access and at every timer deadline, and
//! the hart never runs past a deadline, so a timer interrupt is taken at exactly the
//! instruction where `mtime` reaches it. While the hart waits in WFI, virtual time jumps to
//! the next deadline (deterministically). Host input enters only through
//! [`VirtMachine::push_console`] and [`VirtMachine::push_frame`], between runs.

pub mod boot;
mod bus;
pub mod fdt;
pub mod images;
pub mod layout;

use devices::clint::Clint;
use devices::plic::Plic;
use devices::rtc::Rtc;
use devices::syscon::{PowerRequest, Syscon};
use devices::uart::Uart;
use devices::virtio::{Blk, Net, Rng, VirtioMmio};
use devices::{
    BlockBackend, ConsoleBackend, DeviceCtx, EntropyBackend, NetBackend, SnapshotError, WallClock,
};
use memory::GuestRam;
use riscv::{irq, Exit, Hart, FRAME_SIZE, INSNS_PER_TICK};

use bus::{Devices, EmptySlot, VirtBus, VIRTIO_SLOTS_USED};
use layout::*;

/// Where the kernel's initrd goes, relative to RAM: far enough above the kernel that its
/// decompression and early allocations do not clobber it (QEMU's rule).
const INITRD_OFFSET_MAX: u64 = 128 << 20;
/// The FDT sits in the last 2 MiB of RAM, leaving OpenSBI room to grow it in place.
const FDT_RESERVE: u64 = 2 << 20;

#[derive(Debug, thiserror::Error)]
pub enum VirtError {
    #[error("memory size {0} is not a multiple of 2 MiB between 32 MiB and 64 GiB")]
    CreateBadMemorySize(u64),
    #[error("{what} ({size} bytes) does not fit in RAM at {addr:#x}")]
    LoadDoesNotFit {
        what: &'static str,
        addr: u64,
        size: u64,
    },
    #[error("cannot build the device tree: {0}")]
    CreateFdt(String),
    #[error("cannot restore machine state: {0}")]
    RestoreState(String),
}

/// The images and settings a board boots with.
#[derive(Clone)]
pub struct VirtConfig {
    pub ram_size: u64,
    pub firmware: Vec<u8>,
    pub kernel: Vec<u8>,
    pub initrd: Option<Vec<u8>>,
    pub cmdline: String,
    /// Run the hart one instruction at a time, without pre-decoded blocks
    /// ([`riscv::Hart::set_blocks`]): slower, same results.
    pub single_step: bool,
}

/// Every contact the board has with the host.
pub struct Backends {
    pub console: Box<dyn ConsoleBackend + Send>,
    pub disk: Option<Box<dyn BlockBackend + Send>>,
    pub net: Option<(Box<dyn NetBackend + Send>, [u8; 6])>,
    pub entropy: Box<dyn EntropyBackend + Send>,
    pub clock: Box<dyn WallClock + Send>,
}

/// Why [`VirtMachine::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VirtExit {
    /// The budget was used up.
    Budget,
    /// The guest wrote 0x5555 to the syscon.
    Poweroff,
    /// The guest asked for a reboot.
    Reboot,
    /// The guest reported failure with this code through the syscon.
    Fail(u16),
    /// The hart waits for an interrupt that only host input can bring (no timer is armed).
    Idle,
    /// With idle pacing on: the hart waits, and its next timer fires at `mtime` = `deadline`.
    /// The caller lets real time pass (or delivers input), then calls [`VirtMachine::wake`].
    Waiting { deadline: u64 },
    /// The hart traps forever without retiring anything; the guest is dead.
    Crashed { pc: u64 },
}

pub struct VirtMachine {
    pub hart: Hart,
    pub ram: GuestRam,
    devs: Devices,
    /// Stop at idle waits instead of skipping virtual time (see [`VirtExit::Waiting`]).
    pace_idle: bool,
}

fn place(ram: &mut GuestRam, what: &'static str, addr: u64, data: &[u8]) -> Result<(), VirtError> {
    let err = VirtError::LoadDoesNotFit {
        what,
        addr,
        size: data.len() as u64,
    };
    if !ram.contains(addr, data.len() as u64) {
        return Err(err);
    }
    ram.write(addr, data).map_err(|_| err)
}

impl VirtMachine {
    pub fn new(cfg: &VirtConfig, backends: Backends) -> Result<VirtMachine, VirtError> {
        let size = cfg.ram_size;
        if !size.is_multiple_of(2 << 20) || !(32 << 20..=64 << 30).contains(&size) {
            return Err(VirtError::CreateBadMemorySize(size));
        }
        let mut ram = GuestRam::new(DRAM, size).map_err(|_| VirtError::CreateBadMemorySize(size))?;
        if cfg.firmware.len() as u64 > KERNEL_ADDR - FIRMWARE_ADDR {
            let size = cfg.firmware.len() as u64;
            return Err(VirtError::LoadDoesNotFit {
                what: "firmware",
                addr: FIRMWARE_ADDR,
                size,
            });
        }
        place(&mut ram, "firmware", FIRMWARE_ADDR, &cfg.firmware)?;
        place(&mut ram, "kernel", KERNEL_ADDR, &cfg.kernel)?;
        let fdt_addr = DRAM + size - FDT_RESERVE;
        let initrd = match &cfg.initrd {
            Some(data) => {
                let start = DRAM + (size / 2).min(INITRD_OFFSET_MAX);
                let kernel_end = KERNEL_ADDR + cfg.kernel.len() as u64;
                let end = start + data.len() as u64;
                if start < kernel_end || end > fdt_addr {
                    let size = data.len() as u64;
                    return Err(VirtError::LoadDoesNotFit {
                        what: "initrd",
                        addr: start,
                        size,
                    });
                }
                place(&mut ram, "initrd", start, data)?;
                Some((start, end))
            }
            None => None,
        };
        let fdt = fdt::build(&fdt::FdtConfig {
            ram_size: size,
            bootargs: &cfg.cmdline,
            initrd,
            virtio_slots: VIRTIO_SLOTS_USED,
        })
        .map_err(|e| VirtError::CreateFdt(e.to_string()))?;
        place(&mut ram, "device tree", fdt_addr, &fdt)?;

        let mut rom = Box::new([0u8; FRAME_SIZE]);
        let rom_image = boot::reset_rom(FIRMWARE_ADDR, fdt_addr, KERNEL_ADDR);
        rom[..rom_image.len()].copy_from_slice(&rom_image);
        let devs = Devices {
            rom,
            clint: Clint::new(),
            plic: Plic::new(),
            uart: Uart::new(backends.console),
            syscon: Syscon::new(),
            rtc: Rtc::new(backends.clock),
            blk: backends.disk.map(|d| VirtioMmio::new(Blk::new(d, false))),
            net: backends.net.map(|(n, mac)| VirtioMmio::new(Net::new(n, mac))),
            rng: VirtioMmio::new(Rng::new(backends.entropy)),
            empty: EmptySlot,
        };
        let mut hart = Hart::new(boot::RESET_PC);
        hart.set_blocks(!cfg.single_step);
        Ok(VirtMachine {
            hart,
            ram,
            devs,
            pace_idle: false,
        })
    }

    /// Retires up to `budget` instructions; see [`VirtExit`] for earlier stops.
    pub fn run(&mut self, budget: u64) -> VirtExit {
        let end = self.hart.icount().saturating_add(budget);
        loop {
            self.update_interrupts();
            if let Some(req) = self.devs.syscon.take_request() {
                return match req {
                    PowerRequest::Poweroff => VirtExit::Poweroff,
                    PowerRequest::Reboot => VirtExit::Reboot,
                    PowerRequest::Fail(code) => VirtExit::Fail(code),
                };
            }
            let left = end - self.hart.icount();
            if left == 0 {
                return VirtExit::Budget;
            }
            let slice = left.min(self.instructions_to_deadline());
            let mut bus = VirtBus {
                ram: &mut self.ram,
                devs: &mut self.devs,
            };
            match self.hart.run(&mut bus, slice) {
                Exit::Budget | Exit::Io => {}
                Exit::Wfi => {
                    self.update_interrupts();
                    if self.hart.is_waiting() {
                        match self.next_deadline() {
                            Some(deadline) if self.pace_idle => return VirtExit::Waiting { deadline },
                            Some(t) => self.hart.skip_idle(t),
                            None => return VirtExit::Idle,
                        }
                    }
                }
                Exit::TrapLoop => return VirtExit::Crashed { pc: self.hart.pc() },
            }
        }
    }

    /// With pacing on, [`VirtMachine::run`] returns [`VirtExit::Waiting`] when the hart idles
    /// until a timer, so that whoever drives the machine can let that time pass for real.
    pub fn set_idle_pacing(&mut self, on: bool) {
        self.pace_idle = on;
    }

    /// Lets virtual time move to `mtime`, but not past the next timer deadline, if the hart
    /// is waiting.
    pub fn wake(&mut self, mtime: u64) {
        if self.hart.is_waiting() {
            if let Some(t) = self.next_deadline() {
                self.hart.skip_idle(t.min(mtime));
            }
        }
    }

    /// The RTC's wall-clock time now, in nanoseconds since the Unix epoch: what a reboot
    /// carries over.
    pub fn rtc_time_ns(&self) -> u64 {
        self.devs.rtc.time_ns(self.hart.mtime())
    }

    /// The earliest future `mtime` at which a device raises an interrupt by itself.
    fn next_deadline(&self) -> Option<u64> {
        let now = self.hart.mtime();
        let timer = Some(self.devs.clint.mtimecmp()).filter(|&t| t > now && t != u64::MAX);
        let alarm = self.devs.rtc.next_deadline_mtime().filter(|&t| t > now);
        [timer, alarm].into_iter().flatten().min()
    }

    /// Instructions the hart may retire before `mtime` reaches the next deadline.
    fn instructions_to_deadline(&self) -> u64 {
        let Some(t) = self.next_deadline() else {
            return u64::MAX;
        };
        t.saturating_mul(INSNS_PER_TICK)
            .saturating_sub(self.hart.vclock())
            .max(1)
    }

    /// Recomputes every interrupt line from device state and hands them to the hart.
    fn update_interrupts(&mut self) {
        let mtime = self.hart.mtime();
        let d = &mut self.devs;
        d.rtc.advance(mtime);
        let uart = d.uart.irq();
        let rtc = d.rtc.irq();
        d.plic.set_level(UART_IRQ, uart);
        d.plic.set_level(RTC_IRQ, rtc);
        let levels: Vec<(u32, bool)> = d
            .virtio_slots()
            .into_iter()
            .enumerate()
            .map(|(i, s)| (VIRTIO_IRQ + i as u32, s.is_some_and(|s| s.irq())))
            .collect();
        for (src, level) in levels {
            d.plic.set_level(src, level);
        }
        let mask = (1 << irq::MSI) | (1 << irq::MTI) | (1 << irq::MEI) | (1 << irq::SEI);
        let lines = d.clint.irq_lines(mtime) | d.plic.irq_lines();
        self.hart.set_irq_lines(mask, lines);
    }

    /// Delivers console input; returns how many bytes the UART took (its FIFO may be full).
    pub fn push_console(&mut self, bytes: &[u8]) -> usize {
        let taken = bytes.iter().take_while(|&&b| self.devs.uart.receive(b)).count();
        self.update_interrupts();
        taken
    }

    /// Delivers a received frame; `false` if the guest has no receive buffer posted yet.
    pub fn push_frame(&mut self, frame: &[u8]) -> bool {
        let now = self.hart.io_ctx();
        let Some(net) = self.devs.net.as_mut() else {
            return true;
        };
        let mut ctx = DeviceCtx {
            ram: &mut self.ram,
            now,
        };
        let taken = net.receive(frame, &mut ctx);
        self.update_interrupts();
        taken
    }

    /// A digest of the whole machine: hart, devices and RAM.
    pub fn digest(&self) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        h.update(&self.hart.digest());
        h.update(&self.device_state());
        h.update(self.ram.digest().as_bytes());
        *h.finalize().as_bytes()
    }

    /// The saved state of every device, each as a length-prefixed blob, in a fixed order.
    pub fn device_state(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for dev in self.devs.snapshots() {
            let mut blob = Vec::new();
            dev.save(&mut blob);
            out.extend_from_slice(&(blob.len() as u64).to_le_bytes());
            out.extend_from_slice(&blob);
        }
        out
    }

    /// Restores device state saved by [`VirtMachine::device_state`] on a board with the same
    /// devices. Backends are kept.
    pub fn restore_device_state(&mut self, mut bytes: &[u8]) -> Result<(), SnapshotError> {
        for dev in self.devs.snapshots_mut() {
            let len_bytes: [u8; 8] = bytes
                .get(..8)
                .ok_or(SnapshotError::RestoreTruncated)?
                .try_into()
                .unwrap_or_default();
            let len = usize::try_from(u64::from_le_bytes(len_bytes))
                .map_err(|_| SnapshotError::RestoreTruncated)?;
            let blob = bytes
                .get(8..8usize.saturating_add(len))
                .ok_or(SnapshotError::RestoreTruncated)?;
            dev.restore(blob)?;
            bytes = &bytes[8 + len..];
        }
        if bytes.is_empty() {
            Ok(())
        } else {
            Err(SnapshotError::RestoreMalformed(
                "trailing bytes after the last device",
            ))
        }
    }

    /// A copy-on-write snapshot of the whole machine state (not its backends).
    pub fn checkpoint(&self) -> MachineState {
        MachineState {
            hart: self.hart.clone(),
            ram: self.ram.fork(),
            devices: self.device_state(),
        }
    }

    /// Makes `state` what [`checkpoint`](Self::checkpoint) would return now, in O(frames
    /// written): `state` must be a checkpoint of this machine's state (or of one identical to
    /// it) taken when its RAM's dirty log was last cleared (see [`GuestRam::catch_up`]).
    pub fn update_checkpoint(&self, state: &mut MachineState) {
        state.hart = self.hart.clone();
        state.ram.catch_up(&self.ram);
        state.devices = self.device_state();
    }

    /// A machine in `state`, talking to `backends`: a new replica, or one rebuilt from a
    /// checkpoint. `cfg` must be the configuration the state came from.
    pub fn from_state(
        cfg: &VirtConfig,
        backends: Backends,
        state: &MachineState,
    ) -> Result<VirtMachine, VirtError> {
        let mut m = VirtMachine::new(cfg, backends)?;
        m.hart = state.hart.clone();
        m.ram = state.ram.fork();
        m.restore_device_state(&state.devices)
            .map_err(|e| VirtError::RestoreState(e.to_string()))?;
        Ok(m)
    }
}

/// Everything that makes up a machine's guest-visible state, sharing RAM frames copy-on-write.
pub struct MachineState {
    pub hart: Hart,
    pub ram: GuestRam,
    pub devices: Vec<u8>,
}
