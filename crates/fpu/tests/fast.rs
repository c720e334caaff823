//! The host fast paths agree with SoftFloat bit for bit whenever they answer, and then
//! SoftFloat raises nothing but NX; they answer often enough to matter.

use fpu::fast::{self, Arith};
use fpu::{f32 as s, f64 as d, Flags, RoundingMode};

/// SplitMix64, so a failure names a reproducible vector.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Mostly the hard cases: exponents at the edges of the range (tiny, subnormal, huge,
    /// infinite/NaN), zeros, and plain random encodings.
    fn f64(&mut self) -> u64 {
        let r = self.next();
        let sign = r & (1 << 63);
        let mant = self.next() & ((1 << 52) - 1);
        let exp = match r % 8 {
            0 => 0,
            1 => 1 + (r >> 8) % 4,
            2 => 0x7ff,
            3 => 0x7fe - (r >> 8) % 4,
            4 => 0x3ff - 30 + (r >> 8) % 60,
            5 => 0x200 + (r >> 8) % 0x3f0,
            _ => return self.next(),
        };
        sign | exp << 52 | if r % 16 == 9 { 0 } else { mant }
    }

    fn f32(&mut self) -> u32 {
        let r = self.next();
        let sign = (r as u32) & (1 << 31);
        let mant = (self.next() as u32) & ((1 << 23) - 1);
        let exp = match r % 8 {
            0 => 0,
            1 => 1 + ((r >> 8) % 4) as u32,
            2 => 0xff,
            3 => 0xfe - ((r >> 8) % 4) as u32,
            4 => 0x7f - 12 + ((r >> 8) % 24) as u32,
            _ => return self.next() as u32,
        };
        sign | exp << 23 | if r % 16 == 9 { 0 } else { mant }
    }
}

const OPS: [Arith; 4] = [Arith::Add, Arith::Sub, Arith::Mul, Arith::Div];

fn check<T: PartialEq + std::fmt::LowerHex>(what: &str, fast: Option<T>, soft: T, flags: Flags) -> bool {
    let Some(v) = fast else { return false };
    assert!(v == soft, "{what}: host {v:#x}, SoftFloat {soft:#x}");
    assert!(
        flags.is_empty() || flags == Flags::NX,
        "{what}: SoftFloat raised {flags:?}"
    );
    true
}

#[test]
fn binary64_fast_results_match_softfloat_exactly() {
    let mut rng = Rng(64);
    let mut answered = 0;
    let n = 400_000;
    for i in 0..n {
        let (a, b) = (rng.f64(), rng.f64());
        // Operands close to each other (cancellation) and to the extremes of quotients.
        let b = if i % 5 == 0 { a ^ (rng.next() & 0xff) } else { b };
        for op in OPS {
            let mut fl = Flags::empty();
            let soft = match op {
                Arith::Add => d::add(a, b, RoundingMode::Rne, &mut fl),
                Arith::Sub => d::sub(a, b, RoundingMode::Rne, &mut fl),
                Arith::Mul => d::mul(a, b, RoundingMode::Rne, &mut fl),
                Arith::Div => d::div(a, b, RoundingMode::Rne, &mut fl),
            };
            let what = format!("{op:?} {a:#x} {b:#x}");
            answered += check(&what, fast::f64_arith(op, a, b), soft, fl) as u32;
        }
        let mut fl = Flags::empty();
        let soft = d::sqrt(a, RoundingMode::Rne, &mut fl);
        answered += check(&format!("sqrt {a:#x}"), fast::f64_sqrt(a), soft, fl) as u32;
    }
    assert!(
        answered > n,
        "the fast path answered only {answered} of {} vectors",
        5 * n
    );
}

#[test]
fn binary32_fast_results_match_softfloat_exactly() {
    let mut rng = Rng(32);
    let mut answered = 0;
    let n = 400_000;
    for i in 0..n {
        let (a, b) = (rng.f32(), rng.f32());
        let b = if i % 5 == 0 {
            a ^ (rng.next() as u32 & 0xff)
        } else {
            b
        };
        for op in OPS {
            let mut fl = Flags::empty();
            let soft = match op {
                Arith::Add => s::add(a, b, RoundingMode::Rne, &mut fl),
                Arith::Sub => s::sub(a, b, RoundingMode::Rne, &mut fl),
                Arith::Mul => s::mul(a, b, RoundingMode::Rne, &mut fl),
                Arith::Div => s::div(a, b, RoundingMode::Rne, &mut fl),
            };
            let what = format!("{op:?} {a:#x} {b:#x}");
            answered += check(&what, fast::f32_arith(op, a, b), soft, fl) as u32;
        }
        let mut fl = Flags::empty();
        let soft = s::sqrt(a, RoundingMode::Rne, &mut fl);
        answered += check(&format!("sqrt {a:#x}"), fast::f32_sqrt(a), soft, fl) as u32;
    }
    assert!(
        answered > n,
        "the fast path answered only {answered} of {} vectors",
        5 * n
    );
}

#[test]
fn results_that_may_be_tiny_or_overflow_are_left_to_softfloat() {
    // Rounds up to the smallest normal: tiny after rounding with an unbounded exponent.
    let min = f64::MIN_POSITIVE;
    assert_eq!(fast::f64_arith(Arith::Mul, min.to_bits(), 1.0f64.to_bits()), None);
    assert_eq!(
        fast::f64_arith(Arith::Mul, f64::MAX.to_bits(), 2.0f64.to_bits()),
        None
    );
    assert_eq!(
        fast::f64_arith(Arith::Sub, 1.0f64.to_bits(), 1.0f64.to_bits()),
        None
    );
    assert_eq!(fast::f64_arith(Arith::Div, 1.0f64.to_bits(), 0), None);
    assert_eq!(fast::f64_sqrt((-4.0f64).to_bits()), None);
    assert_eq!(
        fast::f64_arith(Arith::Add, 1.5f64.to_bits(), 2.25f64.to_bits()),
        Some(3.75f64.to_bits())
    );
}
