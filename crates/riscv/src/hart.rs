//! Hart state and the run loop.

use crate::block::{BlockCache, CodeWatch, Found};
use crate::csr::Csrs;
use crate::decode::{decode16, decode32};
use crate::mmu::Tlb;
use crate::op::Inst;
use crate::trap::{cause, Trap};
use crate::{Bus, IoCtx, FRAME_SIZE};

/// Retired instructions per `mtime` tick. With the 10 MHz timebase of QEMU's `virt` board this
/// makes one instruction one nanosecond of guest time, as QEMU's `-icount shift=0`.
pub const INSNS_PER_TICK: u64 = 100;

/// After this many consecutive traps without a retired instruction the guest can never make
/// progress again (e.g. its trap vector itself faults); the run stops instead of spinning.
const TRAP_LOOP_LIMIT: u32 = 1000;

/// Privilege mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Priv {
    U = 0,
    S = 1,
    M = 3,
}

impl Priv {
    pub(crate) fn from_bits(b: u64) -> Priv {
        match b & 3 {
            0 => Priv::U,
            1 => Priv::S,
            _ => Priv::M,
        }
    }
}

/// Why [`Hart::run`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Exactly the requested number of instructions retired.
    Budget,
    /// The last retired instruction accessed a device; interrupt lines may need updating.
    Io,
    /// The hart executed WFI and no enabled interrupt is pending: it needs time to pass or a
    /// line to change ([`Hart::skip_idle`], [`Hart::set_irq_lines`]).
    Wfi,
    /// The hart keeps trapping without retiring anything; it can never run again.
    TrapLoop,
}

/// Runs of a block before it is translated: translating costs about as much as interpreting
/// the block a few dozen times, and most blocks of a boot run only a handful of times.
const NATIVE_AFTER: u32 = 64;

const DCACHE_SIZE: usize = 32768;

/// Decoded instructions keyed by their bits alone, so it never needs invalidation. Allocated on
/// first use and empty in a clone: it holds nothing a hart cannot rebuild, and checkpoints clone
/// harts (copying half a megabyte each time had been a quarter of a checkpoint's pause).
#[derive(Default)]
struct DecodeCache {
    entries: Vec<Inst>,
}

impl Clone for DecodeCache {
    fn clone(&self) -> Self {
        DecodeCache::default()
    }
}

impl DecodeCache {
    #[inline]
    fn get(&mut self, raw: u32) -> Inst {
        if self.entries.is_empty() {
            self.entries = vec![decode16(0); DCACHE_SIZE];
        }
        let idx = ((raw ^ (raw >> 12) ^ (raw >> 20)) as usize) & (DCACHE_SIZE - 1);
        let e = &mut self.entries[idx];
        if e.raw != raw {
            *e = if raw & 3 == 3 {
                decode32(raw)
            } else {
                decode16(raw as u16)
            };
        }
        *e
    }
}

/// One RISC-V hart. Cloning it clones all architectural state; of the caches, which only ever
/// hold data derivable from that state and the bus, the decode and block caches start empty.
#[derive(Clone)]
pub struct Hart {
    /// x0..x31 plus the discard register 32 (see [`crate::op::DISCARD`]); padded to 256 so the
    /// block executor can index with any `u8` without a bounds check.
    pub(crate) x: [u64; 256],
    pub(crate) f: [u64; 32],
    pub(crate) pc: u64,
    pub(crate) prv: Priv,
    pub(crate) csr: Csrs,
    /// Instructions retired since reset; the clock of everything deterministic.
    pub(crate) icount: u64,
    /// Instruction-equivalents skipped while waiting for an interrupt.
    pub(crate) idle: u64,
    pub(crate) reservation: Option<u64>,
    /// Inside WFI, waiting for an interrupt.
    pub(crate) waiting: bool,
    /// Set when something that can change interrupt eligibility happened.
    pub(crate) check_irq: bool,
    /// Set by a device access: end the run after this instruction.
    pub(crate) end_run: bool,
    /// Set by a device access or a write into the running block's bytes: leave the block after
    /// this instruction.
    pub(crate) break_block: bool,
    /// [`Hart::data_context`] as of the last interrupt check; valid inside blocks.
    pub(crate) data_ctx: u64,
    /// Physical bytes `[start, end)` of the running block; empty outside blocks.
    pub(crate) block_bytes: (u64, u64),
    pub(crate) tlb: Tlb,
    dcache: DecodeCache,
    blocks: BlockCache,
    /// Whether the block fast path is used (see [`Hart::set_blocks`]).
    use_blocks: bool,
    /// Runs of a block before it is translated to native code (see [`Hart::set_native`]).
    native_after: Option<u32>,
    pub(crate) code_watch: CodeWatch,
    pub(crate) fetch_cache: [FetchCache; FETCH_CACHE_SIZE],
    /// The bus's [`Bus::ram_stamp`] when the last run started.
    ram_stamp: Option<(u64, u64)>,
}

