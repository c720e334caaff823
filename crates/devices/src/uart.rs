//! 16550A UART (reg-shift 0) as on QEMU's `virt` board: 0x1000_0000, PLIC source 10.
//!
//! Transmission is instantaneous: a THR write goes straight to the [`ConsoleBackend`], so THR
//! and the transmitter are always empty (LSR.THRE and LSR.TEMT always read 1). Received bytes
//! are pushed by the board with [`Uart::receive`] into a 16-byte FIFO (1 byte with the FIFO
//! disabled); the board respects [`Uart::rx_space`] instead of overrunning it, so no input is
//! ever lost. The board samples [`Uart::irq`] after each access or push and drives the PLIC.
//!
//! Interrupts follow QEMU's `serial.c`, which Linux's 8250 driver is tested against:
//! - IIR priority: line status (overrun) > received data > THR empty > modem status (never:
//!   the modem inputs are constant).
//! - THR-empty is cleared by reading IIR while it is the reported source, or by writing THR.
//!   Because the byte leaves at once, a THR write re-arms it immediately, as when a real
//!   16550's holding register drains. Any IER write re-arms it too, since THR is empty.
//! - The receive FIFO trigger level (FCR bits 6-7) selects between "data available" (0x04, at
//!   or above the level) and "character timeout" (0x0C, below it). There is no timer: the
//!   timeout counts as already elapsed, which is deterministic and is what a driver waiting
//!   for the timeout would see a few character times later anyway.
//!
//! Like QEMU, accesses of 1, 2, 4 or 8 bytes at an aligned offset below 8 reach the byte
//! register at that offset; 0x8..0x100 is unassigned in QEMU and faults here too. Loopback
//! (MCR bit 4) sends transmitted bytes to the receiver, mirrors MCR into MSR and disconnects
//! the board's input.

use std::collections::VecDeque;

use crate::snap::{SnapReader, SnapWriter};
use crate::{ConsoleBackend, DeviceCtx, Mmio, Snapshot, SnapshotError};

pub const UART_BASE: u64 = 0x1000_0000;
pub const UART_SIZE: u64 = 0x100;
pub const UART_IRQ: u32 = 10;
/// Receive FIFO depth with the FIFO enabled.
pub const UART_FIFO_LEN: usize = 16;

const REGS: u64 = 8;

const IER_RDI: u8 = 0x01;
const IER_THRI: u8 = 0x02;
const IER_RLSI: u8 = 0x04;
const IER_MASK: u8 = 0x0f;

const IIR_NO_INT: u8 = 0x01;
const IIR_THRI: u8 = 0x02;
const IIR_RDI: u8 = 0x04;
const IIR_RLSI: u8 = 0x06;
const IIR_CTI: u8 = 0x0c;
const IIR_FIFO_ENABLED: u8 = 0xc0;

const FCR_FE: u8 = 0x01;
const FCR_RFR: u8 = 0x02;
/// The FCR bits that stick (enable, DMA mode, trigger level), as in QEMU.
const FCR_STICKY: u8 = 0xc9;

const LCR_DLAB: u8 = 0x80;
const MCR_OUT2: u8 = 0x08;
const MCR_LOOP: u8 = 0x10;
const MCR_MASK: u8 = 0x1f;

const LSR_DR: u8 = 0x01;
const LSR_OE: u8 = 0x02;
const LSR_THRE: u8 = 0x20;
const LSR_TEMT: u8 = 0x40;

/// DCD, DSR and CTS asserted: a cable with someone listening.
const MSR_IDLE: u8 = 0xb0;

/// QEMU's reset divisor: 9600 baud from its 1.8432 MHz-style base clock.
const RESET_DIVISOR: u16 = 0x0c;

pub struct Uart {
    console: Box<dyn ConsoleBackend + Send>,
    rx: VecDeque<u8>,
    ier: u8,
    lcr: u8,
    mcr: u8,
    fcr: u8,
    scr: u8,
    divisor: u16,
    overrun: bool,
    thr_ipending: bool,
}

