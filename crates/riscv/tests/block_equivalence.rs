//! The pre-decoded block fast path is invisible: random programs (ALU, loads, stores, atomics, branches, jumps,
//! floating point and its CSRs, counter reads, traps, device accesses and stores into their own code) end in the same state,
//! exit for exit, whether the hart runs blocks or one instruction at a time, over the same random
//! budget slices.

mod common;

use common::*;
use riscv::{Exit, Hart, FRAME_SIZE};

/// Registers the random programs compute in: a0..a7 and t0..t4.
const WORK: [u32; 13] = [10, 11, 12, 13, 14, 15, 16, 17, 5, 6, 7, 28, 29];

/// A register-register ALU instruction, incl. M and W forms.
fn random_r_type(rng: &mut Rng, rd: u32, rs1: u32, rs2: u32) -> u32 {
    let (f7, f3) = [
        (0, 0),
        (0x20, 0),
        (0, 1),
        (0, 2),
        (0, 3),
        (0, 4),
        (0, 5),
        (0x20, 5),
        (0, 6),
        (0, 7),
        (1, 0),
        (1, 1),
        (1, 4),
        (1, 7),
    ][rng.below(14) as usize];
    let op = if rng.below(4) == 0 { 0x3b } else { 0x33 };
    let (f7, f3) = if op == 0x3b && !matches!((f7, f3), (0, 0) | (0x20, 0) | (0, 1) | (0, 5) | (0x20, 5)) {
        (0, 0)
    } else {
        (f7, f3)
    };
    r_type(f7, rs2, rs1, f3, rd, op)
}

