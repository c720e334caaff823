//! SiFive CLINT for one hart, as QEMU's `virt` builds it from an ACLINT MSWI (0x0000..0x4000)
//! and MTIMER (0x4000..0xc000).
//!
//! The CLINT owns no clock: `mtime` is the hart's instruction-derived time, passed in with
//! every access ([`IoCtx::mtime`](crate::IoCtx)). The board samples [`Clint::irq_lines`] to
//! drive MSIP/MTIP and uses [`Clint::mtimecmp`] as the next timer deadline.
//!
//! Choices that differ from QEMU:
//! - Writes to `mtime` are accepted and ignored. Guest time is the instruction count, so it
//!   cannot be set; OpenSBI and Linux never write it. (QEMU keeps a writable offset.)
//! - `mtimecmp` resets to `u64::MAX` (QEMU: 0), so no timer interrupt is pending before the
//!   firmware programs it.
//!
//! Like QEMU: MSWI accepts only aligned 32-bit accesses, MTIMER aligned 32- and 64-bit ones
//! (other sizes are access faults); 0xc000..0x10000 is unassigned in QEMU, so it faults here
//! too. Inside the two regions, unknown registers read 0 and ignore writes.

use crate::snap::{SnapReader, SnapWriter};
use crate::{DeviceCtx, Mmio, Snapshot, SnapshotError};
use riscv::irq;

pub const CLINT_BASE: u64 = 0x0200_0000;
pub const CLINT_SIZE: u64 = 0x1_0000;

const MSIP: u64 = 0x0;
const MSWI_END: u64 = 0x4000;
const MTIMECMP: u64 = 0x4000;
const MTIME: u64 = 0xbff8;
const MTIMER_END: u64 = 0xc000;

/// The `mip` bits this device drives, for `Hart::set_irq_lines`.
pub const CLINT_IRQ_MASK: u64 = (1 << irq::MSI) | (1 << irq::MTI);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clint {
    msip: bool,
    mtimecmp: u64,
}

impl Default for Clint {
    fn default() -> Self {
        Self::new()
    }
}

impl Clint {
    pub fn new() -> Self {
        Self {
            msip: false,
            mtimecmp: u64::MAX,
        }
    }

    pub fn reset(&mut self) {
        *self = Self::new();
    }

    /// The machine software interrupt line (MSIP).
    pub fn msip(&self) -> bool {
        self.msip
    }

    /// The timer compare value: MTIP is pending while `mtime >= mtimecmp`.
    pub fn mtimecmp(&self) -> u64 {
        self.mtimecmp
    }

    /// The machine timer interrupt line (MTIP) at `mtime`.
    pub fn mtip(&self, mtime: u64) -> bool {
        mtime >= self.mtimecmp
    }

    /// MSIP and MTIP as `mip` bits (within [`CLINT_IRQ_MASK`]) at `mtime`.
    pub fn irq_lines(&self, mtime: u64) -> u64 {
        ((self.msip as u64) << irq::MSI) | ((self.mtip(mtime) as u64) << irq::MTI)
    }
}

fn half(value: u64, high: bool) -> u64 {
    if high {
        value >> 32
    } else {
        value & 0xffff_ffff
    }
}

impl Mmio for Clint {
    fn size(&self) -> u64 {
        CLINT_SIZE
    }

    fn read(&mut self, offset: u64, size: u8, ctx: &mut DeviceCtx) -> Option<u64> {
        if offset < MSWI_END {
            if size != 4 || !offset.is_multiple_of(4) {
                return None;
            }
            return Some(if offset == MSIP { self.msip as u64 } else { 0 });
        }
        if offset >= MTIMER_END || !(size == 4 || size == 8) || !offset.is_multiple_of(size as u64) {
            return None;
        }
        // A 64-bit access at the high half is aligned only to 4 and faulted above, so `size
        // == 8` here always means the whole register.
        let reg = offset & !7;
        let high = offset & 4 != 0;
        let value = match reg {
            MTIMECMP => self.mtimecmp,
            MTIME => ctx.now.mtime,
            _ => return Some(0),
        };
        Some(if size == 8 { value } else { half(value, high) })
    }

    fn write(&mut self, offset: u64, size: u8, value: u64, _ctx: &mut DeviceCtx) -> bool {
        if offset < MSWI_END {
            if size != 4 || !offset.is_multiple_of(4) {
                return false;
            }
            if offset == MSIP {
                self.msip = value & 1 != 0;
            }
            return true;
        }
        if offset >= MTIMER_END || !(size == 4 || size == 8) || !offset.is_multiple_of(size as u64) {
            return false;
        }
        if offset & !7 == MTIMECMP {
            self.mtimecmp = match (size, offset & 4 != 0) {
                (8, _) => value,
                (_, false) => (self.mtimecmp & !0xffff_ffff) | (value & 0xffff_ffff),
                (_, true) => (self.mtimecmp & 0xffff_ffff) | (value << 32),
            };
        }
        // Everything else, `mtime` included, is ignored (see the module docs).
        true
    }
}

