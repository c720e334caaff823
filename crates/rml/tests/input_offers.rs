//! Where a replica's runs start and stop must make no difference to when queued host input
//! reaches the guest: live replicas and a replay split their runs at different points.

use std::sync::Arc;

use machine::virt::VirtConfig;
use riscv::asm::{add, addi, bytes, jal, mul, slli};
use rml::virt::{VirtContext, VirtGuest};
use rml::{Guest, Input};

/// `lbu rd, 0(rs1)` (the assembler has no byte loads).
fn lbu(rd: u32, rs1: u32) -> u32 {
    (rs1 << 15) | (4 << 12) | (rd << 7) | 0x03
}

/// Reads the UART's receive register in a loop and folds every value read into x7, so the
/// final x7 depends on the instruction at which each byte arrived.
fn reader_firmware() -> Vec<u8> {
    let (uart, byte, acc, three) = (5, 6, 7, 8);
    bytes(&[
        addi(uart, 0, 1),
        slli(uart, uart, 28), // 0x1000_0000, the UART
        addi(three, 0, 3),
        lbu(byte, uart), // loop:
        mul(acc, acc, three),
        add(acc, acc, byte),
        jal(0, -12),
    ])
}

fn guest() -> VirtGuest {
    let ctx = VirtContext {
        config: VirtConfig {
            ram_size: 64 << 20,
            firmware: reader_firmware(),
            kernel: vec![0; 4096],
            initrd: None,
            cmdline: String::new(),
            single_step: false,
        },
        disk: None,
        net: false,
        entropy_key: rml::virt::entropy_key(1),
        boot_time_ns: 0,
    };
    VirtGuest::boot(Arc::new(ctx)).expect("the board builds")
}

#[test]
fn queued_input_reaches_the_guest_at_the_same_instruction_however_runs_are_split() {
    // More than the UART's FIFO holds, so some stays queued across the split points.
    let input = Input::Console((0..200u8).collect());
    let mut straight = guest();
    straight.push_input(&input);
    straight.run(1_000_000);
    for split in [1, 12_345, 100_001, 250_007] {
        let mut split_run = guest();
        split_run.push_input(&input);
        split_run.run(split);
        split_run.run(1_000_000);
        assert_eq!(split_run.digest(), straight.digest(), "runs split at {split}");
    }
}

#[test]
fn input_is_offered_where_it_was_delivered_not_at_the_next_grid_point() {
    let input = Input::Console(b"now".to_vec());
    let delivered_at = |at: u64| {
        let mut g = guest();
        g.run(at);
        g.push_input(&input);
        g.run(1_000_000);
        g.digest()
    };
    // 100000 is the next multiple of the input grid after 33333.
    assert_ne!(delivered_at(33_333), delivered_at(100_000));
}
