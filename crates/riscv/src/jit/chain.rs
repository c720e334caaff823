//! Chaining: a translated block jumps straight into the translation of the block that follows
//! it, instead of returning to the interpreter's loop (`Hart::chain_blocks`), whenever that loop
//! would run the same block next: the fetch translation is cached (same page: unchanged; other
//! page: a hit in the hart's fetch cache of the current TLB generation), the block cached for
//! that physical address was checked in the current code epoch and is translated, it fits the
//! budget, and no interrupt check or WFI is pending. Otherwise the code falls through to the
//! exit its caller emits next, and the interpreter decides exactly as it would have.

use super::x86::{Alu, Asm, Cond, R8, R9, RAX, RBP, RBX, RCX, RDI, RDX};
use super::{ctx_offset as off, hart_offset as h};
use crate::block::{slot_offset, BlockCache, SLOTS};
use crate::FRAME_SIZE;

/// Chains to the instruction at `next` bytes from the start of the running block's page,
/// after `retired` instructions of the block. The block is at physical address `pa`;
/// translations are entered at `entry`.
pub(super) fn to_offset(a: &mut Asm, pa: u64, next: i64, retired: i32, entry: i32) {
    if !(0..FRAME_SIZE as i64).contains(&next) {
        page_plus_to_r9(a, next);
        to_register(a, retired, entry);
        return;
    }
    // Same page: same translation, and the slot is known now.
    let page_pa = pa & !(FRAME_SIZE as u64 - 1);
    let target = page_pa + next as u64;
    let exit = a.label();
    a.load(RDI, RBP, off::SLOTS);
    a.alu_ri(
        true,
        Alu::Add,
        RDI,
        (BlockCache::slot_index(target) * slot_offset::SIZE) as i32,
    );
    a.mov_imm64(RAX, target);
    a.alu_rm(true, Alu::Cmp, RAX, RDI, slot_offset::PA);
    a.jcc(Cond::Ne, exit);
    a.load(R9, RBP, off::PAGE);
    a.alu_ri(true, Alu::Add, R9, next as i32);
    enter(a, retired, entry, false, exit);
    a.bind(exit);
}

/// R9 = the running block's page + `off` (any distance: other pages too).
pub(super) fn page_plus_to_r9(a: &mut Asm, off: i64) {
    a.load(R9, RBP, off::PAGE);
    a.mov_imm64(RAX, off as u64);
    a.alu_rr(true, Alu::Add, R9, RAX);
}

/// Chains to the virtual address in R9, after `retired` instructions of the running block.
pub(super) fn to_register(a: &mut Asm, retired: i32, entry: i32) {
    let exit = a.label();
    // The fetch cache entry for R9's page: `tag` = vpage << 2 | privilege.
    a.mov(RAX, R9);
    a.shift_imm(true, super::x86::Shift::Shr, RAX, 12);
    a.rr(false, &[0x89], RAX, RCX);
    a.alu_ri(false, Alu::And, RCX, h::FETCH_SLOTS - 1);
    a.imul_imm(RCX, RCX, h::FETCH_SIZE);
    a.alu_rr(true, Alu::Add, RCX, RBX);
    a.shift_imm(true, super::x86::Shift::Shl, RAX, 2);
    a.rm(false, &[0x0f, 0xb6], RDX, RBX, h::PRV);
    a.alu_rr(true, Alu::Or, RAX, RDX);
    a.alu_rm(true, Alu::Cmp, RAX, RCX, h::FETCH_CACHE + h::FETCH_TAG);
    a.jcc(Cond::Ne, exit);
    a.rm(false, &[0x8b], RAX, RCX, h::FETCH_CACHE + h::FETCH_GENERATION);
    a.alu_rm(false, Alu::Cmp, RAX, RBX, h::TLB_GENERATION);
    a.jcc(Cond::Ne, exit);
    a.load(R8, RCX, h::FETCH_CACHE + h::FETCH_PPAGE);
    // The physical address and its block cache slot.
    a.rr(false, &[0x89], R9, RDX);
    a.alu_ri(false, Alu::And, RDX, FRAME_SIZE as i32 - 1);
    a.alu_rr(true, Alu::Or, RDX, R8);
    a.mov(RAX, RDX);
    a.shift_imm(true, super::x86::Shift::Shr, RAX, 1);
    a.mov(RCX, RDX);
    a.shift_imm(true, super::x86::Shift::Shr, RCX, 15);
    a.alu_rr(true, Alu::Xor, RAX, RCX);
    a.alu_ri(false, Alu::And, RAX, SLOTS as i32 - 1);
    a.imul_imm(RAX, RAX, slot_offset::SIZE as i32);
    a.load(RDI, RBP, off::SLOTS);
    a.alu_rr(true, Alu::Add, RDI, RAX);
    a.alu_rm(true, Alu::Cmp, RDX, RDI, slot_offset::PA);
    a.jcc(Cond::Ne, exit);
    enter(a, retired, entry, true, exit);
    a.bind(exit);
}

/// The rest of a chain, with RDI the slot of the next block (its address already matched) and
/// R9 its virtual address: the remaining checks, then the context updated to describe it
/// (`pc`, `icount`, the slot, and the page when `new_page`), and the jump. The call-backs find
/// the block's instructions and bytes through the slot when they need them.
fn enter(a: &mut Asm, retired: i32, entry: i32, new_page: bool, exit: super::x86::Label) {
    a.load(RAX, RBX, h::CODE_EPOCH);
    a.alu_rm(true, Alu::Cmp, RAX, RDI, slot_offset::CHECKED);
    a.jcc(Cond::Ne, exit);
    a.rm(false, &[0x8b], RAX, RDI, slot_offset::CODE);
    a.alu_ri(false, Alu::Cmp, RAX, -1);
    a.jcc(Cond::E, exit);
    a.cmp_word(RBX, h::WAITING_OR_IRQ, 0);
    a.jcc(Cond::Ne, exit);
    // The next block must fit the budget: icount + its length <= end.
    a.load(RDX, RBP, off::ICOUNT);
    a.alu_ri(true, Alu::Add, RDX, retired);
    a.rm(false, &[0x0f, 0xb7], RCX, RDI, slot_offset::N);
    a.alu_rr(true, Alu::Add, RCX, RDX);
    a.alu_rm(true, Alu::Cmp, RCX, RBP, off::END);
    a.jcc(Cond::A, exit);
    // Committed.
    a.store(RBP, off::ICOUNT, RDX);
    a.store(RBP, off::PC, R9);
    if new_page {
        a.mov(RDX, R9);
        a.alu_ri(true, Alu::And, RDX, -(FRAME_SIZE as i32));
        a.store(RBP, off::PAGE, RDX);
    }
    a.store(RBP, off::SLOT, RDI);
    a.alu_rm(true, Alu::Add, RAX, RBP, off::CODE_BASE);
    a.alu_ri(true, Alu::Add, RAX, entry);
    a.jmp_reg(RAX);
}