/// One random instruction (or a pair) as halfwords.
fn random_insn(rng: &mut Rng, at: u64) -> Vec<u16> {
    let reg = |rng: &mut Rng| WORK[rng.below(WORK.len() as u64) as usize];
    let (rd, rs1, rs2) = (reg(rng), reg(rng), reg(rng));
    let imm = rng.below(4096) as i32 - 2048;
    let word = match rng.below(25) {
        0..=3 => random_r_type(rng, rd, rs1, rs2),
        24 => {
            // A result used as the second operand of the next instruction, or of the one after
            // a comparison or LUI that overwrites it: native code keeps ALU results in host
            // registers (a non-commuting operation must not swap its operands then, and a
            // result it does not hold must replace the one held). Or a result read again after
            // a comparison of another register, which native code loaded where the result
            // was. Or an operand read again after an instruction that computed from it into
            // x0: the result went nowhere, though native code computed it where the operand was.
            let first = i_type(imm, rs1, 0, rd, 0x13);
            let (rd2, rs1) = (reg(rng), reg(rng));
            let last = random_r_type(rng, rd2, rs1, rd);
            let words = match rng.below(5) {
                0 => vec![first, i_type(imm, rs1, 2 + rng.below(2) as u32, rd, 0x13), last],
                1 => vec![first, (rng.next() as u32 & 0xffff_f000) | rd << 7 | 0x37, last],
                2 => vec![
                    first,
                    i_type(imm, rs1, 2 + rng.below(2) as u32, rd2, 0x13),
                    random_r_type(rng, rd2, rd, rs1),
                ],
                // An odd immediate, so that the discarded sum differs from the operand.
                3 => vec![i_type(imm | 1, rs1, 0, 0, 0x13), random_r_type(rng, rd2, rs1, rd)],
                _ => vec![first, last],
            };
            return halfwords(&words);
        }
        4..=7 => {
            // Immediate ALU and shifts, 64- and 32-bit.
            match rng.below(8) {
                0 => i_type(imm, rs1, 1, rd, 0x13) & !(0xfc0 << 20),
                1 => (i_type(imm, rs1, 5, rd, 0x13) & !(0xfc0 << 20)) | (rng.below(2) as u32) << 30,
                2 => i_type(imm, rs1, 0, rd, 0x1b),
                3 => (i_type(imm, rs1, 5, rd, 0x1b) & !(0xfe0 << 20)) | (rng.below(2) as u32) << 30,
                4 => i_type(imm, rs1, 1, rd, 0x1b) & !(0xfe0 << 20),
                _ => i_type(imm, rs1, [0, 2, 3, 4, 6, 7][rng.below(6) as usize], rd, 0x13),
            }
        }
        8 => (rng.next() as u32 & 0xffff_f000) | rd << 7 | [0x37, 0x17][rng.below(2) as usize],
        9..=11 => {
            // Loads from the data page (some misaligned, some across its end into the handler).
            let f3 = [0, 1, 2, 3, 4, 5, 6][rng.below(7) as usize];
            i_type(rng.below(4100) as i32 - 4, S0, f3, rd, 0x03) & !(0x800 << 20)
        }
        12..=13 => s_type(rng.below(4090) as i32 & 0x7ff, rs2, S0, rng.below(4) as u32),
        14 => {
            // Store an `addi` (in t6) into the code just ahead: self-modifying code.
            let ahead = (at - BASE) as i32 + 4 * (1 + rng.below(6) as i32);
            if ahead >= 2044 {
                0x13
            } else {
                s_type(ahead & !3, T6, S1, 2)
            }
        }
        23 => {
            // An atomic on the data page, or now and then at a random register's address
            // (misaligned, unmapped or a device: a trap).
            let funct5 = [0x01, 0x00, 0x04, 0x0c, 0x08, 0x10, 0x1c][rng.below(7) as usize];
            let width = 2 + rng.below(2) as u32;
            if rng.below(8) == 0 {
                r_type(funct5 << 2, rs2, rs1, width, rd, 0x2f)
            } else {
                // t3 = s0 + a small offset, aligned or not.
                let at = i_type(
                    rng.below(16) as i32 * 4 + [0, 0, 0, 1, 2, 4][rng.below(6) as usize],
                    S0,
                    0,
                    T3,
                    0x13,
                );
                let amo = r_type(funct5 << 2, rs2, T3, width, rd, 0x2f);
                return halfwords(&[at, amo]);
            }
        }
        22 => {
            // An indirect jump (linking or not) to anywhere in the first two code pages.
            let rd = if rng.below(2) == 0 { 0 } else { rd };
            i_type(2 * rng.below(1024) as i32, S1, 0, rd, 0x67)
        }
        21 => {
            // A direct jump (linking or not), forward or back, mostly within the page.
            let dist = 2 * (rng.below(40) as i32 - 12);
            let rd = if rng.below(2) == 0 { 0 } else { rd };
            riscv::asm::jal(rd, if dist == 0 { 4 } else { dist })
        }
        15 => {
            let dist = 2 * (rng.below(24) as i32 - 6);
            b_type(
                if dist == 0 { 4 } else { dist },
                rs2,
                rs1,
                [0, 1, 4, 5, 6, 7][rng.below(6) as usize],
            )
        }
        16 => {
            // A counter read (instret or cycle) or a device access.
            match rng.below(4) {
                0 => 0xc020_2073 | rd << 7,
                1 => 0xc000_2073 | rd << 7,
                2 => i_type(0, S2, 3, rd, 0x03),
                _ => s_type(0, rs1, S2, 3),
            }
        }
        17 => [0x0000_0073, 0x0000_0000][rng.below(2) as usize], // ecall, illegal
        18 => {
            // Floating point: loads and stores of both widths, sign injection,
            // arithmetic, and reads and writes of fflags, frm and fcsr (which
            // do not end blocks, and change whether the host FPU may compute).
            let (fd, f1, f2) = (rd & 7, rs1 & 7, rs2 & 7);
            let off = rng.below(2040) as i32;
            match rng.below(10) {
                8 | 9 => {
                    let csr = 1 + rng.below(3) as i32;
                    let f3 = [1, 2, 3, 5, 6, 7][rng.below(6) as usize];
                    // A register operand, or a 5-bit immediate (CSRR*I).
                    let src = if f3 < 4 { rs1 } else { rng.below(32) as u32 };
                    i_type(csr, src, f3, rd, 0x73)
                }
                0 => i_type(off, S0, 3, fd, 0x07),
                1 => i_type(off, S0, 2, fd, 0x07),
                2 => s_type(off, f2, S0, 3) ^ 0x23 ^ 0x27,
                3 => s_type(off, f2, S0, 2) ^ 0x23 ^ 0x27,
                4 => r_type(0x2d, 0, f1, 7, fd, 0x53),
                5 => r_type(0x11, f2, f1, rng.below(3) as u32, fd, 0x53),
                // Round to nearest even, static or dynamic: what the host FPU may compute.
                _ => r_type(
                    [0x01, 0x05, 0x09, 0x0d][rng.below(4) as usize],
                    f2,
                    f1,
                    [0, 7][rng.below(2) as usize],
                    fd,
                    0x53,
                ),
            }
        }
        _ => {
            // Compressed: c.addi rd, imm and c.add rd, rs2.
            let c_addi = 0x0001 | (rd as u16) << 7 | (imm as u16 & 0x1f) << 2 | (imm as u16 & 0x20) << 7;
            let c_add = 0x9002 | (rd as u16) << 7 | (rs2 as u16) << 2;
            return vec![c_addi, c_add];
        }
    };
    halfwords(&[word])
}

