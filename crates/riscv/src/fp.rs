//! Execution of F and D instructions on top of the `fpu` crate's exact IEEE 754 functions.
//!
//! Single-precision values live NaN-boxed in the 64-bit registers: reads unbox (an improperly
//! boxed value reads as the canonical NaN), writes box. Loads, stores and FMV move raw bits.

use fpu::fast::{self, Arith};
use fpu::{box_f32, f32 as s, f64 as d, unbox_f32, Flags, RoundingMode};

use crate::hart::Hart;
use crate::op::*;
use crate::trap::Trap;
use crate::Bus;

impl Hart {
    fn rounding(&self, rm: u8, raw: u32) -> Result<RoundingMode, Trap> {
        let bits = if rm == 7 { self.csr.frm as u8 } else { rm };
        RoundingMode::from_bits(bits).ok_or(Trap::illegal(raw))
    }

    /// The host fast path applies (see `fpu::fast`): round-to-nearest-even and NX already set.
    fn fast_fp(&self, rm: RoundingMode) -> bool {
        rm == RoundingMode::Rne && self.csr.fflags & Flags::NX.bits() as u64 != 0
    }

    /// [`Self::fast_fp`] for an instruction's raw `rm` field (7: dynamic, from `frm`).
    pub(crate) fn fast_rne(&self, rm: i32) -> bool {
        let rm = if rm == 7 { self.csr.frm as i32 } else { rm };
        rm == 0 && self.csr.fflags & Flags::NX.bits() as u64 != 0
    }

    pub(crate) fn set_f_dirty(&mut self, rd: u8, v: u64) {
        self.f[rd as usize] = v;
        self.mark_fs_dirty();
    }

    fn accrue(&mut self, flags: Flags) {
        if !flags.is_empty() {
            self.csr.fflags |= flags.bits() as u64;
            self.mark_fs_dirty();
        }
    }

    fn fs(&self, r: u8) -> u32 {
        unbox_f32(self.f[r as usize])
    }

    fn fd(&self, r: u8) -> u64 {
        self.f[r as usize]
    }

