//! Instruction decoding: 32-bit RV64IMAFD + Zicsr/Zifencei + privileged, and RVC expansion.
//!
//! Decoding is a pure function of the instruction bits, which is what lets the interpreter cache
//! decoded instructions by their bits alone with no invalidation.

use crate::op::*;

/// Decodes a 32-bit instruction (the two low bits are `11`).
pub fn decode32(raw: u32) -> Inst {
    Inst {
        op: op32(raw),
        len: 4,
        raw,
    }
}

/// Decodes a 16-bit compressed instruction (the two low bits are not `11`).
pub fn decode16(raw: u16) -> Inst {
    Inst {
        op: op16(raw),
        len: 2,
        raw: raw as u32,
    }
}

fn bits(raw: u32, hi: u32, lo: u32) -> u32 {
    (raw >> lo) & ((1u32 << (hi - lo + 1)) - 1)
}

fn rd_int(r: u32) -> u8 {
    if r == 0 {
        DISCARD
    } else {
        r as u8
    }
}

fn imm_i(raw: u32) -> i32 {
    (raw as i32) >> 20
}

fn imm_s(raw: u32) -> i32 {
    (((raw & 0xfe00_0000) as i32) >> 20) | bits(raw, 11, 7) as i32
}

fn imm_b(raw: u32) -> i32 {
    (((raw & 0x8000_0000) as i32) >> 19)
        | ((bits(raw, 7, 7) << 11) | (bits(raw, 30, 25) << 5) | (bits(raw, 11, 8) << 1)) as i32
}

fn imm_j(raw: u32) -> i32 {
    (((raw & 0x8000_0000) as i32) >> 11)
        | ((bits(raw, 19, 12) << 12) | (bits(raw, 20, 20) << 11) | (bits(raw, 30, 21) << 1)) as i32
}

fn fmt_of(f: u32) -> Option<Fmt> {
    match f {
        0 => Some(Fmt::S),
        1 => Some(Fmt::D),
        _ => None,
    }
}

fn op32(raw: u32) -> Op {
    let rd = bits(raw, 11, 7);
    let rs1 = bits(raw, 19, 15) as u8;
    let rs2 = bits(raw, 24, 20) as u8;
    let f3 = bits(raw, 14, 12);
    let f7 = bits(raw, 31, 25);
    let ird = rd_int(rd);
    match raw & 0x7f {
        0x37 => Op::Lui {
            rd: ird,
            imm: (raw & 0xffff_f000) as i32,
        },
        0x17 => Op::Auipc {
            rd: ird,
            imm: (raw & 0xffff_f000) as i32,
        },
        0x6f => Op::Jal {
            rd: ird,
            imm: imm_j(raw),
        },
        0x67 if f3 == 0 => Op::Jalr {
            rd: ird,
            rs1,
            imm: imm_i(raw),
        },
        0x63 => {
            let cond = match f3 {
                0 => BranchCond::Eq,
                1 => BranchCond::Ne,
                4 => BranchCond::Lt,
                5 => BranchCond::Ge,
                6 => BranchCond::Ltu,
                7 => BranchCond::Geu,
                _ => return Op::Illegal,
            };
            Op::Branch {
                cond,
                rs1,
                rs2,
                imm: imm_b(raw),
            }
        }
        0x03 => {
            let kind = match f3 {
                0 => LoadKind::B,
                1 => LoadKind::H,
                2 => LoadKind::W,
                3 => LoadKind::D,
                4 => LoadKind::Bu,
                5 => LoadKind::Hu,
                6 => LoadKind::Wu,
                _ => return Op::Illegal,
            };
            Op::Load {
                kind,
                rd: ird,
                rs1,
                imm: imm_i(raw),
            }
        }
        0x23 => {
            let width = match f3 {
                0 => Width::B,
                1 => Width::H,
                2 => Width::W,
                3 => Width::D,
                _ => return Op::Illegal,
            };
            Op::Store {
                width,
                rs1,
                rs2,
                imm: imm_s(raw),
            }
        }
        0x13 => op_imm(raw, ird, rs1, f3),
        0x1b => op_imm_w(raw, ird, rs1, f3),
        0x33 => op_reg(ird, rs1, rs2, f3, f7),
        0x3b => op_reg_w(ird, rs1, rs2, f3, f7),
        0x0f => match f3 {
            0 => Op::Fence,
            1 => Op::FenceI,
            _ => Op::Illegal,
        },
        0x73 => op_system(raw, ird, rs1, rs2, f3, f7),
        0x2f => op_amo(raw, ird, rs1, rs2, f3),
        0x07 => match f3 {
            2 => Op::FLoad {
                fmt: Fmt::S,
                rd: rd as u8,
                rs1,
                imm: imm_i(raw),
            },
            3 => Op::FLoad {
                fmt: Fmt::D,
                rd: rd as u8,
                rs1,
                imm: imm_i(raw),
            },
            _ => Op::Illegal,
        },
        0x27 => match f3 {
            2 => Op::FStore {
                fmt: Fmt::S,
                rs1,
                rs2,
                imm: imm_s(raw),
            },
            3 => Op::FStore {
                fmt: Fmt::D,
                rs1,
                rs2,
                imm: imm_s(raw),
            },
            _ => Op::Illegal,
        },
        0x43 | 0x47 | 0x4b | 0x4f => {
            let Some(fmt) = fmt_of(bits(raw, 26, 25)) else {
                return Op::Illegal;
            };
            let op = match raw & 0x7f {
                0x43 => FmaOp::Madd,
                0x47 => FmaOp::Msub,
                0x4b => FmaOp::Nmsub,
                _ => FmaOp::Nmadd,
            };
            let rs3 = bits(raw, 31, 27) as u8;
            Op::FMadd {
                op,
                fmt,
                rd: rd as u8,
                rs1,
                rs2,
                rs3,
                rm: f3 as u8,
            }
        }
        0x53 => op_fp(rd, rs1, rs2, f3, f7),
        _ => Op::Illegal,
    }
}

