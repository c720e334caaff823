//! Property-style check against a plain byte-vector model: random writes, forks, merges, dirty
//! clears and snapshots on two RAMs must leave each with exactly its model's contents, and the
//! bookkeeping (dirty marks, digests, accounting) must agree with the model.

use std::collections::BTreeSet;

use memory::{GuestRam, FRAME_SIZE};

const BASE: u64 = 0x4000_0000;
const FRAMES: usize = 8;
const SIZE: usize = FRAMES * FRAME_SIZE;

/// xorshift64*: deterministic, seedable, and good enough to pick operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One RAM plus what it should contain and which frames it should report dirty.
struct Side {
    ram: GuestRam,
    bytes: Vec<u8>,
    dirty: BTreeSet<usize>,
}

impl Side {
    fn fork(&self) -> Side {
        Side {
            ram: self.ram.fork(),
            bytes: self.bytes.clone(),
            dirty: self.dirty.clone(),
        }
    }

    fn check(&self, what: &str) {
        let mut got = vec![0; SIZE];
        self.ram.read(BASE, &mut got).unwrap();
        assert!(got == self.bytes, "{what}: contents diverged from the model");
        assert_eq!(
            self.ram.dirty_frames().collect::<BTreeSet<_>>(),
            self.dirty,
            "{what}: dirty"
        );
    }
}

fn run(seed: u64, steps: usize) {
    let mut rng = Rng(seed);
    let fresh = || Side {
        ram: GuestRam::new(BASE, SIZE as u64).unwrap(),
        bytes: vec![0; SIZE],
        dirty: BTreeSet::new(),
    };
    let mut sides = [fresh(), fresh()];
    let mut total_merged = 0;
    for step in 0..steps {
        let what = format!("seed {seed:#x} step {step}");
        let (i, j) = if rng.below(2) == 0 { (0, 1) } else { (1, 0) };
        match rng.below(100) {
            // Writes dominate, biased to few distinct values so frames often end up identical.
            0..=59 => {
                let max = if rng.below(4) == 0 { 2 * FRAME_SIZE } else { 16 };
                let len = 1 + rng.below(max);
                let at = rng.below(SIZE - len + 1);
                let value = rng.below(3) as u8;
                let data = vec![value; len];
                sides[i].ram.write(BASE + at as u64, &data).unwrap();
                sides[i].bytes[at..at + len].copy_from_slice(&data);
                sides[i]
                    .dirty
                    .extend(at / FRAME_SIZE..=(at + len - 1) / FRAME_SIZE);
            }
            60..=69 => {
                let at = rng.below(SIZE + 64);
                let len = 1 + rng.below(64);
                assert_eq!(
                    sides[i].ram.write(BASE + at as u64, &vec![9; len]).is_ok(),
                    at + len <= SIZE
                );
                if at + len <= SIZE {
                    sides[i].bytes[at..at + len].fill(9);
                    sides[i]
                        .dirty
                        .extend(at / FRAME_SIZE..=(at + len - 1) / FRAME_SIZE);
                }
            }
            70..=74 => sides[j] = sides[i].fork(),
            75..=84 => {
                let [a, b] = &mut sides;
                let (me, other) = if i == 0 { (a, &*b) } else { (b, &*a) };
                let frames: Vec<usize> = (0..FRAMES).filter(|_| rng.below(2) == 0).collect();
                let identical_unshared = frames
                    .iter()
                    .filter(|&&f| {
                        let range = f * FRAME_SIZE..(f + 1) * FRAME_SIZE;
                        me.bytes[range.clone()] == other.bytes[range]
                    })
                    .count();
                let before = GuestRam::stats(&[&me.ram, &other.ram]).unique_frames;
                let merged = me.ram.merge_identical(&other.ram, frames);
                assert!(merged <= identical_unshared, "{what}: merged a differing frame");
                let after = GuestRam::stats(&[&me.ram, &other.ram]).unique_frames;
                assert!(after <= before && before - after <= merged, "{what}: accounting");
                total_merged += merged;
            }
            85..=89 => {
                sides[i].ram.clear_dirty();
                sides[i].dirty.clear();
            }
            90..=94 => {
                let mut bytes = Vec::new();
                sides[i].ram.save(&mut bytes).unwrap();
                sides[i].ram = GuestRam::restore(&mut bytes.as_slice()).unwrap();
                sides[i].dirty.clear();
            }
            _ => {
                let same = sides[0].bytes == sides[1].bytes;
                assert_eq!(
                    sides[0].ram.digest() == sides[1].ram.digest(),
                    same,
                    "{what}: digest"
                );
            }
        }
        sides[0].check(&what);
        sides[1].check(&what);
        let stats = GuestRam::stats(&[&sides[0].ram, &sides[1].ram]);
        assert_eq!(stats.logical_frames, 2 * FRAMES);
        assert!(
            stats.unique_frames <= 2 * FRAMES + 1,
            "{what}: more frames than slots + zero"
        );
    }
    // Guards the generator: a run that never merges would check nothing about merging.
    assert!(total_merged > 10, "seed {seed:#x}: only {total_merged} merges");
}

#[test]
fn random_operations_match_a_byte_vector_model() {
    for seed in [1, 0x9e37_79b9_7f4a_7c15, 0xdead_beef, 42, 7] {
        run(seed, 1500);
    }
}
