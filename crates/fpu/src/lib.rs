//! RISC-V "F" and "D" (v2.2) floating-point semantics as pure functions on bits.
//!
//! ```
//! use fpu::{Flags, RoundingMode};
//!
//! let mut flags = Flags::empty();
//! let third = fpu::f32::div(1.0f32.to_bits(), 3.0f32.to_bits(), RoundingMode::Rne, &mut flags);
//! assert_eq!(third, 0x3eaa_aaab);
//! assert_eq!(flags, Flags::NX);
//!
//! // Every NaN an operation produces is the canonical NaN; 0/0 also raises NV.
//! let nan = fpu::f64::div(0, 0, RoundingMode::Rne, &mut flags);
//! assert_eq!(nan, fpu::f64::CANONICAL_NAN);
//! assert_eq!(flags, Flags::NX | Flags::NV);
//!
//! // Single-precision values live NaN-boxed in the 64-bit FP registers.
//! assert_eq!(fpu::unbox_f32(fpu::box_f32(third)), third);
//! assert_eq!(fpu::unbox_f32(0x0000_0000_3f80_0000), fpu::f32::CANONICAL_NAN);
//! ```
//!
//! # Contract
//!
//! * Every function is a pure function of its arguments: the result and the
//!   flags follow the RISC-V unprivileged ISA (20191213, chapters 11–12)
//!   bit for bit, whatever the host, its FPU, its rounding mode or its flags.
//!   Arithmetic is Berkeley SoftFloat 3e (integer-only C, RISC-V
//!   specialisation, the library Spike uses), taken from the `softfloat-sys`
//!   crate, which builds it from the sources it ships; the rest is bit
//!   manipulation here. The one use of host floating point is [`fast`]:
//!   `+ - × ÷ √` in the cases where the host's IEEE result is provably the
//!   same bits and flags, checked against SoftFloat by `tests/fast.rs`.
//! * Values are raw IEEE 754 encodings: `u32` for binary32 ([`mod@f32`]), `u64` for
//!   binary64 ([`mod@f64`]). Integers are Rust integers of the instruction's width.
//! * Exception flags are ORed into a `&mut` [`Flags`] (the `fflags` bits), the
//!   way the `fflags` CSR accrues them; functions that raise nothing (sign
//!   injection, classify) take none.
//! * The caller resolves the dynamic rounding mode (`rm` = 7) from `frm` and
//!   raises the illegal-instruction trap for reserved modes, for which
//!   [`RoundingMode::from_bits`] returns `None`.
//! * A NaN result is always the canonical NaN, except where the spec says
//!   otherwise: sign injection copies bits (payloads survive), and FMIN/FMAX
//!   with one NaN operand return the other operand unchanged.
//! * Single-precision operands read from a 64-bit register go through
//!   [`unbox_f32`] first and results go through [`box_f32`]: the functions
//!   here see only the 32-bit value.
//! * 32-bit integer results (`to_i32`, `to_u32`) are sign-extended to 64 bits
//!   by the caller on RV64, as FCVT.W\[U\] specifies; the `from_i32`/`from_u32`
//!   conversions take the low 32 bits of the source register.
//! * No state is kept between calls, so any number of threads (replicas) may
//!   call concurrently. SoftFloat's rounding-mode and flag globals are built
//!   thread-local by `softfloat-sys`, and every call sets them before the
//!   operation and reads the flags right after it, on the calling thread
//!   (see `src/ffi.rs`).
//!
//! # Building
//!
//! `softfloat-sys` compiles SoftFloat with the host C compiler (`cc`), and its
//! `c99` dependency needs `cmake` and `make` at build time
//! (`scripts/deps.sh` installs them). Its build script supports x86_64 Linux
//! hosts only.

#![warn(missing_docs)]

mod bits;
pub mod f32;
pub mod f64;
pub mod fast;
mod ffi;

use core::fmt;
use core::ops::{BitOr, BitOrAssign};

/// A static rounding mode, numbered as in the `rm` field and the `frm` CSR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum RoundingMode {
    /// Round to nearest, ties to even (000).
    Rne = 0,
    /// Round towards zero (001).
    Rtz = 1,
    /// Round down, towards -∞ (010).
    Rdn = 2,
    /// Round up, towards +∞ (011).
    Rup = 3,
    /// Round to nearest, ties to max magnitude (100).
    Rmm = 4,
}

impl RoundingMode {
    /// All five modes, in encoding order.
    pub const ALL: [RoundingMode; 5] = [Self::Rne, Self::Rtz, Self::Rdn, Self::Rup, Self::Rmm];

    /// Decodes a 3-bit `rm`/`frm` value. `None` for the reserved 5 and 6 and
    /// for 7, which in an instruction means "use `frm`" and in `frm` itself
    /// is reserved; the caller tells the two apart.
    #[inline]
    pub const fn from_bits(bits: u8) -> Option<Self> {
        match bits {
            0 => Some(Self::Rne),
            1 => Some(Self::Rtz),
            2 => Some(Self::Rdn),
            3 => Some(Self::Rup),
            4 => Some(Self::Rmm),
            _ => None,
        }
    }

    /// The 3-bit encoding.
    #[inline]
    pub const fn bits(self) -> u8 {
        self as u8
    }
}

/// Accrued exception flags in the layout of the `fflags` CSR.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Flags(u8);

impl Flags {
    /// Inexact.
    pub const NX: Flags = Flags(1);
    /// Underflow (tininess is detected after rounding).
    pub const UF: Flags = Flags(2);
    /// Overflow.
    pub const OF: Flags = Flags(4);
    /// Divide by zero.
    pub const DZ: Flags = Flags(8);
    /// Invalid operation.
    pub const NV: Flags = Flags(16);

    /// No flag set.
    #[inline]
    pub const fn empty() -> Self {
        Flags(0)
    }

    /// From `fflags` bits; bits above the five flags are ignored.
    #[inline]
    pub const fn from_bits(bits: u8) -> Self {
        Flags(bits & 0x1f)
    }

    /// The `fflags` bits.
    #[inline]
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether every flag of `other` is set in `self`.
    #[inline]
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no flag is set.
    #[inline]
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The byte `ffi` ORs SoftFloat's flags into; SoftFloat's flag values
    /// are the `fflags` bits, so the invariant (only bits 0–4) holds.
    #[inline(always)]
    pub(crate) fn raw(&mut self) -> &mut u8 {
        &mut self.0
    }
}

impl BitOr for Flags {
    type Output = Flags;
    #[inline]
    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl BitOrAssign for Flags {
    #[inline]
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

/// Lists the set flags by name, e.g. `Flags(NV|NX)`, for readable test failures.
impl fmt::Debug for Flags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [&str; 5] = ["NX", "UF", "OF", "DZ", "NV"];
        let set: Vec<&str> = (0..5)
            .rev()
            .filter(|i| self.0 & (1 << i) != 0)
            .map(|i| NAMES[i])
            .collect();
        write!(f, "Flags({})", set.join("|"))
    }
}

/// NaN-boxes a binary32 value for a 64-bit FP register (upper 32 bits all ones).
#[inline]
pub const fn box_f32(x: u32) -> u64 {
    0xffff_ffff_0000_0000 | x as u64
}

/// Reads a binary32 operand from a 64-bit FP register: a value that is not
/// properly NaN-boxed reads as the canonical NaN (spec §12.2).
#[inline]
pub const fn unbox_f32(x: u64) -> u32 {
    if x >> 32 == 0xffff_ffff {
        x as u32
    } else {
        crate::f32::CANONICAL_NAN
    }
}