/// Code pages whose translation is kept outside the TLB: control flow moves between a few
/// (a function and its callees), and one entry missed on nearly half of all block lookups.
/// Translated code chains a jump to another page only on a hit here: with 16 entries, the mem
/// job (user code, libc and the kernel's fault and fork paths) missed 2.9M times a run.
pub(crate) const FETCH_CACHE_SIZE: usize = 256;

/// The translation of a page code runs from, valid while the privilege and the TLB generation
/// (bumped by every satp write and SFENCE.VMA) stay the same.
#[derive(Clone, Copy, Default)]
pub(crate) struct FetchCache {
    /// `vpage << 2 | privilege`; never matches at reset because no page is `u64::MAX >> 10`.
    pub tag: u64,
    pub ppage: u64,
    pub generation: u32,
}

impl Hart {
    /// A hart at reset: M-mode, all registers zero, `pc` at `reset_pc`.
    pub fn new(reset_pc: u64) -> Hart {
        Hart {
            x: [0; 256],
            f: [0; 32],
            pc: reset_pc,
            prv: Priv::M,
            csr: Csrs::new(),
            icount: 0,
            idle: 0,
            reservation: None,
            waiting: false,
            check_irq: true,
            end_run: false,
            break_block: false,
            block_bytes: (0, 0),
            data_ctx: crate::mmu::BARE,
            tlb: Tlb::new(),
            dcache: DecodeCache::default(),
            blocks: BlockCache::default(),
            use_blocks: true,
            native_after: Some(NATIVE_AFTER),
            code_watch: CodeWatch::new(),
            fetch_cache: [FetchCache {
                tag: u64::MAX,
                ppage: 0,
                generation: 0,
            }; FETCH_CACHE_SIZE],
            ram_stamp: None,
        }
    }

    /// Turns the pre-decoded block fast path on (the default) or off, leaving one instruction
    /// at a time. Guest-visible behaviour is identical either way; this exists to test that.
    pub fn set_blocks(&mut self, enabled: bool) {
        self.use_blocks = enabled;
    }

    /// Translates a block to native code once it has run `after` times (`Some(0)`: at its first
    /// run), or never (`None`). Guest-visible behaviour is identical either way; the default is
    /// a threshold that pays for the translation on this host.
    pub fn set_native(&mut self, after: Option<u32>) {
        self.native_after = after;
    }

    pub fn pc(&self) -> u64 {
        self.pc
    }

    pub fn set_pc(&mut self, pc: u64) {
        self.pc = pc;
    }

    /// Integer register `i` (0..32).
    pub fn x(&self, i: usize) -> u64 {
        self.x[i & 31]
    }

    /// Sets integer register `i`; writes to x0 are ignored.
    pub fn set_x(&mut self, i: usize, v: u64) {
        if i & 31 != 0 {
            self.x[i & 31] = v;
        }
    }

    /// Floating-point register `i` as raw bits.
    pub fn f(&self, i: usize) -> u64 {
        self.f[i & 31]
    }

    pub fn set_f(&mut self, i: usize, v: u64) {
        self.f[i & 31] = v;
    }

    /// Reads CSR `num` as M-mode would, for inspection; `None` if it does not exist.
    pub fn csr(&self, num: u16) -> Option<u64> {
        let mut m = self.clone();
        m.prv = Priv::M;
        m.csr.mstatus |= crate::csr::mstatus::FS;
        m.csr_read(num, 0).ok()
    }

    pub fn privilege(&self) -> Priv {
        self.prv
    }

    /// Instructions retired since reset. Unlike `minstret`, the guest cannot write or inhibit it.
    pub fn icount(&self) -> u64 {
        self.icount
    }

    /// The platform timer value (`time` CSR, CLINT `mtime`).
    pub fn mtime(&self) -> u64 {
        self.vclock() / INSNS_PER_TICK
    }

    /// Whether the hart is stopped in WFI.
    pub fn is_waiting(&self) -> bool {
        self.waiting
    }