/// A random program over the code pages; the handler skips the trapping instruction.
fn program(seed: u64, paged: bool) -> (Hart, TestBus) {
    let mut rng = Rng(seed);
    let mut halves: Vec<u16> = Vec::new();
    while (halves.len() as u64) * 2 < CODE_PAGES * 4096 - 8 {
        let at = BASE + halves.len() as u64 * 2;
        halves.extend(random_insn(&mut rng, at));
    }
    halves.truncate((CODE_PAGES * 4096 / 2) as usize - 4);
    // Back to the start, so budgets larger than the program keep running it.
    let j = riscv::asm::jal(0, -(halves.len() as i32 * 2));
    halves.extend([j as u16, (j >> 16) as u16]);
    let data: Vec<u8> = (0..FRAME_SIZE).map(|i| (rng.next() >> (i % 8)) as u8).collect();
    machine(&halves, &data, paged)
}

fn run_both(seed: u64, paged: bool, engine: Engine) {
    let (hart, bus) = program(seed, paged);
    compare(hart, bus, seed, engine, &format!("paged {paged}"));
}

#[test]
fn random_programs_run_identically_with_and_without_blocks() {
    for seed in 0..40 {
        run_both(seed, false, Engine::Interpreted);
    }
}

#[test]
fn random_programs_under_sv39_run_identically_with_and_without_blocks() {
    // Translated accesses take the TLB's cached frame addresses.
    for seed in 100..140 {
        run_both(seed, true, Engine::Interpreted);
    }
}

#[test]
fn random_programs_run_identically_as_native_code_and_one_step_at_a_time() {
    for seed in 200..240 {
        run_both(seed, false, Engine::Native);
    }
}

#[test]
fn random_programs_under_sv39_run_identically_as_native_code_and_one_step_at_a_time() {
    for seed in 300..340 {
        run_both(seed, true, Engine::Native);
    }
}

/// The ways a hart can run the directed tests below: blocks translated to native code at their
/// first run, interpreted blocks, and one instruction at a time.
const ENGINES: [(bool, Option<u32>); 3] = [(true, Some(0)), (true, None), (false, None)];

/// Writes `words` into `page` from byte `at`.
fn put(page: &mut [u8; FRAME_SIZE], at: usize, words: &[u32]) {
    for (i, w) in words.iter().enumerate() {
        page[at + 4 * i..at + 4 * i + 4].copy_from_slice(&w.to_le_bytes());
    }
}

/// `program(seed, true)` (Sv39 S-mode at BASE) with each `(at, words)` of `code` written into
/// the first code page, on a hart set to run as `engine` (one of [`ENGINES`]).
fn paged_with(seed: u64, code: &[(usize, &[u32])], (blocks, native): (bool, Option<u32>)) -> (Hart, TestBus) {
    let (mut hart, mut bus) = program(seed, true);
    for (at, words) in code {
        put(bus.page(0), *at, words);
    }
    hart.set_blocks(blocks);
    hart.set_native(native);
    (hart, bus)
}

#[test]
fn a_store_into_the_running_block_is_executed_as_stored() {
    // addi a0,a0,1; sw t6,8(s1) (replaces the next-but-one instruction); addi a0,a0,1;
    // addi a0,a0,1 (replaced by t6 = addi a0,a0,3 before it runs); j . -- one block, which
    // the budget of 5 lets run whole.
    let code = [
        i_type(1, 10, 0, 10, 0x13),
        s_type(12, T6, S1, 2),
        i_type(1, 10, 0, 10, 0x13),
        i_type(1, 10, 0, 10, 0x13),
        riscv::asm::jal(0, 0),
    ];
    for (blocks, native) in ENGINES {
        let mut bus = TestBus::new(vec![[0u8; FRAME_SIZE]; 2]);
        put(bus.page(0), 0, &code);
        let mut hart = Hart::new(BASE);
        hart.set_blocks(blocks);
        hart.set_native(native);
        hart.set_x(S1 as usize, BASE);
        hart.set_x(T6 as usize, i_type(3, 10, 0, 10, 0x13) as u64);
        assert_eq!(hart.run(&mut bus, 5), Exit::Budget);
        assert_eq!(hart.x(10), 5, "blocks {blocks}, native {native:?}: 1 + 1 + 3");
    }
}