fn op_imm(raw: u32, rd: u8, rs1: u8, f3: u32) -> Op {
    let imm = imm_i(raw);
    let shamt = bits(raw, 25, 20) as i32;
    let f6 = bits(raw, 31, 26);
    let (op, imm) = match f3 {
        0 => (AluOp::Add, imm),
        2 => (AluOp::Slt, imm),
        3 => (AluOp::Sltu, imm),
        4 => (AluOp::Xor, imm),
        6 => (AluOp::Or, imm),
        7 => (AluOp::And, imm),
        1 if f6 == 0 => (AluOp::Sll, shamt),
        5 if f6 == 0 => (AluOp::Srl, shamt),
        5 if f6 == 0x10 => (AluOp::Sra, shamt),
        _ => return Op::Illegal,
    };
    Op::AluImm { op, rd, rs1, imm }
}

fn op_imm_w(raw: u32, rd: u8, rs1: u8, f3: u32) -> Op {
    let shamt = bits(raw, 24, 20) as i32;
    let f7 = bits(raw, 31, 25);
    let (op, imm) = match f3 {
        0 => (AluWOp::Add, imm_i(raw)),
        1 if f7 == 0 => (AluWOp::Sll, shamt),
        5 if f7 == 0 => (AluWOp::Srl, shamt),
        5 if f7 == 0x20 => (AluWOp::Sra, shamt),
        _ => return Op::Illegal,
    };
    Op::AluImmW { op, rd, rs1, imm }
}

fn op_reg(rd: u8, rs1: u8, rs2: u8, f3: u32, f7: u32) -> Op {
    let op = match (f7, f3) {
        (0, 0) => AluOp::Add,
        (0x20, 0) => AluOp::Sub,
        (0, 1) => AluOp::Sll,
        (0, 2) => AluOp::Slt,
        (0, 3) => AluOp::Sltu,
        (0, 4) => AluOp::Xor,
        (0, 5) => AluOp::Srl,
        (0x20, 5) => AluOp::Sra,
        (0, 6) => AluOp::Or,
        (0, 7) => AluOp::And,
        (1, 0) => AluOp::Mul,
        (1, 1) => AluOp::Mulh,
        (1, 2) => AluOp::Mulhsu,
        (1, 3) => AluOp::Mulhu,
        (1, 4) => AluOp::Div,
        (1, 5) => AluOp::Divu,
        (1, 6) => AluOp::Rem,
        (1, 7) => AluOp::Remu,
        _ => return Op::Illegal,
    };
    Op::Alu { op, rd, rs1, rs2 }
}

