//! Host-FPU fast paths for the common case of `+ - × ÷ √`.
//!
//! Each function returns the host's IEEE 754 result when it is certainly bit-identical to the
//! SoftFloat function's *and* that function would raise no flag other than NX: the caller has
//! resolved the rounding mode to round-to-nearest-even (the host's, which Rust never changes),
//! both operands are finite, and the result is normal and larger in magnitude than the smallest
//! normal (a result rounded up to exactly the smallest normal may still be tiny after rounding
//! with an unbounded exponent, RISC-V's underflow rule). Under those conditions overflow,
//! underflow, invalid and divide-by-zero are impossible and NaN rules do not apply. Otherwise
//! `None`: use the SoftFloat function.
//!
//! Whether the operation was inexact is not computed, so the caller may use these only while
//! NX is already set in `fflags` (as QEMU's "hardfloat" does): accruing NX again changes
//! nothing. Correctly rounded `+ - × ÷ √` in binary32/64 are required of every IEEE 754 host
//! FPU (x86-64 SSE2 here, with flush-to-zero and denormals-are-zero off, Rust's default).

/// Whether a binary64 encoding is finite (not infinity or NaN).
fn finite64(x: u64) -> bool {
    (x >> 52) & 0x7ff != 0x7ff
}

fn finite32(x: u32) -> bool {
    (x >> 23) & 0xff != 0xff
}

fn checked64(r: f64) -> Option<u64> {
    (r.is_finite() && r.abs() > f64::MIN_POSITIVE).then_some(r.to_bits())
}

fn checked32(r: f32) -> Option<u32> {
    (r.is_finite() && r.abs() > f32::MIN_POSITIVE).then_some(r.to_bits())
}

/// The binary64 operations the fast path covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    /// FADD
    Add,
    /// FSUB
    Sub,
    /// FMUL
    Mul,
    /// FDIV
    Div,
}

/// `a op b` in binary64, round-to-nearest-even, when exact to SoftFloat with at most NX.
#[inline]
pub fn f64_arith(op: Arith, a: u64, b: u64) -> Option<u64> {
    if !finite64(a) || !finite64(b) {
        return None;
    }
    let (x, y) = (f64::from_bits(a), f64::from_bits(b));
    checked64(match op {
        Arith::Add => x + y,
        Arith::Sub => x - y,
        Arith::Mul => x * y,
        Arith::Div => x / y,
    })
}

/// `a op b` in binary32, round-to-nearest-even, when exact to SoftFloat with at most NX.
#[inline]
pub fn f32_arith(op: Arith, a: u32, b: u32) -> Option<u32> {
    if !finite32(a) || !finite32(b) {
        return None;
    }
    let (x, y) = (f32::from_bits(a), f32::from_bits(b));
    checked32(match op {
        Arith::Add => x + y,
        Arith::Sub => x - y,
        Arith::Mul => x * y,
        Arith::Div => x / y,
    })
}

/// `√a` in binary64, round-to-nearest-even, when exact to SoftFloat with at most NX.
#[inline]
pub fn f64_sqrt(a: u64) -> Option<u64> {
    let x = f64::from_bits(a);
    (finite64(a) && x > 0.0).then(|| checked64(x.sqrt())).flatten()
}

/// `√a` in binary32, round-to-nearest-even, when exact to SoftFloat with at most NX.
#[inline]
pub fn f32_sqrt(a: u32) -> Option<u32> {
    let x = f32::from_bits(a);
    (finite32(a) && x > 0.0).then(|| checked32(x.sqrt())).flatten()
}