#[test]
fn a_store_into_the_running_block_after_one_elsewhere_in_its_page_is_executed_as_stored() {
    // sw t6,2040(s1); sw t6,2044(s1) (same page, outside the block: each ends the code epoch,
    // not the block); sw t6,16(s1) (replaces the next-but-one instruction); addi a0,a0,1;
    // addi a0,a0,1 (replaced by addi a0,a0,3 before it runs); jalr x0,0(s1) -- one block, in
    // S-mode under Sv39. There translated code stores through the TLB (the first store, in
    // the interpreter, fills it) and reports a store only if it hits a page watched in the
    // current epoch: the running block's page must be watched again after each epoch ends.
    let code = halfwords(&[
        s_type(2040, T6, S1, 2),
        s_type(2044, T6, S1, 2),
        s_type(16, T6, S1, 2),
        i_type(1, 10, 0, 10, 0x13),
        i_type(1, 10, 0, 10, 0x13),
        i_type(0, S1, 0, 0, 0x67),
    ]);
    for (blocks, native) in ENGINES {
        let (mut hart, mut bus) = machine(&code, &[], true);
        hart.set_blocks(blocks);
        hart.set_native(native);
        assert_eq!(bus.run(&mut hart, 6), Exit::Budget);
        assert_eq!(hart.x(10), 4, "blocks {blocks}, native {native:?}: 1 + 3");
    }
}

#[test]
fn writing_fflags_marks_the_fp_state_dirty() {
    // csrrc x0,mstatus,t0 (FS from Dirty to Initial); csrrs a2,mstatus,x0; then one block:
    // csrrw x0,fflags,a0 (FSFLAGS); csrrs a1,mstatus,x0. The write must make FS Dirty again,
    // as every FP state write does, so that an OS saving FP state on context switches saves it.
    const T0: u32 = 5;
    let code = halfwords(&[
        i_type(0x300, T0, 3, 0, 0x73),
        i_type(0x300, 0, 2, 12, 0x73),
        i_type(1, 10, 1, 0, 0x73),
        i_type(0x300, 0, 2, 11, 0x73),
    ]);
    let fs = 3 << 13;
    for (blocks, native) in ENGINES {
        let (mut hart, mut bus) = machine(&code, &[], false);
        hart.set_blocks(blocks);
        hart.set_native(native);
        hart.set_x(T0 as usize, 2 << 13);
        hart.set_x(10, 0x1f);
        assert_eq!(bus.run(&mut hart, 2), Exit::Budget);
        assert_eq!(bus.run(&mut hart, 2), Exit::Budget);
        let what = format!("blocks {blocks}, native {native:?}");
        assert_eq!(hart.x(12) & fs, 1 << 13, "{what}: FS Initial");
        assert_eq!(hart.csr(0x001), Some(0x1f), "{what}: fflags written");
        assert_eq!(hart.x(11) & fs, fs, "{what}: FS Dirty");
    }
}

#[test]
fn clearing_fflags_inside_a_block_keeps_the_next_inexact_result_flagged() {
    // Run 1: csrrwi fflags,1 (NX set); jalr x0,8(s1). Run 2, entered with NX set (which lets
    // the host FPU compute round-to-nearest-even results, NX needing no update):
    // csrrwi fflags,0; fmul.d f1,f2,f3 (0.1 * 0.1, inexact); jalr x0,0(s1). The FP CSR write
    // does not end the block, and the multiplication must set NX again.
    let code = halfwords(&[
        i_type(1, 1, 5, 0, 0x73),
        i_type(8, S1, 0, 0, 0x67),
        i_type(1, 0, 5, 0, 0x73),
        r_type(0x09, 3, 2, 0, 1, 0x53),
        i_type(0, S1, 0, 0, 0x67),
    ]);
    let tenth = 0.1f64.to_bits();
    for (blocks, native) in ENGINES {
        let (mut hart, mut bus) = machine(&code, &[], false);
        hart.set_blocks(blocks);
        hart.set_native(native);
        hart.set_f(2, tenth);
        hart.set_f(3, tenth);
        assert_eq!(bus.run(&mut hart, 2), Exit::Budget);
        assert_eq!(
            hart.csr(0x001),
            Some(1),
            "blocks {blocks}, native {native:?}: NX set"
        );
        assert_eq!(bus.run(&mut hart, 3), Exit::Budget);
        let what = format!("blocks {blocks}, native {native:?}");
        assert_eq!(hart.f(1), (0.1f64 * 0.1).to_bits(), "{what}: the product");
        assert_eq!(hart.csr(0x001), Some(1), "{what}: NX after an inexact product");
    }
}

