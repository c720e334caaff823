//! Rough cost per call of the hot operations, for the interpreter's budget:
//! `cargo bench -p fpu`. Operands vary per iteration so that nothing folds.

use std::hint::black_box;
use std::time::Instant;

use fpu::{f32 as s, f64 as d, Flags, RoundingMode};

const N: u64 = 2_000_000;

fn bench(name: &str, mut op: impl FnMut(u64, &mut Flags) -> u64) {
    let mut flags = Flags::empty();
    let mut acc = 0u64;
    let start = Instant::now();
    for i in 0..N {
        acc ^= op(black_box(i), &mut flags);
    }
    let ns = start.elapsed().as_nanos() as f64 / N as f64;
    black_box((acc, flags));
    println!("{name:<12} {ns:6.1} ns/op");
}

fn main() {
    let rm = RoundingMode::Rne;
    // 1.0 + small integer multiples of an ulp: ordinary normal numbers.
    let x = |i: u64| 0x3ff0_0000_0000_0000 | (i & 0xfffff);
    let y = |i: u64| 0x4008_0000_0000_0000 | (i.wrapping_mul(7) & 0xfffff);
    let xs = |i: u64| 0x3f80_0000 | (i as u32 & 0x7ffff);
    bench("fadd.d", |i, f| d::add(x(i), y(i), rm, f));
    bench("fmul.d", |i, f| d::mul(x(i), y(i), rm, f));
    bench("fdiv.d", |i, f| d::div(x(i), y(i), rm, f));
    bench("fsqrt.d", |i, f| d::sqrt(x(i), rm, f));
    bench("fmadd.d", |i, f| d::fmadd(x(i), y(i), x(i), rm, f));
    bench("fadd.s", |i, f| s::add(xs(i), xs(i >> 1), rm, f).into());
    bench("fcvt.l.d", |i, f| d::to_i64(y(i), rm, f) as u64);
    bench("fcvt.d.l", |i, f| d::from_i64(i as i64, rm, f));
    bench("fmin.d", |i, f| d::min(x(i), y(i), f));
    bench("flt.d", |i, f| d::lt(x(i), y(i), f).into());
    bench("fsgnjn.d", |i, _| d::sgnjn(x(i), y(i)));
}