fn op_reg_w(rd: u8, rs1: u8, rs2: u8, f3: u32, f7: u32) -> Op {
    let op = match (f7, f3) {
        (0, 0) => AluWOp::Add,
        (0x20, 0) => AluWOp::Sub,
        (0, 1) => AluWOp::Sll,
        (0, 5) => AluWOp::Srl,
        (0x20, 5) => AluWOp::Sra,
        (1, 0) => AluWOp::Mul,
        (1, 4) => AluWOp::Div,
        (1, 5) => AluWOp::Divu,
        (1, 6) => AluWOp::Rem,
        (1, 7) => AluWOp::Remu,
        _ => return Op::Illegal,
    };
    Op::AluW { op, rd, rs1, rs2 }
}

fn op_system(raw: u32, rd: u8, rs1: u8, rs2: u8, f3: u32, f7: u32) -> Op {
    let csr = (raw >> 20) as u16;
    let csr_op = |op, imm| Op::Csr {
        op,
        rd,
        src: rs1,
        imm,
        csr,
    };
    match f3 {
        0 => match raw {
            0x0000_0073 => Op::Ecall,
            0x0010_0073 => Op::Ebreak,
            0x3020_0073 => Op::Mret,
            0x1020_0073 => Op::Sret,
            0x1050_0073 => Op::Wfi,
            _ if f7 == 0x09 && rd == DISCARD => Op::SfenceVma { rs1, rs2 },
            _ => Op::Illegal,
        },
        1 => csr_op(CsrOp::Rw, false),
        2 => csr_op(CsrOp::Rs, false),
        3 => csr_op(CsrOp::Rc, false),
        5 => csr_op(CsrOp::Rw, true),
        6 => csr_op(CsrOp::Rs, true),
        7 => csr_op(CsrOp::Rc, true),
        _ => Op::Illegal,
    }
}

fn op_amo(raw: u32, rd: u8, rs1: u8, rs2: u8, f3: u32) -> Op {
    let width = match f3 {
        2 => Width::W,
        3 => Width::D,
        _ => return Op::Illegal,
    };
    let op = match bits(raw, 31, 27) {
        0x02 if rs2 == 0 => return Op::Lr { width, rd, rs1 },
        0x03 => return Op::Sc { width, rd, rs1, rs2 },
        0x01 => AmoOp::Swap,
        0x00 => AmoOp::Add,
        0x04 => AmoOp::Xor,
        0x0c => AmoOp::And,
        0x08 => AmoOp::Or,
        0x10 => AmoOp::Min,
        0x14 => AmoOp::Max,
        0x18 => AmoOp::Minu,
        0x1c => AmoOp::Maxu,
        _ => return Op::Illegal,
    };
    Op::Amo {
        op,
        width,
        rd,
        rs1,
        rs2,
    }
}

