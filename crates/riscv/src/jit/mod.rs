//! Native code for hot blocks (x86-64 hosts).
//!
//! A block that has run often enough is translated into machine code that does exactly what
//! `Hart::run_block` does: register arithmetic, branches, and loads and stores that hit a frame
//! address cached in the TLB run natively; every other instruction, and every access that
//! misses, calls back into `run_block` for that one instruction. Guest state lives only in the
//! hart between instructions, so the two engines can hand over at any instruction boundary and
//! budgets, traps, interrupts and device exits land exactly where the interpreter puts them
//! (`tests/block_equivalence.rs` runs random programs with native code forced on).
//!
//! The code depends only on the block's instructions: the page it runs in, the data context
//! and the TLB are read at run time from a [`JitCtx`], so one translation serves every virtual
//! address the physical block is mapped at.

mod buffer;
mod chain;
mod compile;
mod x86;

use std::mem::offset_of;

use crate::block::{slot_offset, SlotView, UOp};
use crate::hart::Hart;
use crate::mmu::Access;
use crate::op::Op;
use crate::trap::Trap;
use crate::{Bus, FRAME_SIZE};

pub(crate) use buffer::CodeBuf;

/// The block ran to its end and the next instruction follows its last in sequence.
pub(super) const EXIT_END: u64 = 0;
/// The conditional branch at `result >> 2` was taken.
pub(super) const EXIT_TAKEN: u64 = 1;
/// The interpreter ended the block and left `pc` and `icount` set.
const EXIT_SET: u64 = 2;
/// The interpreter trapped; the trap is in [`JitCtx::trap`].
const EXIT_TRAP: u64 = 3;

/// A translated block.
pub(crate) type NativeFn = unsafe extern "sysv64" fn(*mut JitCtx) -> u64;

/// Bits of [`JitCtx::fp`]: FP instructions are enabled (mstatus.FS); and, for the host-FPU fast
/// path, also NX is set, for static round-to-nearest-even (`FP_RNE`) and for dynamic rounding
/// with `frm` = RNE (`FP_DYN`). Only CSR writes and traps can clear them: traps and other CSR
/// writes end blocks, and `exec_one` recomputes them after an FP CSR instruction.
const FP_ON: u8 = 1;
const FP_RNE: u8 = 2;
const FP_DYN: u8 = 4;
/// `fflags`' NX bit, which [`FP_RNE`] and [`FP_DYN`] require.
const NX: i32 = 1;

/// Everything translated code reads at run time. Built on the stack for each entry from the
/// interpreter; chaining to the next block updates `slot`, `pc` and `icount` (and `page`).
#[repr(C)]
pub(crate) struct JitCtx {
    hart: *mut Hart,
    tlb_load: *const u8,
    tlb_store: *const u8,
    /// The data context of TLB tags (`mmu::BARE` when data accesses are untranslated).
    ctx: u64,
    /// The TLB's host epoch.
    epoch: *const u64,
    /// The virtual page the blocks run in.
    page: u64,
    exec: unsafe extern "sysv64" fn(*mut JitCtx, u64) -> u64,
    stored: unsafe extern "sysv64" fn(*mut JitCtx, u64, u64) -> u64,
    bus: *mut (),
    /// The running block's slot in the block cache (see [`SlotView`]): its instructions and
    /// the bytes it was decoded from, which the call-backs look up only when they run, so that
    /// chaining stores one pointer.
    slot: *const u8,
    /// `pc` and `icount` at the running block's start.
    pc: u64,
    icount: u64,
    /// The `icount` the run must not pass.
    end: u64,
    fp: u8,
    /// Whether the hart holds an LR reservation, kept up to date by `exec_one` and `stored`.
    reserved: u8,
    /// The code watch's table.
    watch: *const (u64, u64),
    chain: Chain,
    trap: Option<Trap>,
}

/// Where translated code finds the block cache, to chain from block to block.
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct Chain {
    pub slots: *const u8,
    pub ops: *const UOp,
    pub code: *const u8,
}

/// Byte offsets of [`JitCtx`] fields, for the code generator.
mod ctx_offset {
    use super::{offset_of, JitCtx};
    pub const HART: i32 = offset_of!(JitCtx, hart) as i32;
    pub const TLB_LOAD: i32 = offset_of!(JitCtx, tlb_load) as i32;
    pub const TLB_STORE: i32 = offset_of!(JitCtx, tlb_store) as i32;
    pub const CTX: i32 = offset_of!(JitCtx, ctx) as i32;
    pub const EPOCH: i32 = offset_of!(JitCtx, epoch) as i32;
    pub const PAGE: i32 = offset_of!(JitCtx, page) as i32;
    pub const EXEC: i32 = offset_of!(JitCtx, exec) as i32;
    pub const STORED: i32 = offset_of!(JitCtx, stored) as i32;
    pub const SLOT: i32 = offset_of!(JitCtx, slot) as i32;
    pub const PC: i32 = offset_of!(JitCtx, pc) as i32;
    pub const ICOUNT: i32 = offset_of!(JitCtx, icount) as i32;
    pub const END: i32 = offset_of!(JitCtx, end) as i32;
    pub const FP: i32 = offset_of!(JitCtx, fp) as i32;
    pub const RESERVED: i32 = offset_of!(JitCtx, reserved) as i32;
    pub const WATCH: i32 = offset_of!(JitCtx, watch) as i32;
    pub const SLOTS: i32 = offset_of!(JitCtx, chain.slots) as i32;
    pub const CODE_BASE: i32 = offset_of!(JitCtx, chain.code) as i32;
}

