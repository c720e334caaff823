//! Double-precision loads, stores, sign injection, comparisons of ordered operands, the
//! host-exact arithmetic of `fpu::fast`, and reads and writes of `fflags`, translated.

use super::{after_store, fr, host_address, xr, Stub};
use crate::block::{Kind, UOp};
use crate::jit::x86::{Alu, Asm, Cond, Label, Shift, R12, R14, RAX, RBP, RBX, RCX, RDX, RSI};
use crate::jit::{ctx_offset as off, hart_offset as h, FP_DYN, FP_ON, FP_RNE, NX};
use crate::op::{CsrOp, FCmpOp, Fmt, Op};

/// Jumps to `slow` unless one of the `mask` bits of the block's FP conditions is set.
fn need_fp(a: &mut Asm, mask: u8, slow: Label) {
    a.rm(false, &[0xf6], 0, RBP, off::FP);
    a.code.push(mask);
    a.jcc(Cond::E, slow);
}

/// `f[rd] = RAX`, marking the FP state dirty as `Hart::set_f_dirty` does.
fn set_f_dirty(a: &mut Asm, rd: u8) {
    a.store(RBX, fr(rd), RAX);
    a.mov_imm64(RDX, crate::csr::mstatus::FS | crate::csr::mstatus::SD);
    a.rm(true, &[0x09], RDX, RBX, h::MSTATUS);
}

pub(super) fn fld(a: &mut Asm, u: &UOp, i: usize, stubs: &mut Vec<Stub>) {
    let (slow, resume) = (a.label(), a.label());
    need_fp(a, FP_ON, slow);
    host_address(a, u, R12, 8, slow);
    a.rm_indexed(true, &[0x8b], RAX, RSI, RCX);
    set_f_dirty(a, u.rd);
    a.bind(resume);
    stubs.push(Stub::Slow(slow, resume, i));
}

pub(super) fn fsd(a: &mut Asm, u: &UOp, i: usize, epilogue: Label, stubs: &mut Vec<Stub>) {
    let (slow, resume) = (a.label(), a.label());
    need_fp(a, FP_ON, slow);
    host_address(a, u, R14, 8, slow);
    a.load(RDX, RBX, fr(u.rs2));
    a.rm_indexed(true, &[0x89], RDX, RSI, RCX);
    after_store(a, i, epilogue);
    a.bind(resume);
    stubs.push(Stub::Slow(slow, resume, i));
}

/// Double-precision + - * / and square root on the host FPU, under the conditions of
/// `fpu::fast`: round to nearest even with NX already set, and a normal, finite result (which
/// also rules out every non-finite operand: they give infinities, NaNs or zeros). Anything
/// else goes to the interpreter. `false` for rounding modes that never qualify.
pub(super) fn farith(a: &mut Asm, u: &UOp, i: usize, stubs: &mut Vec<Stub>) -> bool {
    let mask = match u.imm {
        0 => FP_RNE,
        7 => FP_DYN,
        _ => return false,
    };
    let (slow, resume) = (a.label(), a.label());
    need_fp(a, mask, slow);
    let op = match u.kind {
        Kind::FaddD => 0x58,
        Kind::FsubD => 0x5c,
        Kind::FmulD => 0x59,
        Kind::FdivD => 0x5e,
        _ => 0x51,
    };
    if u.kind == Kind::FsqrtD {
        a.sd(op, 0, RBX, fr(u.rs1));
    } else {
        a.sd(0x10, 0, RBX, fr(u.rs1));
        a.sd(op, 0, RBX, fr(u.rs2));
    }
    a.movq_from_xmm(RAX, 0);
    // |result| in (MIN_POSITIVE, MAX]: twice its bits, less twice MIN_POSITIVE's plus one,
    // below the width of that range, unsigned.
    a.mov(RDX, RAX);
    a.alu_rr(true, Alu::Add, RDX, RDX);
    a.mov_imm64(RCX, (0x0010_0000_0000_0000u64 << 1).wrapping_add(1));
    a.alu_rr(true, Alu::Sub, RDX, RCX);
    a.mov_imm64(
        RCX,
        (0x7ff0_0000_0000_0000u64 << 1) - (0x0010_0000_0000_0000u64 << 1) - 1,
    );
    a.alu_rr(true, Alu::Cmp, RDX, RCX);
    a.jcc(Cond::Ae, slow);
    set_f_dirty(a, u.rd);
    a.bind(resume);
    stubs.push(Stub::Slow(slow, resume, i));
    true
}