#[test]
fn a_store_into_a_block_entered_by_chaining_is_executed_as_stored() {
    // Block Y (sw t6,12(s1); three times addi a0,a0,1; jalr x0,0(s2)) runs first, storing into
    // page 1, and jumps to block W (sub s1,s1,t5; beq x0,x0,Y), which is new, so the run
    // leaves the first translation and enters W's afresh. W chains back to Y, whose store now
    // replaces Y's own fourth instruction (by addi a0,a0,3) before that runs: what the
    // call-backs take for the running block must be Y, not W, the block the run entered.
    const Y: u64 = 64;
    let w = [
        r_type(0x20, T5, S1, 0, S1, 0x33),
        b_type(Y as i32 - 4, 0, 0, 0),
        0,
    ];
    let y = [
        s_type(12, T6, S1, 2),
        i_type(1, 10, 0, 10, 0x13),
        i_type(1, 10, 0, 10, 0x13),
        i_type(1, 10, 0, 10, 0x13),
        i_type(0, S2, 0, 0, 0x67),
    ];
    for (blocks, native) in ENGINES {
        let mut bus = TestBus::new(vec![[0u8; FRAME_SIZE]; 2]);
        put(bus.page(0), 0, &w);
        put(bus.page(0), Y as usize, &y);
        let mut hart = Hart::new(BASE + Y);
        hart.set_blocks(blocks);
        hart.set_native(native);
        hart.set_x(S1 as usize, BASE + Y + FRAME_SIZE as u64);
        hart.set_x(T5 as usize, FRAME_SIZE as u64);
        hart.set_x(S2 as usize, BASE);
        hart.set_x(T6 as usize, i_type(3, 10, 0, 10, 0x13) as u64);
        assert_eq!(hart.run(&mut bus, 5 + 2 + 5), Exit::Budget);
        assert_eq!(hart.x(10), 3 + 1 + 1 + 3, "blocks {blocks}, native {native:?}");
    }
}

#[test]
fn a_store_to_another_translated_block_in_the_page_is_seen_when_it_runs_again() {
    // Under Sv39 (stores take the TLB's frame addresses): block A at BASE adds an immediate to
    // a0 and jumps to block B at BASE+64, which rewrites A's immediate (one more each time
    // round) and jumps back. A ran, and was translated, before each rewrite.
    let a = [i_type(1, 10, 0, 10, 0x13), i_type(64, S1, 0, 0, 0x67)];
    let b = [
        s_type(0, T6, S1, 2),
        r_type(0, T5, T6, 0, T6, 0x33),
        i_type(0, S1, 0, 0, 0x67),
    ];
    let mut results = Vec::new();
    for engine in ENGINES {
        let (mut hart, mut bus) = paged_with(7, &[(0, &a), (64, &b)], engine);
        hart.set_x(10, 0);
        hart.set_x(T6 as usize, i_type(3, 10, 0, 10, 0x13) as u64);
        hart.set_x(T5 as usize, 1 << 20);
        // Five rounds of five instructions: a0 = 1 + 3 + 4 + 5 + 6.
        assert_eq!(bus.run(&mut hart, 25), Exit::Budget);
        results.push((hart.x(10), hart.digest()));
    }
    assert_eq!(results[0].0, 19, "native code ran a stale block");
    assert!(results.iter().all(|r| *r == results[0]), "{results:?}");
}

#[test]
fn code_a_device_writes_between_runs_is_executed_as_written() {
    // addi a0,a0,1; jalr x0,0(s1): one block, run 20 times. Then a device (here the test)
    // rewrites the addi as addi a0,a0,100 between two runs. The hart keeps checked blocks
    // across runs only while the bus's RAM stamp stays the same; this write changes it.
    let code = halfwords(&[i_type(1, 10, 0, 10, 0x13), i_type(0, S1, 0, 0, 0x67)]);
    for paged in [false, true] {
        for (blocks, native) in ENGINES {
            let (mut hart, mut bus) = machine(&code, &[], paged);
            hart.set_blocks(blocks);
            hart.set_native(native);
            assert_eq!(hart.run(&mut bus, 40), Exit::Budget);
            put(bus.page(0), 0, &[i_type(100, 10, 0, 10, 0x13)]);
            // The whole block (a shorter budget would step the addi singly).
            assert_eq!(hart.run(&mut bus, 4), Exit::Budget);
            let what = format!("paged {paged}, blocks {blocks}, native {native:?}");
            assert_eq!(hart.x(10), 220, "{what}: 20 + 100 + 100");
        }
    }
}

