//! Pre-decoded basic blocks, the interpreter's fast path.
//!
//! A block is a run of instructions inside one physical page, ending at the first instruction
//! that always changes control flow or can change privilege, translation or interrupt state
//! (indirect jumps, jumps out of the page, system instructions, and CSR instructions other than
//! those of the FP CSRs, which touch only FP state), or at the page's end.
//! A direct jump (JAL) within the page is followed: the block continues at its target.
//! Conditional branches do not end a block: a taken branch leaves it early (a side exit), a
//! branch not taken falls through. Everything else in a block can only
//! stop it early by trapping, by touching a device, or by writing to the block's own bytes; the
//! run loop checks for those after each instruction, so budgets, interrupts and device exits
//! land on exactly the instruction they would land on one step at a time.
//!
//! Blocks are keyed by physical address and their bytes are compared with RAM before they run,
//! like the decode cache is keyed by instruction bits: nothing outside the hart (DMA, snapshot
//! restore, frame merging) needs to tell the cache that code changed, and the cache's contents
//! never influence what the guest sees. The comparison is skipped while nothing can have
//! changed: a block compared in the current *code epoch* stays valid until the epoch ends, which
//! happens at the start of every run (memory may have changed between runs) and whenever the
//! hart itself stores to a page holding a block compared in this epoch (see [`CodeWatch`]).

use std::ops::Range;

use crate::decode::{decode16, decode32};
use crate::jit::{self, Chain, CodeBuf, NativeFn};
use crate::op::*;
use crate::FRAME_SIZE;

/// Longest block, in instructions.
pub(crate) const MAX_BLOCK: usize = 64;
pub(crate) const SLOTS: usize = 1 << 16;
/// Pre-decoded instructions kept before the whole cache is dropped and refilled. A Linux boot
/// decodes ~500K: at 2^18 it dropped everything twice, and rebuilding and retranslating the
/// hot blocks cost 6% of its host instructions. 2^19 takes ~12 MiB more a replica once full.
const ARENA: usize = 1 << 19;

/// Operations with a flat fast path in [`crate::Hart`]'s block executor; everything else is
/// [`Kind::Other`] and goes through the general `execute`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    // Order matters: everything before `Other` continues at the next instruction unless it
    // traps or is a taken branch (see `is_sequential`).
    Lui,
    Auipc,
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Mul,
    Addiw,
    Slliw,
    Srliw,
    Sraiw,
    Addw,
    Subw,
    /// A JAL whose target, in the same page, the block continues at.
    JalInline,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Lb,
    Lh,
    Lw,
    Ld,
    Lbu,
    Lhu,
    Lwu,
    Sb,
    Sh,
    Sw,
    Sd,
    Flw,
    Fld,
    Fsw,
    Fsd,
    FaddD,
    FsubD,
    FmulD,
    FdivD,
    FsqrtD,
    FsgnjD,
    FsgnjnD,
    FsgnjxD,
    /// AMOSWAP, AMOADD, AMOXOR, AMOAND and AMOOR, word or doubleword (the rest are `Other`).
    Amo,
    Other,
    Jal,
    Jalr,
}

impl Kind {
    /// Continues at the next instruction in memory when it neither traps nor branches.
    pub fn is_sequential(self) -> bool {
        self < Kind::Other
    }
}

/// One pre-decoded instruction: a flat operation with its operands unpacked, plus the general
/// form for [`Kind::Other`] (and for `mtval`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct UOp {
    pub kind: Kind,
    /// Offset in its page: its `pc` is the page of the block's `pc` plus this.
    pub off: u16,
    /// Position in the block.
    pub idx: u8,
    pub rd: u8,
    pub rs1: u8,
    pub rs2: u8,
    pub imm: i32,
    pub inst: Inst,
}

impl UOp {
    /// Bytes written by a store, FP store or AMO (8 for anything else).
    pub fn store_size(&self) -> usize {
        match (self.kind, self.inst.op) {
            (Kind::Sb, _) => 1,
            (Kind::Sh, _) => 2,
            (Kind::Sw | Kind::Fsw, _) => 4,
            (Kind::Amo, Op::Amo { width: Width::W, .. }) => 4,
            _ => 8,
        }
    }

    fn new(inst: Inst, off: u16, idx: u8) -> UOp {
        let (kind, rd, rs1, rs2, imm) = flatten(inst.op);
        UOp {
            kind,
            off,
            idx,
            rd,
            rs1,
            rs2,
            imm,
            inst,
        }
    }
}

