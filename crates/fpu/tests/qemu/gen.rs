//! Deterministic operand generation for the QEMU differential test.
//!
//! Uniformly random bit patterns almost never hit the cases where
//! implementations disagree, so most operands come from lists of special
//! values, their neighbours, subnormals, exact rounding ties and values at the
//! edges of the integer conversion ranges. Host floating point is used here
//! only to *write down* such inputs, never to compute an expected result.

/// xorshift64* (Vigna): tiny, good enough, and the same sequence everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The field layout of binary32 or binary64, encodings carried in a `u64`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fmt {
    pub exp_bits: u32,
    pub frac_bits: u32,
}

pub const S: Fmt = Fmt {
    exp_bits: 8,
    frac_bits: 23,
};
pub const D: Fmt = Fmt {
    exp_bits: 11,
    frac_bits: 52,
};

impl Fmt {
    fn sign(self) -> u64 {
        1 << (self.exp_bits + self.frac_bits)
    }
    fn frac_mask(self) -> u64 {
        (1 << self.frac_bits) - 1
    }
    fn exp_max(self) -> u64 {
        (1 << self.exp_bits) - 1
    }
    fn bias(self) -> u64 {
        self.exp_max() >> 1
    }
    fn make(self, negative: bool, exp: u64, frac: u64) -> u64 {
        (if negative { self.sign() } else { 0 }) | exp << self.frac_bits | (frac & self.frac_mask())
    }
    /// The encoding of a value that both formats represent exactly.
    fn encode(self, v: f64) -> u64 {
        if self == S {
            (v as f32).to_bits().into()
        } else {
            v.to_bits()
        }
    }
    fn exponent(self, x: u64) -> u64 {
        (x >> self.frac_bits) & self.exp_max()
    }
}

const NICE: [f64; 27] = [
    0.0,
    1.0,
    0.5,
    1.5,
    2.5,
    3.5,
    0.25,
    0.75,
    3.0,
    10.0,
    0.1,
    1e10,
    1.0 / 3.0,
    16777216.0,
    16777217.0,
    9007199254740992.0,
    2147483648.0,
    4294967296.0,
    9223372036854775808.0,
    18446744073709551616.0,
    // binary32's limits, for binary64 operands of FCVT.S.D: the smallest
    // normal, the points that round to it only if tininess is detected after
    // rounding and halfway below it, the largest finite value and the
    // overflow threshold halfway above it, the smallest subnormal.
    1.1754943508222875e-38,
    1.1754943157898259e-38,
    1.1754942807573643e-38,
    3.4028234663852886e38,
    3.4028235677973366e38,
    1.401298464324817e-45,
    0.7,
];

/// Values where float-to-integer conversions saturate or round.
const EDGES: [f64; 10] = [
    0.0,
    0.5,
    1.0,
    2147483647.0,
    2147483648.0,
    4294967295.0,
    4294967296.0,
    9223372036854775808.0,
    18446744073709551616.0,
    65536.0,
];

fn special(rng: &mut Rng, f: Fmt) -> u64 {
    let neg = rng.chance(50);
    let quiet = 1 << (f.frac_bits - 1);
    let payload = rng.next() & (quiet - 1);
    match rng.below(12) {
        0 => f.make(neg, 0, 0),
        1 => f.make(neg, f.exp_max(), 0),
        2 => f.make(false, f.exp_max(), quiet),
        3 => f.make(neg, f.exp_max(), quiet | payload),
        4 => f.make(neg, f.exp_max(), payload.max(1)),
        5 => f.make(neg, 0, 1),
        6 => f.make(neg, 0, f.frac_mask()),
        7 => f.make(neg, 1, 0),
        8 => f.make(neg, f.exp_max() - 1, f.frac_mask()),
        _ => f.encode(rng.pick(&NICE)) | if neg { f.sign() } else { 0 },
    }
}

