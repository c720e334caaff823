//! The bare-metal board of the spike-compatible runner: one hart, RAM, and an HTIF `tohost`
//! mailbox. No other devices.
//!
//! HTIF as spike implements it: a store of a non-zero value to `tohost` is a command. With bit 0
//! set it ends the run with exit code `value >> 1` (riscv-tests: 0 = pass, n = failing test n).
//! Device 1 command 1 prints one character. Device 0 with an even payload points at a
//! `magic_mem` syscall block; `write` (64) to fd 1 or 2 is printed, anything else fails with
//! -ENOSYS. Each handled command is acknowledged through `fromhost` with `tohost` cleared.

use std::io::Write;
use std::path::Path;

use memory::GuestRam;
use riscv::{Bus, Exit, Hart, IoCtx, FRAME_SIZE};

use crate::elf::{Elf, ElfError};

/// Where the runner puts RAM: spike's and QEMU's DRAM base.
pub const RAM_BASE: u64 = 0x8000_0000;
/// RAM size of the bare runner.
pub const RAM_SIZE: u64 = 256 << 20;

#[derive(Debug, thiserror::Error)]
pub enum BareError {
    #[error("cannot read: {0}")]
    LoadRead(std::io::Error),
    #[error("{0}")]
    LoadParse(#[from] ElfError),
    #[error("no `tohost` symbol: not an HTIF test program")]
    LoadNoTohost,
    #[error("segment at {addr:#x} (+{size:#x} bytes) lies outside RAM")]
    LoadSegmentOutsideRam { addr: u64, size: u64 },
    #[error("instruction budget of {0} exhausted before the program exited")]
    RunBudgetExhausted(u64),
    #[error("the hart traps forever without retiring an instruction (pc {pc:#x})")]
    RunTrapLoop { pc: u64 },
}

/// How an HTIF program ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finished {
    /// The HTIF exit code: 0 for pass, n for "failed test n".
    pub code: u64,
    pub instructions: u64,
}

/// The board: hart, RAM and the HTIF mailbox addresses.
pub struct BareMachine {
    pub hart: Hart,
    pub ram: GuestRam,
    tohost: u64,
    fromhost: Option<u64>,
}

struct HtifBus<'a, W: Write> {
    ram: &'a mut GuestRam,
    tohost: u64,
    fromhost: Option<u64>,
    exit: Option<u64>,
    console: &'a mut W,
}

impl BareMachine {
    /// Loads an ELF file the way spike does: segments at their physical addresses, `pc` at the
    /// entry point, M-mode.
    pub fn load(path: &Path) -> Result<BareMachine, BareError> {
        let bytes = std::fs::read(path).map_err(BareError::LoadRead)?;
        let elf = Elf::parse(&bytes)?;
        let tohost = elf.symbol("tohost")?.ok_or(BareError::LoadNoTohost)?;
        let fromhost = elf.symbol("fromhost")?;
        let mut ram = GuestRam::new(RAM_BASE, RAM_SIZE).expect("constant RAM layout is valid");
        for seg in &elf.segments {
            if seg.mem_size == 0 {
                continue;
            }
            let outside = BareError::LoadSegmentOutsideRam {
                addr: seg.paddr,
                size: seg.mem_size,
            };
            if !ram.contains(seg.paddr, seg.mem_size) {
                return Err(outside);
            }
            ram.write(seg.paddr, elf.segment_bytes(seg))
                .map_err(|_| outside)?;
        }
        Ok(BareMachine::new(ram, elf.entry, tohost, fromhost))
    }

    /// A board with `ram` already loaded, starting at `entry`, with the HTIF mailbox at `tohost`
    /// (and optionally `fromhost`).
    pub fn new(ram: GuestRam, entry: u64, tohost: u64, fromhost: Option<u64>) -> BareMachine {
        BareMachine {
            hart: Hart::new(entry),
            ram,
            tohost,
            fromhost,
        }
    }

