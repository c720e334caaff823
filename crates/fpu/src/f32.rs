//! Single precision (binary32, the `.S` instructions) on raw `u32` encodings.
//!
//! Operands are already unboxed (see [`crate::unbox_f32`]).

use crate::bits::{self, F32};
use crate::{ffi, Flags, RoundingMode};

/// The canonical NaN, `0x7fc00000`: positive, only the quiet bit set.
pub const CANONICAL_NAN: u32 = 0x7fc0_0000;

const SIGN: u32 = 1 << 31;

/// FADD.S: `a + b`.
#[inline]
pub fn add(a: u32, b: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f32_add(a, b, rm.bits(), flags.raw())
}

/// FSUB.S: `a - b`.
#[inline]
pub fn sub(a: u32, b: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f32_sub(a, b, rm.bits(), flags.raw())
}

/// FMUL.S: `a × b`.
#[inline]
pub fn mul(a: u32, b: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f32_mul(a, b, rm.bits(), flags.raw())
}

/// FDIV.S: `a ÷ b`.
#[inline]
pub fn div(a: u32, b: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f32_div(a, b, rm.bits(), flags.raw())
}

/// FSQRT.S: `√a`.
#[inline]
pub fn sqrt(a: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f32_sqrt(a, rm.bits(), flags.raw())
}

/// FMADD.S: `a × b + c`, rounded once. `∞ × 0 + c` raises NV even when `c`
/// is a quiet NaN, as the spec requires.
#[inline]
pub fn fmadd(a: u32, b: u32, c: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f32_mul_add(a, b, c, rm.bits(), flags.raw())
}

/// FMSUB.S: `a × b - c`, rounded once.
#[inline]
pub fn fmsub(a: u32, b: u32, c: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    // Negating an operand is exact, so this is the single rounding of the
    // true value in every mode (Spike does the same).
    ffi::f32_mul_add(a, b, c ^ SIGN, rm.bits(), flags.raw())
}

/// FNMSUB.S: `-(a × b) + c`, rounded once.
#[inline]
pub fn fnmsub(a: u32, b: u32, c: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f32_mul_add(a ^ SIGN, b, c, rm.bits(), flags.raw())
}

/// FNMADD.S: `-(a × b) - c`, rounded once.
#[inline]
pub fn fnmadd(a: u32, b: u32, c: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f32_mul_add(a ^ SIGN, b, c ^ SIGN, rm.bits(), flags.raw())
}

/// FMIN.S: the smaller operand, with -0 < +0; one NaN operand yields the
/// other operand, two yield the canonical NaN; a signalling NaN raises NV.
#[inline]
pub fn min(a: u32, b: u32, flags: &mut Flags) -> u32 {
    bits::min_max(&F32, a.into(), b.into(), false, flags) as u32
}

/// FMAX.S: as [`min`], for the larger operand.
#[inline]
pub fn max(a: u32, b: u32, flags: &mut Flags) -> u32 {
    bits::min_max(&F32, a.into(), b.into(), true, flags) as u32
}

/// FEQ.S: quiet equality (+0 = -0); NaN compares unequal, NV only for a
/// signalling NaN.
#[inline]
pub fn eq(a: u32, b: u32, flags: &mut Flags) -> bool {
    bits::eq(&F32, a.into(), b.into(), flags)
}

/// FLT.S: signalling `a < b`; false with NV if either operand is any NaN.
#[inline]
pub fn lt(a: u32, b: u32, flags: &mut Flags) -> bool {
    bits::less(&F32, a.into(), b.into(), false, flags)
}

/// FLE.S: signalling `a ≤ b`; false with NV if either operand is any NaN.
#[inline]
pub fn le(a: u32, b: u32, flags: &mut Flags) -> bool {
    bits::less(&F32, a.into(), b.into(), true, flags)
}

/// FCLASS.S: the 10-bit class mask (bit 0 -∞, 1 negative normal,
/// 2 negative subnormal, 3 -0, 4 +0, 5 positive subnormal, 6 positive normal,
/// 7 +∞, 8 signalling NaN, 9 quiet NaN).
#[inline]
pub fn classify(a: u32) -> u16 {
    bits::classify(&F32, a.into())
}

/// FSGNJ.S: `a` with the sign of `b`. Bits are copied, NaNs included.
#[inline]
pub fn sgnj(a: u32, b: u32) -> u32 {
    (a & !SIGN) | (b & SIGN)
}

/// FSGNJN.S: `a` with the opposite of the sign of `b`.
#[inline]
pub fn sgnjn(a: u32, b: u32) -> u32 {
    (a & !SIGN) | (!b & SIGN)
}

/// FSGNJX.S: `a` with its sign XORed with the sign of `b`.
#[inline]
pub fn sgnjx(a: u32, b: u32) -> u32 {
    a ^ (b & SIGN)
}

/// FCVT.W.S: rounds to `i32`. Out of range, ±∞ and NaN saturate per the
/// spec's table (NaN and +∞ → `i32::MAX`, -∞ → `i32::MIN`) and raise NV;
/// an in-range inexact result raises NX.
#[inline]
pub fn to_i32(a: u32, rm: RoundingMode, flags: &mut Flags) -> i32 {
    ffi::f32_to_i32(a, rm.bits(), flags.raw())
}

/// FCVT.WU.S: rounds to `u32`; NaN and too-large → `u32::MAX`, negative
/// values that do not round to 0 → 0, both with NV. (RV64 sign-extends.)
#[inline]
pub fn to_u32(a: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f32_to_u32(a, rm.bits(), flags.raw())
}

/// FCVT.L.S: rounds to `i64`, saturating as [`to_i32`].
#[inline]
pub fn to_i64(a: u32, rm: RoundingMode, flags: &mut Flags) -> i64 {
    ffi::f32_to_i64(a, rm.bits(), flags.raw())
}

/// FCVT.LU.S: rounds to `u64`, saturating as [`to_u32`].
#[inline]
pub fn to_u64(a: u32, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f32_to_u64(a, rm.bits(), flags.raw())
}

/// FCVT.S.W: from `i32`, rounding (NX when inexact).
#[inline]
pub fn from_i32(a: i32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::i32_to_f32(a, rm.bits(), flags.raw())
}

/// FCVT.S.WU: from `u32`.
#[inline]
pub fn from_u32(a: u32, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::u32_to_f32(a, rm.bits(), flags.raw())
}

/// FCVT.S.L: from `i64`.
#[inline]
pub fn from_i64(a: i64, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::i64_to_f32(a, rm.bits(), flags.raw())
}

/// FCVT.S.LU: from `u64`.
#[inline]
pub fn from_u64(a: u64, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::u64_to_f32(a, rm.bits(), flags.raw())
}

/// FCVT.D.S: widens to binary64. Exact, so it takes no rounding mode; a NaN
/// becomes the canonical NaN (NV if it was signalling).
#[inline]
pub fn to_f64(a: u32, flags: &mut Flags) -> u64 {
    ffi::f32_to_f64(a, RoundingMode::Rne.bits(), flags.raw())
}
