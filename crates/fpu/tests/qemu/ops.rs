//! Every operation under test: the guest's instruction sequence and the
//! crate's evaluation of the same thing, as the interpreter will call it
//! (unbox single-precision operands, box results, sign-extend 32-bit integers).
//!
//! The guest loads a, b, c into fa1, fa2, fa3 (raw 64-bit patterns) and a into
//! a1; a handler leaves its result in a0. Rounding instructions use `dyn` so
//! that frm (set from the vector) decides, in every mode including RMM.

use fpu::{box_f32, f32 as s, f64 as d, unbox_f32, Flags, RoundingMode};

use crate::gen::{Fmt, D, S};

/// What the operands are.
#[derive(Clone, Copy)]
pub enum Args {
    Float(Fmt, usize),
    /// Float-to-integer conversions get range-edge-biased operands.
    ToInt(Fmt),
    Int,
}

pub type Eval = fn(u64, u64, u64, RoundingMode, &mut Flags) -> u64;

pub struct Op {
    pub name: &'static str,
    pub asm: &'static str,
    pub args: Args,
    pub eval: Eval,
}

impl Op {
    /// The handler body: the instruction, plus a move to a0 when its
    /// destination is an FP register.
    pub fn guest_code(&self) -> String {
        if self.asm.split_whitespace().nth(1) == Some("fa0,") {
            format!("{}\n    fmv.x.d a0, fa0", self.asm)
        } else {
            self.asm.to_string()
        }
    }
}

fn u(x: u64) -> u32 {
    unbox_f32(x)
}

fn sx(x: i32) -> u64 {
    x as i64 as u64
}

fn op(name: &'static str, asm: &'static str, args: Args, eval: Eval) -> Op {
    Op {
        name,
        asm,
        args,
        eval,
    }
}

