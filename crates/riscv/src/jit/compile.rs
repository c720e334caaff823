//! Translating one pre-decoded block into x86-64.
//!
//! Every guest register lives in `Hart::x`, and every result is stored there at once, so the
//! interpreter (called back for anything not translated) and the native code see the same
//! state at every instruction boundary. Runs of ALU instructions also keep results in host
//! registers for the instructions after them (see [`Held`]).
//!
//! Registers while it runs (all callee-saved, so they survive calls back into Rust):
//! RBX = the [`crate::Hart`], RBP = the [`JitCtx`], R12/R14 = the load/store TLB tables,
//! R13 = the data context of TLB tags, R15 = the host epoch a TLB entry's frame address must
//! carry to be used.
//!
//! Blocks jump straight into the translation of the block that follows when the interpreter
//! would run that one next (see `chain`).

use super::chain;
use fp::{farith, fcmp, fflags, fld, fsd, fsgnj};

mod fp;
use super::x86::{
    Alu, Asm, Cond, Label, Shift, R10, R11, R12, R13, R14, R15, R8, R9, RAX, RBP, RBX, RCX, RDI, RDX, RSI,
    RSP,
};
use super::{ctx_offset as off, hart_offset as h, tlb_offset, EXIT_END, EXIT_TAKEN};
use crate::block::{Kind, UOp};
use crate::op::{AmoOp, Op, Width};
use crate::FRAME_SIZE;

/// Displacement of guest register `r` from RBX.
fn xr(r: u8) -> i32 {
    h::X + r as i32 * 8
}

/// Displacement of FP register `r` from RBX.
fn fr(r: u8) -> i32 {
    h::F + (r as i32 & 31) * 8
}

/// Out-of-line code, emitted after the block's straight line.
enum Stub {
    /// A taken branch at `idx`: chain to its target or return [`EXIT_TAKEN`].
    Taken(Label, usize),
    /// A load or store at `idx` that missed the TLB's frame addresses: the interpreter does
    /// it, then the block goes on at `resume`.
    Slow(Label, Label, usize),
}

/// The machine code for `ops`, a block at physical address `pa` that the interpreter would
/// run with `Hart::run_block`.
pub(super) fn compile(ops: &[UOp], pa: u64) -> Option<Vec<u8>> {
    let mut a = Asm::new();
    prologue(&mut a);
    // Chained jumps enter after the prologue, which is the same in every translation.
    let entry = a.code.len() as i32;
    let epilogue = a.label();
    let mut stubs = Vec::new();
    let mut held = Held::default();
    for (i, u) in ops.iter().enumerate() {
        match op(
            &mut a,
            u,
            i,
            (entry, epilogue),
            &mut stubs,
            std::mem::take(&mut held),
        ) {
            Native(h) => held = h,
            Interpreted => call_interpreter(&mut a, i, epilogue),
        }
    }
    // Reached only when the last instruction ran natively and continues in sequence.
    if let Some(last) = ops.last() {
        chain::to_offset(
            &mut a,
            pa,
            crate::exec_block::next_off(last) as i64,
            last.idx as i32 + 1,
            entry,
        );
    }
    a.mov_imm32(RAX, EXIT_END as u32);
    a.bind(epilogue);
    a.alu_ri(true, Alu::Add, RSP, 8);
    for r in SAVED.iter().rev() {
        a.pop(*r);
    }
    a.ret();
    for s in stubs {
        match s {
            Stub::Taken(l, i) => {
                a.bind(l);
                let u = &ops[i];
                chain::to_offset(&mut a, pa, u.off as i64 + u.imm as i64, i as i32 + 1, entry);
                a.mov_imm32(RAX, (i as u32) << 2 | EXIT_TAKEN as u32);
                a.jmp(epilogue);
            }
            Stub::Slow(l, resume, i) => {
                a.bind(l);
                call_interpreter(&mut a, i, epilogue);
                a.jmp(resume);
            }
        }
    }
    a.finish()
}

/// Saves registers and loads the fixed ones; chained blocks enter right after it.
fn prologue(a: &mut Asm) {
    for r in SAVED {
        a.push(r);
    }
    // Six pushes and the return address: realign the stack to 16 bytes for calls.
    a.alu_ri(true, Alu::Sub, RSP, 8);
    a.mov(RBP, RDI);
    a.load(RBX, RBP, off::HART);
    a.load(R12, RBP, off::TLB_LOAD);
    a.load(R14, RBP, off::TLB_STORE);
    a.load(R13, RBP, off::CTX);
    reload_epoch(a);
}