fn op_fp(rd: u32, rs1: u8, rs2: u8, f3: u32, f7: u32) -> Op {
    let Some(fmt) = fmt_of(f7 & 3) else {
        return Op::Illegal;
    };
    let frd = rd as u8;
    let ird = rd_int(rd);
    let rm = f3 as u8;
    let bin = |op| Op::FBin {
        op,
        fmt,
        rd: frd,
        rs1,
        rs2,
        rm,
    };
    let int_fmt = || match rs2 {
        0 => Some(IntFmt::W),
        1 => Some(IntFmt::Wu),
        2 => Some(IntFmt::L),
        3 => Some(IntFmt::Lu),
        _ => None,
    };
    match (f7 >> 2, f3) {
        (0x00, _) => bin(FBinOp::Add),
        (0x01, _) => bin(FBinOp::Sub),
        (0x02, _) => bin(FBinOp::Mul),
        (0x03, _) => bin(FBinOp::Div),
        (0x0b, _) if rs2 == 0 => Op::FSqrt {
            fmt,
            rd: frd,
            rs1,
            rm,
        },
        (0x04, 0) => bin(FBinOp::Sgnj),
        (0x04, 1) => bin(FBinOp::Sgnjn),
        (0x04, 2) => bin(FBinOp::Sgnjx),
        (0x05, 0) => bin(FBinOp::Min),
        (0x05, 1) => bin(FBinOp::Max),
        // fcvt.s.d has fmt S and source D (rs2 = 1); fcvt.d.s the reverse.
        (0x08, _) if fmt == Fmt::S && rs2 == 1 => Op::FCvtFmt {
            to: Fmt::S,
            rd: frd,
            rs1,
            rm,
        },
        (0x08, _) if fmt == Fmt::D && rs2 == 0 => Op::FCvtFmt {
            to: Fmt::D,
            rd: frd,
            rs1,
            rm,
        },
        (0x14, 2) => Op::FCmp {
            op: FCmpOp::Eq,
            fmt,
            rd: ird,
            rs1,
            rs2,
        },
        (0x14, 1) => Op::FCmp {
            op: FCmpOp::Lt,
            fmt,
            rd: ird,
            rs1,
            rs2,
        },
        (0x14, 0) => Op::FCmp {
            op: FCmpOp::Le,
            fmt,
            rd: ird,
            rs1,
            rs2,
        },
        (0x18, _) => match int_fmt() {
            Some(int) => Op::FCvtToInt {
                fmt,
                int,
                rd: ird,
                rs1,
                rm,
            },
            None => Op::Illegal,
        },
        (0x1a, _) => match int_fmt() {
            Some(int) => Op::FCvtFromInt {
                fmt,
                int,
                rd: frd,
                rs1,
                rm,
            },
            None => Op::Illegal,
        },
        (0x1c, 0) if rs2 == 0 => Op::FMvToInt { fmt, rd: ird, rs1 },
        (0x1c, 1) if rs2 == 0 => Op::FClass { fmt, rd: ird, rs1 },
        (0x1e, 0) if rs2 == 0 => Op::FMvFromInt { fmt, rd: frd, rs1 },
        _ => Op::Illegal,
    }
}

/// Compressed register field (3 bits) naming x8..x15 / f8..f15.
fn creg(raw: u32, lo: u32) -> u8 {
    (bits(raw, lo + 2, lo) + 8) as u8
}

/// The 6-bit signed immediate of CI-format instructions: imm[5] = bit 12, imm[4:0] = bits 6:2.
fn ci_imm(raw: u32) -> i32 {
    let v = (bits(raw, 12, 12) << 5) | bits(raw, 6, 2);
    ((v << 26) as i32) >> 26
}