fn flatten(op: Op) -> (Kind, u8, u8, u8, i32) {
    use Kind as K;
    match op {
        Op::Lui { rd, imm } => (K::Lui, rd, 0, 0, imm),
        Op::Auipc { rd, imm } => (K::Auipc, rd, 0, 0, imm),
        Op::Jal { rd, imm } => (K::Jal, rd, 0, 0, imm),
        Op::Jalr { rd, rs1, imm } => (K::Jalr, rd, rs1, 0, imm),
        Op::Branch { cond, rs1, rs2, imm } => {
            let k = match cond {
                BranchCond::Eq => K::Beq,
                BranchCond::Ne => K::Bne,
                BranchCond::Lt => K::Blt,
                BranchCond::Ge => K::Bge,
                BranchCond::Ltu => K::Bltu,
                BranchCond::Geu => K::Bgeu,
            };
            (k, 0, rs1, rs2, imm)
        }
        Op::Load { kind, rd, rs1, imm } => {
            let k = match kind {
                LoadKind::B => K::Lb,
                LoadKind::H => K::Lh,
                LoadKind::W => K::Lw,
                LoadKind::D => K::Ld,
                LoadKind::Bu => K::Lbu,
                LoadKind::Hu => K::Lhu,
                LoadKind::Wu => K::Lwu,
            };
            (k, rd, rs1, 0, imm)
        }
        Op::Store { width, rs1, rs2, imm } => {
            let k = match width {
                Width::B => K::Sb,
                Width::H => K::Sh,
                Width::W => K::Sw,
                Width::D => K::Sd,
            };
            (k, 0, rs1, rs2, imm)
        }
        Op::AluImm { op, rd, rs1, imm } => {
            let k = match op {
                AluOp::Add => K::Addi,
                AluOp::Slt => K::Slti,
                AluOp::Sltu => K::Sltiu,
                AluOp::Xor => K::Xori,
                AluOp::Or => K::Ori,
                AluOp::And => K::Andi,
                AluOp::Sll => K::Slli,
                AluOp::Srl => K::Srli,
                AluOp::Sra => K::Srai,
                _ => return (K::Other, 0, 0, 0, 0),
            };
            (k, rd, rs1, 0, imm)
        }
        Op::Alu { op, rd, rs1, rs2 } => {
            let k = match op {
                AluOp::Add => K::Add,
                AluOp::Sub => K::Sub,
                AluOp::Sll => K::Sll,
                AluOp::Slt => K::Slt,
                AluOp::Sltu => K::Sltu,
                AluOp::Xor => K::Xor,
                AluOp::Srl => K::Srl,
                AluOp::Sra => K::Sra,
                AluOp::Or => K::Or,
                AluOp::And => K::And,
                AluOp::Mul => K::Mul,
                _ => return (K::Other, 0, 0, 0, 0),
            };
            (k, rd, rs1, rs2, 0)
        }
        Op::AluImmW { op, rd, rs1, imm } => {
            let k = match op {
                AluWOp::Add => K::Addiw,
                AluWOp::Sll => K::Slliw,
                AluWOp::Srl => K::Srliw,
                AluWOp::Sra => K::Sraiw,
                _ => return (K::Other, 0, 0, 0, 0),
            };
            (k, rd, rs1, 0, imm)
        }
        Op::AluW { op, rd, rs1, rs2 } => {
            let k = match op {
                AluWOp::Add => K::Addw,
                AluWOp::Sub => K::Subw,
                _ => return (K::Other, 0, 0, 0, 0),
            };
            (k, rd, rs1, rs2, 0)
        }
        Op::FBin {
            op,
            fmt: Fmt::D,
            rd,
            rs1,
            rs2,
            rm,
        } => {
            let k = match op {
                FBinOp::Add => K::FaddD,
                FBinOp::Sub => K::FsubD,
                FBinOp::Mul => K::FmulD,
                FBinOp::Div => K::FdivD,
                FBinOp::Sgnj => K::FsgnjD,
                FBinOp::Sgnjn => K::FsgnjnD,
                FBinOp::Sgnjx => K::FsgnjxD,
                _ => return (K::Other, 0, 0, 0, 0),
            };
            (k, rd, rs1, rs2, rm as i32)
        }
        Op::FSqrt {
            fmt: Fmt::D,
            rd,
            rs1,
            rm,
        } => (K::FsqrtD, rd, rs1, 0, rm as i32),
        Op::FLoad { fmt, rd, rs1, imm } => {
            let k = if fmt == Fmt::S { K::Flw } else { K::Fld };
            (k, rd, rs1, 0, imm)
        }
        Op::Amo {
            op: AmoOp::Swap | AmoOp::Add | AmoOp::Xor | AmoOp::And | AmoOp::Or,
            width: Width::W | Width::D,
            rd,
            rs1,
            rs2,
        } => (K::Amo, rd, rs1, rs2, 0),
        Op::FStore { fmt, rs1, rs2, imm } => {
            let k = if fmt == Fmt::S { K::Fsw } else { K::Fsd };
            (k, 0, rs1, rs2, imm)
        }
        _ => (K::Other, 0, 0, 0, 0),
    }
}