const SAVED: [u8; 6] = [RBX, RBP, R12, R13, R14, R15];

pub(super) fn reload_epoch(a: &mut Asm) {
    a.load(RAX, RBP, off::EPOCH);
    a.load(R15, RAX, 0);
}

/// Runs instruction `i` in the interpreter; leaves with its exit code unless it says go on.
/// Afterwards the host epoch is read again: the interpreter may have moved frames.
fn call_interpreter(a: &mut Asm, i: usize, epilogue: Label) {
    a.mov(RDI, RBP);
    a.mov_imm32(RSI, i as u32);
    a.call_mem(RBP, off::EXEC);
    a.test(RAX);
    a.jcc(Cond::Ne, epilogue);
    reload_epoch(a);
}

/// How an instruction was translated.
enum Translated {
    /// Natively; afterwards these guest registers are held in host registers (see [`Held`]).
    Native(Held),
    /// Left to the interpreter.
    Interpreted,
}
use Translated::{Interpreted, Native};

/// Host registers no integer ALU emitter below uses for anything else.
const HOLD: [u8; 7] = [RDX, RSI, RDI, R8, R9, R10, R11];

/// Guest registers whose values are also in host registers, so that a run of ALU instructions
/// reads its operands from registers. Every result is still stored to `Hart::x` at once (the
/// interpreter, the call-backs and every exit read it there): reading it back from memory
/// right away made each dependent instruction wait on the store before it (`extravirt bench`'s
/// cpu-loop ran a quarter slower). Only the ALU emitters and branches keep anything held; every other
/// instruction (they clobber these registers, or call Rust, or end at a label a slow path
/// jumps back to) starts the next one with nothing held.
#[derive(Clone, Copy, Default)]
struct Held {
    /// The guest register each of [`HOLD`] holds.
    regs: [Option<u8>; HOLD.len()],
    /// The next one to reuse.
    next: usize,
    /// The guest register RAX holds too: an instruction whose first operand is the result of
    /// the one before finds it there, without a `mov` back from the held register.
    rax: Option<u8>,
}

impl Held {
    fn find(&self, r: u8) -> Option<u8> {
        self.regs.iter().position(|&g| g == Some(r)).map(|i| HOLD[i])
    }

    /// Guest register `r` changed in memory only.
    fn forget(&mut self, r: u8) {
        for g in &mut self.regs {
            if *g == Some(r) {
                *g = None;
            }
        }
        if self.rax == Some(r) {
            self.rax = None;
        }
    }

    /// The host register to hold `r` from now on: the one holding it already, or the oldest.
    fn assign(&mut self, r: u8) -> u8 {
        if let Some(i) = self.regs.iter().position(|&g| g == Some(r)) {
            return HOLD[i];
        }
        let i = self.next;
        self.next = (i + 1) % HOLD.len();
        self.regs[i] = Some(r);
        HOLD[i]
    }
}

/// RAX = guest register `r`. Every emitter that then changes RAX ends with [`store_rax`],
/// which says what RAX holds from then on.
fn load_rax(a: &mut Asm, held: &mut Held, r: u8) {
    if held.rax == Some(r) {
        return;
    }
    match held.find(r) {
        Some(h) => a.mov(RAX, h),
        None => a.load(RAX, RBX, xr(r)),
    }
    held.rax = Some(r);
}

/// Emits `RAX op= r` with the register form `rr` or the memory form `rm`.
fn with_reg(a: &mut Asm, held: &Held, r: u8, rr: impl FnOnce(&mut Asm, u8), rm: impl FnOnce(&mut Asm, i32)) {
    match held.find(r) {
        Some(h) => rr(a, h),
        None => rm(a, xr(r)),
    }
}

/// `RAX op= r` (or `cmp RAX, r`) for group-1 arithmetic, 64- or 32-bit.
fn alu_reg(a: &mut Asm, held: &Held, w: bool, op: Alu, r: u8) {
    with_reg(
        a,
        held,
        r,
        |a, h| a.alu_rr(w, op, RAX, h),
        |a, d| a.alu_rm(w, op, RAX, RBX, d),
    );
}

