//! Snapshot round trips for every platform device, stamped out by one macro (as crosvm does):
//! drive a device into a non-trivial state, save, restore into a fresh device, save again and
//! compare bytes; then check both devices answer further accesses identically. Truncated,
//! padded and foreign snapshots must be errors that leave the device untouched.

mod platform_support;

use devices::clint::Clint;
use devices::plic::{Plic, CONTEXT_M, CONTEXT_S};
use devices::rtc::Rtc;
use devices::syscon::{PowerRequest, Syscon};
use devices::uart::Uart;
use devices::{Mmio, Snapshot, SnapshotError};
use platform_support::{Clock, Env, Recorder};

fn saved(dev: &impl Snapshot) -> Vec<u8> {
    let mut out = Vec::new();
    dev.save(&mut out);
    out
}

fn check_round_trip<D: Mmio + Snapshot>(
    make: fn() -> D,
    drive: fn(&mut D, &mut Env),
    probe: fn(&mut D, &mut Env) -> Vec<u64>,
) {
    let mut env = Env::new();
    let mut original = make();
    drive(&mut original, &mut env);
    let state = saved(&original);
    assert_ne!(state, saved(&make()), "drive() must leave a non-reset state");

    let mut restored = make();
    restored.restore(&state).unwrap();
    assert_eq!(saved(&restored), state);

    let mut env2 = Env {
        ram: env.ram.fork(),
        mtime: env.mtime,
    };
    assert_eq!(probe(&mut original, &mut env), probe(&mut restored, &mut env2));
    assert_eq!(saved(&original), saved(&restored));
}

fn check_truncation<D: Mmio + Snapshot>(make: fn() -> D, drive: fn(&mut D, &mut Env)) {
    let mut env = Env::new();
    let mut dev = make();
    drive(&mut dev, &mut env);
    let state = saved(&dev);
    for len in 0..state.len() {
        assert_eq!(
            dev.restore(&state[..len]),
            Err(SnapshotError::RestoreTruncated),
            "len {len}"
        );
        assert_eq!(saved(&dev), state, "a failed restore must not change the device");
    }
}

fn check_malformed<D: Mmio + Snapshot>(make: fn() -> D, drive: fn(&mut D, &mut Env), foreign: &[u8]) {
    let mut env = Env::new();
    let mut dev = make();
    drive(&mut dev, &mut env);
    let state = saved(&dev);
    let mut padded = state.clone();
    padded.push(0);
    assert!(matches!(
        dev.restore(&padded),
        Err(SnapshotError::RestoreMalformed(_))
    ));
    assert!(matches!(
        dev.restore(foreign),
        Err(SnapshotError::RestoreMalformed(_))
    ));
    assert_eq!(saved(&dev), state);
}

macro_rules! snapshot_tests {
    ($($name:ident {
        make: $make:expr,
        drive: $drive:expr,
        probe: $probe:expr,
        foreign: $foreign:expr $(,)?
    })*) => {$(
        mod $name {
            use super::*;

            #[test]
            fn save_restore_save_is_identical_and_behaves_the_same() {
                check_round_trip($make, $drive, $probe);
            }

            #[test]
            fn every_truncation_is_an_error_and_changes_nothing() {
                check_truncation($make, $drive);
            }

            #[test]
            fn trailing_bytes_and_another_devices_state_are_malformed() {
                check_malformed($make, $drive, &$foreign);
            }
        }
    )*};
}

fn request_code(r: Option<PowerRequest>) -> u64 {
    match r {
        None => 0,
        Some(PowerRequest::Poweroff) => 1,
        Some(PowerRequest::Reboot) => 2,
        Some(PowerRequest::Fail(code)) => 3 | (code as u64) << 8,
    }
}

fn uart() -> Uart {
    Uart::new(Box::new(Recorder::default()))
}

fn rtc() -> Rtc {
    Rtc::new(Box::new(Clock(vec![1_700_000_000_000_000_000])))
}