/// Whether `op` must be the last instruction of a block: after it the next instruction is not
/// the one that follows in memory, or interrupt, privilege or translation state may have
/// changed.
fn ends_block(op: &Op) -> bool {
    use crate::csr::num::{FCSR, FFLAGS};
    // The FP CSRs hold only FP state, which every instruction reads afresh (translated code
    // too: `exec_one` refreshes its FP conditions): FP code reads and restores fflags around
    // quiet comparisons, and a block goes on after them.
    if let Op::Csr { csr, .. } = op {
        return !(FFLAGS..=FCSR).contains(csr);
    }
    matches!(
        op,
        Op::Jal { .. }
            | Op::Jalr { .. }
            | Op::Ecall
            | Op::Ebreak
            | Op::Mret
            | Op::Sret
            | Op::Wfi
            | Op::SfenceVma { .. }
            | Op::FenceI
            | Op::Illegal
    )
}

/// A cache line each: at 40 bytes, 3 slots in 8 straddled two lines, and every dispatch reads
/// one (callgrind's cache model: 9% fewer L1 data misses on a boot and integer job, 4 MiB of
/// slots instead of 2.6).
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Slot {
    /// Physical address of the first instruction; `u64::MAX` when empty.
    pa: u64,
    /// The code epoch in which the bytes were last found unchanged.
    checked: u64,
    ops: u32,
    bytes: u32,
    n: u16,
    /// Page offsets of the bytes the block was decoded from: `[lo, hi)`.
    lo: u16,
    hi: u16,
    /// Offset of its translation in the code buffer, or [`NO_CODE`].
    code: u32,
    /// Runs so far while not translated.
    hits: u32,
}

const NO_CODE: u32 = u32::MAX;

/// What translated code's call-backs need of the running block's slot.
pub(crate) struct SlotView {
    /// The block's instructions, as indices into the arena.
    pub ops: Range<usize>,
    /// Physical addresses of the bytes it was decoded from: `[lo, hi)`.
    pub bytes: (u64, u64),
}

impl SlotView {
    /// # Safety
    /// `slot` points at a slot of a live block cache, which nothing changes meanwhile.
    pub(crate) unsafe fn of(slot: *const u8) -> SlotView {
        // SAFETY: the caller's contract.
        let s = unsafe { &*slot.cast::<Slot>() };
        let page = s.pa & !(crate::FRAME_SIZE as u64 - 1);
        SlotView {
            ops: s.ops as usize..s.ops as usize + s.n as usize,
            bytes: (page + s.lo as u64, page + s.hi as u64),
        }
    }
}

/// The layout translated code relies on to chain blocks (see `jit`).
pub(crate) mod slot_offset {
    use super::Slot;
    use std::mem::{offset_of, size_of};
    pub const SIZE: usize = size_of::<Slot>();
    pub const PA: i32 = offset_of!(Slot, pa) as i32;
    pub const CHECKED: i32 = offset_of!(Slot, checked) as i32;
    pub const N: i32 = offset_of!(Slot, n) as i32;
    pub const CODE: i32 = offset_of!(Slot, code) as i32;
}

const EMPTY: Slot = Slot {
    pa: u64::MAX,
    checked: 0,
    ops: 0,
    bytes: 0,
    n: 0,
    lo: 0,
    hi: 0,
    code: NO_CODE,
    hits: 0,
};

/// A direct-mapped table of blocks over an arena of pre-decoded instructions. Cloning gives an
/// empty cache: it holds nothing a hart cannot rebuild from RAM, and replicas fork often.
#[derive(Default)]
pub(crate) struct BlockCache {
    slots: Vec<Slot>,
    ops: Vec<UOp>,
    /// The bytes each block was decoded from, compared with RAM on every entry.
    bytes: Vec<u8>,
    /// Translations of hot blocks; created on first use.
    code: Option<CodeBuf>,
    /// The host gave no executable memory, or has no code generator: blocks stay interpreted.
    no_code: bool,
}

