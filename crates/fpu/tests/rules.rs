//! The RISC-V-specific rules, each stated once with the spec's own examples.
//! (The QEMU differential test covers the same ground statistically; these
//! say what is meant and fail with a readable message.)

use fpu::{box_f32, f32 as s, f64 as d, unbox_f32, Flags, RoundingMode};
use RoundingMode::*;

const NONE: Flags = Flags::empty();

const S_QNAN: u32 = s::CANONICAL_NAN;
const S_QNAN_PAYLOAD: u32 = 0xffc0_1234; // negative, with a payload
const S_SNAN: u32 = 0x7f80_0001;
const S_INF: u32 = 0x7f80_0000;
const S_NINF: u32 = 0xff80_0000;
const S_NZERO: u32 = 0x8000_0000;
const S_ONE: u32 = 0x3f80_0000;

const D_QNAN: u64 = d::CANONICAL_NAN;
const D_QNAN_PAYLOAD: u64 = 0xfff8_0000_0000_1234;
const D_SNAN: u64 = 0x7ff0_0000_0000_0001;
const D_INF: u64 = 0x7ff0_0000_0000_0000;
const D_NINF: u64 = 0xfff0_0000_0000_0000;
const D_NZERO: u64 = 1 << 63;
const D_ONE: u64 = 0x3ff0_0000_0000_0000;

fn f(v: f32) -> u32 {
    v.to_bits()
}

fn g(v: f64) -> u64 {
    v.to_bits()
}

/// Runs `op` with fresh flags and returns the result and the flags.
fn run<T>(op: impl FnOnce(&mut Flags) -> T) -> (T, Flags) {
    let mut flags = Flags::empty();
    let value = op(&mut flags);
    (value, flags)
}

#[test]
fn rounding_mode_encoding() {
    for bits in 0..=4 {
        assert_eq!(RoundingMode::from_bits(bits).map(RoundingMode::bits), Some(bits));
    }
    for reserved in [5, 6, 7, 8, 255] {
        assert_eq!(RoundingMode::from_bits(reserved), None, "rm {reserved}");
    }
}

#[test]
fn flags_layout_is_fflags() {
    assert_eq!(
        [Flags::NX, Flags::UF, Flags::OF, Flags::DZ, Flags::NV].map(Flags::bits),
        [1, 2, 4, 8, 16]
    );
    assert_eq!(Flags::from_bits(0xff).bits(), 0x1f);
    let mut acc = Flags::DZ;
    acc |= Flags::NX;
    assert!(acc.contains(Flags::NX | Flags::DZ) && !acc.contains(Flags::NV));
    assert_eq!(format!("{acc:?}"), "Flags(DZ|NX)");
}

#[test]
fn flags_accumulate_across_calls() {
    let mut flags = Flags::empty();
    d::div(D_ONE, 0, Rne, &mut flags);
    d::div(D_ONE, g(3.0), Rne, &mut flags);
    assert_eq!(flags, Flags::DZ | Flags::NX);
}

#[test]
fn min_max_order_zeros() {
    for (a, b) in [(0, S_NZERO), (S_NZERO, 0)] {
        assert_eq!(run(|fl| s::min(a, b, fl)), (S_NZERO, NONE));
        assert_eq!(run(|fl| s::max(a, b, fl)), (0, NONE));
    }
    for (a, b) in [(0, D_NZERO), (D_NZERO, 0)] {
        assert_eq!(run(|fl| d::min(a, b, fl)), (D_NZERO, NONE));
        assert_eq!(run(|fl| d::max(a, b, fl)), (0, NONE));
    }
}

#[test]
fn min_max_nans() {
    let two = f(2.0);
    for (a, b) in [(S_QNAN_PAYLOAD, two), (two, S_QNAN_PAYLOAD)] {
        assert_eq!(
            run(|fl| s::min(a, b, fl)),
            (two, NONE),
            "one quiet NaN: the other operand"
        );
        assert_eq!(run(|fl| s::max(a, b, fl)), (two, NONE));
    }
    for (a, b) in [(S_SNAN, two), (two, S_SNAN)] {
        assert_eq!(
            run(|fl| s::min(a, b, fl)),
            (two, Flags::NV),
            "signalling NaN: NV even so"
        );
    }
    assert_eq!(
        run(|fl| s::max(S_QNAN_PAYLOAD, S_QNAN_PAYLOAD, fl)),
        (S_QNAN, NONE),
        "both NaN: canonical"
    );
    assert_eq!(run(|fl| s::min(S_SNAN, S_QNAN_PAYLOAD, fl)), (S_QNAN, Flags::NV));

    let two = g(2.0);
    assert_eq!(run(|fl| d::max(D_QNAN_PAYLOAD, two, fl)), (two, NONE));
    assert_eq!(run(|fl| d::min(two, D_SNAN, fl)), (two, Flags::NV));
    assert_eq!(run(|fl| d::min(D_QNAN_PAYLOAD, D_SNAN, fl)), (D_QNAN, Flags::NV));
}

