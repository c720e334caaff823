//! A tiny x86-64 assembler: exactly the instruction forms the block compiler emits, with
//! forward labels. Register numbers are the hardware encodings (RAX = 0 … R15 = 15).

pub const RAX: u8 = 0;
pub const RCX: u8 = 1;
pub const RDX: u8 = 2;
pub const RBX: u8 = 3;
pub const RSP: u8 = 4;
pub const RBP: u8 = 5;
pub const RSI: u8 = 6;
pub const RDI: u8 = 7;
pub const R8: u8 = 8;
pub const R9: u8 = 9;
pub const R10: u8 = 10;
pub const R11: u8 = 11;
pub const R12: u8 = 12;
pub const R13: u8 = 13;
pub const R14: u8 = 14;
pub const R15: u8 = 15;

/// Condition codes (the low nibble of `Jcc`/`SETcc`).
#[derive(Clone, Copy)]
pub enum Cond {
    B = 0x2,
    Ae = 0x3,
    E = 0x4,
    Ne = 0x5,
    Be = 0x6,
    A = 0x7,
    P = 0xa,
    L = 0xc,
    Ge = 0xd,
}

/// Group-1 arithmetic, by its `/digit` (also the opcode's middle bits for the `r, r/m` form).
#[derive(Clone, Copy)]
pub enum Alu {
    Add = 0,
    Or = 1,
    And = 4,
    Sub = 5,
    Xor = 6,
    Cmp = 7,
}

/// Group-2 shifts, by their `/digit`.
#[derive(Clone, Copy)]
pub enum Shift {
    Shl = 4,
    Shr = 5,
    Sar = 7,
}

#[derive(Clone, Copy)]
pub struct Label(usize);

#[derive(Default)]
pub struct Asm {
    pub code: Vec<u8>,
    labels: Vec<Option<usize>>,
    /// Positions of rel32 fields and the label each must reach.
    fixups: Vec<(usize, Label)>,
}

impl Asm {
    /// An empty buffer with room for a typical block.
    pub fn new() -> Asm {
        Asm {
            code: Vec::with_capacity(4096),
            ..Asm::default()
        }
    }

    fn b(&mut self, v: u8) {
        self.code.push(v);
    }

    fn d32(&mut self, v: i32) {
        self.code.extend_from_slice(&v.to_le_bytes());
    }

    /// A REX prefix if one is needed: 64-bit operand size or an extended register.
    fn rex(&mut self, w: bool, reg: u8, index: u8, base: u8) {
        let v = 0x40 | (w as u8) << 3 | (reg >> 3 & 1) << 2 | (index >> 3 & 1) << 1 | (base >> 3 & 1);
        if v != 0x40 {
            self.b(v);
        }
    }

    /// ModRM (and SIB, displacement) for `[base + disp]`.
    fn mem(&mut self, reg: u8, base: u8, disp: i32) {
        let md = if disp == 0 && base & 7 != RBP {
            0
        } else if i8::try_from(disp).is_ok() {
            1
        } else {
            2
        };
        self.b(md << 6 | (reg & 7) << 3 | (base & 7));
        if base & 7 == RSP {
            self.b(0x24);
        }
        match md {
            1 => self.b(disp as i8 as u8),
            2 => self.d32(disp),
            _ => {}
        }
    }

    /// `op reg, [base + disp]` (or the reverse direction, as `op` says).
    pub fn rm(&mut self, w: bool, op: &[u8], reg: u8, base: u8, disp: i32) {
        self.rex(w, reg, 0, base);
        self.code.extend_from_slice(op);
        self.mem(reg, base, disp);
    }

    /// `op reg, [base + index]`; `base` must not be RBP or R13 (no displacement is emitted).
    pub fn rm_indexed(&mut self, w: bool, op: &[u8], reg: u8, base: u8, index: u8) {
        debug_assert!(base & 7 != RBP);
        self.rex(w, reg, index, base);
        self.code.extend_from_slice(op);
        self.b((reg & 7) << 3 | RSP);
        self.b((index & 7) << 3 | (base & 7));
    }