    /// Runs until the program exits through HTIF or `max_instructions` have retired.
    pub fn run(&mut self, max_instructions: u64, console: &mut impl Write) -> Result<Finished, BareError> {
        let mut bus = HtifBus {
            ram: &mut self.ram,
            tohost: self.tohost,
            fromhost: self.fromhost,
            exit: None,
            console,
        };
        loop {
            let left = max_instructions.saturating_sub(self.hart.icount());
            let exit = self.hart.run(&mut bus, left);
            if let Some(code) = bus.exit {
                return Ok(Finished {
                    code,
                    instructions: self.hart.icount(),
                });
            }
            match exit {
                Exit::Io => {}
                Exit::Budget => return Err(BareError::RunBudgetExhausted(max_instructions)),
                // Nothing on this board can interrupt the hart, and WFI may legally be a no-op.
                Exit::Wfi => self.hart.cancel_wait(),
                Exit::TrapLoop => return Err(BareError::RunTrapLoop { pc: self.hart.pc() }),
            }
        }
    }
}

impl<W: Write> HtifBus<'_, W> {
    fn on_mailbox_page(&self, pa: u64) -> bool {
        pa >> 12 == self.tohost >> 12
    }

    fn read_u64(&self, pa: u64) -> u64 {
        let mut b = [0u8; 8];
        match self.ram.read(pa, &mut b) {
            Ok(()) => u64::from_le_bytes(b),
            Err(_) => 0,
        }
    }

    /// Handles a command written to `tohost`.
    fn command(&mut self, value: u64) {
        let device = value >> 56;
        let cmd = (value >> 48) & 0xff;
        let payload = value & ((1 << 48) - 1);
        match (device, cmd) {
            (0, 0) if payload & 1 == 1 => {
                self.exit = Some(payload >> 1);
                return;
            }
            (0, 0) => self.syscall(payload),
            (1, 1) => {
                let _ = self.console.write_all(&[payload as u8]);
                let _ = self.console.flush();
            }
            _ => {}
        }
        self.acknowledge(value);
    }

    fn syscall(&mut self, block: u64) {
        const SYS_WRITE: u64 = 64;
        const ENOSYS: i64 = 38;
        let which = self.read_u64(block);
        let (fd, buf, len) = (
            self.read_u64(block + 8),
            self.read_u64(block + 16),
            self.read_u64(block + 24),
        );
        let ret = if which == SYS_WRITE && (fd == 1 || fd == 2) {
            let mut data = vec![0u8; len.min(1 << 20) as usize];
            match self.ram.read(buf, &mut data) {
                Ok(()) => {
                    let _ = self.console.write_all(&data);
                    let _ = self.console.flush();
                    data.len() as i64
                }
                Err(_) => -14, // EFAULT
            }
        } else {
            -ENOSYS
        };
        let _ = self.ram.write(block, &ret.to_le_bytes());
    }

    fn acknowledge(&mut self, value: u64) {
        let _ = self.ram.write(self.tohost, &0u64.to_le_bytes());
        if let Some(fh) = self.fromhost {
            let _ = self.ram.write(fh, &((value >> 48) << 48 | 1).to_le_bytes());
        }
    }
}

impl<W: Write> Bus for HtifBus<'_, W> {
    fn ram(&self, pa: u64) -> Option<&[u8; FRAME_SIZE]> {
        let idx = self.ram.frame_index(pa)?;
        Some(self.ram.frame(idx))
    }

    fn ram_mut(&mut self, pa: u64) -> Option<&mut [u8; FRAME_SIZE]> {
        // Stores to the mailbox page come through io_store so that they can be noticed.
        if self.on_mailbox_page(pa) {
            return None;
        }
        let idx = self.ram.frame_index(pa)?;
        Some(self.ram.frame_mut(idx))
    }

    fn ram_stamp(&self) -> Option<(u64, u64)> {
        // The mailbox page's stores come through `io_store`, as `write`s: they change it.
        Some(self.ram.stamp())
    }

    fn io_load(&mut self, pa: u64, size: u8, _: &IoCtx) -> Option<u64> {
        if !self.on_mailbox_page(pa) {
            return None;
        }
        let mut b = [0u8; 8];
        self.ram.read(pa, &mut b[..size as usize]).ok()?;
        Some(u64::from_le_bytes(b))
    }

    fn io_store(&mut self, pa: u64, size: u8, value: u64, _: &IoCtx) -> bool {
        if !self.on_mailbox_page(pa) {
            return false;
        }
        if self.ram.write(pa, &value.to_le_bytes()[..size as usize]).is_err() {
            return false;
        }
        // riscv-tests write tohost as two 32-bit halves, low half first: act on the low half.
        if pa <= self.tohost && self.tohost < pa + size as u64 {
            let v = self.read_u64(self.tohost);
            if v != 0 {
                self.command(v);
            }
        }
        true
    }
}