#[rustfmt::skip]
pub fn all() -> Vec<Op> {
    use Args::*;
    vec![
        op("fadd.s", "fadd.s fa0, fa1, fa2, dyn", Float(S, 2), |a, b, _, rm, f| box_f32(s::add(u(a), u(b), rm, f))),
        op("fsub.s", "fsub.s fa0, fa1, fa2, dyn", Float(S, 2), |a, b, _, rm, f| box_f32(s::sub(u(a), u(b), rm, f))),
        op("fmul.s", "fmul.s fa0, fa1, fa2, dyn", Float(S, 2), |a, b, _, rm, f| box_f32(s::mul(u(a), u(b), rm, f))),
        op("fdiv.s", "fdiv.s fa0, fa1, fa2, dyn", Float(S, 2), |a, b, _, rm, f| box_f32(s::div(u(a), u(b), rm, f))),
        op("fsqrt.s", "fsqrt.s fa0, fa1, dyn", Float(S, 1), |a, _, _, rm, f| box_f32(s::sqrt(u(a), rm, f))),
        op("fmadd.s", "fmadd.s fa0, fa1, fa2, fa3, dyn", Float(S, 3), |a, b, c, rm, f| box_f32(s::fmadd(u(a), u(b), u(c), rm, f))),
        op("fmsub.s", "fmsub.s fa0, fa1, fa2, fa3, dyn", Float(S, 3), |a, b, c, rm, f| box_f32(s::fmsub(u(a), u(b), u(c), rm, f))),
        op("fnmsub.s", "fnmsub.s fa0, fa1, fa2, fa3, dyn", Float(S, 3), |a, b, c, rm, f| box_f32(s::fnmsub(u(a), u(b), u(c), rm, f))),
        op("fnmadd.s", "fnmadd.s fa0, fa1, fa2, fa3, dyn", Float(S, 3), |a, b, c, rm, f| box_f32(s::fnmadd(u(a), u(b), u(c), rm, f))),
        op("fmin.s", "fmin.s fa0, fa1, fa2", Float(S, 2), |a, b, _, _, f| box_f32(s::min(u(a), u(b), f))),
        op("fmax.s", "fmax.s fa0, fa1, fa2", Float(S, 2), |a, b, _, _, f| box_f32(s::max(u(a), u(b), f))),
        op("feq.s", "feq.s a0, fa1, fa2", Float(S, 2), |a, b, _, _, f| s::eq(u(a), u(b), f).into()),
        op("flt.s", "flt.s a0, fa1, fa2", Float(S, 2), |a, b, _, _, f| s::lt(u(a), u(b), f).into()),
        op("fle.s", "fle.s a0, fa1, fa2", Float(S, 2), |a, b, _, _, f| s::le(u(a), u(b), f).into()),
        op("fclass.s", "fclass.s a0, fa1", Float(S, 1), |a, _, _, _, _| s::classify(u(a)).into()),
        op("fsgnj.s", "fsgnj.s fa0, fa1, fa2", Float(S, 2), |a, b, _, _, _| box_f32(s::sgnj(u(a), u(b)))),
        op("fsgnjn.s", "fsgnjn.s fa0, fa1, fa2", Float(S, 2), |a, b, _, _, _| box_f32(s::sgnjn(u(a), u(b)))),
        op("fsgnjx.s", "fsgnjx.s fa0, fa1, fa2", Float(S, 2), |a, b, _, _, _| box_f32(s::sgnjx(u(a), u(b)))),
        op("fcvt.w.s", "fcvt.w.s a0, fa1, dyn", ToInt(S), |a, _, _, rm, f| sx(s::to_i32(u(a), rm, f))),
        op("fcvt.wu.s", "fcvt.wu.s a0, fa1, dyn", ToInt(S), |a, _, _, rm, f| sx(s::to_u32(u(a), rm, f) as i32)),
        op("fcvt.l.s", "fcvt.l.s a0, fa1, dyn", ToInt(S), |a, _, _, rm, f| s::to_i64(u(a), rm, f) as u64),
        op("fcvt.lu.s", "fcvt.lu.s a0, fa1, dyn", ToInt(S), |a, _, _, rm, f| s::to_u64(u(a), rm, f)),
        op("fcvt.s.w", "fcvt.s.w fa0, a1, dyn", Int, |a, _, _, rm, f| box_f32(s::from_i32(a as i32, rm, f))),
        op("fcvt.s.wu", "fcvt.s.wu fa0, a1, dyn", Int, |a, _, _, rm, f| box_f32(s::from_u32(a as u32, rm, f))),
        op("fcvt.s.l", "fcvt.s.l fa0, a1, dyn", Int, |a, _, _, rm, f| box_f32(s::from_i64(a as i64, rm, f))),
        op("fcvt.s.lu", "fcvt.s.lu fa0, a1, dyn", Int, |a, _, _, rm, f| box_f32(s::from_u64(a, rm, f))),
        op("fcvt.d.s", "fcvt.d.s fa0, fa1", Float(S, 1), |a, _, _, _, f| s::to_f64(u(a), f)),
        op("fadd.d", "fadd.d fa0, fa1, fa2, dyn", Float(D, 2), |a, b, _, rm, f| d::add(a, b, rm, f)),
        op("fsub.d", "fsub.d fa0, fa1, fa2, dyn", Float(D, 2), |a, b, _, rm, f| d::sub(a, b, rm, f)),
        op("fmul.d", "fmul.d fa0, fa1, fa2, dyn", Float(D, 2), |a, b, _, rm, f| d::mul(a, b, rm, f)),
        op("fdiv.d", "fdiv.d fa0, fa1, fa2, dyn", Float(D, 2), |a, b, _, rm, f| d::div(a, b, rm, f)),
        op("fsqrt.d", "fsqrt.d fa0, fa1, dyn", Float(D, 1), |a, _, _, rm, f| d::sqrt(a, rm, f)),
        op("fmadd.d", "fmadd.d fa0, fa1, fa2, fa3, dyn", Float(D, 3), d::fmadd),
        op("fmsub.d", "fmsub.d fa0, fa1, fa2, fa3, dyn", Float(D, 3), d::fmsub),
        op("fnmsub.d", "fnmsub.d fa0, fa1, fa2, fa3, dyn", Float(D, 3), d::fnmsub),
        op("fnmadd.d", "fnmadd.d fa0, fa1, fa2, fa3, dyn", Float(D, 3), d::fnmadd),
        op("fmin.d", "fmin.d fa0, fa1, fa2", Float(D, 2), |a, b, _, _, f| d::min(a, b, f)),
        op("fmax.d", "fmax.d fa0, fa1, fa2", Float(D, 2), |a, b, _, _, f| d::max(a, b, f)),
        op("feq.d", "feq.d a0, fa1, fa2", Float(D, 2), |a, b, _, _, f| d::eq(a, b, f).into()),
        op("flt.d", "flt.d a0, fa1, fa2", Float(D, 2), |a, b, _, _, f| d::lt(a, b, f).into()),
        op("fle.d", "fle.d a0, fa1, fa2", Float(D, 2), |a, b, _, _, f| d::le(a, b, f).into()),
        op("fclass.d", "fclass.d a0, fa1", Float(D, 1), |a, _, _, _, _| d::classify(a).into()),
        op("fsgnj.d", "fsgnj.d fa0, fa1, fa2", Float(D, 2), |a, b, _, _, _| d::sgnj(a, b)),
        op("fsgnjn.d", "fsgnjn.d fa0, fa1, fa2", Float(D, 2), |a, b, _, _, _| d::sgnjn(a, b)),
        op("fsgnjx.d", "fsgnjx.d fa0, fa1, fa2", Float(D, 2), |a, b, _, _, _| d::sgnjx(a, b)),
        op("fcvt.w.d", "fcvt.w.d a0, fa1, dyn", ToInt(D), |a, _, _, rm, f| sx(d::to_i32(a, rm, f))),
        op("fcvt.wu.d", "fcvt.wu.d a0, fa1, dyn", ToInt(D), |a, _, _, rm, f| sx(d::to_u32(a, rm, f) as i32)),
        op("fcvt.l.d", "fcvt.l.d a0, fa1, dyn", ToInt(D), |a, _, _, rm, f| d::to_i64(a, rm, f) as u64),
        op("fcvt.lu.d", "fcvt.lu.d a0, fa1, dyn", ToInt(D), |a, _, _, rm, f| d::to_u64(a, rm, f)),
        op("fcvt.d.w", "fcvt.d.w fa0, a1", Int, |a, _, _, rm, f| d::from_i32(a as i32, rm, f)),
        op("fcvt.d.wu", "fcvt.d.wu fa0, a1", Int, |a, _, _, rm, f| d::from_u32(a as u32, rm, f)),
        op("fcvt.d.l", "fcvt.d.l fa0, a1, dyn", Int, |a, _, _, rm, f| d::from_i64(a as i64, rm, f)),
        op("fcvt.d.lu", "fcvt.d.lu fa0, a1, dyn", Int, |a, _, _, rm, f| d::from_u64(a, rm, f)),
        op("fcvt.s.d", "fcvt.s.d fa0, fa1, dyn", Float(D, 1), |a, _, _, rm, f| box_f32(d::to_f32(a, rm, f))),
    ]
}