/// Stores RAX to `rd` and holds it (x0 reads as zero whatever was written to it, and the
/// discard register is never read).
fn store_rax(a: &mut Asm, held: &mut Held, rd: u8) {
    a.store(RBX, xr(rd), RAX);
    held.rax = None;
    if (1..32).contains(&rd) {
        let h = held.assign(rd);
        a.mov(h, RAX);
        held.rax = Some(rd);
    }
}

/// `rd = f(rs1)` through RAX.
fn unary(a: &mut Asm, u: &UOp, held: &mut Held, f: impl FnOnce(&mut Asm)) {
    load_rax(a, held, u.rs1);
    f(a);
    store_rax(a, held, u.rd);
}

/// `rd = rs1 op rs2`, 64- or 32-bit (the latter sign-extended as the W instructions do).
fn binary(a: &mut Asm, u: &UOp, held: &mut Held, w: bool, op: Alu) {
    load_rax(a, held, u.rs1);
    alu_reg(a, held, w, op, u.rs2);
    if !w {
        a.sext32(RAX, RAX);
    }
    store_rax(a, held, u.rd);
}

fn mul(a: &mut Asm, u: &UOp, held: &mut Held) {
    const IMUL: [u8; 2] = [0x0f, 0xaf];
    load_rax(a, held, u.rs1);
    with_reg(
        a,
        held,
        u.rs2,
        |a, h| a.rr(true, &IMUL, RAX, h),
        |a, d| a.rm(true, &IMUL, RAX, RBX, d),
    );
    store_rax(a, held, u.rd);
}

/// `rd = rs1 op imm`, 64- or 32-bit.
fn with_imm(a: &mut Asm, u: &UOp, held: &mut Held, w: bool, op: Alu) {
    unary(a, u, held, |a| {
        a.alu_ri(w, op, RAX, u.imm);
        if !w {
            a.sext32(RAX, RAX);
        }
    });
}

fn shift_imm(a: &mut Asm, u: &UOp, held: &mut Held, w: bool, op: Shift) {
    let n = u.imm as u8 & if w { 63 } else { 31 };
    unary(a, u, held, |a| {
        a.shift_imm(w, op, RAX, n);
        if !w {
            a.sext32(RAX, RAX);
        }
    });
}

fn shift_reg(a: &mut Asm, u: &UOp, held: &mut Held, op: Shift) {
    load_rax(a, held, u.rs1);
    with_reg(a, held, u.rs2, |a, h| a.mov(RCX, h), |a, d| a.load(RCX, RBX, d));
    a.shift_cl(true, op, RAX);
    store_rax(a, held, u.rd);
}

/// `rd = (rs1 <cc> rs2 or imm) as 0/1`.
fn set_if(a: &mut Asm, u: &UOp, held: &mut Held, cc: Cond, imm: bool) {
    load_rax(a, held, u.rs1);
    if imm {
        a.alu_ri(true, Alu::Cmp, RAX, u.imm);
    } else {
        alu_reg(a, held, true, Alu::Cmp, u.rs2);
    }
    a.set(cc, RCX);
    a.store(RBX, xr(u.rd), RCX);
    held.forget(u.rd);
}

/// `rd = pc-page + off`, for AUIPC and the link of an inlined JAL.
fn page_plus(a: &mut Asm, u: &UOp, off: i64) {
    a.load(RAX, RBP, off::PAGE);
    match i32::try_from(off) {
        Ok(v) => a.alu_ri(true, Alu::Add, RAX, v),
        Err(_) => {
            a.mov_imm64(RCX, off as u64);
            a.alu_rr(true, Alu::Add, RAX, RCX);
        }
    }
    a.store(RBX, xr(u.rd), RAX);
}