    pub(crate) fn execute_fp<B: Bus>(&mut self, bus: &mut B, inst: Inst) -> Result<(), Trap> {
        if !self.fs_enabled() {
            return Err(Trap::illegal(inst.raw));
        }
        let mut fl = Flags::empty();
        match inst.op {
            Op::FLoad { fmt, rd, rs1, imm } => {
                let va = self.x[rs1 as usize].wrapping_add(imm as i64 as u64);
                let v = match fmt {
                    Fmt::S => box_f32(self.load(bus, va, 4)? as u32),
                    Fmt::D => self.load(bus, va, 8)?,
                };
                self.set_f_dirty(rd, v);
            }
            Op::FStore { fmt, rs1, rs2, imm } => {
                let va = self.x[rs1 as usize].wrapping_add(imm as i64 as u64);
                let size = if fmt == Fmt::S { 4 } else { 8 };
                self.store(bus, va, size, self.f[rs2 as usize])?;
            }
            Op::FMadd {
                op,
                fmt,
                rd,
                rs1,
                rs2,
                rs3,
                rm,
            } => {
                let rm = self.rounding(rm, inst.raw)?;
                let v = match fmt {
                    Fmt::S => {
                        let (a, b, c) = (self.fs(rs1), self.fs(rs2), self.fs(rs3));
                        let f = match op {
                            FmaOp::Madd => s::fmadd,
                            FmaOp::Msub => s::fmsub,
                            FmaOp::Nmsub => s::fnmsub,
                            FmaOp::Nmadd => s::fnmadd,
                        };
                        box_f32(f(a, b, c, rm, &mut fl))
                    }
                    Fmt::D => {
                        let (a, b, c) = (self.fd(rs1), self.fd(rs2), self.fd(rs3));
                        let f = match op {
                            FmaOp::Madd => d::fmadd,
                            FmaOp::Msub => d::fmsub,
                            FmaOp::Nmsub => d::fnmsub,
                            FmaOp::Nmadd => d::fnmadd,
                        };
                        f(a, b, c, rm, &mut fl)
                    }
                };
                self.set_f_dirty(rd, v);
            }
            Op::FBin {
                op,
                fmt,
                rd,
                rs1,
                rs2,
                rm,
            } => {
                let v = match fmt {
                    Fmt::S => box_f32(self.fbin_s(op, self.fs(rs1), self.fs(rs2), rm, inst.raw, &mut fl)?),
                    Fmt::D => self.fbin_d(op, self.fd(rs1), self.fd(rs2), rm, inst.raw, &mut fl)?,
                };
                self.set_f_dirty(rd, v);
            }
            Op::FSqrt { fmt, rd, rs1, rm } => {
                let rm = self.rounding(rm, inst.raw)?;
                let quick = self.fast_fp(rm);
                let v = match fmt {
                    Fmt::S => {
                        let a = self.fs(rs1);
                        box_f32(
                            quick
                                .then(|| fast::f32_sqrt(a))
                                .flatten()
                                .unwrap_or_else(|| s::sqrt(a, rm, &mut fl)),
                        )
                    }
                    Fmt::D => {
                        let a = self.fd(rs1);
                        quick
                            .then(|| fast::f64_sqrt(a))
                            .flatten()
                            .unwrap_or_else(|| d::sqrt(a, rm, &mut fl))
                    }
                };
                self.set_f_dirty(rd, v);
            }
            Op::FCmp {
                op,
                fmt,
                rd,
                rs1,
                rs2,
            } => {
                let r = match (fmt, op) {
                    (Fmt::S, FCmpOp::Eq) => s::eq(self.fs(rs1), self.fs(rs2), &mut fl),
                    (Fmt::S, FCmpOp::Lt) => s::lt(self.fs(rs1), self.fs(rs2), &mut fl),
                    (Fmt::S, FCmpOp::Le) => s::le(self.fs(rs1), self.fs(rs2), &mut fl),
                    (Fmt::D, FCmpOp::Eq) => d::eq(self.fd(rs1), self.fd(rs2), &mut fl),
                    (Fmt::D, FCmpOp::Lt) => d::lt(self.fd(rs1), self.fd(rs2), &mut fl),
                    (Fmt::D, FCmpOp::Le) => d::le(self.fd(rs1), self.fd(rs2), &mut fl),
                };
                self.x[rd as usize] = r as u64;
            }
            Op::FClass { fmt, rd, rs1 } => {
                self.x[rd as usize] = match fmt {
                    Fmt::S => s::classify(self.fs(rs1)),
                    Fmt::D => d::classify(self.fd(rs1)),
                } as u64;
            }
            Op::FCvtToInt {
                fmt,
                int,
                rd,
                rs1,
                rm,
            } => {
                let rm = self.rounding(rm, inst.raw)?;
                self.x[rd as usize] = match fmt {
                    Fmt::S => to_int_s(self.fs(rs1), int, rm, &mut fl),
                    Fmt::D => to_int_d(self.fd(rs1), int, rm, &mut fl),
                };
            }
            Op::FCvtFromInt {
                fmt,
                int,
                rd,
                rs1,
                rm,
            } => {
                let rm = self.rounding(rm, inst.raw)?;
                let a = self.x[rs1 as usize];
                let v = match fmt {
                    Fmt::S => box_f32(match int {
                        IntFmt::W => s::from_i32(a as i32, rm, &mut fl),
                        IntFmt::Wu => s::from_u32(a as u32, rm, &mut fl),
                        IntFmt::L => s::from_i64(a as i64, rm, &mut fl),
                        IntFmt::Lu => s::from_u64(a, rm, &mut fl),
                    }),
                    Fmt::D => match int {
                        IntFmt::W => d::from_i32(a as i32, rm, &mut fl),
                        IntFmt::Wu => d::from_u32(a as u32, rm, &mut fl),
                        IntFmt::L => d::from_i64(a as i64, rm, &mut fl),
                        IntFmt::Lu => d::from_u64(a, rm, &mut fl),
                    },
                };
                self.set_f_dirty(rd, v);
            }
            Op::FCvtFmt { to, rd, rs1, rm } => {
                let rm = self.rounding(rm, inst.raw)?;
                let v = match to {
                    Fmt::S => box_f32(d::to_f32(self.fd(rs1), rm, &mut fl)),
                    Fmt::D => s::to_f64(self.fs(rs1), &mut fl),
                };
                self.set_f_dirty(rd, v);
            }
            Op::FMvToInt { fmt, rd, rs1 } => {
                let raw = self.f[rs1 as usize];
                self.x[rd as usize] = match fmt {
                    Fmt::S => raw as u32 as i32 as u64,
                    Fmt::D => raw,
                };
            }
            Op::FMvFromInt { fmt, rd, rs1 } => {
                let a = self.x[rs1 as usize];
                let v = match fmt {
                    Fmt::S => box_f32(a as u32),
                    Fmt::D => a,
                };
                self.set_f_dirty(rd, v);
            }
            _ => return Err(Trap::illegal(inst.raw)),
        }
        self.accrue(fl);
        self.pc = self.pc.wrapping_add(inst.len as u64);
        Ok(())
    }

