//! SiFive PLIC as QEMU's `virt` configures it for one hart (`hart-config "MS"`): 96 source ids
//! (1..=95 usable, `riscv,ndev = 95`), 7 priority levels, context 0 = M-mode (MEIP), context
//! 1 = S-mode (SEIP).
//!
//! Devices drive level-triggered lines with [`Plic::set_level`]; the board samples
//! [`Plic::context_pending`] (or [`Plic::irq_lines`]) after any access or line change.
//!
//! Gateway model: a source's pending bit follows its line while the source is not claimed
//! (so a line dropped before the claim withdraws the request, as in QEMU). A claim clears the
//! pending bit and holds the source off until the matching complete; a complete re-pends it if
//! the line is still asserted.
//!
//! Like QEMU: only aligned 32-bit accesses (others fault); the pending array is read-only;
//! priorities and thresholds are WARL modulo 8; claim picks the highest priority strictly above
//! the threshold, ties to the lowest id; a complete is not checked against the context's
//! enables (the spec allows ignoring such completes, but then a source disabled while claimed
//! could never be completed). Unlike QEMU, source 0's priority and enable bits are hardwired to
//! zero, as the spec says.

use crate::snap::{SnapReader, SnapWriter};
use crate::{DeviceCtx, Mmio, Snapshot, SnapshotError};
use riscv::irq;

pub const PLIC_BASE: u64 = 0x0c00_0000;
/// QEMU's `VIRT_PLIC_SIZE(VIRT_CPUS_MAX * 2)`, the `reg` size in its device tree.
pub const PLIC_SIZE: u64 = 0x60_0000;
/// Source ids 0..PLIC_SOURCES; 0 means "no interrupt".
pub const PLIC_SOURCES: u32 = 96;
/// The device tree's `riscv,ndev`: the highest usable source id.
pub const PLIC_NDEV: u32 = PLIC_SOURCES - 1;
pub const PLIC_CONTEXTS: usize = 2;
pub const CONTEXT_M: usize = 0;
pub const CONTEXT_S: usize = 1;
/// The `mip` bits this device drives, for `Hart::set_irq_lines`.
pub const PLIC_IRQ_MASK: u64 = (1 << irq::MEI) | (1 << irq::SEI);

const WORDS: usize = PLIC_SOURCES as usize / 32;
const PRIORITY_MASK: u32 = 7;
const PENDING_BASE: u64 = 0x1000;
const ENABLE_BASE: u64 = 0x2000;
const ENABLE_STRIDE: u64 = 0x80;
const CONTEXT_BASE: u64 = 0x20_0000;
const CONTEXT_STRIDE: u64 = 0x1000;
/// Source 0 does not exist; its bit is never set anywhere.
const SOURCE0: u32 = 1;

type Bits = [u32; WORDS];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plic {
    priority: [u32; PLIC_SOURCES as usize],
    /// The input lines as the devices last drove them.
    level: Bits,
    pending: Bits,
    claimed: Bits,
    enable: [Bits; PLIC_CONTEXTS],
    threshold: [u32; PLIC_CONTEXTS],
}

impl Default for Plic {
    fn default() -> Self {
        Self::new()
    }
}

fn bit(bits: &Bits, id: u32) -> bool {
    bits[id as usize / 32] & (1 << (id % 32)) != 0
}

fn set_bit(bits: &mut Bits, id: u32, on: bool) {
    let mask = 1 << (id % 32);
    let w = &mut bits[id as usize / 32];
    *w = if on { *w | mask } else { *w & !mask };
}

impl Plic {
    pub fn new() -> Self {
        Self {
            priority: [0; PLIC_SOURCES as usize],
            level: [0; WORDS],
            pending: [0; WORDS],
            claimed: [0; WORDS],
            enable: [[0; WORDS]; PLIC_CONTEXTS],
            threshold: [0; PLIC_CONTEXTS],
        }
    }

    /// Clears the registers but keeps the input lines: the devices still drive them.
    pub fn reset(&mut self) {
        let level = self.level;
        *self = Self::new();
        self.level = level;
        self.pending = level;
    }

    /// Drives interrupt line `source` (1..=95); other ids are ignored.
    pub fn set_level(&mut self, source: u32, level: bool) {
        if source == 0 || source >= PLIC_SOURCES {
            return;
        }
        set_bit(&mut self.level, source, level);
        if !bit(&self.claimed, source) {
            set_bit(&mut self.pending, source, level);
        }
    }