snapshot_tests! {
    clint {
        make: Clint::new,
        drive: |c, env| {
            env.wr(c, 0x0, 4, 1);
            env.wr(c, 0x4000, 8, 0x1234_5678_9abc);
        },
        probe: |c, env| {
            env.mtime = 0x1234_5678_9abc;
            let mut seen = vec![env.rd(c, 0x0, 4), env.rd(c, 0x4004, 4), c.irq_lines(env.mtime)];
            env.wr(c, 0x4004, 4, 0x1_0000);
            seen.extend([env.rd(c, 0x4000, 8), c.irq_lines(env.mtime), env.rd(c, 0xbff8, 8)]);
            seen
        },
        foreign: saved(&Syscon::new()),
    }

    plic {
        make: Plic::new,
        drive: |p, env| {
            for (id, prio) in [(1, 1), (10, 5), (33, 7), (95, 3)] {
                env.wr(p, 4 * id, 4, prio);
                p.set_level(id as u32, true);
            }
            env.wr(p, 0x2000, 4, 1 << 10 | 1 << 1);
            env.wr(p, 0x2080, 4, 1 << 1);
            env.wr(p, 0x2084, 4, 1 << 1);
            env.wr(p, 0x2088, 4, 1 << 31);
            env.wr(p, 0x201000, 4, 2);
            assert_eq!(env.rd(p, 0x200004, 4), 10);
        },
        probe: |p, env| {
            let mut seen = vec![p.irq_lines(), env.rd(p, 0x1000, 4), env.rd(p, 0x1004, 4)];
            seen.push(env.rd(p, 0x201004, 4));
            env.wr(p, 0x200004, 4, 10);
            seen.extend([env.rd(p, 0x200004, 4), env.rd(p, 0x200004, 4)]);
            seen.extend([p.context_pending(CONTEXT_M) as u64, p.context_pending(CONTEXT_S) as u64]);
            seen
        },
        foreign: saved(&Clint::new()),
    }

    uart {
        make: uart,
        drive: |u, env| {
            env.wr(u, 3, 1, 0x83);
            env.wr(u, 0, 1, 0x01);
            env.wr(u, 1, 1, 0x02);
            env.wr(u, 3, 1, 0x03);
            env.wr(u, 2, 1, 0x81);
            env.wr(u, 1, 1, 0x07);
            env.wr(u, 7, 1, 0x5a);
            // Loopback 17 bytes into the 16-byte FIFO: full and overrun.
            env.wr(u, 4, 1, 0x10);
            for b in 0..17 {
                env.wr(u, 0, 1, b);
            }
            env.wr(u, 4, 1, 0x0b);
            env.rd(u, 0, 1);
        },
        probe: |u, env| {
            let mut seen = vec![u.irq() as u64, u.rx_space() as u64];
            for reg in [2, 5, 2, 0, 0, 2, 2, 1, 3, 4, 6, 7] {
                seen.push(env.rd(u, reg, 1));
            }
            seen.push(u.receive(b'x') as u64);
            seen
        },
        foreign: saved(&Plic::new()),
    }

    syscon {
        make: Syscon::new,
        drive: |s, env| env.wr(s, 0, 4, (7 << 16) | 0x3333),
        probe: |s, env| {
            let first = request_code(s.take_request());
            env.wr(s, 0, 4, 0x7777);
            vec![first, request_code(s.take_request())]
        },
        foreign: saved(&Clint::new()),
    }

    rtc {
        make: rtc,
        drive: |r, env| {
            env.mtime = 500;
            env.wr(r, 0x04, 4, 0x1234);
            env.wr(r, 0x10, 4, 1);
            let now = r.time_ns(env.mtime);
            // One alarm already fired, a second one armed.
            env.wr(r, 0x0c, 4, now >> 32);
            env.wr(r, 0x08, 4, now & 0xffff_ffff);
            env.wr(r, 0x08, 4, (now + 10_000) & 0xffff_ffff);
            env.rd(r, 0x00, 4);
            assert!(r.irq() && r.next_deadline_mtime().is_some());
            env.mtime = 520;
        },
        probe: |r, env| {
            let mut seen = vec![r.irq() as u64, r.next_deadline_mtime().unwrap_or(0)];
            seen.extend([env.rd(r, 0x04, 4), env.rd(r, 0x18, 4)]);
            env.wr(r, 0x1c, 4, 1);
            r.advance(700);
            seen.extend([r.irq() as u64, env.rd(r, 0x00, 4), env.rd(r, 0x04, 4)]);
            seen
        },
        foreign: saved(&Syscon::new()),
    }
}
