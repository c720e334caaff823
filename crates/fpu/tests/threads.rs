//! Replicas run on separate host threads at the same time. SoftFloat keeps the
//! rounding mode and the exception flags in globals; this checks that one
//! thread's mode and flags never leak into another's results.

use std::sync::Barrier;

use fpu::{f32 as s, f64 as d, Flags, RoundingMode};

const ITERATIONS: usize = 200_000;

/// Operations whose result or flags depend on the rounding mode.
fn work(rm: RoundingMode) -> [(u64, Flags); 5] {
    let mut out = [(0, Flags::empty()); 5];
    let mut f = [Flags::empty(); 5];
    out[0].0 = d::div(1f64.to_bits(), 3f64.to_bits(), rm, &mut f[0]);
    out[1].0 = s::sqrt(2f32.to_bits(), rm, &mut f[1]).into();
    out[2].0 = d::mul(f64::MAX.to_bits(), 2f64.to_bits(), rm, &mut f[2]);
    out[3].0 = s::from_i32((1 << 24) + 1, rm, &mut f[3]).into();
    out[4].0 = s::div((-1f32).to_bits(), 3f32.to_bits(), rm, &mut f[4]).into();
    for (o, flags) in out.iter_mut().zip(f) {
        o.1 = flags;
    }
    out
}

#[test]
fn concurrent_threads_keep_their_own_mode_and_flags() {
    let expected: Vec<_> = RoundingMode::ALL.iter().map(|&rm| work(rm)).collect();
    // The chosen operations do tell the modes apart.
    for (i, a) in expected.iter().enumerate() {
        for b in &expected[i + 1..] {
            assert_ne!(a, b);
        }
    }

    // One thread per mode (more threads than cores, so the OS interleaves
    // them too), each also raising DZ and NV between checks so that a leaked
    // flag would show up in the next operation's flags.
    let barrier = Barrier::new(RoundingMode::ALL.len());
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = RoundingMode::ALL
            .iter()
            .zip(&expected)
            .map(|(&rm, want)| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    for i in 0..ITERATIONS {
                        let got = work(rm);
                        if got != *want {
                            return Some(format!("{rm:?}, iteration {i}: got {got:?}, want {want:?}"));
                        }
                        let mut noise = Flags::empty();
                        d::div(1f64.to_bits(), 0, rm, &mut noise);
                        s::sqrt((-1f32).to_bits(), rm, &mut noise);
                        if noise != Flags::DZ | Flags::NV {
                            return Some(format!("{rm:?}, iteration {i}: noise flags {noise:?}"));
                        }
                    }
                    None
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn interleaved_calls_on_one_thread_are_independent() {
    let mut dz = Flags::empty();
    d::div(1f64.to_bits(), 0, RoundingMode::Rup, &mut dz);
    let mut next = Flags::empty();
    let third = d::div(1f64.to_bits(), 3f64.to_bits(), RoundingMode::Rne, &mut next);
    assert_eq!(
        (third, next),
        (0x3fd5_5555_5555_5555, Flags::NX),
        "no DZ, and RNE rather than RUP"
    );
}