impl Clone for BlockCache {
    fn clone(&self) -> Self {
        BlockCache::default()
    }
}

/// A block found by [`BlockCache::lookup`]: where its instructions are, and the page offsets
/// `[lo, hi)` of the guest code it was decoded from (a span that may include bytes it jumped
/// over).
pub(crate) struct Found {
    pub ops: Range<usize>,
    pub slot: usize,
    pub lo: u64,
    pub hi: u64,
}

impl BlockCache {
    pub fn ops(&self, r: Range<usize>) -> &[UOp] {
        &self.ops[r]
    }

    pub(crate) fn slot_index(pa: u64) -> usize {
        ((pa >> 1) ^ (pa >> 15)) as usize & (SLOTS - 1)
    }

    /// The block starting at physical address `pa` if it was compared with RAM in code epoch
    /// `epoch`, so it cannot have changed since.
    #[inline]
    pub fn lookup_checked(&self, pa: u64, epoch: u64) -> Option<Found> {
        let slot = Self::slot_index(pa);
        let s = self.slots.get(slot)?;
        (s.pa == pa && s.checked == epoch).then(|| Found {
            ops: s.ops as usize..(s.ops as usize + s.n as usize),
            slot,
            lo: s.lo as u64,
            hi: s.hi as u64,
        })
    }

    /// The block starting at physical address `pa`, whose page holds `frame`, after comparing
    /// its bytes with the frame (decoding it afresh if they differ or it is not cached); it is
    /// then checked in code epoch `epoch`. `None` when the first instruction crosses the page
    /// end (the caller steps it singly).
    #[inline(never)]
    pub fn lookup(&mut self, pa: u64, frame: &[u8; FRAME_SIZE], epoch: u64) -> Option<Found> {
        if self.slots.is_empty() {
            self.slots = vec![EMPTY; SLOTS];
        }
        let idx = Self::slot_index(pa);
        let s = self.slots[idx];
        if s.pa == pa {
            let (b, lo, hi) = (s.bytes as usize, s.lo as usize, s.hi as usize);
            if frame[lo..hi] == self.bytes[b..b + hi - lo] {
                self.slots[idx].checked = epoch;
                let ops = s.ops as usize;
                return Some(Found {
                    ops: ops..ops + s.n as usize,
                    slot: idx,
                    lo: lo as u64,
                    hi: hi as u64,
                });
            }
        }
        self.build(idx, pa, frame, epoch)
    }

    #[inline(never)]
    fn build(&mut self, idx: usize, pa: u64, frame: &[u8; FRAME_SIZE], epoch: u64) -> Option<Found> {
        if self.ops.len() + MAX_BLOCK > ARENA {
            self.slots.fill(EMPTY);
            self.ops.clear();
            self.bytes.clear();
            if let Some(c) = &mut self.code {
                c.clear();
            }
        }
        let start = pa as usize & (FRAME_SIZE - 1);
        let (ops_at, bytes_at) = (self.ops.len(), self.bytes.len());
        let (mut lo, mut hi) = (start, start);
        let mut off = start;
        while self.ops.len() - ops_at < MAX_BLOCK && off + 2 <= FRAME_SIZE {
            let half = u16::from_le_bytes([frame[off], frame[off + 1]]);
            let inst = if half & 3 != 3 {
                decode16(half)
            } else if off + 4 <= FRAME_SIZE {
                decode32(u32::from_le_bytes([
                    frame[off],
                    frame[off + 1],
                    frame[off + 2],
                    frame[off + 3],
                ]))
            } else {
                break;
            };
            let idx = (self.ops.len() - ops_at) as u8;
            let mut uop = UOp::new(inst, off as u16, idx);
            (lo, hi) = (lo.min(off), hi.max(off + inst.len as usize));
            // A direct jump within the page is followed: the block goes on at its target.
            if let Op::Jal { imm, .. } = inst.op {
                let target = off as i64 + imm as i64;
                if (0..FRAME_SIZE as i64).contains(&target) {
                    uop.kind = Kind::JalInline;
                    self.ops.push(uop);
                    off = target as usize;
                    continue;
                }
            }
            self.ops.push(uop);
            off += inst.len as usize;
            if ends_block(&inst.op) {
                break;
            }
        }
        let n = self.ops.len() - ops_at;
        if n == 0 {
            return None;
        }
        self.bytes.extend_from_slice(&frame[lo..hi]);
        self.slots[idx] = Slot {
            pa,
            checked: epoch,
            ops: ops_at as u32,
            bytes: bytes_at as u32,
            n: n as u16,
            lo: lo as u16,
            hi: hi as u16,
            code: NO_CODE,
            hits: 0,
        };
        Some(Found {
            ops: ops_at..ops_at + n,
            slot: idx,
            lo: lo as u64,
            hi: hi as u64,
        })
    }
}