/// Byte offsets of the [`Hart`] fields translated code reads and writes.
mod hart_offset {
    use super::{offset_of, Hart};
    pub const X: i32 = offset_of!(Hart, x) as i32;
    pub const F: i32 = offset_of!(Hart, f) as i32;
    pub const MSTATUS: i32 = offset_of!(Hart, csr.mstatus) as i32;
    pub const FFLAGS: i32 = offset_of!(Hart, csr.fflags) as i32;
    pub const FRM: i32 = offset_of!(Hart, csr.frm) as i32;
    /// `waiting` and `check_irq` as one 16-bit word (translated code tests both at once).
    pub const WAITING_OR_IRQ: i32 = offset_of!(Hart, waiting) as i32;
    const _: () = assert!(offset_of!(Hart, check_irq) == offset_of!(Hart, waiting) + 1);
    pub const CODE_EPOCH: i32 = offset_of!(Hart, code_watch.epoch) as i32;
    pub const PC: i32 = offset_of!(Hart, pc) as i32;
    pub const ICOUNT: i32 = offset_of!(Hart, icount) as i32;
    pub const PRV: i32 = offset_of!(Hart, prv) as i32;
    pub const TLB_GENERATION: i32 = offset_of!(Hart, tlb.generation) as i32;
    pub const FETCH_CACHE: i32 = offset_of!(Hart, fetch_cache) as i32;
    pub const FETCH_SLOTS: i32 = crate::hart::FETCH_CACHE_SIZE as i32;
    pub const FETCH_SIZE: i32 = size_of::<FetchCache>() as i32;
    pub const FETCH_TAG: i32 = offset_of!(FetchCache, tag) as i32;
    pub const FETCH_PPAGE: i32 = offset_of!(FetchCache, ppage) as i32;
    pub const FETCH_GENERATION: i32 = offset_of!(FetchCache, generation) as i32;
    use crate::hart::FetchCache;
    use std::mem::size_of;
}

pub(crate) use crate::mmu::tlb_offset;

/// Translates `ops`; `None` on hosts without a code generator.
pub(crate) fn compile(ops: &[UOp], pa: u64) -> Option<Vec<u8>> {
    if cfg!(target_arch = "x86_64") {
        compile::compile(ops, pa)
    } else {
        None
    }
}

/// Runs instruction `idx` of the block in the interpreter. Returns 0 to go on natively, or the
/// exit code the native code returns.
///
/// # Safety
/// `cx` is the live context of a block entry made by [`Hart::run_native`] with bus type `B`.
unsafe extern "sysv64" fn exec_one<B: Bus>(cx: *mut JitCtx, idx: u64) -> u64 {
    // SAFETY: the caller's contract: `cx` points at the context on `run_native`'s stack, whose
    // hart and bus pointers are the exclusive borrows `run_native` holds for the whole call,
    // used by nothing else while this runs.
    let (hart, bus, cx) = unsafe {
        let cx = &mut *cx;
        (&mut *cx.hart, &mut *cx.bus.cast::<B>(), cx)
    };
    // SAFETY: as above, and `slot` is the running block's slot (`run_native`'s contract).
    let ops = unsafe { running_block(cx, hart) };
    let i = idx as usize;
    hart.pc = cx.pc;
    hart.icount = cx.icount;
    let result = hart.run_block(bus, &ops[i..=i]);
    cx.reserved = hart.reservation.is_some() as u8;
    // An FP CSR instruction does not end its block (`block::ends_block`) but may change the
    // flags and rounding mode the host-FPU fast path depends on.
    if let Op::Csr { .. } = ops[i].inst.op {
        cx.fp = hart.fp_conditions();
    }
    match result {
        Err(t) => {
            cx.trap = Some(t);
            EXIT_TRAP
        }
        Ok(()) if hart.break_block || i + 1 == ops.len() => EXIT_SET,
        Ok(()) => 0,
    }
}

