//! Goldfish RTC at 0x0010_1000 (PLIC source 11), as QEMU's `goldfish_rtc` and Linux's
//! `rtc-goldfish` use it.
//!
//! Time is deterministic: `offset + mtime * 100` nanoseconds, where `offset` is the
//! [`WallClock`] reading taken once when the device is created or reset (at `mtime` 0 and the
//! given `mtime` respectively; an input the replication layer logs) and is moved by guest
//! writes to TIME. Guest time advances only with the hart's `mtime` (10 MHz, so one tick is
//! 100 ns), never with host time.
//!
//! The alarm is kept as the `mtime` at which it fires ([`Rtc::next_deadline_mtime`]). It fires
//! when the board calls [`Rtc::advance`] or when the guest touches the device at or after that
//! time, so the interrupt appears at an instruction count the board chose. Like QEMU, writing
//! ALARM_LOW arms it (ALARM_HIGH only stages the high half), and moving TIME afterwards does not
//! move an armed alarm.
//!
//! Like QEMU: aligned 32-bit accesses only; the registers occupy 0x00..0x24 and the rest of the
//! page is unassigned in QEMU, so it faults here too; unknown registers inside read 0.

use crate::snap::{SnapReader, SnapWriter};
use crate::{DeviceCtx, Mmio, Snapshot, SnapshotError, WallClock};

pub const RTC_BASE: u64 = 0x0010_1000;
pub const RTC_SIZE: u64 = 0x1000;
pub const RTC_IRQ: u32 = 11;
/// `mtime` runs at 10 MHz.
pub const NS_PER_MTIME_TICK: u64 = 100;

const TIME_LOW: u64 = 0x00;
const TIME_HIGH: u64 = 0x04;
const ALARM_LOW: u64 = 0x08;
const ALARM_HIGH: u64 = 0x0c;
const IRQ_ENABLED: u64 = 0x10;
const CLEAR_ALARM: u64 = 0x14;
const ALARM_STATUS: u64 = 0x18;
const CLEAR_INTERRUPT: u64 = 0x1c;
const REGS: u64 = 0x24;

pub struct Rtc {
    clock: Box<dyn WallClock + Send>,
    /// RTC nanoseconds at `mtime` 0 (wrapping, as QEMU's `tick_offset`).
    offset: u64,
    alarm: u64,
    /// When the armed alarm fires, in `mtime` ticks.
    deadline: Option<u64>,
    time_high: u32,
    irq_pending: bool,
    irq_enabled: bool,
}

impl Rtc {
    /// Reads `clock` once, as the time at `mtime` 0.
    pub fn new(clock: Box<dyn WallClock + Send>) -> Self {
        let mut rtc = Self {
            clock,
            offset: 0,
            alarm: 0,
            deadline: None,
            time_high: 0,
            irq_pending: false,
            irq_enabled: false,
        };
        rtc.reset(0);
        rtc
    }

    /// Power-on state, with the wall clock read again as the time at `mtime`.
    pub fn reset(&mut self, mtime: u64) {
        let now = self.clock.now_ns();
        self.offset = now.wrapping_sub(guest_ns(mtime));
        self.alarm = 0;
        self.deadline = None;
        self.time_high = 0;
        self.irq_pending = false;
        self.irq_enabled = false;
    }

    /// The interrupt output (to PLIC source [`RTC_IRQ`]).
    pub fn irq(&self) -> bool {
        self.irq_pending && self.irq_enabled
    }

    /// The `mtime` at which the armed alarm fires, if one is armed.
    pub fn next_deadline_mtime(&self) -> Option<u64> {
        self.deadline
    }

    /// Fires the alarm if `mtime` has reached its deadline.
    pub fn advance(&mut self, mtime: u64) {
        if self.deadline.is_some_and(|d| mtime >= d) {
            self.deadline = None;
            self.irq_pending = true;
        }
    }

    /// The RTC reading at `mtime`, in nanoseconds since the epoch.
    pub fn time_ns(&self, mtime: u64) -> u64 {
        self.offset.wrapping_add(guest_ns(mtime))
    }

    fn arm(&mut self, mtime: u64) {
        self.deadline = None;
        if self.alarm <= self.time_ns(mtime) {
            self.irq_pending = true;
            return;
        }
        // QEMU schedules the alarm at guest time `alarm - offset`; a time that does not fit
        // the signed timer clock is already in the past there.
        let at_ns = self.alarm.wrapping_sub(self.offset) as i64;
        if at_ns <= 0 {
            self.irq_pending = true;
            return;
        }
        self.deadline = Some((at_ns as u64).div_ceil(NS_PER_MTIME_TICK));
        // After a TIME write the deadline may already be behind us.
        self.advance(mtime);
    }