fn op16(raw16: u16) -> Op {
    let raw = raw16 as u32;
    let f3 = bits(raw, 15, 13);
    let rd_full = bits(raw, 11, 7);
    let rs2_full = bits(raw, 6, 2) as u8;
    match (raw & 3, f3) {
        (0, 0) => {
            let imm = (bits(raw, 12, 11) << 4)
                | (bits(raw, 10, 7) << 6)
                | (bits(raw, 6, 6) << 2)
                | (bits(raw, 5, 5) << 3);
            if imm == 0 {
                return Op::Illegal;
            }
            Op::AluImm {
                op: AluOp::Add,
                rd: creg(raw, 2),
                rs1: 2,
                imm: imm as i32,
            }
        }
        (0, 1) => Op::FLoad {
            fmt: Fmt::D,
            rd: creg(raw, 2),
            rs1: creg(raw, 7),
            imm: cl_d_off(raw),
        },
        (0, 2) => Op::Load {
            kind: LoadKind::W,
            rd: creg(raw, 2),
            rs1: creg(raw, 7),
            imm: cl_w_off(raw),
        },
        (0, 3) => Op::Load {
            kind: LoadKind::D,
            rd: creg(raw, 2),
            rs1: creg(raw, 7),
            imm: cl_d_off(raw),
        },
        (0, 5) => Op::FStore {
            fmt: Fmt::D,
            rs1: creg(raw, 7),
            rs2: creg(raw, 2),
            imm: cl_d_off(raw),
        },
        (0, 6) => Op::Store {
            width: Width::W,
            rs1: creg(raw, 7),
            rs2: creg(raw, 2),
            imm: cl_w_off(raw),
        },
        (0, 7) => Op::Store {
            width: Width::D,
            rs1: creg(raw, 7),
            rs2: creg(raw, 2),
            imm: cl_d_off(raw),
        },
        (1, 0) => Op::AluImm {
            op: AluOp::Add,
            rd: rd_int(rd_full),
            rs1: rd_full as u8,
            imm: ci_imm(raw),
        },
        (1, 1) if rd_full != 0 => Op::AluImmW {
            op: AluWOp::Add,
            rd: rd_full as u8,
            rs1: rd_full as u8,
            imm: ci_imm(raw),
        },
        (1, 2) => Op::AluImm {
            op: AluOp::Add,
            rd: rd_int(rd_full),
            rs1: 0,
            imm: ci_imm(raw),
        },
        (1, 3) if rd_full == 2 => {
            let v = (bits(raw, 12, 12) << 9)
                | (bits(raw, 6, 6) << 4)
                | (bits(raw, 5, 5) << 6)
                | (bits(raw, 4, 3) << 7)
                | (bits(raw, 2, 2) << 5);
            if v == 0 {
                return Op::Illegal;
            }
            Op::AluImm {
                op: AluOp::Add,
                rd: 2,
                rs1: 2,
                imm: ((v << 22) as i32) >> 22,
            }
        }
        (1, 3) => {
            let imm = ci_imm(raw);
            if imm == 0 {
                return Op::Illegal;
            }
            Op::Lui {
                rd: rd_int(rd_full),
                imm: imm << 12,
            }
        }
        (1, 4) => c_alu(raw),
        (1, 5) => Op::Jal {
            rd: DISCARD,
            imm: cj_off(raw),
        },
        (1, 6) | (1, 7) => {
            let v = (bits(raw, 12, 12) << 8)
                | (bits(raw, 11, 10) << 3)
                | (bits(raw, 6, 5) << 6)
                | (bits(raw, 4, 3) << 1)
                | (bits(raw, 2, 2) << 5);
            let cond = if f3 == 6 { BranchCond::Eq } else { BranchCond::Ne };
            Op::Branch {
                cond,
                rs1: creg(raw, 7),
                rs2: 0,
                imm: ((v << 23) as i32) >> 23,
            }
        }
        (2, 0) => {
            let shamt = ((bits(raw, 12, 12) << 5) | bits(raw, 6, 2)) as i32;
            Op::AluImm {
                op: AluOp::Sll,
                rd: rd_int(rd_full),
                rs1: rd_full as u8,
                imm: shamt,
            }
        }
        (2, 1) => Op::FLoad {
            fmt: Fmt::D,
            rd: rd_full as u8,
            rs1: 2,
            imm: ci_d_sp_off(raw),
        },
        (2, 2) if rd_full != 0 => {
            let off = (bits(raw, 12, 12) << 5) | (bits(raw, 6, 4) << 2) | (bits(raw, 3, 2) << 6);
            Op::Load {
                kind: LoadKind::W,
                rd: rd_full as u8,
                rs1: 2,
                imm: off as i32,
            }
        }
        (2, 3) if rd_full != 0 => Op::Load {
            kind: LoadKind::D,
            rd: rd_full as u8,
            rs1: 2,
            imm: ci_d_sp_off(raw),
        },
        (2, 4) => c_jr_mv_add(raw, rd_full, rs2_full),
        (2, 5) => Op::FStore {
            fmt: Fmt::D,
            rs1: 2,
            rs2: rs2_full,
            imm: css_d_off(raw),
        },
        (2, 6) => {
            let off = (bits(raw, 12, 9) << 2) | (bits(raw, 8, 7) << 6);
            Op::Store {
                width: Width::W,
                rs1: 2,
                rs2: rs2_full,
                imm: off as i32,
            }
        }
        (2, 7) => Op::Store {
            width: Width::D,
            rs1: 2,
            rs2: rs2_full,
            imm: css_d_off(raw),
        },
        _ => Op::Illegal,
    }
}