pub(super) fn fsgnj(a: &mut Asm, u: &UOp, i: usize, stubs: &mut Vec<Stub>) {
    let (slow, resume) = (a.label(), a.label());
    need_fp(a, FP_ON, slow);
    a.load(RAX, RBX, fr(u.rs1));
    a.load(RDX, RBX, fr(u.rs2));
    if u.kind == Kind::FsgnjnD {
        a.rr(true, &[0xf7], 2, RDX);
    }
    // RDX = the sign bit alone.
    a.shift_imm(true, Shift::Shr, RDX, 63);
    a.shift_imm(true, Shift::Shl, RDX, 63);
    if u.kind == Kind::FsgnjxD {
        a.alu_rr(true, Alu::Xor, RAX, RDX);
    } else {
        a.shift_imm(true, Shift::Shl, RAX, 1);
        a.shift_imm(true, Shift::Shr, RAX, 1);
        a.alu_rr(true, Alu::Or, RAX, RDX);
    }
    set_f_dirty(a, u.rd);
    a.bind(resume);
    stubs.push(Stub::Slow(slow, resume, i));
}

/// FEQ.D, FLT.D, FLE.D of two ordered operands, which raise no flag; a NaN operand goes to
/// the interpreter (FLT and FLE signal invalid for any NaN, FEQ for a signaling one).
/// `false` for single precision.
pub(super) fn fcmp(a: &mut Asm, u: &UOp, i: usize, stubs: &mut Vec<Stub>) -> bool {
    let Op::FCmp {
        op,
        fmt: Fmt::D,
        rd,
        rs1,
        rs2,
    } = u.inst.op
    else {
        return false;
    };
    let (slow, resume) = (a.label(), a.label());
    need_fp(a, FP_ON, slow);
    a.sd(0x10, 0, RBX, fr(rs1));
    a.ucomisd(0, RBX, fr(rs2));
    a.jcc(Cond::P, slow);
    let cc = match op {
        FCmpOp::Eq => Cond::E,
        FCmpOp::Lt => Cond::B,
        FCmpOp::Le => Cond::Be,
    };
    a.set(cc, RAX);
    a.store(RBX, xr(rd), RAX);
    a.bind(resume);
    stubs.push(Stub::Slow(slow, resume, i));
    true
}

/// FRFLAGS (`csrrs rd, fflags, x0`) and FSFLAGS (`csrrw rd, fflags, rs1`), which compiled
/// code wraps around every quiet comparison. A write marks the FP state dirty and recomputes
/// the block's FP conditions, as `exec_one` does after the instructions left to it. `false`
/// for every other CSR instruction.
pub(super) fn fflags(a: &mut Asm, u: &UOp, i: usize, stubs: &mut Vec<Stub>) -> bool {
    let Op::Csr {
        op,
        rd,
        src,
        imm: false,
        csr: 0x001,
    } = u.inst.op
    else {
        return false;
    };
    let write = match (op, src) {
        (CsrOp::Rs, 0) => false,
        (CsrOp::Rw, _) => true,
        _ => return false,
    };
    let (slow, resume) = (a.label(), a.label());
    need_fp(a, FP_ON, slow);
    a.load(RAX, RBX, h::FFLAGS);
    if write {
        a.load(RCX, RBX, xr(src));
        a.alu_ri(false, Alu::And, RCX, 0x1f);
        a.store(RBX, h::FFLAGS, RCX);
        a.mov_imm64(RDX, crate::csr::mstatus::FS | crate::csr::mstatus::SD);
        a.rm(true, &[0x09], RDX, RBX, h::MSTATUS);
    }
    a.store(RBX, xr(rd), RAX);
    if write {
        // fp = FP_ON | NX << 1 (FP_RNE) | (NX and frm = RNE) << 2 (FP_DYN).
        a.cmp_byte(RBX, h::FRM, 0);
        a.set(Cond::E, RAX);
        a.mov(RDX, RCX);
        a.alu_ri(false, Alu::And, RDX, NX);
        a.alu_rr(false, Alu::And, RAX, RDX);
        a.shift_imm(false, Shift::Shl, RDX, FP_RNE.trailing_zeros() as u8);
        a.shift_imm(false, Shift::Shl, RAX, FP_DYN.trailing_zeros() as u8);
        a.alu_rr(false, Alu::Or, RDX, RAX);
        a.alu_ri(false, Alu::Or, RDX, FP_ON as i32);
        a.store8(RBP, off::FP, RDX);
    }
    a.bind(resume);
    stubs.push(Stub::Slow(slow, resume, i));
    true
}