const TAG: &[u8; 4] = b"CLI1";

impl Snapshot for Clint {
    fn save(&self, out: &mut Vec<u8>) {
        let mut w = SnapWriter::new(out);
        w.tag(TAG);
        w.bool(self.msip);
        w.u64(self.mtimecmp);
    }

    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError> {
        let mut r = SnapReader::new(data);
        r.tag(TAG)?;
        let restored = Self {
            msip: r.bool()?,
            mtimecmp: r.u64()?,
        };
        r.finish()?;
        *self = restored;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IoCtx;
    use memory::GuestRam;

    fn with_ctx<T>(mtime: u64, f: impl FnOnce(&mut DeviceCtx) -> T) -> T {
        let mut ram = GuestRam::new(0x8000_0000, 0x1000).unwrap();
        let mut ctx = DeviceCtx {
            ram: &mut ram,
            now: IoCtx {
                icount: mtime * 100,
                mtime,
            },
        };
        f(&mut ctx)
    }

    #[test]
    fn msip_is_bit_zero_only() {
        let mut c = Clint::new();
        with_ctx(0, |ctx| {
            assert!(c.write(MSIP, 4, 0xffff_fffe, ctx));
            assert!(!c.msip());
            assert!(c.write(MSIP, 4, 3, ctx));
            assert!(c.msip());
            assert_eq!(c.read(MSIP, 4, ctx), Some(1));
            assert_eq!(c.irq_lines(0), 1 << irq::MSI);
        });
    }

    #[test]
    fn mtimecmp_halves_combine() {
        let mut c = Clint::new();
        assert_eq!(c.mtimecmp(), u64::MAX);
        with_ctx(0, |ctx| {
            assert!(c.write(MTIMECMP, 4, 0x1111_2222, ctx));
            assert_eq!(c.mtimecmp(), 0xffff_ffff_1111_2222);
            assert!(c.write(MTIMECMP + 4, 4, 0x3333_4444, ctx));
            assert_eq!(c.mtimecmp(), 0x3333_4444_1111_2222);
            assert_eq!(c.read(MTIMECMP, 4, ctx), Some(0x1111_2222));
            assert_eq!(c.read(MTIMECMP + 4, 4, ctx), Some(0x3333_4444));
            assert_eq!(c.read(MTIMECMP, 8, ctx), Some(0x3333_4444_1111_2222));
            assert!(c.write(MTIMECMP, 8, 42, ctx));
            assert_eq!(c.mtimecmp(), 42);
        });
    }

    #[test]
    fn mtip_follows_mtime_against_mtimecmp() {
        let mut c = Clint::new();
        assert!(!c.mtip(u64::MAX - 1));
        with_ctx(0, |ctx| assert!(c.write(MTIMECMP, 8, 1000, ctx)));
        assert!(!c.mtip(999));
        assert!(c.mtip(1000));
        assert_eq!(c.irq_lines(1000), 1 << irq::MTI);
    }

    #[test]
    fn mtime_reads_guest_time_and_ignores_writes() {
        let mut c = Clint::new();
        with_ctx(0x1_2345_6789, |ctx| {
            assert_eq!(c.read(MTIME, 8, ctx), Some(0x1_2345_6789));
            assert_eq!(c.read(MTIME, 4, ctx), Some(0x2345_6789));
            assert_eq!(c.read(MTIME + 4, 4, ctx), Some(1));
            assert!(c.write(MTIME, 8, 0, ctx));
            assert_eq!(c.read(MTIME, 8, ctx), Some(0x1_2345_6789));
        });
        assert_eq!(c, Clint::new());
    }

    #[test]
    fn bad_sizes_and_unassigned_range_fault_like_qemu() {
        let mut c = Clint::new();
        with_ctx(0, |ctx| {
            assert_eq!(c.read(MSIP, 8, ctx), None);
            assert!(!c.write(MSIP, 1, 1, ctx));
            assert_eq!(c.read(MTIMECMP, 2, ctx), None);
            assert_eq!(c.read(MTIMECMP + 4, 8, ctx), None);
            assert_eq!(c.read(MTIMER_END, 4, ctx), None);
            // Inside a region, unknown registers read as zero.
            assert_eq!(c.read(0x4, 4, ctx), Some(0));
            assert_eq!(c.read(0x4008, 8, ctx), Some(0));
        });
    }
}