fn cl_w_off(raw: u32) -> i32 {
    ((bits(raw, 12, 10) << 3) | (bits(raw, 6, 6) << 2) | (bits(raw, 5, 5) << 6)) as i32
}

fn cl_d_off(raw: u32) -> i32 {
    ((bits(raw, 12, 10) << 3) | (bits(raw, 6, 5) << 6)) as i32
}

fn ci_d_sp_off(raw: u32) -> i32 {
    ((bits(raw, 12, 12) << 5) | (bits(raw, 6, 5) << 3) | (bits(raw, 4, 2) << 6)) as i32
}

fn css_d_off(raw: u32) -> i32 {
    ((bits(raw, 12, 10) << 3) | (bits(raw, 9, 7) << 6)) as i32
}

fn cj_off(raw: u32) -> i32 {
    let v = (bits(raw, 12, 12) << 11)
        | (bits(raw, 11, 11) << 4)
        | (bits(raw, 10, 9) << 8)
        | (bits(raw, 8, 8) << 10)
        | (bits(raw, 7, 7) << 6)
        | (bits(raw, 6, 6) << 7)
        | (bits(raw, 5, 3) << 1)
        | (bits(raw, 2, 2) << 5);
    ((v << 20) as i32) >> 20
}

fn c_alu(raw: u32) -> Op {
    let rd = creg(raw, 7);
    let rs2 = creg(raw, 2);
    let shamt = ((bits(raw, 12, 12) << 5) | bits(raw, 6, 2)) as i32;
    match (bits(raw, 11, 10), bits(raw, 12, 12), bits(raw, 6, 5)) {
        (0, _, _) => Op::AluImm {
            op: AluOp::Srl,
            rd,
            rs1: rd,
            imm: shamt,
        },
        (1, _, _) => Op::AluImm {
            op: AluOp::Sra,
            rd,
            rs1: rd,
            imm: shamt,
        },
        (2, _, _) => Op::AluImm {
            op: AluOp::And,
            rd,
            rs1: rd,
            imm: ci_imm(raw),
        },
        (3, 0, f) => {
            let op = [AluOp::Sub, AluOp::Xor, AluOp::Or, AluOp::And][f as usize];
            Op::Alu { op, rd, rs1: rd, rs2 }
        }
        (3, 1, 0) => Op::AluW {
            op: AluWOp::Sub,
            rd,
            rs1: rd,
            rs2,
        },
        (3, 1, 1) => Op::AluW {
            op: AluWOp::Add,
            rd,
            rs1: rd,
            rs2,
        },
        _ => Op::Illegal,
    }
}

