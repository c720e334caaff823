//! Micro-benchmark of the hot paths, without criterion: `cargo bench -p memory`.
//!
//! Prints ns per `frame_mut` on an exclusively owned frame (the steady state the CPU sees) and on a
//! fresh RAM (every call copies the shared zero frame), and the cost of digesting 256 MiB.

use std::hint::black_box;
use std::time::Instant;

use memory::{GuestRam, FRAME_SIZE};

const SIZE: u64 = 256 << 20;

fn per_op(label: &str, ops: usize, f: impl FnOnce()) {
    let start = Instant::now();
    f();
    let ns = start.elapsed().as_nanos() as f64 / ops as f64;
    println!("{label:<48} {ns:>12.1} ns/op");
}

fn main() {
    let frames = (SIZE / FRAME_SIZE as u64) as usize;

    let mut ram = GuestRam::new(0, SIZE).unwrap();
    per_op("frame_mut, fresh RAM (copy-on-write zero frame)", frames, || {
        for idx in 0..frames {
            black_box(ram.frame_mut(idx))[0] = 1;
        }
    });

    const ROUNDS: usize = 16;
    per_op(
        "frame_mut, exclusive, sweeping all frames",
        frames * ROUNDS,
        || {
            for round in 0..ROUNDS {
                for idx in 0..frames {
                    black_box(ram.frame_mut(idx))[1] = round as u8;
                }
            }
        },
    );

    const REPEAT: usize = 10_000_000;
    per_op("frame_mut, one exclusive frame, cache hot", REPEAT, || {
        for i in 0..REPEAT {
            black_box(ram.frame_mut(black_box(7)))[1] = i as u8;
        }
    });

    per_op("frame (read), sweeping all frames", frames * ROUNDS, || {
        for _ in 0..ROUNDS {
            for idx in 0..frames {
                black_box(black_box(&ram).frame(idx)[1]);
            }
        }
    });

    let fresh = GuestRam::new(0, SIZE).unwrap();
    per_op("digest, 256 MiB never written (per RAM)", 1, || {
        black_box(fresh.digest());
    });
    per_op("digest, 256 MiB all written, cold (per RAM)", 1, || {
        black_box(ram.digest());
    });
    per_op("digest, 256 MiB all written, cached (per RAM)", 1, || {
        black_box(ram.digest());
    });
    let forked = ram.fork();
    per_op("fork, 256 MiB (per fork)", 1, || {
        black_box(forked.fork());
    });
}
