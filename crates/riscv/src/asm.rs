//! A tiny assembler: encoders for the instructions that built-in benchmarks and unit tests use,
//! so they need no cross toolchain. Register arguments are numbers (10 = a0).

fn r_type(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, opc: u32) -> u32 {
    (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc
}

fn i_type(imm: i32, rs1: u32, f3: u32, rd: u32, opc: u32) -> u32 {
    ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc
}

fn s_type(imm: i32, rs2: u32, rs1: u32, f3: u32) -> u32 {
    let i = imm as u32;
    ((i >> 5 & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((i & 0x1f) << 7) | 0x23
}

fn b_type(off: i32, rs2: u32, rs1: u32, f3: u32) -> u32 {
    let i = off as u32;
    ((i >> 12 & 1) << 31)
        | ((i >> 5 & 0x3f) << 25)
        | (rs2 << 20)
        | (rs1 << 15)
        | (f3 << 12)
        | ((i >> 1 & 0xf) << 8)
        | ((i >> 11 & 1) << 7)
        | 0x63
}

pub fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
    i_type(imm, rs1, 0, rd, 0x13)
}

pub fn slli(rd: u32, rs1: u32, sh: u32) -> u32 {
    i_type(sh as i32, rs1, 1, rd, 0x13)
}

pub fn add(rd: u32, rs1: u32, rs2: u32) -> u32 {
    r_type(0, rs2, rs1, 0, rd, 0x33)
}

pub fn sub(rd: u32, rs1: u32, rs2: u32) -> u32 {
    r_type(0x20, rs2, rs1, 0, rd, 0x33)
}

pub fn xor(rd: u32, rs1: u32, rs2: u32) -> u32 {
    r_type(0, rs2, rs1, 4, rd, 0x33)
}

pub fn mul(rd: u32, rs1: u32, rs2: u32) -> u32 {
    r_type(1, rs2, rs1, 0, rd, 0x33)
}

pub fn ld(rd: u32, rs1: u32, imm: i32) -> u32 {
    i_type(imm, rs1, 3, rd, 0x03)
}

pub fn sd(rs2: u32, rs1: u32, imm: i32) -> u32 {
    s_type(imm, rs2, rs1, 3)
}

pub fn sw(rs2: u32, rs1: u32, imm: i32) -> u32 {
    s_type(imm, rs2, rs1, 2)
}

pub fn beq(rs1: u32, rs2: u32, off: i32) -> u32 {
    b_type(off, rs2, rs1, 0)
}

pub fn bne(rs1: u32, rs2: u32, off: i32) -> u32 {
    b_type(off, rs2, rs1, 1)
}

pub fn bltu(rs1: u32, rs2: u32, off: i32) -> u32 {
    b_type(off, rs2, rs1, 6)
}

pub fn jal(rd: u32, off: i32) -> u32 {
    let i = off as u32;
    ((i >> 20 & 1) << 31)
        | ((i >> 1 & 0x3ff) << 21)
        | ((i >> 11 & 1) << 20)
        | ((i >> 12 & 0xff) << 12)
        | (rd << 7)
        | 0x6f
}

pub fn csrrw(rd: u32, csr: u32, rs1: u32) -> u32 {
    i_type(csr as i32, rs1, 1, rd, 0x73)
}

pub fn csrrs(rd: u32, csr: u32, rs1: u32) -> u32 {
    i_type(csr as i32, rs1, 2, rd, 0x73)
}

pub fn ecall() -> u32 {
    0x0000_0073
}

pub fn mret() -> u32 {
    0x3020_0073
}

pub fn wfi() -> u32 {
    0x1050_0073
}

/// Little-endian bytes of a sequence of 32-bit instructions.
pub fn bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode32;
    use crate::op::*;

    #[test]
    fn encoders_round_trip_through_the_decoder() {
        assert_eq!(
            decode32(addi(10, 11, -5)).op,
            Op::AluImm {
                op: AluOp::Add,
                rd: 10,
                rs1: 11,
                imm: -5
            }
        );
        assert_eq!(
            decode32(sd(5, 6, -24)).op,
            Op::Store {
                width: Width::D,
                rs1: 6,
                rs2: 5,
                imm: -24
            }
        );
        assert_eq!(
            decode32(bltu(5, 11, -4096)).op,
            Op::Branch {
                cond: BranchCond::Ltu,
                rs1: 5,
                rs2: 11,
                imm: -4096
            }
        );
        assert_eq!(decode32(jal(1, -1048576)).op, Op::Jal { rd: 1, imm: -1048576 });
        assert_eq!(
            decode32(jal(0, 2046)).op,
            Op::Jal {
                rd: DISCARD,
                imm: 2046
            }
        );
    }
}