/// After the native store of instruction `idx` to physical address `pa`: the interpreter's
/// bookkeeping, and [`EXIT_SET`] if the store ends the block.
///
/// # Safety
/// As for [`exec_one`].
unsafe extern "sysv64" fn stored(cx: *mut JitCtx, idx: u64, pa: u64) -> u64 {
    // SAFETY: as in `exec_one`.
    let (hart, cx) = unsafe {
        let cx = &mut *cx;
        (&mut *cx.hart, cx)
    };
    // SAFETY: as in `exec_one`.
    let u = unsafe { &running_block(cx, hart)[idx as usize] };
    hart.after_ram_store(pa, u.store_size() as u64);
    cx.reserved = hart.reservation.is_some() as u8;
    if !hart.break_block {
        return 0;
    }
    hart.pc = (cx.pc & !(FRAME_SIZE as u64 - 1)) + u.off as u64 + u.inst.len as u64;
    hart.icount = cx.icount + u.idx as u64 + 1;
    EXIT_SET
}

/// The instructions of the block running in `cx`; also points `hart.block_bytes` at it, as the
/// interpreter's loop does for the block it runs (chaining does not keep them up to date).
///
/// # Safety
/// `cx.slot` is the running block's slot in the block cache whose arena `cx.chain.ops` is,
/// and neither changes while the returned slice lives.
unsafe fn running_block<'a>(cx: &JitCtx, hart: &mut Hart) -> &'a [UOp] {
    // SAFETY: the caller's contract.
    let view = unsafe { SlotView::of(cx.slot) };
    hart.block_bytes = view.bytes;
    // SAFETY: as above: the slot's range lies in the arena.
    unsafe { std::slice::from_raw_parts(cx.chain.ops.add(view.ops.start), view.ops.len()) }
}

impl Hart {
    /// The [`JitCtx::fp`] bits for the hart's current FP state.
    fn fp_conditions(&self) -> u8 {
        if !self.fs_enabled() {
            return 0;
        }
        let bit = |on: bool, b: u8| if on { b } else { 0 };
        FP_ON | bit(self.fast_rne(0), FP_RNE) | bit(self.fast_rne(7), FP_DYN)
    }

    /// Runs the block in slot `slot` of `chain`'s cache, at `pc`, through its translation `code`, and whatever blocks it
    /// chains to without passing `icount` `end`; the same contract as [`Hart::run_block`].
    pub(crate) fn run_native<B: Bus>(
        &mut self,
        bus: &mut B,
        slot: usize,
        code: NativeFn,
        chain: Chain,
        end: u64,
    ) -> Result<(), Trap> {
        let page = self.pc & !(FRAME_SIZE as u64 - 1);
        let ctx = self.data_ctx;
        let fp = self.fp_conditions();
        let hart: *mut Hart = self;
        // SAFETY: `hart` comes from `&mut self` and is the only way the hart is reached until
        // the call returns; the TLB tables, the host epoch and the code watch's table do not move
        // while it is borrowed.
        let (tlb_load, tlb_store, epoch, watch) = unsafe {
            let h = &*hart;
            let epoch: *const u64 = h.tlb.host_epoch_ptr();
            (
                h.tlb.table_ptr(Access::Load),
                h.tlb.table_ptr(Access::Store),
                epoch,
                h.code_watch.pages_ptr(),
            )
        };
        let mut cx = JitCtx {
            hart,
            tlb_load,
            tlb_store,
            ctx,
            epoch,
            page,
            exec: exec_one::<B>,
            stored,
            bus: (bus as *mut B).cast(),
            // In bounds: `slot` is an index into the table `chain.slots` starts.
            slot: chain.slots.wrapping_add(slot * slot_offset::SIZE),
            // SAFETY: as above; a plain read.
            pc: unsafe { (*hart).pc },
            icount: unsafe { (*hart).icount },
            end,
            fp,
            // SAFETY: as above; a plain read.
            reserved: unsafe { (*hart).reservation.is_some() as u8 },
            watch,
            chain,
            trap: None,
        };
        // SAFETY: `code` was generated by `compile` for exactly `ops`; it reads and writes
        // the hart through `hart`, frames through TLB entries of the current host epoch (valid
        // by the `Bus` contract, as for `host_load`), jumps only into translations the block
        // cache in `chain` lists as current, and calls back only `exec_one` and `stored` with
        // `&mut cx`, which satisfies their contracts.
        let result = unsafe { code(&mut cx) };
        // SAFETY: `cx.slot` is the last block run's slot, in the block cache `chain` describes,
        // which nothing changed during the call.
        let ops = unsafe { running_block(&cx, self) };
        let (page, icount) = (cx.pc & !(FRAME_SIZE as u64 - 1), cx.icount);
        match result & 3 {
            EXIT_END => {
                if let Some(u) = ops.last() {
                    self.pc = page.wrapping_add(crate::exec_block::next_off(u));
                    self.icount = icount + u.idx as u64 + 1;
                }
                Ok(())
            }
            EXIT_TAKEN => {
                let u = &ops[(result >> 2) as usize];
                self.pc = page.wrapping_add(u.off as u64).wrapping_add(u.imm as i64 as u64);
                self.icount = icount + u.idx as u64 + 1;
                Ok(())
            }
            EXIT_SET => Ok(()),
            _ => cx.trap.map_or(Ok(()), Err),
        }
    }
}