#[test]
fn comparisons_quiet_and_signalling() {
    assert_eq!(run(|fl| s::eq(0, S_NZERO, fl)), (true, NONE));
    assert_eq!(run(|fl| s::lt(S_NZERO, 0, fl)), (false, NONE));
    assert_eq!(run(|fl| s::le(S_NZERO, 0, fl)), (true, NONE));
    assert_eq!(run(|fl| s::lt(S_NINF, S_INF, fl)), (true, NONE));
    // FEQ is quiet: NV only for a signalling NaN.
    assert_eq!(run(|fl| s::eq(S_QNAN, S_QNAN, fl)), (false, NONE));
    assert_eq!(run(|fl| s::eq(S_ONE, S_SNAN, fl)), (false, Flags::NV));
    // FLT and FLE signal on any NaN.
    assert_eq!(run(|fl| s::lt(S_QNAN, S_ONE, fl)), (false, Flags::NV));
    assert_eq!(run(|fl| s::le(S_ONE, S_QNAN, fl)), (false, Flags::NV));

    assert_eq!(run(|fl| d::eq(D_NZERO, 0, fl)), (true, NONE));
    assert_eq!(run(|fl| d::eq(D_QNAN, D_ONE, fl)), (false, NONE));
    assert_eq!(run(|fl| d::eq(D_SNAN, D_ONE, fl)), (false, Flags::NV));
    assert_eq!(run(|fl| d::le(D_QNAN, D_QNAN, fl)), (false, Flags::NV));
    assert_eq!(run(|fl| d::lt(g(-1.0), D_NZERO, fl)), (true, NONE));
}

#[test]
fn classify_every_class() {
    let s_cases: [(u32, u16); 10] = [
        (S_NINF, 1 << 0),
        (f(-1.0), 1 << 1),
        (0x8000_0001, 1 << 2),
        (S_NZERO, 1 << 3),
        (0, 1 << 4),
        (0x007f_ffff, 1 << 5),
        (0x7f7f_ffff, 1 << 6),
        (S_INF, 1 << 7),
        (S_SNAN, 1 << 8),
        (S_QNAN_PAYLOAD, 1 << 9),
    ];
    for (x, class) in s_cases {
        assert_eq!(s::classify(x), class, "{x:#x}");
    }
    let d_cases: [(u64, u16); 10] = [
        (D_NINF, 1 << 0),
        (g(-1e300), 1 << 1),
        (D_NZERO | 1, 1 << 2),
        (D_NZERO, 1 << 3),
        (0, 1 << 4),
        (1, 1 << 5),
        (g(f64::MIN_POSITIVE), 1 << 6),
        (D_INF, 1 << 7),
        (0x7ff7_ffff_ffff_ffff, 1 << 8),
        (D_QNAN, 1 << 9),
    ];
    for (x, class) in d_cases {
        assert_eq!(d::classify(x), class, "{x:#x}");
    }
}

#[test]
fn sign_injection_keeps_payloads() {
    assert_eq!(s::sgnj(S_SNAN, S_NZERO), S_SNAN | 1 << 31);
    assert_eq!(
        s::sgnjn(S_QNAN_PAYLOAD, S_QNAN_PAYLOAD),
        S_QNAN_PAYLOAD & !(1 << 31)
    );
    assert_eq!(s::sgnjx(f(-2.0), f(-3.0)), f(2.0));
    assert_eq!(d::sgnj(D_QNAN_PAYLOAD, 0), D_QNAN_PAYLOAD & !D_NZERO);
    assert_eq!(d::sgnjn(g(1.0), g(1.0)), g(-1.0));
    assert_eq!(d::sgnjx(D_SNAN, D_NZERO), D_SNAN | D_NZERO);
}

#[test]
fn nan_boxing() {
    assert_eq!(box_f32(S_ONE), 0xffff_ffff_3f80_0000);
    assert_eq!(
        unbox_f32(box_f32(S_SNAN)),
        S_SNAN,
        "a boxed NaN keeps its payload"
    );
    for bad in [0x3f80_0000, 0x7fff_ffff_3f80_0000, 0xffff_fffe_3f80_0000, g(1.0)] {
        assert_eq!(unbox_f32(bad), S_QNAN, "{bad:#x} is not NaN-boxed");
    }
}

