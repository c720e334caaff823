//! Double precision (binary64, the `.D` instructions) on raw `u64` encodings.

use crate::bits::{self, F64};
use crate::{ffi, Flags, RoundingMode};

/// The canonical NaN, `0x7ff8000000000000`: positive, only the quiet bit set.
pub const CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

const SIGN: u64 = 1 << 63;

/// FADD.D: `a + b`.
#[inline]
pub fn add(a: u64, b: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f64_add(a, b, rm.bits(), flags.raw())
}

/// FSUB.D: `a - b`.
#[inline]
pub fn sub(a: u64, b: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f64_sub(a, b, rm.bits(), flags.raw())
}

/// FMUL.D: `a × b`.
#[inline]
pub fn mul(a: u64, b: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f64_mul(a, b, rm.bits(), flags.raw())
}

/// FDIV.D: `a ÷ b`.
#[inline]
pub fn div(a: u64, b: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f64_div(a, b, rm.bits(), flags.raw())
}

/// FSQRT.D: `√a`.
#[inline]
pub fn sqrt(a: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f64_sqrt(a, rm.bits(), flags.raw())
}

/// FMADD.D: `a × b + c`, rounded once. `∞ × 0 + c` raises NV even when `c`
/// is a quiet NaN, as the spec requires.
#[inline]
pub fn fmadd(a: u64, b: u64, c: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f64_mul_add(a, b, c, rm.bits(), flags.raw())
}

/// FMSUB.D: `a × b - c`, rounded once.
#[inline]
pub fn fmsub(a: u64, b: u64, c: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    // Negating an operand is exact, so this is the single rounding of the
    // true value in every mode (Spike does the same).
    ffi::f64_mul_add(a, b, c ^ SIGN, rm.bits(), flags.raw())
}

/// FNMSUB.D: `-(a × b) + c`, rounded once.
#[inline]
pub fn fnmsub(a: u64, b: u64, c: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f64_mul_add(a ^ SIGN, b, c, rm.bits(), flags.raw())
}

/// FNMADD.D: `-(a × b) - c`, rounded once.
#[inline]
pub fn fnmadd(a: u64, b: u64, c: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f64_mul_add(a ^ SIGN, b, c ^ SIGN, rm.bits(), flags.raw())
}

/// FMIN.D: the smaller operand, with -0 < +0; one NaN operand yields the
/// other operand, two yield the canonical NaN; a signalling NaN raises NV.
#[inline]
pub fn min(a: u64, b: u64, flags: &mut Flags) -> u64 {
    bits::min_max(&F64, a, b, false, flags)
}

/// FMAX.D: as [`min`], for the larger operand.
#[inline]
pub fn max(a: u64, b: u64, flags: &mut Flags) -> u64 {
    bits::min_max(&F64, a, b, true, flags)
}

/// FEQ.D: quiet equality (+0 = -0); NaN compares unequal, NV only for a
/// signalling NaN.
#[inline]
pub fn eq(a: u64, b: u64, flags: &mut Flags) -> bool {
    bits::eq(&F64, a, b, flags)
}

/// FLT.D: signalling `a < b`; false with NV if either operand is any NaN.
#[inline]
pub fn lt(a: u64, b: u64, flags: &mut Flags) -> bool {
    bits::less(&F64, a, b, false, flags)
}

/// FLE.D: signalling `a ≤ b`; false with NV if either operand is any NaN.
#[inline]
pub fn le(a: u64, b: u64, flags: &mut Flags) -> bool {
    bits::less(&F64, a, b, true, flags)
}

/// FCLASS.D: the 10-bit class mask (bit 0 -∞, 1 negative normal,
/// 2 negative subnormal, 3 -0, 4 +0, 5 positive subnormal, 6 positive normal,
/// 7 +∞, 8 signalling NaN, 9 quiet NaN).
#[inline]
pub fn classify(a: u64) -> u16 {
    bits::classify(&F64, a)
}

/// FSGNJ.D: `a` with the sign of `b`. Bits are copied, NaNs included.
#[inline]
pub fn sgnj(a: u64, b: u64) -> u64 {
    (a & !SIGN) | (b & SIGN)
}

/// FSGNJN.D: `a` with the opposite of the sign of `b`.
#[inline]
pub fn sgnjn(a: u64, b: u64) -> u64 {
    (a & !SIGN) | (!b & SIGN)
}

/// FSGNJX.D: `a` with its sign XORed with the sign of `b`.
#[inline]
pub fn sgnjx(a: u64, b: u64) -> u64 {
    a ^ (b & SIGN)
}

/// FCVT.W.D: rounds to `i32`. Out of range, ±∞ and NaN saturate per the
/// spec's table (NaN and +∞ → `i32::MAX`, -∞ → `i32::MIN`) and raise NV;
/// an in-range inexact result raises NX.
#[inline]
pub fn to_i32(a: u64, rm: RoundingMode, flags: &mut Flags) -> i32 {
    ffi::f64_to_i32(a, rm.bits(), flags.raw())
}

/// FCVT.WU.D: rounds to `u32`; NaN and too-large → `u32::MAX`, negative
/// values that do not round to 0 → 0, both with NV. (RV64 sign-extends.)
#[inline]
pub fn to_u32(a: u64, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f64_to_u32(a, rm.bits(), flags.raw())
}

/// FCVT.L.D: rounds to `i64`, saturating as [`to_i32`].
#[inline]
pub fn to_i64(a: u64, rm: RoundingMode, flags: &mut Flags) -> i64 {
    ffi::f64_to_i64(a, rm.bits(), flags.raw())
}

/// FCVT.LU.D: rounds to `u64`, saturating as [`to_u32`].
#[inline]
pub fn to_u64(a: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::f64_to_u64(a, rm.bits(), flags.raw())
}

/// FCVT.D.W: from `i32`. Always exact; `rm` is accepted for uniformity.
#[inline]
pub fn from_i32(a: i32, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::i32_to_f64(a, rm.bits(), flags.raw())
}

/// FCVT.D.WU: from `u32`. Always exact.
#[inline]
pub fn from_u32(a: u32, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::u32_to_f64(a, rm.bits(), flags.raw())
}

/// FCVT.D.L: from `i64`, rounding (NX when inexact).
#[inline]
pub fn from_i64(a: i64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::i64_to_f64(a, rm.bits(), flags.raw())
}

/// FCVT.D.LU: from `u64`.
#[inline]
pub fn from_u64(a: u64, rm: RoundingMode, flags: &mut Flags) -> u64 {
    ffi::u64_to_f64(a, rm.bits(), flags.raw())
}

/// FCVT.S.D: narrows to binary32, rounding; a NaN becomes the canonical
/// binary32 NaN (NV if it was signalling).
#[inline]
pub fn to_f32(a: u64, rm: RoundingMode, flags: &mut Flags) -> u32 {
    ffi::f64_to_f32(a, rm.bits(), flags.raw())
}