    /// Ends a WFI wait without an interrupt, as if WFI had been a no-op (which it may be).
    pub fn cancel_wait(&mut self) {
        self.waiting = false;
    }

    /// Advances virtual time while the hart waits, so that `mtime` reaches at least `mtime`.
    /// Deterministic: the skip is a function of the deadline, not of host time.
    pub fn skip_idle(&mut self, mtime: u64) {
        let target = mtime.saturating_mul(INSNS_PER_TICK);
        let now = self.icount + self.idle;
        if target > now {
            self.idle += target - now;
        }
    }

    /// Sets the device-driven bits of `mip` (MSIP, MTIP, MEIP and the external part of SEIP):
    /// for each bit in `mask`, its level becomes that bit of `level`.
    pub fn set_irq_lines(&mut self, mask: u64, level: u64) {
        let hw = (self.csr.mip_hw & !mask) | (level & mask);
        if hw != self.csr.mip_hw {
            self.csr.mip_hw = hw;
            self.check_irq = true;
        }
    }

    /// Virtual time in instruction units: retired instructions plus those skipped in WFI.
    pub fn vclock(&self) -> u64 {
        self.icount + self.idle
    }

    /// The time as a device accessed now would see it.
    pub fn io_ctx(&self) -> IoCtx {
        IoCtx {
            icount: self.icount,
            mtime: self.mtime(),
        }
    }

    /// Runs until exactly `budget` instructions have retired or an [`Exit`] other than
    /// [`Exit::Budget`] happens.
    pub fn run<B: Bus>(&mut self, bus: &mut B, budget: u64) -> Exit {
        // The cache is moved out so blocks can be borrowed while the hart executes them.
        let mut blocks = std::mem::take(&mut self.blocks);
        let exit = self.run_with(bus, budget, &mut blocks);
        self.blocks = blocks;
        exit
    }

    fn run_with<B: Bus>(&mut self, bus: &mut B, budget: u64, blocks: &mut BlockCache) -> Exit {
        let end = self.icount.saturating_add(budget);
        let mut traps_in_a_row = 0u32;
        self.check_irq = true;
        // If RAM may have changed since the last run started other than by this hart's stores
        // (DMA, restore, a merge; a clone of this hart may even run on another bus), compare
        // blocks again and forget where frames were. Otherwise a run goes on where the last
        // one stopped: a run ahead in slices, or after a device access, costs nothing extra.
        let stamp = bus.ram_stamp();
        if stamp.is_none() || stamp != self.ram_stamp {
            self.code_watch.new_epoch();
            self.tlb.end_host_epoch();
            self.ram_stamp = stamp;
        }
        loop {
            if self.check_irq {
                self.check_irq = false;
                if self.waiting && self.wakeup_pending() {
                    self.waiting = false;
                }
                if let Some(c) = self.pending_interrupt() {
                    self.take_trap(Trap { cause: c, tval: 0 });
                }
                // Everything that can change the data context (CSR writes, traps, xRET) sets
                // `check_irq`, so this is the one place to refresh it.
                self.data_ctx = self.data_context();
            }
            if self.waiting {
                return Exit::Wfi;
            }
            if self.icount >= end {
                return Exit::Budget;
            }
            let before = self.icount;
            // A block only checks `break_block` after instructions that can set it, so one
            // still pending (from a device access that faulted) is served by a single step.
            let result = match self.break_block || !self.use_blocks {
                false => self.chain_blocks(bus, blocks, end),
                true => Ok(false),
            };
            // Near the end of the budget, and for instructions crossing a page boundary or
            // fetches that fault: one instruction at a time.
            let result = match result {
                Ok(false) => self.step(bus).map(|()| self.icount += 1),
                Ok(true) => Ok(()),
                Err(t) => Err(t),
            };
            if self.icount > before {
                traps_in_a_row = 0;
            }
            if let Err(t) = result {
                // A device access that faulted still ends the run, after the next instruction
                // retires: `end_run` and `break_block` stay set for it.
                self.take_trap(t);
                traps_in_a_row += 1;
                if traps_in_a_row >= TRAP_LOOP_LIMIT {
                    return Exit::TrapLoop;
                }
            } else if self.break_block {
                self.break_block = false;
                if self.end_run {
                    self.end_run = false;
                    return Exit::Io;
                }
            }
        }
    }