/// Translates `rs1 + imm` through the TLB's cached frame addresses, as `Hart::host_load` and
/// `host_store` do: afterwards RSI is the host frame, RCX the offset in it and RDI the TLB
/// entry. Misses and page crossings go to `slow`.
fn host_address(a: &mut Asm, u: &UOp, table: u8, size: i32, slow: Label) {
    a.load(RAX, RBX, xr(u.rs1));
    if u.imm != 0 {
        a.alu_ri(true, Alu::Add, RAX, u.imm);
    }
    a.rr(false, &[0x89], RAX, RCX);
    a.alu_ri(false, Alu::And, RCX, FRAME_SIZE as i32 - 1);
    if size > 1 {
        a.alu_ri(false, Alu::Cmp, RCX, FRAME_SIZE as i32 - size);
        a.jcc(Cond::A, slow);
    }
    a.mov(RDX, RAX);
    a.shift_imm(true, Shift::Shr, RDX, 12);
    // The table index: the low bits of the page number.
    a.rr(false, &[0x89], RDX, RSI);
    a.alu_ri(false, Alu::And, RSI, tlb_offset::ENTRIES - 1);
    a.shift_imm(true, Shift::Shl, RDX, 4);
    a.alu_rr(true, Alu::Or, RDX, R13);
    a.lea_indexed(RSI, RSI, RSI, 4);
    a.lea_indexed(RDI, table, RSI, 8);
    a.alu_rm(true, Alu::Cmp, RDX, RDI, tlb_offset::TAG);
    a.jcc(Cond::Ne, slow);
    a.alu_rm(true, Alu::Cmp, R15, RDI, tlb_offset::HOST_EPOCH);
    a.jcc(Cond::Ne, slow);
    a.load(RSI, RDI, tlb_offset::HOST);
}

fn load(a: &mut Asm, u: &UOp, i: usize, stubs: &mut Vec<Stub>) {
    let (w, op, size): (bool, &[u8], i32) = match u.kind {
        Kind::Lb => (true, &[0x0f, 0xbe], 1),
        Kind::Lh => (true, &[0x0f, 0xbf], 2),
        Kind::Lw => (true, &[0x63], 4),
        Kind::Ld => (true, &[0x8b], 8),
        Kind::Lbu => (false, &[0x0f, 0xb6], 1),
        Kind::Lhu => (false, &[0x0f, 0xb7], 2),
        _ => (false, &[0x8b], 4),
    };
    let (slow, resume) = (a.label(), a.label());
    host_address(a, u, R12, size, slow);
    a.rm_indexed(w, op, RAX, RSI, RCX);
    a.store(RBX, xr(u.rd), RAX);
    a.bind(resume);
    stubs.push(Stub::Slow(slow, resume, i));
}

/// A store, then the bookkeeping `Hart::after_ram_store` does (in Rust), which may end the
/// block.
fn store(a: &mut Asm, u: &UOp, i: usize, epilogue: Label, stubs: &mut Vec<Stub>) {
    let size = u.store_size() as i32;
    let (slow, resume) = (a.label(), a.label());
    host_address(a, u, R14, size, slow);
    a.load(RDX, RBX, xr(u.rs2));
    match size {
        1 => a.rm_indexed(false, &[0x88], RDX, RSI, RCX),
        2 => {
            a.o16();
            a.rm_indexed(false, &[0x89], RDX, RSI, RCX);
        }
        4 => a.rm_indexed(false, &[0x89], RDX, RSI, RCX),
        _ => a.rm_indexed(true, &[0x89], RDX, RSI, RCX),
    }
    after_store(a, i, epilogue);
    a.bind(resume);
    stubs.push(Stub::Slow(slow, resume, i));
}

/// After a native store through the TLB entry in RDI at frame offset RCX: the interpreter's
/// bookkeeping (`stored`), which may end the block, is called only when it has something to
/// do: a reservation is held, or the store hits a page the code watch holds in this epoch
/// (`CodeWatch::stored`). The running block's own page is always one of those: it was checked
/// in this epoch, and evicting a watched page ends the epoch.
fn after_store(a: &mut Asm, i: usize, epilogue: Label) {
    let (call, done) = (a.label(), a.label());
    // The physical address: the entry's page number and the offset.
    a.load(RDX, RDI, tlb_offset::PPN);
    a.shift_imm(true, Shift::Shl, RDX, 12);
    a.alu_rr(true, Alu::Or, RDX, RCX);
    a.cmp_byte(RBP, off::RESERVED, 0);
    a.jcc(Cond::Ne, call);
    a.mov(RAX, RDX);
    a.shift_imm(true, Shift::Shr, RAX, 12);
    a.rr(false, &[0x89], RAX, RCX);
    a.alu_ri(false, Alu::And, RCX, crate::block::WATCH_SLOTS as i32 - 1);
    a.shift_imm(true, Shift::Shl, RCX, 4);
    a.alu_rm(true, Alu::Add, RCX, RBP, off::WATCH);
    a.alu_rm(true, Alu::Cmp, RAX, RCX, crate::block::watch_offset::PAGE);
    a.jcc(Cond::Ne, done);
    a.load(RAX, RBX, h::CODE_EPOCH);
    a.alu_rm(true, Alu::Cmp, RAX, RCX, crate::block::watch_offset::EPOCH);
    a.jcc(Cond::Ne, done);
    a.bind(call);
    a.mov(RDI, RBP);
    a.mov_imm32(RSI, i as u32);
    a.call_mem(RBP, off::STORED);
    a.test(RAX);
    a.jcc(Cond::Ne, epilogue);
    a.bind(done);
}