#[test]
fn code_a_device_writes_during_a_run_is_executed_in_the_next_run() {
    // addi a0,a0,1; sd t6,0x100(s2), which makes the DMA device write addi a0,a0,100 over the
    // addi and ends the run (as any device access does); jalr x0,0(s1). The write happened
    // after the run started: the next run must see the stamp changed since then.
    let code = halfwords(&[
        i_type(1, 10, 0, 10, 0x13),
        s_type(0x100, T6, S2, 3),
        i_type(0, S1, 0, 0, 0x67),
    ]);
    for paged in [false, true] {
        for (blocks, native) in ENGINES {
            let (mut hart, mut bus) = machine(&code, &[], paged);
            hart.set_blocks(blocks);
            hart.set_native(native);
            hart.set_x(T6 as usize, i_type(100, 10, 0, 10, 0x13) as u64);
            let start = hart.icount();
            assert_eq!(hart.run(&mut bus, 100), Exit::Io);
            assert_eq!(hart.icount(), start + 2);
            // jalr, then the whole block again (a shorter budget would step the addi singly).
            assert_eq!(hart.run(&mut bus, 100), Exit::Io);
            assert_eq!(hart.icount(), start + 5);
            let what = format!("paged {paged}, blocks {blocks}, native {native:?}");
            assert_eq!(hart.x(10), 101, "{what}: 1 + 100");
        }
    }
}

#[test]
fn a_load_after_the_first_store_to_a_shared_frame_sees_the_store() {
    // Under Sv39, in one run over frames shared with a shadow copy: the load caches the shared
    // frame's address, the store copies the frame (copy-on-write), and the second load must
    // read the copy. Repeated so the block is translated for the later rounds.
    let code = [
        i_type(0, S0, 3, 10, 0x03),     // ld a0, 0(s0)
        s_type(0, T6, S0, 3),           // sd t6, 0(s0)
        i_type(0, S0, 3, 11, 0x03),     // ld a1, 0(s0)
        r_type(0, T5, T6, 0, T6, 0x33), // add t6, t6, t5
        i_type(0, S1, 0, 0, 0x67),      // jr s1
    ];
    for engine @ (blocks, native) in ENGINES {
        let (mut hart, mut bus) = paged_with(11, &[(0, &code)], engine);
        hart.set_x(T6 as usize, 100);
        hart.set_x(T5 as usize, 1);
        for round in 0..3u64 {
            // Each run shares every frame again, so its first store copies the data frame.
            assert_eq!(bus.run(&mut hart, code.len() as u64), Exit::Budget);
            let what = format!("blocks {blocks}, native {native:?}, round {round}");
            assert_eq!(
                hart.x(11),
                100 + round,
                "{what}: the second load missed the store"
            );
        }
    }
}

#[test]
fn a_word_atomic_beside_a_reservation_leaves_it_held() {
    // Under Sv39: LR.D at DATA+8, AMOADD.W on the word just before it (DATA+4..8, outside the
    // reservation), then SC.D must succeed; a0 sums the SC results (0 = success) over rounds.
    let code = [
        s_type(24, 6, S0, 3),       // sd t1, 24(s0): caches the data page's frame for stores
        i_type(8, S0, 0, T3, 0x13), // addi t3, s0, 8
        i_type(4, S0, 0, 29, 0x13), // addi t4, s0, 4
        r_type(0x02 << 2, 0, T3, 3, 5, 0x2f), // lr.d t0, (t3)
        r_type(0, 6, 29, 2, 0, 0x2f), // amoadd.w x0, t1, (t4)
        r_type(0x03 << 2, 6, T3, 3, 7, 0x2f), // sc.d t2, t1, (t3)
        r_type(0, 7, 10, 0, 10, 0x33), // add a0, a0, t2
        i_type(0, S1, 0, 0, 0x67),  // jr s1
    ];
    for engine @ (blocks, native) in ENGINES {
        let (mut hart, mut bus) = paged_with(13, &[(0, &code)], engine);
        hart.set_x(10, 0);
        hart.set_x(6, 1);
        assert_eq!(bus.run(&mut hart, code.len() as u64 * 5), Exit::Budget);
        assert_eq!(hart.x(10), 0, "blocks {blocks}, native {native:?}: an SC failed");
    }
}