impl Uart {
    pub fn new(console: Box<dyn ConsoleBackend + Send>) -> Self {
        Self {
            console,
            rx: VecDeque::with_capacity(UART_FIFO_LEN),
            ier: 0,
            lcr: 0,
            mcr: MCR_OUT2,
            fcr: 0,
            scr: 0,
            divisor: RESET_DIVISOR,
            overrun: false,
            thr_ipending: false,
        }
    }

    /// Back to the power-on state; the console stays connected.
    pub fn reset(&mut self) {
        let console = std::mem::replace(&mut self.console, Box::new(NullConsole));
        *self = Self::new(console);
    }

    /// The interrupt output (to PLIC source [`UART_IRQ`]).
    pub fn irq(&self) -> bool {
        self.iir_id() != IIR_NO_INT
    }

    /// Pushes a byte from the host side of the line; `false` (byte not taken) when the
    /// receiver is full or in loopback.
    pub fn receive(&mut self, byte: u8) -> bool {
        if self.rx_space() == 0 {
            return false;
        }
        self.rx.push_back(byte);
        true
    }

    /// How many bytes [`Uart::receive`] would take now.
    pub fn rx_space(&self) -> usize {
        if self.loopback() {
            0
        } else {
            self.rx_capacity() - self.rx.len()
        }
    }

    fn loopback(&self) -> bool {
        self.mcr & MCR_LOOP != 0
    }

    fn fifo_enabled(&self) -> bool {
        self.fcr & FCR_FE != 0
    }

    fn rx_capacity(&self) -> usize {
        if self.fifo_enabled() {
            UART_FIFO_LEN
        } else {
            1
        }
    }

    fn trigger_level(&self) -> usize {
        [1, 4, 8, 14][(self.fcr >> 6) as usize]
    }

    fn lsr(&self) -> u8 {
        let dr = if self.rx.is_empty() { 0 } else { LSR_DR };
        let oe = if self.overrun { LSR_OE } else { 0 };
        dr | oe | LSR_THRE | LSR_TEMT
    }

    fn iir_id(&self) -> u8 {
        if self.ier & IER_RLSI != 0 && self.overrun {
            IIR_RLSI
        } else if self.ier & IER_RDI != 0 && !self.rx.is_empty() {
            if self.fifo_enabled() && self.rx.len() < self.trigger_level() {
                IIR_CTI
            } else {
                IIR_RDI
            }
        } else if self.ier & IER_THRI != 0 && self.thr_ipending {
            IIR_THRI
        } else {
            IIR_NO_INT
        }
    }

    fn msr(&self) -> u8 {
        if self.loopback() {
            // OUT2/OUT1 -> DCD/RI, RTS -> CTS, DTR -> DSR.
            ((self.mcr & 0x0c) << 4) | ((self.mcr & 0x02) << 3) | ((self.mcr & 0x01) << 5)
        } else {
            MSR_IDLE
        }
    }

    fn transmit(&mut self, byte: u8) {
        if self.loopback() {
            if self.rx.len() < self.rx_capacity() {
                self.rx.push_back(byte);
            } else {
                self.overrun = true;
            }
        } else {
            self.console.write(&[byte]);
        }
        // The holding register is empty again at once.
        self.thr_ipending = true;
    }

    fn read_reg(&mut self, reg: u64) -> u8 {
        let dlab = self.lcr & LCR_DLAB != 0;
        match reg {
            0 if dlab => self.divisor as u8,
            0 => self.rx.pop_front().unwrap_or(0),
            1 if dlab => (self.divisor >> 8) as u8,
            1 => self.ier,
            2 => {
                let id = self.iir_id();
                if id == IIR_THRI {
                    self.thr_ipending = false;
                }
                let fifo = if self.fifo_enabled() { IIR_FIFO_ENABLED } else { 0 };
                id | fifo
            }
            3 => self.lcr,
            4 => self.mcr,
            5 => {
                let lsr = self.lsr();
                self.overrun = false;
                lsr
            }
            6 => self.msr(),
            _ => self.scr,
        }
    }