/// An atomic read-modify-write through the store TLB, as `execute` does it (translated for a
/// store); misaligned addresses go to the interpreter, which raises the trap.
fn amo(a: &mut Asm, u: &UOp, i: usize, epilogue: Label, stubs: &mut Vec<Stub>) {
    let Op::Amo { op, width, .. } = u.inst.op else {
        unreachable!("Kind::Amo is only made from Op::Amo")
    };
    let (w, size) = if width == Width::D { (true, 8) } else { (false, 4) };
    let (slow, resume) = (a.label(), a.label());
    a.load(RAX, RBX, xr(u.rs1));
    a.test_al(size as u8 - 1);
    a.jcc(Cond::Ne, slow);
    host_address(a, u, R14, size, slow);
    a.load(RDX, RBX, xr(u.rs2));
    a.rm_indexed(w, &[0x8b], RAX, RSI, RCX);
    match op {
        AmoOp::Add => a.alu_rr(w, Alu::Add, RDX, RAX),
        AmoOp::Xor => a.alu_rr(w, Alu::Xor, RDX, RAX),
        AmoOp::And => a.alu_rr(w, Alu::And, RDX, RAX),
        AmoOp::Or => a.alu_rr(w, Alu::Or, RDX, RAX),
        _ => {}
    }
    a.rm_indexed(w, &[0x89], RDX, RSI, RCX);
    if !w {
        a.sext32(RAX, RAX);
    }
    a.store(RBX, xr(u.rd), RAX);
    after_store(a, i, epilogue);
    a.bind(resume);
    stubs.push(Stub::Slow(slow, resume, i));
}

/// A conditional branch; it changes no register, so the fall-through keeps what is held.
fn branch(a: &mut Asm, u: &UOp, i: usize, held: &mut Held, cc: Cond, stubs: &mut Vec<Stub>) {
    let taken = a.label();
    load_rax(a, held, u.rs1);
    alu_reg(a, held, true, Alu::Cmp, u.rs2);
    a.jcc(cc, taken);
    stubs.push(Stub::Taken(taken, i));
}

