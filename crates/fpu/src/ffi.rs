//! The SoftFloat calls, one safe function per operation, on top of
//! [`softfloat_sys`] (Berkeley SoftFloat 3e built from the crate's bundled
//! sources with the RISC-V specialisation).
//!
//! Each function takes the rounding mode as the RISC-V `rm` encoding (SoftFloat
//! numbers its modes the same way: near_even 0, minMag 1, min 2, max 3,
//! near_maxMag 4) and ORs the operation's exception flags into `*flags`
//! (SoftFloat's flag bits are the `fflags` bits).
//!
//! # Why these are safe functions
//!
//! SoftFloat reads the rounding mode from, and accumulates exception flags
//! into, the globals `softfloat_roundingMode` / `softfloat_exceptionFlags`.
//! `softfloat-sys` compiles them `_Thread_local` (its build script defines
//! `THREAD_LOCAL`) and, since Rust cannot name a C thread-local, exposes
//! `softfloat_*_read_helper` / `_write_helper` functions that load or store the
//! calling thread's instance. Every function here, on the calling thread and
//! with nothing in between that could run other code (SoftFloat takes no
//! callbacks and never unwinds):
//!
//! 1. stores the mode and clears the flags through the write helpers,
//! 2. runs the operation, which only computes on its by-value integer
//!    operands, reads the mode and ORs into the flags,
//! 3. loads the flags through the read helper.
//!
//! So no state survives from one call to the next: two replicas, on one thread
//! or on many, cannot observe each other's rounding mode or flags
//! (`tests/threads.rs` checks both). The third global,
//! `softfloat_detectTininess`, is never written: it keeps the RISC-V
//! specialisation's initial value, tininess after rounding, as the ISA
//! requires.
//!
//! That the globals are thread-local is a property of `softfloat-sys`'s build,
//! not of its API, so `Cargo.toml` pins the version it was checked for.

use softfloat_sys as sf;
use softfloat_sys::{float32_t, float64_t};

/// Step 1: makes `rm` the calling thread's rounding mode and clears its flags.
#[inline(always)]
fn begin(rm: u8) {
    // SAFETY: the helpers take and return plain integers and only store to
    // SoftFloat's `_Thread_local` globals of the calling thread, which no
    // other thread can reach; any `rm` is a valid `uint_fast8_t` (callers pass
    // 0–4, the modes SoftFloat implements).
    unsafe {
        sf::softfloat_roundingMode_write_helper(rm);
        sf::softfloat_exceptionFlags_write_helper(0);
    }
}

/// Step 3: ORs the flags the operation raised into `*flags`.
#[inline(always)]
fn end(flags: &mut u8) {
    // SAFETY: as in `begin`: a plain load of this thread's own
    // `softfloat_exceptionFlags`, which `begin` cleared before the operation.
    // SoftFloat only ever sets the five `fflags` bits in it.
    *flags |= unsafe { sf::softfloat_exceptionFlags_read_helper() };
}

/// `name(a, b)` for a binary SoftFloat operation on `ty`.
macro_rules! binary {
    ($($name:ident = $sf:ident($ty:ident, $bits:ty);)*) => {$(
        #[inline]
        pub fn $name(a: $bits, b: $bits, rm: u8, flags: &mut u8) -> $bits {
            begin(rm);
            // SAFETY: pure integer C on by-value operands (`#[repr(C)]`
            // wrappers of the bits); no pointers, callbacks or unwinding; its
            // only side effects are on this thread's SoftFloat globals.
            let r = unsafe { sf::$sf($ty { v: a }, $ty { v: b }) }.v;
            end(flags);
            r
        }
    )*};
}

/// `name(a, b, c)` = `a × b + c` rounded once.
macro_rules! ternary {
    ($($name:ident = $sf:ident($ty:ident, $bits:ty);)*) => {$(
        #[inline]
        pub fn $name(a: $bits, b: $bits, c: $bits, rm: u8, flags: &mut u8) -> $bits {
            begin(rm);
            // SAFETY: as for the binary operations.
            let r = unsafe { sf::$sf($ty { v: a }, $ty { v: b }, $ty { v: c }) }.v;
            end(flags);
            r
        }
    )*};
}

/// A one-operand operation from `ty` to `out` (square root, widening,
/// narrowing).
macro_rules! unary {
    ($($name:ident = $sf:ident($ty:ident, $bits:ty) -> $out:ty;)*) => {$(
        #[inline]
        pub fn $name(a: $bits, rm: u8, flags: &mut u8) -> $out {
            begin(rm);
            // SAFETY: as for the binary operations.
            let r = unsafe { sf::$sf($ty { v: a }) }.v;
            end(flags);
            r
        }
    )*};
}