/// One floating-point operand, biased towards the interesting cases.
pub fn float(rng: &mut Rng, f: Fmt) -> u64 {
    let all = (f.sign() << 1).wrapping_sub(1);
    match rng.below(100) {
        0..=29 => special(rng, f),
        30..=49 => rng.next() & all,
        50..=69 => {
            // Moderate magnitudes, where sums and products stay finite.
            let exp = f.bias() - 12 + rng.below(24);
            // Short significands (trailing zeros) make exact results and
            // exact ties in products; long ones make ordinary rounding.
            let frac = match rng.below(3) {
                0 => rng.next() << rng.below(64),
                1 => rng.next(),
                _ => rng.next() >> rng.below(64),
            };
            f.make(rng.chance(50), exp, frac)
        }
        70..=84 => {
            // A neighbour of a special value.
            let delta = 1 + rng.below(3);
            let x = special(rng, f);
            if rng.chance(50) {
                x.wrapping_add(delta) & all
            } else {
                x.wrapping_sub(delta) & all
            }
        }
        85..=92 => f.make(rng.chance(50), 0, rng.next() >> rng.below(64)),
        _ => {
            // Small integers and halves: rounding ties for conversions.
            let v = (rng.below(2000) as f64 - 1000.0) / if rng.chance(50) { 2.0 } else { 1.0 };
            f.encode(v)
        }
    }
}

/// An operand for a float-to-integer conversion: half of them at the edges
/// of the integer ranges, one step or a few ulps either side.
pub fn float_for_conversion(rng: &mut Rng, f: Fmt) -> u64 {
    if rng.chance(50) {
        return float(rng, f);
    }
    let x = f.encode(rng.pick(&EDGES)) | if rng.chance(50) { f.sign() } else { 0 };
    match rng.below(3) {
        0 => x,
        1 => x + rng.below(3),
        _ => x.saturating_sub(rng.below(3)),
    }
}

/// `op(a, b)` in the host's arithmetic, to aim `b` at a boundary.
fn host(f: Fmt, a: u64, b: u64, op: fn(f64, f64) -> f64) -> u64 {
    if f == S {
        (op(f32::from_bits(a as u32).into(), f32::from_bits(b as u32).into()) as f32)
            .to_bits()
            .into()
    } else {
        op(f64::from_bits(a), f64::from_bits(b)).to_bits()
    }
}

/// A second operand for `a`, aimed at the cases random operands rarely hit:
/// half an ulp of `a` (a rounding tie for addition), `±3 * 2^k` when `a`'s
/// significand is odd (a tie for the product about half the time), `±a` (exact
/// cancellation), or a value putting `a * b` or `a / b` within a few ulps of
/// the smallest normal (underflow decided after rounding) or of the largest
/// finite value (overflow).
pub fn partner(rng: &mut Rng, f: Fmt, a: u64) -> u64 {
    let exp = f.exponent(a);
    let sign = if rng.chance(50) { f.sign() } else { 0 };
    let limit = if rng.chance(70) {
        f.make(false, 1, 0)
    } else {
        f.make(false, f.exp_max() - 1, f.frac_mask())
    };
    let nudge = |x: u64, rng: &mut Rng| x.wrapping_add(rng.below(5)).wrapping_sub(2);
    match rng.below(16) {
        0..=2 if exp > u64::from(f.frac_bits) + 1 && exp < f.exp_max() => {
            let tie = sign | f.make(false, exp - u64::from(f.frac_bits) - 1, 0);
            tie | u64::from(rng.chance(25)) // the odd neighbour breaks the tie
        }
        3..=5 if a & 1 == 1 => sign | f.encode(3.0 * 2f64.powi(rng.below(11) as i32 - 5)),
        6 => a ^ sign,
        7 | 8 => nudge(host(f, limit, a, |l, a| l / a), rng),
        9 | 10 => nudge(host(f, a, limit, |a, l| a / l), rng),
        _ => float(rng, f),
    }
}

