//! Float-to-integer conversions against the spec's table ("Domains of
//! float-to-integer conversions and behavior for invalid inputs"), and
//! integer-to-float rounding.

use fpu::{f32 as s, f64 as d, Flags, RoundingMode};
use RoundingMode::*;

const NONE: Flags = Flags::empty();
const NV: Flags = Flags::NV;
const NX: Flags = Flags::NX;

/// All four conversions of one binary64 value, as i128 for easy comparison.
fn from_d(x: f64, rm: RoundingMode) -> [(i128, Flags); 4] {
    let x = x.to_bits();
    let mut out = [(0, NONE); 4];
    let mut fl = [NONE; 4];
    out[0].0 = d::to_i32(x, rm, &mut fl[0]).into();
    out[1].0 = d::to_u32(x, rm, &mut fl[1]).into();
    out[2].0 = d::to_i64(x, rm, &mut fl[2]).into();
    out[3].0 = d::to_u64(x, rm, &mut fl[3]).into();
    for (o, f) in out.iter_mut().zip(fl) {
        o.1 = f;
    }
    out
}

fn from_s(x: u32, rm: RoundingMode) -> [(i128, Flags); 4] {
    let mut out = [(0, NONE); 4];
    let mut fl = [NONE; 4];
    out[0].0 = s::to_i32(x, rm, &mut fl[0]).into();
    out[1].0 = s::to_u32(x, rm, &mut fl[1]).into();
    out[2].0 = s::to_i64(x, rm, &mut fl[2]).into();
    out[3].0 = s::to_u64(x, rm, &mut fl[3]).into();
    for (o, f) in out.iter_mut().zip(fl) {
        o.1 = f;
    }
    out
}

const MAX: [i128; 4] = [
    i32::MAX as i128,
    u32::MAX as i128,
    i64::MAX as i128,
    u64::MAX as i128,
];
const MIN: [i128; 4] = [i32::MIN as i128, 0, i64::MIN as i128, 0];

fn all(values: [i128; 4], flags: Flags) -> [(i128, Flags); 4] {
    values.map(|v| (v, flags))
}

#[test]
fn nan_and_positive_infinity_give_the_maximum() {
    for nan in [d::CANONICAL_NAN, 0x7ff0_0000_0000_0001, 0xfff8_0000_0000_0000] {
        assert_eq!(from_d(f64::from_bits(nan), Rne), all(MAX, NV), "{nan:#x}");
    }
    for nan in [s::CANONICAL_NAN, 0x7f80_0001, 0xffc0_0000] {
        assert_eq!(from_s(nan, Rtz), all(MAX, NV), "{nan:#x}");
    }
    assert_eq!(from_d(f64::INFINITY, Rdn), all(MAX, NV));
    assert_eq!(from_s(f32::INFINITY.to_bits(), Rup), all(MAX, NV));
}

#[test]
fn negative_infinity_gives_the_minimum() {
    assert_eq!(from_d(f64::NEG_INFINITY, Rne), all(MIN, NV));
    assert_eq!(from_s(f32::NEG_INFINITY.to_bits(), Rmm), all(MIN, NV));
}

#[test]
fn out_of_range_clamps_with_nv() {
    let [w, wu, l, lu] = from_d(2147483648.0, Rne);
    assert_eq!(
        (w, wu, l, lu),
        ((MAX[0], NV), (1 << 31, NONE), (1 << 31, NONE), (1 << 31, NONE))
    );
    assert_eq!(from_d(4294967296.0, Rne)[1], (MAX[1], NV));
    assert_eq!(from_d(9223372036854775808.0, Rne)[2], (MAX[2], NV));
    assert_eq!(from_d(18446744073709551616.0, Rne)[3], (MAX[3], NV));
    assert_eq!(from_d(-2147483649.0, Rne)[0], (MIN[0], NV));
    assert_eq!(from_d(-9223372036854777856.0, Rne)[2], (MIN[2], NV));
    assert_eq!(
        from_s((-9223373136366403584.0f32).to_bits(), Rne)[2],
        (MIN[2], NV)
    );
    // Unsigned: any negative value that does not round to zero.
    assert_eq!(from_d(-1.0, Rne)[1], (0, NV));
    assert_eq!(from_d(-1.0, Rne)[3], (0, NV));
}

#[test]
fn the_range_is_judged_after_rounding() {
    // Exact extremes are valid.
    assert_eq!(from_d(-2147483648.0, Rne)[0], (MIN[0], NONE));
    assert_eq!(from_d(2147483647.0, Rne)[0], (MAX[0], NONE));
    assert_eq!(from_d(4294967295.0, Rne)[1], (MAX[1], NONE));
    // Just above the maximum: in range only if the mode rounds down.
    assert_eq!(from_d(2147483647.4, Rne)[0], (MAX[0], NX));
    assert_eq!(from_d(2147483647.4, Rup)[0], (MAX[0], NV));
    assert_eq!(from_d(4294967295.5, Rtz)[1], (MAX[1], NX));
    assert_eq!(from_d(4294967295.5, Rne)[1], (MAX[1], NV));
    // Small negatives that round to zero are valid for the unsigned forms.
    assert_eq!(from_d(-0.4, Rne)[1], (0, NX));
    assert_eq!(from_d(-0.9, Rtz)[3], (0, NX));
    assert_eq!(from_d(-0.5, Rmm)[1], (0, NV));
    assert_eq!(from_d(-0.0, Rne)[3], (0, NONE));
}

#[test]
fn rounding_of_in_range_values() {
    let cases = [
        (2.5, Rne, 2),
        (2.5, Rmm, 3),
        (-2.5, Rmm, -3),
        (2.5, Rtz, 2),
        (-1.5, Rdn, -2),
        (-1.5, Rup, -1),
        (1.2, Rup, 2),
        (3.5, Rne, 4),
    ];
    for (x, rm, want) in cases {
        assert_eq!(from_d(x, rm)[0], (want, NX), "{x} {rm:?}");
        assert_eq!(from_s((x as f32).to_bits(), rm)[2], (want, NX), "{x} {rm:?}");
    }
    assert_eq!(from_d(42.0, Rne), all([42; 4], NONE));
}

#[test]
fn integer_to_float() {
    let mut fl = NONE;
    assert_eq!(s::from_i32(-7, Rne, &mut fl), (-7.0f32).to_bits());
    assert_eq!(d::from_u32(u32::MAX, Rne, &mut fl), 4294967295.0f64.to_bits());
    assert_eq!(d::from_i32(i32::MIN, Rup, &mut fl), (-2147483648.0f64).to_bits());
    assert_eq!(fl, NONE, "exact conversions raise nothing");
    assert_eq!(s::from_u32(u32::MAX, Rtz, &mut fl), 0x4f7f_ffff);
    assert_eq!(fl, NX);
    let mut fl = NONE;
    assert_eq!(s::from_u64(u64::MAX, Rne, &mut fl), 0x5f80_0000);
    assert_eq!(d::from_i64(i64::MAX, Rdn, &mut fl), 0x43df_ffff_ffff_ffff);
    assert_eq!(d::from_u64((1 << 53) + 1, Rmm, &mut fl), 0x4340_0000_0000_0001);
    assert_eq!(s::from_i64(-((1 << 24) + 1), Rmm, &mut fl), 0xcb80_0001);
    assert_eq!(fl, NX);
}