impl BlockCache {
    /// The translation of the block just found, made once the block has run `after` times
    /// without one; `None` until then (and always, where translation is unavailable).
    #[inline]
    pub fn native(&mut self, found: &Found, after: u32) -> Option<NativeFn> {
        let s = &mut self.slots[found.slot];
        if s.code != NO_CODE {
            return self.code.as_ref().map(|c| c.entry(s.code));
        }
        if s.hits < after {
            s.hits += 1;
            return None;
        }
        self.translate(found)
    }

    /// Where translated code finds the cache, to chain blocks. Valid until the next `lookup`
    /// or `native` call.
    pub fn chain(&self) -> Chain {
        Chain {
            slots: self.slots.as_ptr().cast(),
            ops: self.ops.as_ptr(),
            code: self.code.as_ref().map_or(std::ptr::null(), |c| c.base()),
        }
    }

    #[inline(never)]
    fn translate(&mut self, found: &Found) -> Option<NativeFn> {
        if self.no_code {
            return None;
        }
        let bytes = jit::compile(&self.ops[found.ops.clone()], self.slots[found.slot].pa);
        if self.code.is_none() {
            self.code = CodeBuf::new();
        }
        let (Some(bytes), Some(buf)) = (bytes, self.code.as_mut()) else {
            self.no_code = true;
            return None;
        };
        let off = match buf.push(&bytes) {
            Some(off) => off,
            None => {
                // Full: start again with the hot blocks of from now on.
                buf.clear();
                for s in &mut self.slots {
                    (s.code, s.hits) = (NO_CODE, 0);
                }
                buf.push(&bytes)?
            }
        };
        self.slots[found.slot].code = off;
        Some(buf.entry(off))
    }
}

pub(crate) const WATCH_SLOTS: usize = 4096;

/// The layout of a code watch entry, for translated code.
pub(crate) mod watch_offset {
    use std::mem::{offset_of, size_of};
    pub const PAGE: i32 = offset_of!((u64, u64), 0) as i32;
    pub const EPOCH: i32 = offset_of!((u64, u64), 1) as i32;
    const _: () = assert!(size_of::<(u64, u64)>() == 16);
}

/// The pages holding blocks compared in the current code epoch, so that a store to one of them
/// ends the epoch. Direct-mapped by page number; an entry counts only if it was made in the
/// current epoch, so ending the epoch empties the table in O(1). Evicting a page that is still
/// watched would let its blocks go stale unnoticed, so an insertion that would do that ends
/// the epoch instead.
#[derive(Clone)]
pub(crate) struct CodeWatch {
    /// `(page number, epoch)` per slot.
    pages: Box<[(u64, u64)]>,
    /// Read by translated code (see `jit`).
    pub(crate) epoch: u64,
}

impl CodeWatch {
    pub fn new() -> Self {
        CodeWatch {
            pages: vec![(u64::MAX, 0); WATCH_SLOTS].into_boxed_slice(),
            epoch: 1,
        }
    }

    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The table, for translated code.
    pub fn pages_ptr(&self) -> *const (u64, u64) {
        self.pages.as_ptr()
    }

    /// Ends the code epoch: every block must be compared with RAM again before it runs.
    pub fn new_epoch(&mut self) {
        self.epoch += 1;
    }

    /// Watches the page of `pa`, which holds a block just compared in the current epoch.
    #[inline]
    pub fn watch(&mut self, pa: u64) {
        let page = pa >> 12;
        let e = &mut self.pages[page as usize & (WATCH_SLOTS - 1)];
        if e.1 == self.epoch && e.0 != page {
            // Evicting a watched page: its blocks must not outlive the epoch unwatched.
            self.epoch += 1;
        }
        *e = (page, self.epoch);
    }

    /// Called for every store the hart makes to RAM; `true` when it ended the epoch.
    #[inline(always)]
    pub fn stored(&mut self, pa: u64) -> bool {
        let page = pa >> 12;
        let watched = self.pages[page as usize & (WATCH_SLOTS - 1)] == (page, self.epoch);
        if watched {
            self.epoch += 1;
        }
        watched
    }
}