    /// Sets one half of the current time by moving the offset.
    fn set_time(&mut self, mtime: u64, value: u64, high: bool) {
        let now = self.time_ns(mtime);
        let new = if high {
            (now & 0xffff_ffff) | (value << 32)
        } else {
            (now & !0xffff_ffff) | value
        };
        self.offset = self.offset.wrapping_add(new.wrapping_sub(now));
    }
}

impl std::fmt::Debug for Rtc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rtc")
            .field("offset", &self.offset)
            .field("alarm", &self.alarm)
            .field("deadline", &self.deadline)
            .field("irq_pending", &self.irq_pending)
            .field("irq_enabled", &self.irq_enabled)
            .finish_non_exhaustive()
    }
}

fn guest_ns(mtime: u64) -> u64 {
    mtime.wrapping_mul(NS_PER_MTIME_TICK)
}

fn valid(offset: u64, size: u8) -> bool {
    size == 4 && offset < REGS && offset.is_multiple_of(4)
}

impl Mmio for Rtc {
    fn size(&self) -> u64 {
        RTC_SIZE
    }

    fn read(&mut self, offset: u64, size: u8, ctx: &mut DeviceCtx) -> Option<u64> {
        if !valid(offset, size) {
            return None;
        }
        let mtime = ctx.now.mtime;
        self.advance(mtime);
        let value = match offset {
            TIME_LOW => {
                // Latch the high half so the pair reads as one consistent 64-bit value.
                let now = self.time_ns(mtime);
                self.time_high = (now >> 32) as u32;
                now & 0xffff_ffff
            }
            TIME_HIGH => self.time_high as u64,
            ALARM_LOW => self.alarm & 0xffff_ffff,
            ALARM_HIGH => self.alarm >> 32,
            IRQ_ENABLED => self.irq_enabled as u64,
            ALARM_STATUS => self.deadline.is_some() as u64,
            _ => 0,
        };
        Some(value)
    }

    fn write(&mut self, offset: u64, size: u8, value: u64, ctx: &mut DeviceCtx) -> bool {
        if !valid(offset, size) {
            return false;
        }
        let mtime = ctx.now.mtime;
        self.advance(mtime);
        let value = value & 0xffff_ffff;
        match offset {
            TIME_LOW => self.set_time(mtime, value, false),
            TIME_HIGH => self.set_time(mtime, value, true),
            ALARM_LOW => {
                self.alarm = (self.alarm & !0xffff_ffff) | value;
                self.arm(mtime);
            }
            ALARM_HIGH => self.alarm = (self.alarm & 0xffff_ffff) | (value << 32),
            IRQ_ENABLED => self.irq_enabled = value & 1 != 0,
            CLEAR_ALARM => self.deadline = None,
            CLEAR_INTERRUPT => self.irq_pending = false,
            _ => {}
        }
        true
    }
}

const TAG: &[u8; 4] = b"RTC1";

impl Snapshot for Rtc {
    fn save(&self, out: &mut Vec<u8>) {
        let mut w = SnapWriter::new(out);
        w.tag(TAG);
        w.u64(self.offset);
        w.u64(self.alarm);
        w.bool(self.deadline.is_some());
        w.u64(self.deadline.unwrap_or(0));
        w.u32(self.time_high);
        w.bool(self.irq_pending);
        w.bool(self.irq_enabled);
    }

    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError> {
        let mut r = SnapReader::new(data);
        r.tag(TAG)?;
        let offset = r.u64()?;
        let alarm = r.u64()?;
        let armed = r.bool()?;
        let deadline = r.u64()?;
        let time_high = r.u32()?;
        let irq_pending = r.bool()?;
        let irq_enabled = r.bool()?;
        r.finish()?;
        if !armed && deadline != 0 {
            return Err(SnapshotError::RestoreMalformed("RTC deadline without an alarm"));
        }
        self.offset = offset;
        self.alarm = alarm;
        self.deadline = armed.then_some(deadline);
        self.time_high = time_high;
        self.irq_pending = irq_pending;
        self.irq_enabled = irq_enabled;
        Ok(())
    }
}