    /// Whether context `ctx` has a claimable interrupt: the MEIP (context 0) or SEIP (context
    /// 1) output. Unknown contexts have none.
    pub fn context_pending(&self, ctx: usize) -> bool {
        ctx < PLIC_CONTEXTS && self.best(ctx) != 0
    }

    /// MEIP and SEIP as `mip` bits (within [`PLIC_IRQ_MASK`]).
    pub fn irq_lines(&self) -> u64 {
        ((self.context_pending(CONTEXT_M) as u64) << irq::MEI)
            | ((self.context_pending(CONTEXT_S) as u64) << irq::SEI)
    }

    /// The id a claim by `ctx` would return, 0 if none.
    fn best(&self, ctx: usize) -> u32 {
        let mut best = 0;
        let mut best_prio = self.threshold[ctx];
        for w in 0..WORDS {
            let mut ready = self.pending[w] & !self.claimed[w] & self.enable[ctx][w];
            while ready != 0 {
                let id = w as u32 * 32 + ready.trailing_zeros();
                ready &= ready - 1;
                // Strictly greater: on a tie the lower id, seen first, wins.
                if self.priority[id as usize] > best_prio {
                    best = id;
                    best_prio = self.priority[id as usize];
                }
            }
        }
        best
    }

    fn claim(&mut self, ctx: usize) -> u32 {
        let id = self.best(ctx);
        if id != 0 {
            set_bit(&mut self.pending, id, false);
            set_bit(&mut self.claimed, id, true);
        }
        id
    }

    fn complete(&mut self, id: u32) {
        if id < PLIC_SOURCES && bit(&self.claimed, id) {
            set_bit(&mut self.claimed, id, false);
            set_bit(&mut self.pending, id, bit(&self.level, id));
        }
    }

    /// Decodes an enable-array or context offset into (context, register offset).
    fn context_of(offset: u64, base: u64, stride: u64) -> Option<(usize, u64)> {
        let rel = offset.checked_sub(base)?;
        let ctx = rel / stride;
        (ctx < PLIC_CONTEXTS as u64).then_some((ctx as usize, rel % stride))
    }
}

impl Mmio for Plic {
    fn size(&self) -> u64 {
        PLIC_SIZE
    }

    fn read(&mut self, offset: u64, size: u8, _ctx: &mut DeviceCtx) -> Option<u64> {
        if size != 4 || !offset.is_multiple_of(4) || offset >= PLIC_SIZE {
            return None;
        }
        let value = if offset < PENDING_BASE {
            self.priority.get(offset as usize / 4).copied().unwrap_or(0)
        } else if offset < ENABLE_BASE {
            self.pending
                .get((offset - PENDING_BASE) as usize / 4)
                .copied()
                .unwrap_or(0)
        } else if offset < CONTEXT_BASE {
            match Self::context_of(offset, ENABLE_BASE, ENABLE_STRIDE) {
                Some((ctx, reg)) => self.enable[ctx].get(reg as usize / 4).copied().unwrap_or(0),
                None => 0,
            }
        } else {
            match Self::context_of(offset, CONTEXT_BASE, CONTEXT_STRIDE) {
                Some((ctx, 0)) => self.threshold[ctx],
                Some((ctx, 4)) => self.claim(ctx),
                _ => 0,
            }
        };
        Some(value as u64)
    }

    fn write(&mut self, offset: u64, size: u8, value: u64, _ctx: &mut DeviceCtx) -> bool {
        if size != 4 || !offset.is_multiple_of(4) || offset >= PLIC_SIZE {
            return false;
        }
        let value = value as u32;
        if offset < PENDING_BASE {
            let id = offset / 4;
            if id > 0 && id < PLIC_SOURCES as u64 {
                self.priority[id as usize] = value & PRIORITY_MASK;
            }
        } else if (ENABLE_BASE..CONTEXT_BASE).contains(&offset) {
            if let Some((ctx, reg)) = Self::context_of(offset, ENABLE_BASE, ENABLE_STRIDE) {
                if let Some(w) = self.enable[ctx].get_mut(reg as usize / 4) {
                    *w = if reg == 0 { value & !SOURCE0 } else { value };
                }
            }
        } else if offset >= CONTEXT_BASE {
            match Self::context_of(offset, CONTEXT_BASE, CONTEXT_STRIDE) {
                Some((ctx, 0)) => self.threshold[ctx] = value & PRIORITY_MASK,
                Some((_, 4)) => self.complete(value),
                _ => {}
            }
        }
        // The pending array is read-only; writes there and to holes are ignored.
        true
    }
}