    /// `op reg, rm` between registers.
    pub fn rr(&mut self, w: bool, op: &[u8], reg: u8, rm: u8) {
        self.rex(w, reg, 0, rm);
        self.code.extend_from_slice(op);
        self.b(0xc0 | (reg & 7) << 3 | (rm & 7));
    }

    pub fn load(&mut self, dst: u8, base: u8, disp: i32) {
        self.rm(true, &[0x8b], dst, base, disp);
    }

    pub fn store(&mut self, base: u8, disp: i32, src: u8) {
        self.rm(true, &[0x89], src, base, disp);
    }

    pub fn mov(&mut self, dst: u8, src: u8) {
        self.rr(true, &[0x89], src, dst);
    }

    /// `mov qword [base + disp], imm` (sign-extended).
    pub fn store_imm(&mut self, base: u8, disp: i32, imm: i32) {
        self.rm(true, &[0xc7], 0, base, disp);
        self.d32(imm);
    }

    /// `mov r32, imm` (zero-extended to 64 bits).
    pub fn mov_imm32(&mut self, dst: u8, imm: u32) {
        self.rex(false, 0, 0, dst);
        self.b(0xb8 | (dst & 7));
        self.d32(imm as i32);
    }

    /// `test reg, reg` (64-bit).
    pub fn test(&mut self, reg: u8) {
        self.rr(true, &[0x85], reg, reg);
    }

    /// `test al, imm`.
    pub fn test_al(&mut self, imm: u8) {
        self.b(0xa8);
        self.b(imm);
    }

    /// The operand-size prefix: the next instruction works on 16 bits.
    pub fn o16(&mut self) {
        self.b(0x66);
    }

    pub fn mov_imm64(&mut self, dst: u8, imm: u64) {
        self.rex(true, 0, 0, dst);
        self.b(0xb8 | (dst & 7));
        self.code.extend_from_slice(&imm.to_le_bytes());
    }

    /// `op reg, [base + disp]` for group-1 arithmetic, 64- or 32-bit.
    pub fn alu_rm(&mut self, w: bool, op: Alu, reg: u8, base: u8, disp: i32) {
        self.rm(w, &[(op as u8) << 3 | 3], reg, base, disp);
    }

    /// `op reg, imm` (sign-extended), 64- or 32-bit.
    pub fn alu_ri(&mut self, w: bool, op: Alu, reg: u8, imm: i32) {
        self.rex(w, 0, 0, reg);
        if let Ok(i) = i8::try_from(imm) {
            self.b(0x83);
            self.b(0xc0 | (op as u8) << 3 | (reg & 7));
            self.b(i as u8);
        } else {
            self.b(0x81);
            self.b(0xc0 | (op as u8) << 3 | (reg & 7));
            self.d32(imm);
        }
    }

    /// `op reg, src` between registers for group-1 arithmetic.
    pub fn alu_rr(&mut self, w: bool, op: Alu, reg: u8, src: u8) {
        self.rr(w, &[(op as u8) << 3 | 3], reg, src);
    }

    pub fn shift_imm(&mut self, w: bool, op: Shift, reg: u8, n: u8) {
        self.rr(w, &[0xc1], op as u8, reg);
        self.b(n);
    }

    pub fn shift_cl(&mut self, w: bool, op: Shift, reg: u8) {
        self.rr(w, &[0xd3], op as u8, reg);
    }

    /// `movsxd dst, src32`.
    pub fn sext32(&mut self, dst: u8, src: u8) {
        self.rr(true, &[0x63], dst, src);
    }

    /// `setcc reg8` then `movzx reg32, reg8`: `reg` becomes 0 or 1. Only RAX..RBX.
    pub fn set(&mut self, cc: Cond, reg: u8) {
        debug_assert!(reg < RSP);
        self.code.extend_from_slice(&[0x0f, 0x90 | cc as u8]);
        self.b(0xc0 | reg);
        self.rr(false, &[0x0f, 0xb6], reg, reg);
    }