/// An addend for `a * b`: often one that cancels most of the product,
/// exercising the single rounding of the fused operations, or ±0, which
/// keeps the product's rounding ties.
pub fn addend(rng: &mut Rng, f: Fmt, a: u64, b: u64) -> u64 {
    match rng.below(100) {
        0..=9 => return if rng.chance(50) { f.sign() } else { 0 },
        10..=34 => {}
        _ => return float(rng, f),
    }
    let product = if f == S {
        (f32::from_bits(a as u32) * f32::from_bits(b as u32))
            .to_bits()
            .into()
    } else {
        (f64::from_bits(a) * f64::from_bits(b)).to_bits()
    };
    product ^ f.sign()
}

/// An integer source operand (full 64 bits; `.W` conversions use the low 32).
pub fn integer(rng: &mut Rng) -> u64 {
    match rng.below(10) {
        0..=2 => rng.pick(&INT_EDGES),
        3..=6 => {
            let x = rng.next() >> rng.below(64);
            if rng.chance(50) {
                x.wrapping_neg()
            } else {
                x
            }
        }
        _ => rng.next(),
    }
}

const INT_EDGES: [u64; 14] = [
    0,
    1,
    u64::MAX,
    i32::MIN as u64,
    i32::MAX as u64,
    u32::MAX as u64,
    i64::MIN as u64,
    i64::MAX as u64,
    (1 << 24) + 1,
    (1 << 24) + 3,
    (1 << 53) + 1,
    (1 << 53) + 3,
    (1 << 63) + (1 << 39), // halfway between two binary32 values
    0x8000_0080_0000_0000,
];

/// The 64-bit register image of a single-precision operand: properly
/// NaN-boxed except now and then, to exercise unboxing.
pub fn boxed(rng: &mut Rng, x: u64) -> u64 {
    match rng.below(40) {
        0 => x,
        1 => x | (rng.next() << 32),
        _ => x | 0xffff_ffff_0000_0000,
    }
}

/// The directed cases: every pair (or triple, from a shorter list) of special
/// values, so each combination of zeros, infinities, NaN kinds, subnormals
/// and normals of both signs is checked in every rounding mode.
pub fn specials(f: Fmt, short: bool) -> Vec<u64> {
    let quiet = 1 << (f.frac_bits - 1);
    let (inf, max) = (f.exp_max(), f.exp_max() - 1);
    let mut v = vec![
        f.make(false, 0, 0),
        f.make(true, 0, 0),
        f.make(false, inf, 0),
        f.make(true, inf, 0),
        f.make(false, inf, quiet),
        f.make(false, inf, 1),
        f.encode(1.0),
        f.make(true, 1, 0),
    ];
    if !short {
        v.extend([
            f.make(true, inf, quiet | 1),
            f.make(true, inf, quiet >> 1),
            f.make(false, 0, 1),
            f.make(true, 0, f.frac_mask()),
            f.encode(-1.0),
            f.encode(1.5),
            f.make(false, max, f.frac_mask()),
            f.make(true, max, f.frac_mask()),
        ]);
    }
    v
}

/// All directed operand tuples for an operation with these operands.
pub fn directed(f: Option<Fmt>, arity: usize) -> Vec<(u64, u64, u64)> {
    let Some(f) = f else {
        return INT_EDGES.iter().map(|&a| (a, 0, 0)).collect();
    };
    let box_s = |x: u64| if f == S { x | 0xffff_ffff_0000_0000 } else { x };
    let list: Vec<u64> = specials(f, arity == 3).into_iter().map(box_s).collect();
    let mut out = Vec::new();
    for &a in &list {
        match arity {
            1 => out.push((a, 0, 0)),
            2 => out.extend(list.iter().map(|&b| (a, b, 0))),
            _ => {
                for &b in &list {
                    out.extend(list.iter().map(|&c| (a, b, c)));
                }
            }
        }
    }
    out
}