const TAG: &[u8; 4] = b"PLI1";

impl Snapshot for Plic {
    fn save(&self, out: &mut Vec<u8>) {
        let mut w = SnapWriter::new(out);
        w.tag(TAG);
        for p in &self.priority {
            w.u32(*p);
        }
        let words = [
            &self.level,
            &self.pending,
            &self.claimed,
            &self.enable[0],
            &self.enable[1],
        ];
        for bits in words {
            bits.iter().for_each(|b| w.u32(*b));
        }
        self.threshold.iter().for_each(|t| w.u32(*t));
    }

    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError> {
        let mut r = SnapReader::new(data);
        r.tag(TAG)?;
        let mut s = Self::new();
        for p in s.priority.iter_mut() {
            *p = r.u32()?;
        }
        let words = [&mut s.level, &mut s.pending, &mut s.claimed];
        for bits in words.into_iter().chain(s.enable.iter_mut()) {
            for b in bits.iter_mut() {
                *b = r.u32()?;
            }
        }
        for t in s.threshold.iter_mut() {
            *t = r.u32()?;
        }
        r.finish()?;
        let bad_priority = s.priority.iter().chain(&s.threshold).any(|p| *p > PRIORITY_MASK);
        if bad_priority || s.priority[0] != 0 {
            return Err(SnapshotError::RestoreMalformed("PLIC priority out of range"));
        }
        let source0 = [&s.level, &s.pending, &s.claimed, &s.enable[0], &s.enable[1]];
        if source0.iter().any(|b| b[0] & SOURCE0 != 0) {
            return Err(SnapshotError::RestoreMalformed("PLIC source 0 bit set"));
        }
        if (0..WORDS).any(|w| s.pending[w] & s.claimed[w] != 0) {
            return Err(SnapshotError::RestoreMalformed(
                "PLIC source both pending and claimed",
            ));
        }
        *self = s;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IoCtx;
    use memory::GuestRam;

    const CLAIM_M: u64 = CONTEXT_BASE + 4;
    const CLAIM_S: u64 = CONTEXT_BASE + CONTEXT_STRIDE + 4;

    struct Rig {
        plic: Plic,
        ram: GuestRam,
    }

    fn ctx(ram: &mut GuestRam) -> DeviceCtx<'_> {
        DeviceCtx {
            ram,
            now: IoCtx { icount: 0, mtime: 0 },
        }
    }

    impl Rig {
        fn new() -> Self {
            Self {
                plic: Plic::new(),
                ram: GuestRam::new(0x8000_0000, 0x1000).unwrap(),
            }
        }
        fn rd(&mut self, off: u64) -> u64 {
            self.plic.read(off, 4, &mut ctx(&mut self.ram)).unwrap()
        }
        fn wr(&mut self, off: u64, v: u64) {
            assert!(self.plic.write(off, 4, v, &mut ctx(&mut self.ram)));
        }
        /// Priority `prio` for each id, all enabled for context `ctx`.
        fn setup(&mut self, ctx: u64, ids: &[(u32, u64)]) {
            for &(id, prio) in ids {
                self.wr(4 * id as u64, prio);
                let en = ENABLE_BASE + ENABLE_STRIDE * ctx + 4 * (id as u64 / 32);
                let old = self.rd(en);
                self.wr(en, old | 1 << (id % 32));
            }
        }
    }

    #[test]
    fn claim_picks_highest_priority_then_lowest_id() {
        let mut t = Rig::new();
        t.setup(0, &[(3, 2), (5, 6), (40, 6), (70, 1)]);
        for id in [3, 5, 40, 70] {
            t.plic.set_level(id, true);
        }
        assert!(t.plic.context_pending(CONTEXT_M));
        assert_eq!(t.rd(CLAIM_M), 5);
        assert_eq!(t.rd(CLAIM_M), 40);
        assert_eq!(t.rd(CLAIM_M), 3);
        assert_eq!(t.rd(CLAIM_M), 70);
        assert_eq!(t.rd(CLAIM_M), 0);
        assert!(!t.plic.context_pending(CONTEXT_M));
    }