    fn fbin_s(&self, op: FBinOp, a: u32, b: u32, rm: u8, raw: u32, fl: &mut Flags) -> Result<u32, Trap> {
        if let Some(arith) = arith(op) {
            let rm = self.rounding(rm, raw)?;
            if self.fast_fp(rm) {
                if let Some(v) = fast::f32_arith(arith, a, b) {
                    return Ok(v);
                }
            }
            let f = match arith {
                Arith::Add => s::add,
                Arith::Sub => s::sub,
                Arith::Mul => s::mul,
                Arith::Div => s::div,
            };
            return Ok(f(a, b, rm, fl));
        }
        Ok(match op {
            FBinOp::Min => s::min(a, b, fl),
            FBinOp::Max => s::max(a, b, fl),
            FBinOp::Sgnj => s::sgnj(a, b),
            FBinOp::Sgnjn => s::sgnjn(a, b),
            _ => s::sgnjx(a, b),
        })
    }

    fn fbin_d(&self, op: FBinOp, a: u64, b: u64, rm: u8, raw: u32, fl: &mut Flags) -> Result<u64, Trap> {
        if let Some(arith) = arith(op) {
            let rm = self.rounding(rm, raw)?;
            if self.fast_fp(rm) {
                if let Some(v) = fast::f64_arith(arith, a, b) {
                    return Ok(v);
                }
            }
            let f = match arith {
                Arith::Add => d::add,
                Arith::Sub => d::sub,
                Arith::Mul => d::mul,
                Arith::Div => d::div,
            };
            return Ok(f(a, b, rm, fl));
        }
        Ok(match op {
            FBinOp::Min => d::min(a, b, fl),
            FBinOp::Max => d::max(a, b, fl),
            FBinOp::Sgnj => d::sgnj(a, b),
            FBinOp::Sgnjn => d::sgnjn(a, b),
            _ => d::sgnjx(a, b),
        })
    }
}

/// The rounded arithmetic among the two-operand operations.
fn arith(op: FBinOp) -> Option<Arith> {
    match op {
        FBinOp::Add => Some(Arith::Add),
        FBinOp::Sub => Some(Arith::Sub),
        FBinOp::Mul => Some(Arith::Mul),
        FBinOp::Div => Some(Arith::Div),
        _ => None,
    }
}

/// 32-bit results (W and WU alike) are sign-extended into the 64-bit register.
fn to_int_s(a: u32, int: IntFmt, rm: RoundingMode, fl: &mut Flags) -> u64 {
    match int {
        IntFmt::W => s::to_i32(a, rm, fl) as i64 as u64,
        IntFmt::Wu => s::to_u32(a, rm, fl) as i32 as i64 as u64,
        IntFmt::L => s::to_i64(a, rm, fl) as u64,
        IntFmt::Lu => s::to_u64(a, rm, fl),
    }
}

fn to_int_d(a: u64, int: IntFmt, rm: RoundingMode, fl: &mut Flags) -> u64 {
    match int {
        IntFmt::W => d::to_i32(a, rm, fl) as i64 as u64,
        IntFmt::Wu => d::to_u32(a, rm, fl) as i32 as i64 as u64,
        IntFmt::L => d::to_i64(a, rm, fl) as u64,
        IntFmt::Lu => d::to_u64(a, rm, fl),
    }
}