    fn write_reg(&mut self, reg: u64, v: u8) {
        let dlab = self.lcr & LCR_DLAB != 0;
        match reg {
            0 if dlab => self.divisor = (self.divisor & 0xff00) | v as u16,
            0 => self.transmit(v),
            1 if dlab => self.divisor = (self.divisor & 0x00ff) | (v as u16) << 8,
            1 => {
                self.ier = v & IER_MASK;
                self.thr_ipending = true;
            }
            2 => {
                // Toggling the enable flushes the FIFOs; the transmit side has nothing to flush.
                if (v ^ self.fcr) & FCR_FE != 0 || v & FCR_RFR != 0 {
                    self.rx.clear();
                }
                self.fcr = v & FCR_STICKY;
            }
            3 => self.lcr = v,
            4 => self.mcr = v & MCR_MASK,
            7 => self.scr = v,
            // LSR and MSR are read-only.
            _ => {}
        }
    }
}

impl std::fmt::Debug for Uart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Uart")
            .field("rx", &self.rx)
            .field("ier", &self.ier)
            .field("lcr", &self.lcr)
            .field("mcr", &self.mcr)
            .field("fcr", &self.fcr)
            .field("overrun", &self.overrun)
            .field("thr_ipending", &self.thr_ipending)
            .finish_non_exhaustive()
    }
}

/// Stands in for the console only while [`Uart::reset`] moves the real one.
struct NullConsole;

impl ConsoleBackend for NullConsole {
    fn write(&mut self, _: &[u8]) {}
}

fn valid(offset: u64, size: u8) -> bool {
    matches!(size, 1 | 2 | 4 | 8) && offset < REGS && offset.is_multiple_of(size as u64)
}

impl Mmio for Uart {
    fn size(&self) -> u64 {
        UART_SIZE
    }

    fn read(&mut self, offset: u64, size: u8, _ctx: &mut DeviceCtx) -> Option<u64> {
        valid(offset, size).then(|| self.read_reg(offset) as u64)
    }

    fn write(&mut self, offset: u64, size: u8, value: u64, _ctx: &mut DeviceCtx) -> bool {
        if !valid(offset, size) {
            return false;
        }
        self.write_reg(offset, value as u8);
        true
    }
}

const TAG: &[u8; 4] = b"UAR1";

impl Snapshot for Uart {
    fn save(&self, out: &mut Vec<u8>) {
        let mut w = SnapWriter::new(out);
        w.tag(TAG);
        for b in [self.ier, self.lcr, self.mcr, self.fcr, self.scr] {
            w.u8(b);
        }
        w.u16(self.divisor);
        w.bool(self.overrun);
        w.bool(self.thr_ipending);
        let (a, b) = self.rx.as_slices();
        w.blob(&[a, b].concat());
    }

    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError> {
        let mut r = SnapReader::new(data);
        r.tag(TAG)?;
        let [ier, lcr, mcr, fcr, scr] = r.array::<5>()?;
        let divisor = r.u16()?;
        let overrun = r.bool()?;
        let thr_ipending = r.bool()?;
        let rx = r.blob()?;
        r.finish()?;
        if ier & !IER_MASK != 0 || mcr & !MCR_MASK != 0 || fcr & !FCR_STICKY != 0 {
            return Err(SnapshotError::RestoreMalformed(
                "UART register has reserved bits set",
            ));
        }
        let capacity = if fcr & FCR_FE != 0 { UART_FIFO_LEN } else { 1 };
        if rx.len() > capacity {
            return Err(SnapshotError::RestoreMalformed("UART receive FIFO overfull"));
        }
        (self.ier, self.lcr, self.mcr, self.fcr, self.scr) = (ier, lcr, mcr, fcr, scr);
        self.divisor = divisor;
        self.overrun = overrun;
        self.thr_ipending = thr_ipending;
        self.rx = rx.iter().copied().collect();
        Ok(())
    }
}