    #[test]
    fn threshold_masks_priorities_at_or_below_it() {
        let mut t = Rig::new();
        t.setup(0, &[(10, 3)]);
        t.plic.set_level(10, true);
        t.wr(CONTEXT_BASE, 3);
        assert!(!t.plic.context_pending(CONTEXT_M));
        assert_eq!(t.rd(CLAIM_M), 0);
        t.wr(CONTEXT_BASE, 2);
        assert!(t.plic.context_pending(CONTEXT_M));
        assert_eq!(t.rd(CLAIM_M), 10);
    }

    #[test]
    fn priority_zero_never_interrupts() {
        let mut t = Rig::new();
        t.setup(0, &[(7, 0)]);
        t.plic.set_level(7, true);
        assert_eq!(t.rd(PENDING_BASE), 1 << 7);
        assert!(!t.plic.context_pending(CONTEXT_M));
    }

    #[test]
    fn enables_are_per_context() {
        let mut t = Rig::new();
        t.setup(1, &[(10, 1)]);
        t.plic.set_level(10, true);
        assert!(!t.plic.context_pending(CONTEXT_M));
        assert!(t.plic.context_pending(CONTEXT_S));
        assert_eq!(t.plic.irq_lines(), 1 << irq::SEI);
        assert_eq!(t.rd(CLAIM_M), 0);
        assert_eq!(t.rd(CLAIM_S), 10);
    }

    #[test]
    fn complete_repends_a_still_asserted_level_source() {
        let mut t = Rig::new();
        t.setup(1, &[(10, 1)]);
        t.plic.set_level(10, true);
        assert_eq!(t.rd(CLAIM_S), 10);
        assert_eq!(t.rd(PENDING_BASE), 0);
        t.wr(CLAIM_S, 10);
        assert_eq!(t.rd(PENDING_BASE), 1 << 10);
        assert_eq!(t.rd(CLAIM_S), 10);
        t.plic.set_level(10, false);
        t.wr(CLAIM_S, 10);
        assert_eq!(t.rd(PENDING_BASE), 0);
        assert!(!t.plic.context_pending(CONTEXT_S));
    }

    #[test]
    fn claimed_source_is_not_repended_until_complete() {
        let mut t = Rig::new();
        t.setup(1, &[(10, 1)]);
        t.plic.set_level(10, true);
        assert_eq!(t.rd(CLAIM_S), 10);
        t.plic.set_level(10, false);
        t.plic.set_level(10, true);
        assert_eq!(t.rd(PENDING_BASE), 0);
        assert_eq!(t.rd(CLAIM_S), 0);
        // Completing another, unclaimed id changes nothing.
        t.wr(CLAIM_S, 11);
        assert_eq!(t.rd(CLAIM_S), 0);
        t.wr(CLAIM_S, 10);
        assert_eq!(t.rd(CLAIM_S), 10);
    }

    #[test]
    fn dropped_line_withdraws_an_unclaimed_request() {
        let mut t = Rig::new();
        t.setup(0, &[(2, 1)]);
        t.plic.set_level(2, true);
        t.plic.set_level(2, false);
        assert_eq!(t.rd(CLAIM_M), 0);
    }

    #[test]
    fn priorities_are_three_bits_and_source_zero_is_hardwired() {
        let mut t = Rig::new();
        t.wr(4 * 9, 0xf);
        assert_eq!(t.rd(4 * 9), 7);
        t.wr(0, 5);
        assert_eq!(t.rd(0), 0);
        t.wr(ENABLE_BASE, 0xffff_ffff);
        assert_eq!(t.rd(ENABLE_BASE), 0xffff_fffe);
        t.wr(PENDING_BASE, 0xffff_ffff);
        assert_eq!(t.rd(PENDING_BASE), 0);
    }

    #[test]
    fn only_aligned_words_are_accepted() {
        let mut ram = GuestRam::new(0x8000_0000, 0x1000).unwrap();
        let mut ctx = ctx(&mut ram);
        let mut p = Plic::new();
        assert_eq!(p.read(0, 8, &mut ctx), None);
        assert_eq!(p.read(2, 4, &mut ctx), None);
        assert!(!p.write(CLAIM_M, 1, 0, &mut ctx));
        assert_eq!(p.read(PLIC_SIZE, 4, &mut ctx), None);
        assert_eq!(p.read(PLIC_SIZE - 4, 4, &mut ctx), Some(0));
    }
}
