//! The decoded form of one instruction.
//!
//! Compressed instructions decode into the same [`Op`]s as their 32-bit expansions; only
//! [`Inst::len`] tells them apart. Integer destination `x0` is decoded as [`DISCARD`], a 33rd
//! register that is written but never read, so execution needs no `rd != 0` branch.

/// Register index that absorbs writes to `x0`.
pub const DISCARD: u8 = 32;

/// A decoded instruction: what to do, its length in bytes, and its raw bits (for `mtval`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inst {
    pub op: Op,
    /// 2 for compressed instructions, 4 otherwise.
    pub len: u8,
    /// The instruction bits as fetched (16 significant bits when compressed).
    pub raw: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BranchCond {
    Eq,
    Ne,
    Lt,
    Ge,
    Ltu,
    Geu,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadKind {
    B,
    H,
    W,
    D,
    Bu,
    Hu,
    Wu,
}

/// Width of a store or atomic access, as log2 of its size in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    B = 0,
    H = 1,
    W = 2,
    D = 3,
}

/// 64-bit integer operations shared by register-register and register-immediate forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AluOp {
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
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
}

/// 32-bit ("W") integer operations; results are sign-extended to 64 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AluWOp {
    Add,
    Sub,
    Sll,
    Srl,
    Sra,
    Mul,
    Div,
    Divu,
    Rem,
    Remu,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmoOp {
    Swap,
    Add,
    Xor,
    And,
    Or,
    Min,
    Max,
    Minu,
    Maxu,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsrOp {
    Rw,
    Rs,
    Rc,
}

/// Floating-point format of an F/D instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fmt {
    S,
    D,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FmaOp {
    Madd,
    Msub,
    Nmsub,
    Nmadd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FBinOp {
    Add,
    Sub,
    Mul,
    Div,
    Min,
    Max,
    Sgnj,
    Sgnjn,
    Sgnjx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FCmpOp {
    Eq,
    Lt,
    Le,
}

/// Integer side of an int<->float conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntFmt {
    W,
    Wu,
    L,
    Lu,
}

/// One operation. Register fields are indices (`rd` may be [`DISCARD`]); immediates are already
/// sign-extended and scaled. `rm` is the raw 3-bit rounding-mode field (7 = dynamic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Illegal,
    Lui {
        rd: u8,
        imm: i32,
    },
    Auipc {
        rd: u8,
        imm: i32,
    },
    Jal {
        rd: u8,
        imm: i32,
    },
    Jalr {
        rd: u8,
        rs1: u8,
        imm: i32,
    },
    Branch {
        cond: BranchCond,
        rs1: u8,
        rs2: u8,
        imm: i32,
    },
    Load {
        kind: LoadKind,
        rd: u8,
        rs1: u8,
        imm: i32,
    },
    Store {
        width: Width,
        rs1: u8,
        rs2: u8,
        imm: i32,
    },
    AluImm {
        op: AluOp,
        rd: u8,
        rs1: u8,
        imm: i32,
    },
    AluImmW {
        op: AluWOp,
        rd: u8,
        rs1: u8,
        imm: i32,
    },
    Alu {
        op: AluOp,
        rd: u8,
        rs1: u8,
        rs2: u8,
    },
    AluW {
        op: AluWOp,
        rd: u8,
        rs1: u8,
        rs2: u8,
    },
    Fence,
    FenceI,
    Ecall,
    Ebreak,
    Mret,
    Sret,
    Wfi,
    SfenceVma {
        rs1: u8,
        rs2: u8,
    },
    /// `src` is rs1, or the 5-bit immediate when `imm` is set.
    Csr {
        op: CsrOp,
        rd: u8,
        src: u8,
        imm: bool,
        csr: u16,
    },
    Lr {
        width: Width,
        rd: u8,
        rs1: u8,
    },
    Sc {
        width: Width,
        rd: u8,
        rs1: u8,
        rs2: u8,
    },
    Amo {
        op: AmoOp,
        width: Width,
        rd: u8,
        rs1: u8,
        rs2: u8,
    },
    FLoad {
        fmt: Fmt,
        rd: u8,
        rs1: u8,
        imm: i32,
    },
    FStore {
        fmt: Fmt,
        rs1: u8,
        rs2: u8,
        imm: i32,
    },
    FMadd {
        op: FmaOp,
        fmt: Fmt,
        rd: u8,
        rs1: u8,
        rs2: u8,
        rs3: u8,
        rm: u8,
    },
    FBin {
        op: FBinOp,
        fmt: Fmt,
        rd: u8,
        rs1: u8,
        rs2: u8,
        rm: u8,
    },
    FSqrt {
        fmt: Fmt,
        rd: u8,
        rs1: u8,
        rm: u8,
    },
    FCmp {
        op: FCmpOp,
        fmt: Fmt,
        rd: u8,
        rs1: u8,
        rs2: u8,
    },
    FClass {
        fmt: Fmt,
        rd: u8,
        rs1: u8,
    },
    /// fcvt.{w,wu,l,lu}.{s,d}: float register rs1 to integer register rd.
    FCvtToInt {
        fmt: Fmt,
        int: IntFmt,
        rd: u8,
        rs1: u8,
        rm: u8,
    },
    /// fcvt.{s,d}.{w,wu,l,lu}: integer register rs1 to float register rd.
    FCvtFromInt {
        fmt: Fmt,
        int: IntFmt,
        rd: u8,
        rs1: u8,
        rm: u8,
    },
    /// fcvt.s.d (to = S) and fcvt.d.s (to = D).
    FCvtFmt {
        to: Fmt,
        rd: u8,
        rs1: u8,
        rm: u8,
    },
    /// fmv.x.w / fmv.x.d.
    FMvToInt {
        fmt: Fmt,
        rd: u8,
        rs1: u8,
    },
    /// fmv.w.x / fmv.d.x.
    FMvFromInt {
        fmt: Fmt,
        rd: u8,
        rs1: u8,
    },
}
