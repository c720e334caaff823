//! Floating point through the block fast path and native code is invisible: random
//! straight-line FP programs (double loads and stores, + - * / and square root in several
//! rounding modes, sign injection, comparisons, conversions, and reads and writes of fflags,
//! frm and fcsr, as compiled code does around quiet comparisons) end in the same state, slice
//! for slice, whether the hart runs blocks, native code, or one instruction at a time.
//!
//! The general random programs of `block_equivalence.rs` jump and trap too much to run much
//! FP: these loop over nothing else, on operands kept in a range where the host FPU's fast
//! path applies (normal numbers of moderate size), so it runs often and is checked.

mod common;

use common::*;

/// Doubles on the data page: this many, of magnitude 2^-8..2^8, either sign.
const VALUES: usize = 64;

fn data(rng: &mut Rng) -> Vec<u8> {
    (0..VALUES)
        .flat_map(|_| {
            let exponent = 1023 - 8 + rng.below(17);
            let bits = rng.below(2) << 63 | exponent << 52 | rng.next() >> 12;
            bits.to_le_bytes()
        })
        .collect()
}

/// fflags (1), frm (2) or fcsr (3) with `op` (CSRRW..CSRRCI) and source `src` (a register,
/// or for the immediate forms a 5-bit value, which written to frm or fcsr keeps the rounding
/// mode valid: frm 0..4, fcsr's frm 0).
fn fp_csr(rng: &mut Rng, rd: u32, rs: u32) -> u32 {
    let csr = 1 + rng.below(3) as i32;
    let f3 = [1, 2, 3, 5, 6, 7][rng.below(6) as usize];
    let src = match (f3 < 4, csr) {
        (true, _) => rs,
        (false, 2) => rng.below(5) as u32,
        (false, _) => rng.below(32) as u32,
    };
    i_type(csr, src, f3, rd, 0x73)
}

/// One random FP instruction (or a frflags / compare / fsflags triple) over f0..f7, a0..a3.
fn random_fp(rng: &mut Rng) -> Vec<u32> {
    let (fd, f1, f2) = (rng.below(8) as u32, rng.below(8) as u32, rng.below(8) as u32);
    let (rd, rs) = (10 + rng.below(4) as u32, 10 + rng.below(4) as u32);
    let slot = 8 * rng.below(VALUES as u64) as i32;
    // Round to nearest even (static or dynamic) most of the time: what the host may compute.
    let rm = [0, 0, 7, 7, 7, 1, 2, 3][rng.below(8) as usize];
    let one = match rng.below(16) {
        0..=2 => i_type(slot, S0, 3, fd, 0x07),     // fld
        3 => s_type(slot, f1, S0, 3) ^ 0x23 ^ 0x27, // fsd
        4..=8 => r_type(
            [0x01, 0x05, 0x09, 0x0d][rng.below(4) as usize],
            f2,
            f1,
            rm,
            fd,
            0x53,
        ),
        9 => r_type(0x2d, 0, f1, rm, fd, 0x53), // fsqrt.d
        10 => r_type(0x11, f2, f1, rng.below(3) as u32, fd, 0x53), // fsgnj*.d
        11 => r_type(0x51, f2, f1, rng.below(3) as u32, rd, 0x53), // fle/flt/feq.d
        12 => r_type(0x61, 2, f1, [1, 7][rng.below(2) as usize], rd, 0x53), // fcvt.l.d
        13 => r_type(0x69, 2, rs, rm, fd, 0x53), // fcvt.d.l
        14 => fp_csr(rng, rd, rs),
        _ => {
            // frflags t; flt.d; fsflags t: a quiet comparison as compilers emit it.
            let t = 5 + rng.below(3) as u32;
            return vec![
                i_type(1, 0, 2, t, 0x73),
                r_type(0x51, f2, f1, 1, rd, 0x53),
                i_type(1, t, 1, 0, 0x73),
            ];
        }
    };
    vec![one]
}

/// A loop of random FP instructions at BASE over random doubles on the data page, entered in
/// M-mode, or with `paged` in S-mode under Sv39 (FP loads and stores through the TLB).
fn fp_program(seed: u64, paged: bool) -> (riscv::Hart, TestBus) {
    let mut rng = Rng(seed);
    let mut words: Vec<u32> = Vec::new();
    let len = 20 + rng.below(300) as usize;
    while words.len() < len {
        words.extend(random_fp(&mut rng));
    }
    // Reload every register now and then, so values stay where the fast path applies.
    for f in 0..8 {
        words.push(i_type(8 * f as i32, S0, 3, f, 0x07));
    }
    words.push(riscv::asm::jal(0, -(words.len() as i32 * 4)));
    let data = data(&mut rng);
    machine(&halfwords(&words), &data, paged)
}

fn run_fp(seeds: std::ops::Range<u64>, paged: bool, engine: Engine) {
    for seed in seeds {
        let (hart, bus) = fp_program(seed, paged);
        compare(hart, bus, seed, engine, &format!("FP program, paged {paged}"));
    }
}

#[test]
fn random_fp_programs_run_identically_with_and_without_blocks() {
    run_fp(0..40, false, Engine::Interpreted);
}

#[test]
fn random_fp_programs_run_identically_as_native_code_and_one_step_at_a_time() {
    run_fp(100..140, false, Engine::Native);
}

#[test]
fn random_fp_programs_under_sv39_run_identically_as_native_code_and_one_step_at_a_time() {
    run_fp(200..240, true, Engine::Native);
}