/// Emits instruction `i`, natively unless it is left to the interpreter. `entry` and
/// `epilogue` are where chained blocks enter and where every exit leaves; `held` is what the
/// instruction before left in host registers.
fn op(
    a: &mut Asm,
    u: &UOp,
    i: usize,
    (entry, epilogue): (i32, Label),
    stubs: &mut Vec<Stub>,
    mut held: Held,
) -> Translated {
    use Kind as K;
    let h = &mut held;
    match u.kind {
        K::Lui => {
            a.store_imm(RBX, xr(u.rd), u.imm);
            h.forget(u.rd);
        }
        K::Addi => with_imm(a, u, h, true, Alu::Add),
        K::Xori => with_imm(a, u, h, true, Alu::Xor),
        K::Ori => with_imm(a, u, h, true, Alu::Or),
        K::Andi => with_imm(a, u, h, true, Alu::And),
        K::Addiw => with_imm(a, u, h, false, Alu::Add),
        K::Slti => set_if(a, u, h, Cond::L, true),
        K::Sltiu => set_if(a, u, h, Cond::B, true),
        K::Slt => set_if(a, u, h, Cond::L, false),
        K::Sltu => set_if(a, u, h, Cond::B, false),
        K::Slli => shift_imm(a, u, h, true, Shift::Shl),
        K::Srli => shift_imm(a, u, h, true, Shift::Shr),
        K::Srai => shift_imm(a, u, h, true, Shift::Sar),
        K::Slliw => shift_imm(a, u, h, false, Shift::Shl),
        K::Srliw => shift_imm(a, u, h, false, Shift::Shr),
        K::Sraiw => shift_imm(a, u, h, false, Shift::Sar),
        K::Sll => shift_reg(a, u, h, Shift::Shl),
        K::Srl => shift_reg(a, u, h, Shift::Shr),
        K::Sra => shift_reg(a, u, h, Shift::Sar),
        K::Add => binary(a, u, h, true, Alu::Add),
        K::Sub => binary(a, u, h, true, Alu::Sub),
        K::Xor => binary(a, u, h, true, Alu::Xor),
        K::Or => binary(a, u, h, true, Alu::Or),
        K::And => binary(a, u, h, true, Alu::And),
        K::Addw => binary(a, u, h, false, Alu::Add),
        K::Subw => binary(a, u, h, false, Alu::Sub),
        K::Mul => mul(a, u, h),
        K::Beq => branch(a, u, i, h, Cond::E, stubs),
        K::Bne => branch(a, u, i, h, Cond::Ne, stubs),
        K::Blt => branch(a, u, i, h, Cond::L, stubs),
        K::Bge => branch(a, u, i, h, Cond::Ge, stubs),
        K::Bltu => branch(a, u, i, h, Cond::B, stubs),
        K::Bgeu => branch(a, u, i, h, Cond::Ae, stubs),
        _ => {
            return if other(a, u, i, (entry, epilogue), stubs) {
                Native(Held::default())
            } else {
                Interpreted
            };
        }
    }
    Native(held)
}

/// The instructions after which nothing is held; `false` if left to the interpreter.
fn other(a: &mut Asm, u: &UOp, i: usize, (entry, epilogue): (i32, Label), stubs: &mut Vec<Stub>) -> bool {
    use Kind as K;
    match u.kind {
        K::Jal | K::Jalr => jump(a, u, entry, epilogue),
        K::Auipc => page_plus(a, u, u.off as i64 + u.imm as i64),
        K::JalInline => page_plus(a, u, u.off as i64 + u.inst.len as i64),
        K::Lb | K::Lh | K::Lw | K::Ld | K::Lbu | K::Lhu | K::Lwu => load(a, u, i, stubs),
        K::Fld => fld(a, u, i, stubs),
        K::Fsd => fsd(a, u, i, epilogue, stubs),
        K::FaddD | K::FsubD | K::FmulD | K::FdivD | K::FsqrtD => return farith(a, u, i, stubs),
        K::FsgnjD | K::FsgnjnD | K::FsgnjxD => fsgnj(a, u, i, stubs),
        K::Sb | K::Sh | K::Sw | K::Sd => store(a, u, i, epilogue, stubs),
        K::Amo => amo(a, u, i, epilogue, stubs),
        K::Other => return fcmp(a, u, i, stubs) || fflags(a, u, i, stubs),
        _ => return false,
    }
    true
}

/// JAL to another page, or JALR: the link, `pc` and `icount` set as the interpreter sets them,
/// then on to the target's translation, or out.
fn jump(a: &mut Asm, u: &UOp, entry: i32, epilogue: Label) {
    // The target first: rd may be rs1.
    if u.kind == Kind::Jalr {
        a.load(R9, RBX, xr(u.rs1));
        if u.imm != 0 {
            a.alu_ri(true, Alu::Add, R9, u.imm);
        }
        a.alu_ri(true, Alu::And, R9, -2);
    } else {
        chain::page_plus_to_r9(a, u.off as i64 + u.imm as i64);
    }
    page_plus(a, u, u.off as i64 + u.inst.len as i64);
    a.store(RBX, h::PC, R9);
    a.load(RAX, RBP, off::ICOUNT);
    a.alu_ri(true, Alu::Add, RAX, u.idx as i32 + 1);
    a.store(RBX, h::ICOUNT, RAX);
    chain::to_register(a, u.idx as i32 + 1, entry);
    a.mov_imm32(RAX, super::EXIT_SET as u32);
    a.jmp(epilogue);
}