    /// Runs whole blocks back to back until the next one cannot run (there is none at `pc`, or
    /// it does not fit the budget) or something needs the run loop: a trap (returned), a
    /// device access, a store into the block, a possible interrupt, WFI. `Ok(false)` if no
    /// block ran.
    fn chain_blocks<B: Bus>(&mut self, bus: &mut B, blocks: &mut BlockCache, end: u64) -> Result<bool, Trap> {
        let mut ran = false;
        let result = loop {
            let Some((found, start)) = self.fetch_block(bus, blocks) else {
                break Ok(ran);
            };
            if found.ops.len() as u64 > end - self.icount {
                break Ok(ran);
            }
            let page = start & !(FRAME_SIZE as u64 - 1);
            self.block_bytes = (page + found.lo, page + found.hi);
            let native = self.native_after.and_then(|after| blocks.native(&found, after));
            let ops = blocks.ops(found.ops);
            let result = match native {
                Some(code) => self.run_native(bus, found.slot, code, blocks.chain(), end),
                None => self.run_block(bus, ops),
            };
            if let Err(t) = result {
                break Err(t);
            }
            ran = true;
            if self.break_block | self.check_irq | self.waiting {
                break Ok(true);
            }
        };
        self.block_bytes = (0, 0);
        result
    }

    /// The block at `pc` and its physical address, if the fetch translates to RAM without a
    /// fault; faults are left for the single-step path to raise.
    #[inline]
    fn fetch_block<B: Bus>(&mut self, bus: &mut B, blocks: &mut BlockCache) -> Option<(Found, u64)> {
        let pa = self.fetch_pa(bus, self.pc).ok()?;
        if let Some(found) = blocks.lookup_checked(pa, self.code_watch.epoch()) {
            return Some((found, pa));
        }
        let frame = bus.ram(pa)?;
        // Watch first: if that ends the epoch, the block is checked in the new one.
        self.code_watch.watch(pa);
        let found = blocks.lookup(pa, frame, self.code_watch.epoch())?;
        Some((found, pa))
    }

    /// Translates `pc` for execution, through the fetch cache.
    #[inline(always)]
    fn fetch_pa<B: Bus>(&mut self, bus: &mut B, pc: u64) -> Result<u64, Trap> {
        let tag = (pc >> 12) << 2 | self.prv as u64;
        let slot = (pc >> 12) as usize & (FETCH_CACHE_SIZE - 1);
        let fc = self.fetch_cache[slot];
        if fc.tag == tag && fc.generation == self.tlb.generation() {
            return Ok(fc.ppage | (pc & 0xfff));
        }
        let pa = self.translate_fetch(bus, pc)?;
        self.fetch_cache[slot] = FetchCache {
            tag,
            ppage: pa & !0xfff,
            generation: self.tlb.generation(),
        };
        Ok(pa)
    }

    /// Fetches, decodes and executes one instruction. On `Ok` the instruction retired.
    #[inline]
    fn step<B: Bus>(&mut self, bus: &mut B) -> Result<(), Trap> {
        let inst = self.fetch(bus)?;
        self.execute(bus, inst)
    }

    #[inline(always)]
    fn fetch<B: Bus>(&mut self, bus: &mut B) -> Result<Inst, Trap> {
        let pc = self.pc;
        let pa = self.fetch_pa(bus, pc)?;
        let frame = bus.ram(pa).ok_or(Trap {
            cause: cause::FETCH_ACCESS,
            tval: pc,
        })?;
        let off = (pa as usize) & (FRAME_SIZE - 1);
        if off + 4 <= FRAME_SIZE {
            let word = u32::from_le_bytes([frame[off], frame[off + 1], frame[off + 2], frame[off + 3]]);
            let raw = if word & 3 == 3 { word } else { word & 0xffff };
            return Ok(self.dcache.get(raw));
        }
        let lo = u16::from_le_bytes([frame[off], frame[off + 1]]) as u32;
        if lo & 3 != 3 {
            return Ok(self.dcache.get(lo));
        }
        // The instruction straddles a page boundary: its upper half needs its own
        // translation, and a fault there reports the upper half's address.
        let va2 = pc.wrapping_add(2);
        let pa2 = self.translate_fetch(bus, va2)?;
        let f2 = bus.ram(pa2).ok_or(Trap {
            cause: cause::FETCH_ACCESS,
            tval: va2,
        })?;
        let hi = u16::from_le_bytes([f2[0], f2[1]]) as u32;
        Ok(self.dcache.get(lo | (hi << 16)))
    }
}
