//! `extravirt bench`: interpreter speed on built-in guest loops, in MIPS.
//!
//! The loops are assembled here (no cross toolchain needed) and run on the bare board, through
//! the same bus and RAM as real guests. Wall time is measured around the run only.

use std::process::ExitCode;
use std::time::Instant;

use machine::bare::{BareMachine, RAM_BASE, RAM_SIZE};
use memory::GuestRam;
use riscv::asm::*;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Work per loop in millions of instructions (roughly).
    #[arg(long, default_value_t = 200)]
    millions: u64,
}

const TOHOST: u64 = RAM_BASE + 0x1000;
const PAGE_TABLE: u64 = RAM_BASE + 0x2000;
const BUFFER: u64 = RAM_BASE + 0x10_0000;
const BUFFER_SIZE: u64 = 64 << 20;

// Register numbers.
const T0: u32 = 5;
const T1: u32 = 6;
const T2: u32 = 7;
const S0: u32 = 8;
const A0: u32 = 10;
const A1: u32 = 11;
const A2: u32 = 12;
const A3: u32 = 13;
const A4: u32 = 14;
const A5: u32 = 15;
const T3: u32 = 28;
const T4: u32 = 29;
const T5: u32 = 30;
const T6: u32 = 31;

/// Integer ALU work in a tight loop: 7 instructions per iteration, M-mode, no translation.
fn cpu_loop(iterations: u64) -> BareMachine {
    let code = [
        add(A0, A0, T0),
        xor(A1, A1, A0),
        slli(A2, A0, 3),
        sub(A3, A2, A1),
        mul(A4, A3, A0),
        addi(T0, T0, -1),
        bne(T0, 0, -24),
        sw(A5, S0, 0),
        jal(0, 0),
    ];
    let mut m = machine_with(&code);
    m.hart.set_x(T0 as usize, iterations);
    m
}

/// Loads and stores streaming over 64 MiB in S-mode under Sv39: 8 instructions per 64-byte step,
/// so every page is walked once per pass and the TLB fast path carries the rest.
fn memory_loop(passes: u64) -> BareMachine {
    let code = [
        // M-mode prologue: enable Sv39 and drop to S-mode at the loop.
        csrrw(0, 0x180, T4),
        csrrw(0, 0x341, T5),
        csrrs(0, 0x300, T6),
        mret(),
        // outer:
        addi(T0, A0, 0),
        // inner:
        ld(T1, T0, 0),
        add(T1, T1, T0),
        sd(T1, T0, 0),
        ld(T2, T0, 8),
        xor(T2, T2, T1),
        sd(T2, T0, 8),
        addi(T0, T0, 64),
        bltu(T0, A1, -28),
        addi(T3, T3, -1),
        bne(T3, 0, -40),
        sw(A5, S0, 0),
        jal(0, 0),
    ];
    let mut m = machine_with(&code);
    // One identity-mapped 1 GiB superpage over RAM (root index 2), RWX, A and D preset.
    let pte = ((RAM_BASE >> 12) << 10) | 0xcf;
    m.ram
        .write(PAGE_TABLE + 2 * 8, &pte.to_le_bytes())
        .expect("page table in RAM");
    let regs = [
        (A0, BUFFER),
        (A1, BUFFER + BUFFER_SIZE),
        (T3, passes),
        (T4, (8 << 60) | (PAGE_TABLE >> 12)),
        (T5, RAM_BASE + 16),
        (T6, 1 << 11),
    ];
    for (r, v) in regs {
        m.hart.set_x(r as usize, v);
    }
    m
}

fn machine_with(code: &[u32]) -> BareMachine {
    let mut ram = GuestRam::new(RAM_BASE, RAM_SIZE).expect("constant RAM layout is valid");
    ram.write(RAM_BASE, &bytes(code)).expect("code fits in RAM");
    let mut m = BareMachine::new(ram, RAM_BASE, TOHOST, None);
    m.hart.set_x(S0 as usize, TOHOST);
    m.hart.set_x(A5 as usize, 1);
    m
}

fn measure(name: &str, mut m: BareMachine) -> Result<f64, String> {
    let start = Instant::now();
    let done = m
        .run(u64::MAX, &mut std::io::sink())
        .map_err(|e| format!("{name}: {e}"))?;
    let secs = start.elapsed().as_secs_f64();
    let mips = done.instructions as f64 / secs / 1e6;
    println!(
        "{name:12} {:>12} instructions {secs:8.3} s {mips:9.1} MIPS",
        done.instructions
    );
    Ok(mips)
}

pub fn run(args: &BenchArgs) -> ExitCode {
    let m = args.millions.max(1);
    // 7 instructions per cpu-loop iteration; about 8.4 million per memory-loop pass.
    let results = [
        measure("cpu-loop", cpu_loop(m * 1_000_000 / 7)),
        measure("memory-loop", memory_loop(m.div_ceil(8))),
    ];
    if let Some(Err(e)) = results.iter().find(|r| r.is_err()) {
        eprintln!("extravirt: bench: {e}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