    /// `lea dst, [base + index * scale]`, scale 1, 2, 4 or 8.
    pub fn lea_indexed(&mut self, dst: u8, base: u8, index: u8, scale: u8) {
        debug_assert!(base & 7 != RBP);
        self.rex(true, dst, index, base);
        self.b(0x8d);
        self.b((dst & 7) << 3 | RSP);
        self.b((scale.trailing_zeros() as u8) << 6 | (index & 7) << 3 | (base & 7));
    }

    /// `cmp byte [base + disp], imm`.
    pub fn cmp_byte(&mut self, base: u8, disp: i32, imm: u8) {
        self.rm(false, &[0x80], 7, base, disp);
        self.b(imm);
    }

    /// `cmp word [base + disp], imm` (sign-extended from 8 bits).
    pub fn cmp_word(&mut self, base: u8, disp: i32, imm: i8) {
        self.o16();
        self.rm(false, &[0x83], 7, base, disp);
        self.b(imm as u8);
    }

    /// `imul dst, src, imm` (64-bit).
    pub fn imul_imm(&mut self, dst: u8, src: u8, imm: i32) {
        self.rr(true, &[0x69], dst, src);
        self.d32(imm);
    }

    /// `jmp reg`.
    pub fn jmp_reg(&mut self, reg: u8) {
        self.rr(false, &[0xff], 4, reg);
    }

    /// A scalar-double SSE instruction `op xmm, [base + disp]` (`0F op` after an `F2`
    /// prefix: MOVSD 10, SQRTSD 51, ADDSD 58, MULSD 59, SUBSD 5C, DIVSD 5E).
    pub fn sd(&mut self, op: u8, xmm: u8, base: u8, disp: i32) {
        self.b(0xf2);
        self.rm(false, &[0x0f, op], xmm, base, disp);
    }

    /// `ucomisd xmm, [base + disp]`: ZF, PF, CF = unordered 111, less 001, equal 100.
    pub fn ucomisd(&mut self, xmm: u8, base: u8, disp: i32) {
        self.b(0x66);
        self.rm(false, &[0x0f, 0x2e], xmm, base, disp);
    }

    /// `mov byte [base + disp], reg8`, for RAX..RBX (whose low bytes need no REX prefix).
    pub fn store8(&mut self, base: u8, disp: i32, src: u8) {
        debug_assert!(src < RSP);
        self.rm(false, &[0x88], src, base, disp);
    }

    /// `movq dst, xmm`.
    pub fn movq_from_xmm(&mut self, dst: u8, xmm: u8) {
        self.b(0x66);
        self.rr(true, &[0x0f, 0x7e], xmm, dst);
    }

    pub fn push(&mut self, reg: u8) {
        self.rex(false, 0, 0, reg);
        self.b(0x50 | (reg & 7));
    }

    pub fn pop(&mut self, reg: u8) {
        self.rex(false, 0, 0, reg);
        self.b(0x58 | (reg & 7));
    }

    /// `call qword [base + disp]`.
    pub fn call_mem(&mut self, base: u8, disp: i32) {
        self.rm(false, &[0xff], 2, base, disp);
    }

    pub fn ret(&mut self) {
        self.b(0xc3);
    }

    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    pub fn bind(&mut self, l: Label) {
        self.labels[l.0] = Some(self.code.len());
    }

    pub fn jcc(&mut self, cc: Cond, l: Label) {
        self.code.extend_from_slice(&[0x0f, 0x80 | cc as u8]);
        self.fixups.push((self.code.len(), l));
        self.d32(0);
    }

    pub fn jmp(&mut self, l: Label) {
        self.b(0xe9);
        self.fixups.push((self.code.len(), l));
        self.d32(0);
    }

    /// The finished code with every jump resolved; `None` if a label was never bound.
    pub fn finish(mut self) -> Option<Vec<u8>> {
        for &(at, l) in &self.fixups {
            let target = self.labels[l.0]?;
            let rel = target as i64 - (at as i64 + 4);
            self.code[at..at + 4].copy_from_slice(&(rel as i32).to_le_bytes());
        }
        Some(self.code)
    }
}