#[test]
fn every_generated_nan_is_canonical() {
    let s_nans: [(&str, (u32, Flags), Flags); 12] = [
        ("inf - inf", run(|fl| s::add(S_INF, S_NINF, Rne, fl)), Flags::NV),
        ("0 * inf", run(|fl| s::mul(0, S_NINF, Rup, fl)), Flags::NV),
        ("0 / 0", run(|fl| s::div(S_NZERO, 0, Rdn, fl)), Flags::NV),
        ("sqrt(-1)", run(|fl| s::sqrt(f(-1.0), Rne, fl)), Flags::NV),
        (
            "payload + 1",
            run(|fl| s::add(S_QNAN_PAYLOAD, S_ONE, Rne, fl)),
            NONE,
        ),
        ("1 - sNaN", run(|fl| s::sub(S_ONE, S_SNAN, Rne, fl)), Flags::NV),
        (
            "payload / 1",
            run(|fl| s::div(S_QNAN_PAYLOAD, S_ONE, Rtz, fl)),
            NONE,
        ),
        ("sqrt(payload)", run(|fl| s::sqrt(S_QNAN_PAYLOAD, Rne, fl)), NONE),
        (
            "fmadd payload",
            run(|fl| s::fmadd(S_ONE, S_QNAN_PAYLOAD, S_ONE, Rne, fl)),
            NONE,
        ),
        (
            "fnmadd sNaN",
            run(|fl| s::fnmadd(S_ONE, S_ONE, S_SNAN, Rne, fl)),
            Flags::NV,
        ),
        (
            "f64 payload to f32",
            run(|fl| d::to_f32(D_QNAN_PAYLOAD, Rne, fl)),
            NONE,
        ),
        ("f64 sNaN to f32", run(|fl| d::to_f32(D_SNAN, Rne, fl)), Flags::NV),
    ];
    for (what, got, flags) in s_nans {
        assert_eq!(got, (S_QNAN, flags), "{what}");
    }
    for (what, op, flags) in [
        (
            "payload + 1",
            run(|fl| d::add(D_QNAN_PAYLOAD, D_ONE, Rne, fl)),
            NONE,
        ),
        ("inf - inf", run(|fl| d::sub(D_INF, D_INF, Rmm, fl)), Flags::NV),
        ("inf / inf", run(|fl| d::div(D_INF, D_NINF, Rne, fl)), Flags::NV),
        ("sqrt(-inf)", run(|fl| d::sqrt(D_NINF, Rne, fl)), Flags::NV),
        ("sNaN * 1", run(|fl| d::mul(D_SNAN, D_ONE, Rne, fl)), Flags::NV),
        (
            "fmsub payload",
            run(|fl| d::fmsub(D_QNAN_PAYLOAD, D_ONE, D_ONE, Rne, fl)),
            NONE,
        ),
        (
            "f32 payload to f64",
            run(|fl| s::to_f64(S_QNAN_PAYLOAD, fl)),
            NONE,
        ),
        ("f32 sNaN to f64", run(|fl| s::to_f64(S_SNAN, fl)), Flags::NV),
    ] {
        assert_eq!(op, (D_QNAN, flags), "{what}");
    }
}

/// Spec: FMA must raise NV for ∞ × 0 even when the addend is a quiet NaN.
#[test]
fn fma_infinity_times_zero_plus_quiet_nan() {
    type S4 = fn(u32, u32, u32, RoundingMode, &mut Flags) -> u32;
    type D4 = fn(u64, u64, u64, RoundingMode, &mut Flags) -> u64;
    for op in [s::fmadd, s::fmsub, s::fnmsub, s::fnmadd] as [S4; 4] {
        for (a, b) in [(S_INF, 0), (S_NZERO, S_NINF)] {
            assert_eq!(run(|fl| op(a, b, S_QNAN_PAYLOAD, Rne, fl)), (S_QNAN, Flags::NV));
        }
        // A quiet NaN addend alone raises nothing.
        assert_eq!(
            run(|fl| op(S_ONE, S_ONE, S_QNAN_PAYLOAD, Rne, fl)),
            (S_QNAN, NONE)
        );
    }
    for op in [d::fmadd, d::fmsub, d::fnmsub, d::fnmadd] as [D4; 4] {
        assert_eq!(
            run(|fl| op(0, D_NINF, D_QNAN_PAYLOAD, Rne, fl)),
            (D_QNAN, Flags::NV)
        );
    }
}

