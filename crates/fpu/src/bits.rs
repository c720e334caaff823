//! The RISC-V rules that are pure bit manipulation: comparisons, FMIN/FMAX,
//! FCLASS and sign injection. They need no rounding, so they are done here
//! rather than through SoftFloat, whose generic IEEE versions differ from
//! RISC-V for min/max anyway. Values of either width travel as `u64`
//! (binary32 zero-extended); a [`Format`] gives the field masks.

use crate::Flags;

/// Field masks of one IEEE 754 binary interchange format.
pub(crate) struct Format {
    pub sign: u64,
    pub exp: u64,
    pub frac: u64,
    /// The most significant fraction bit: set in a quiet NaN.
    pub quiet: u64,
    pub canonical_nan: u64,
}

pub(crate) const F32: Format = Format {
    sign: 1 << 31,
    exp: 0xff << 23,
    frac: (1 << 23) - 1,
    quiet: 1 << 22,
    canonical_nan: 0x7fc0_0000,
};

pub(crate) const F64: Format = Format {
    sign: 1 << 63,
    exp: 0x7ff << 52,
    frac: (1 << 52) - 1,
    quiet: 1 << 51,
    canonical_nan: 0x7ff8_0000_0000_0000,
};

impl Format {
    #[inline(always)]
    fn magnitude(&self, x: u64) -> u64 {
        x & (self.exp | self.frac)
    }

    #[inline(always)]
    pub fn is_nan(&self, x: u64) -> bool {
        self.magnitude(x) > self.exp
    }

    #[inline(always)]
    pub fn is_snan(&self, x: u64) -> bool {
        self.is_nan(x) && x & self.quiet == 0
    }

    /// Maps non-NaN encodings onto unsigned integers in numeric order, with
    /// -0 just below +0 (the order FMIN/FMAX use).
    #[inline(always)]
    fn key(&self, x: u64) -> u64 {
        if x & self.sign != 0 {
            !x & (self.sign | self.exp | self.frac)
        } else {
            x | self.sign
        }
    }

    #[inline(always)]
    fn both_zero(&self, a: u64, b: u64) -> bool {
        self.magnitude(a | b) == 0
    }
}

/// FMIN (`want_max` false) or FMAX, version 2.2 semantics.
#[inline]
pub(crate) fn min_max(f: &Format, a: u64, b: u64, want_max: bool, flags: &mut Flags) -> u64 {
    if f.is_snan(a) || f.is_snan(b) {
        *flags |= Flags::NV;
    }
    match (f.is_nan(a), f.is_nan(b)) {
        (true, true) => f.canonical_nan,
        (true, false) => b,
        (false, true) => a,
        (false, false) => {
            if (f.key(a) < f.key(b)) != want_max {
                a
            } else {
                b
            }
        }
    }
}

/// FEQ: a quiet comparison, NV only for a signalling NaN.
#[inline]
pub(crate) fn eq(f: &Format, a: u64, b: u64, flags: &mut Flags) -> bool {
    if f.is_nan(a) || f.is_nan(b) {
        if f.is_snan(a) || f.is_snan(b) {
            *flags |= Flags::NV;
        }
        return false;
    }
    a == b || f.both_zero(a, b)
}

/// FLT (`or_equal` false) or FLE: signalling comparisons, NV for any NaN.
#[inline]
pub(crate) fn less(f: &Format, a: u64, b: u64, or_equal: bool, flags: &mut Flags) -> bool {
    if f.is_nan(a) || f.is_nan(b) {
        *flags |= Flags::NV;
        return false;
    }
    if f.both_zero(a, b) {
        return or_equal;
    }
    if or_equal {
        f.key(a) <= f.key(b)
    } else {
        f.key(a) < f.key(b)
    }
}

/// FCLASS: exactly one of the ten bits of the spec's table is set.
#[inline]
pub(crate) fn classify(f: &Format, x: u64) -> u16 {
    let negative = x & f.sign != 0;
    let exp = x & f.exp;
    let frac = x & f.frac;
    let bit = if exp == f.exp {
        match (frac == 0, x & f.quiet != 0) {
            (true, _) if negative => 0,
            (true, _) => 7,
            (false, false) => 8,
            (false, true) => 9,
        }
    } else if exp == 0 {
        match (frac == 0, negative) {
            (true, true) => 3,
            (true, false) => 4,
            (false, true) => 2,
            (false, false) => 5,
        }
    } else if negative {
        1
    } else {
        6
    };
    1 << bit
}