fn c_jr_mv_add(raw: u32, rd: u32, rs2: u8) -> Op {
    let bit12 = bits(raw, 12, 12);
    match (bit12, rd, rs2) {
        (0, 0, 0) => Op::Illegal,
        (0, _, 0) => Op::Jalr {
            rd: DISCARD,
            rs1: rd as u8,
            imm: 0,
        },
        (0, _, _) => Op::Alu {
            op: AluOp::Add,
            rd: rd_int(rd),
            rs1: 0,
            rs2,
        },
        (_, 0, 0) => Op::Ebreak,
        (_, _, 0) => Op::Jalr {
            rd: 1,
            rs1: rd as u8,
            imm: 0,
        },
        _ => Op::Alu {
            op: AluOp::Add,
            rd: rd_int(rd),
            rs1: rd as u8,
            rs2,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_addi_with_negative_immediate() {
        // addi a0, a1, -1
        assert_eq!(
            decode32(0xfff5_8513).op,
            Op::AluImm {
                op: AluOp::Add,
                rd: 10,
                rs1: 11,
                imm: -1
            }
        );
    }

    #[test]
    fn writes_to_x0_go_to_the_discard_register() {
        // addi x0, x0, 0 (nop)
        assert_eq!(
            decode32(0x0000_0013).op,
            Op::AluImm {
                op: AluOp::Add,
                rd: DISCARD,
                rs1: 0,
                imm: 0
            }
        );
    }

    #[test]
    fn decodes_branch_and_jump_offsets() {
        // beq a0, a1, -4
        assert_eq!(
            decode32(0xfeb5_0ee3).op,
            Op::Branch {
                cond: BranchCond::Eq,
                rs1: 10,
                rs2: 11,
                imm: -4
            }
        );
        // jal ra, 2048
        assert_eq!(decode32(0x0010_00ef).op, Op::Jal { rd: 1, imm: 2048 });
        // jal x0, -2
        assert_eq!(decode32(0xfffff06f).op, Op::Jal { rd: DISCARD, imm: -2 });
    }

    #[test]
    fn decodes_store_offset() {
        // sd a0, -8(sp)
        assert_eq!(
            decode32(0xfea1_3c23).op,
            Op::Store {
                width: Width::D,
                rs1: 2,
                rs2: 10,
                imm: -8
            }
        );
    }

    #[test]
    fn decodes_compressed_forms_like_their_expansions() {
        // c.addi4spn a0, sp, 16 = 0x0808
        assert_eq!(
            decode16(0x0808).op,
            Op::AluImm {
                op: AluOp::Add,
                rd: 10,
                rs1: 2,
                imm: 16
            }
        );
        // c.addi16sp sp, -64 = 0x7139
        assert_eq!(
            decode16(0x7139).op,
            Op::AluImm {
                op: AluOp::Add,
                rd: 2,
                rs1: 2,
                imm: -64
            }
        );
        // c.ldsp ra, 8(sp) = 0x60a2
        assert_eq!(
            decode16(0x60a2).op,
            Op::Load {
                kind: LoadKind::D,
                rd: 1,
                rs1: 2,
                imm: 8
            }
        );
        // c.sdsp ra, 8(sp) = 0xe406
        assert_eq!(
            decode16(0xe406).op,
            Op::Store {
                width: Width::D,
                rs1: 2,
                rs2: 1,
                imm: 8
            }
        );
        // c.j -2 = 0xbffd
        assert_eq!(decode16(0xbffd).op, Op::Jal { rd: DISCARD, imm: -2 });
        // c.beqz a0, -4 = 0xdd75
        assert_eq!(
            decode16(0xdd75).op,
            Op::Branch {
                cond: BranchCond::Eq,
                rs1: 10,
                rs2: 0,
                imm: -4
            }
        );
        // c.ret = 0x8082
        assert_eq!(
            decode16(0x8082).op,
            Op::Jalr {
                rd: DISCARD,
                rs1: 1,
                imm: 0
            }
        );
        // c.ebreak
        assert_eq!(decode16(0x9002).op, Op::Ebreak);
    }

    #[test]
    fn all_zero_halfword_is_illegal() {
        assert_eq!(decode16(0).op, Op::Illegal);
    }

    #[test]
    fn decodes_system_instructions() {
        assert_eq!(decode32(0x3020_0073).op, Op::Mret);
        assert_eq!(decode32(0x1050_0073).op, Op::Wfi);
        assert_eq!(decode32(0x1200_0073).op, Op::SfenceVma { rs1: 0, rs2: 0 });
        // csrrs a0, mstatus, x0
        assert_eq!(
            decode32(0x3000_2573).op,
            Op::Csr {
                op: CsrOp::Rs,
                rd: 10,
                src: 0,
                imm: false,
                csr: 0x300
            }
        );
    }

    #[test]
    fn every_bit_pattern_decodes_without_panicking() {
        for raw in 0..=u16::MAX {
            if raw & 3 != 3 {
                let _ = decode16(raw);
            }
        }
        let mut x = 0x1234_5678u32;
        for _ in 0..1_000_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let _ = decode32(x | 3);
        }
    }
}