#[test]
fn fma_signs_and_single_rounding() {
    let (two, three, one) = (g(2.0), g(3.0), D_ONE);
    assert_eq!(run(|fl| d::fmadd(two, three, one, Rne, fl)).0, g(7.0));
    assert_eq!(run(|fl| d::fmsub(two, three, one, Rne, fl)).0, g(5.0));
    assert_eq!(run(|fl| d::fnmsub(two, three, one, Rne, fl)).0, g(-5.0));
    assert_eq!(run(|fl| d::fnmadd(two, three, one, Rne, fl)).0, g(-7.0));
    // -(+0 * 1) - (+0) = -0: the negations are of operands, not the result.
    assert_eq!(run(|fl| d::fnmadd(0, one, 0, Rne, fl)).0, D_NZERO);
    // x*x - rounded(x*x) is the exact rounding error only with one rounding.
    let x = g(1.0 + f64::EPSILON);
    let square = run(|fl| d::mul(x, x, Rne, fl)).0;
    assert_eq!(
        run(|fl| d::fmsub(x, x, square, Rne, fl)).0,
        g(f64::EPSILON * f64::EPSILON)
    );
}

#[test]
fn rounding_modes_are_honoured() {
    let third = |rm| run(|fl| s::div(S_ONE, f(3.0), rm, fl));
    assert_eq!(third(Rne), (0x3eaa_aaab, Flags::NX));
    assert_eq!(third(Rmm), (0x3eaa_aaab, Flags::NX));
    assert_eq!(third(Rup), (0x3eaa_aaab, Flags::NX));
    assert_eq!(third(Rdn), (0x3eaa_aaaa, Flags::NX));
    assert_eq!(third(Rtz), (0x3eaa_aaaa, Flags::NX));
    // 2^24 + 1 is a tie between two binary32 values: RNE to even, RMM away.
    let tie = |rm| run(|fl| s::from_i32((1 << 24) + 1, rm, fl)).0;
    assert_eq!(
        [tie(Rne), tie(Rmm), tie(Rtz), tie(Rup)],
        [0x4b80_0000, 0x4b80_0001, 0x4b80_0000, 0x4b80_0001]
    );
}

#[test]
fn exception_flags() {
    assert_eq!(run(|fl| d::div(g(-1.0), 0, Rne, fl)), (D_NINF, Flags::DZ));
    let max = g(f64::MAX);
    assert_eq!(
        run(|fl| d::mul(max, g(2.0), Rne, fl)),
        (D_INF, Flags::OF | Flags::NX)
    );
    assert_eq!(
        run(|fl| d::mul(max, g(2.0), Rtz, fl)),
        (max, Flags::OF | Flags::NX)
    );
    // Exact subnormal results do not underflow; inexact tiny ones do.
    assert_eq!(
        run(|fl| s::mul(0x0080_0000, f(0.5), Rne, fl)),
        (0x0040_0000, NONE)
    );
    assert_eq!(run(|fl| s::mul(1, f(0.5), Rne, fl)), (0, Flags::UF | Flags::NX));
    // Tininess is detected after rounding, i.e. after rounding to the
    // format's precision with an unbounded exponent. 2^-126 * (1 - 2^-25)
    // rounds (RNE) to 2^-126 that way, so it is not tiny: NX but no UF...
    let just_below = g(f64::from(f32::MIN_POSITIVE) * (1.0 - 2f64.powi(-25)));
    assert_eq!(run(|fl| d::to_f32(just_below, Rne, fl)), (0x0080_0000, Flags::NX));
    // ...but it is when the mode rounds it down,
    assert_eq!(
        run(|fl| d::to_f32(just_below, Rtz, fl)),
        (0x007f_ffff, Flags::UF | Flags::NX)
    );
    // and 2^-126 * (1 - 2^-24) has 24 significant bits, so it stays below
    // 2^-126 at that precision: tiny, and inexact as a subnormal.
    assert_eq!(
        run(|fl| s::mul(0x3f7f_ffff, 0x0080_0000, Rne, fl)),
        (0x0080_0000, Flags::UF | Flags::NX)
    );
}

#[test]
fn narrowing_and_widening() {
    assert_eq!(run(|fl| s::to_f64(f(1.5), fl)), (g(1.5), NONE));
    assert_eq!(run(|fl| d::to_f32(g(1.5), Rne, fl)), (f(1.5), NONE));
    assert_eq!(
        run(|fl| d::to_f32(g(1e300), Rne, fl)),
        (S_INF, Flags::OF | Flags::NX)
    );
    assert_eq!(run(|fl| d::to_f32(g(0.1), Rdn, fl)), (0x3dcc_cccc, Flags::NX));
    assert_eq!(run(|fl| d::to_f32(g(0.1), Rup, fl)), (0x3dcc_cccd, Flags::NX));
}
