//! A hostile guest and a hostile snapshot file against every platform device: random offsets,
//! sizes and values, interleaved with the board's own calls, must never panic, and the state
//! must keep surviving save/restore. Randomness is a fixed-seed xorshift, so a failure
//! reproduces.

mod platform_support;

use devices::clint::Clint;
use devices::plic::Plic;
use devices::rtc::Rtc;
use devices::syscon::Syscon;
use devices::uart::Uart;
use devices::{Mmio, Snapshot};
use platform_support::{Clock, Env, Recorder, XorShift};

const ROUNDS: usize = 20_000;

/// Offsets near the registers, anywhere in the window, and beyond it.
fn offset(rng: &mut XorShift, size: u64, hot: &[u64]) -> u64 {
    match rng.below(9) {
        0..=2 => rng.below(0x10),
        3 => rng.below(0x40),
        4 | 5 => hot[rng.below(hot.len() as u64) as usize] + rng.below(0x100),
        6 => rng.below(size),
        7 => size + rng.below(0x1000),
        _ => rng.next(),
    }
}

fn access_size(rng: &mut XorShift) -> u8 {
    const SIZES: [u8; 10] = [1, 2, 4, 8, 4, 8, 0, 3, 16, 255];
    SIZES[rng.below(SIZES.len() as u64) as usize]
}

fn value(rng: &mut XorShift) -> u64 {
    match rng.below(3) {
        0 => rng.below(0x100),
        1 => rng.below(0x1_0000_0000),
        _ => rng.next(),
    }
}

fn round_trip(dev: &mut impl Snapshot) {
    let mut a = Vec::new();
    dev.save(&mut a);
    dev.restore(&a).expect("a device must restore its own snapshot");
    let mut b = Vec::new();
    dev.save(&mut b);
    assert_eq!(a, b);
}

/// Restores corrupted copies of `dev`'s snapshot into fresh devices: errors are fine, panics
/// are not, and whatever is accepted must save and restore again.
fn corrupt_snapshots<D: Snapshot>(rng: &mut XorShift, dev: &D, make: &dyn Fn() -> D) {
    let mut good = Vec::new();
    dev.save(&mut good);
    for _ in 0..500 {
        let mut bad = good.clone();
        match rng.below(3) {
            0 => {
                let i = rng.below(bad.len() as u64) as usize;
                bad[i] ^= 1 << rng.below(8);
            }
            1 => bad.truncate(rng.below(bad.len() as u64) as usize),
            _ => bad = (0..rng.below(64)).map(|_| rng.next() as u8).collect(),
        }
        let mut fresh = make();
        if fresh.restore(&bad).is_ok() {
            round_trip(&mut fresh);
        }
    }
}

/// The hostile loop shared by all devices; `board` plays the board's part between accesses.
fn hammer<D: Mmio + Snapshot>(
    seed: u64,
    make: &dyn Fn() -> D,
    hot: &[u64],
    mut board: impl FnMut(&mut D, &mut XorShift, u64),
) {
    let mut rng = XorShift(seed);
    let mut env = Env::new();
    let mut dev = make();
    let size = dev.size();
    let mut outcomes = [0usize; 2];
    for i in 0..ROUNDS {
        env.mtime = match rng.below(100) {
            0 => rng.next(),
            1 => u64::MAX - rng.below(1000),
            _ => env.mtime.wrapping_add(rng.below(1000)),
        };
        let sz = access_size(&mut rng);
        let mut off = offset(&mut rng, size, hot);
        if sz.is_power_of_two() && rng.below(4) != 0 {
            off &= !(sz as u64 - 1);
        }
        let accepted = if rng.below(2) == 0 {
            dev.read(off, sz, &mut env.ctx()).is_some()
        } else {
            let v = value(&mut rng);
            dev.write(off, sz, v, &mut env.ctx())
        };
        outcomes[accepted as usize] += 1;
        board(&mut dev, &mut rng, env.mtime);
        if i % 1000 == 0 {
            round_trip(&mut dev);
        }
    }
    // Both paths must have been exercised, or the test proves nothing.
    assert!(
        outcomes.iter().all(|n| *n > ROUNDS / 20),
        "faulted/accepted: {outcomes:?}"
    );
    corrupt_snapshots(&mut rng, &dev, make);
}

#[test]
fn clint_survives_random_accesses() {
    hammer(
        0x1234,
        &Clint::new,
        &[0x0, 0x4000, 0xbf00, 0xc000],
        |c, _, mtime| {
            let _ = (c.msip(), c.mtimecmp(), c.irq_lines(mtime));
        },
    );
}

#[test]
fn plic_survives_random_accesses() {
    let hot = [
        0x0, 0x1000, 0x2000, 0x2080, 0x200000, 0x201000, 0x202000, 0x5fff00,
    ];
    hammer(0x5678, &Plic::new, &hot, |p, rng, _| {
        if rng.below(4) == 0 {
            let source = rng.below(130) as u32;
            p.set_level(source, rng.below(2) == 0);
        }
        let _ = (p.irq_lines(), p.context_pending(rng.below(4) as usize));
    });
}

#[test]
fn uart_survives_random_accesses() {
    let make = || Uart::new(Box::new(Recorder::default()));
    hammer(0x9abc, &make, &[0x0], |u, rng, _| {
        if rng.below(4) == 0 && u.rx_space() > 0 {
            assert!(u.receive(rng.next() as u8));
        }
        let _ = u.irq();
    });
}

#[test]
fn syscon_survives_random_accesses() {
    hammer(0xdef0, &Syscon::new, &[0x0, 0xf00], |s, rng, _| {
        if rng.below(8) == 0 {
            let _ = s.take_request();
        }
    });
}

#[test]
fn rtc_survives_random_accesses() {
    let make = || Rtc::new(Box::new(Clock(vec![1_700_000_000_000_000_000])));
    hammer(0x1357, &make, &[0x0, 0x20], |r, rng, mtime| {
        if rng.below(4) == 0 {
            r.advance(mtime);
        }
        if let Some(d) = r.next_deadline_mtime() {
            r.advance(d);
            assert_eq!(r.next_deadline_mtime(), None);
        }
        let _ = (r.irq(), r.time_ns(mtime));
    });
}