/// Float to integer. SoftFloat takes the mode as an argument here; `exact` =
/// true makes it raise NX. The global mode is still set, so every function is
/// alike. The `int_fast*_t` result holds a value of the instruction's width
/// (saturated per the RISC-V specialisation), so the cast is lossless.
macro_rules! to_int {
    ($($name:ident = $sf:ident($ty:ident, $bits:ty) -> $int:ty;)*) => {$(
        #[inline]
        pub fn $name(a: $bits, rm: u8, flags: &mut u8) -> $int {
            begin(rm);
            // SAFETY: as for the binary operations.
            let r = unsafe { sf::$sf($ty { v: a }, rm, true) };
            end(flags);
            r as $int
        }
    )*};
}

/// Integer to float, rounding by the global mode.
macro_rules! from_int {
    ($($name:ident = $sf:ident($int:ty) -> $bits:ty;)*) => {$(
        #[inline]
        pub fn $name(a: $int, rm: u8, flags: &mut u8) -> $bits {
            begin(rm);
            // SAFETY: as for the binary operations.
            let r = unsafe { sf::$sf(a) }.v;
            end(flags);
            r
        }
    )*};
}

binary! {
    f32_add = f32_add(float32_t, u32);
    f32_sub = f32_sub(float32_t, u32);
    f32_mul = f32_mul(float32_t, u32);
    f32_div = f32_div(float32_t, u32);
    f64_add = f64_add(float64_t, u64);
    f64_sub = f64_sub(float64_t, u64);
    f64_mul = f64_mul(float64_t, u64);
    f64_div = f64_div(float64_t, u64);
}

ternary! {
    f32_mul_add = f32_mulAdd(float32_t, u32);
    f64_mul_add = f64_mulAdd(float64_t, u64);
}

unary! {
    f32_sqrt = f32_sqrt(float32_t, u32) -> u32;
    f64_sqrt = f64_sqrt(float64_t, u64) -> u64;
    f32_to_f64 = f32_to_f64(float32_t, u32) -> u64;
    f64_to_f32 = f64_to_f32(float64_t, u64) -> u32;
}

to_int! {
    f32_to_i32 = f32_to_i32(float32_t, u32) -> i32;
    f32_to_u32 = f32_to_ui32(float32_t, u32) -> u32;
    f32_to_i64 = f32_to_i64(float32_t, u32) -> i64;
    f32_to_u64 = f32_to_ui64(float32_t, u32) -> u64;
    f64_to_i32 = f64_to_i32(float64_t, u64) -> i32;
    f64_to_u32 = f64_to_ui32(float64_t, u64) -> u32;
    f64_to_i64 = f64_to_i64(float64_t, u64) -> i64;
    f64_to_u64 = f64_to_ui64(float64_t, u64) -> u64;
}

from_int! {
    i32_to_f32 = i32_to_f32(i32) -> u32;
    u32_to_f32 = ui32_to_f32(u32) -> u32;
    i64_to_f32 = i64_to_f32(i64) -> u32;
    u64_to_f32 = ui64_to_f32(u64) -> u32;
    i32_to_f64 = i32_to_f64(i32) -> u64;
    u32_to_f64 = ui32_to_f64(u32) -> u64;
    i64_to_f64 = i64_to_f64(i64) -> u64;
    u64_to_f64 = ui64_to_f64(u64) -> u64;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode() -> u8 {
        // SAFETY: a plain load of this thread's own SoftFloat global.
        unsafe { sf::softfloat_roundingMode_read_helper() }
    }

    fn flags() -> u8 {
        // SAFETY: as in `mode`.
        unsafe { sf::softfloat_exceptionFlags_read_helper() }
    }

    /// The premise of the safety argument, checked directly rather than by
    /// racing threads (`tests/threads.rs` does that): a store to SoftFloat's
    /// globals on one thread is invisible to another.
    #[test]
    fn globals_are_thread_local() {
        begin(sf::softfloat_round_near_even);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                begin(sf::softfloat_round_max);
                // SAFETY: as in `end`, a store to this thread's own global.
                unsafe { sf::softfloat_exceptionFlags_write_helper(0x1f) };
                assert_eq!((mode(), flags()), (sf::softfloat_round_max, 0x1f));
            });
        });
        assert_eq!((mode(), flags()), (sf::softfloat_round_near_even, 0));
    }

    /// The RISC-V specialisation was built (the `riscv` feature): it detects
    /// tininess after rounding, and nothing here changes that.
    #[test]
    fn tininess_is_detected_after_rounding() {
        let mut raised = 0;
        // 2^-126 (1 + 2^-23) × (1 - 2^-23) = 2^-126 (1 - 2^-46): tiny before
        // rounding, but rounds (RNE) to 2^-126, the smallest normal, so only
        // NX; tininess before rounding would add UF.
        let r = f32_mul(0x0080_0001, 0x3f7f_fffe, 0, &mut raised);
        assert_eq!((r, raised), (0x0080_0000, 1));
        // SAFETY: as in `mode`.
        let tininess = unsafe { sf::softfloat_detectTininess_read_helper() };
        assert_eq!(tininess, sf::softfloat_tininess_afterRounding);
    }
}
