//! A checkpoint brought up to date in O(frames written) must be the checkpoint a fresh
//! snapshot would be: the replication layer restores recovery replicas from it.

mod common;

use common::backends;
use machine::virt::{MachineState, VirtConfig, VirtMachine};
use riscv::asm::{add, addi, bltu, bytes, jal, sd, slli};

/// Fills 4 MiB from DRAM + 2 MiB with a counter, 1000 bytes apart, over and over.
fn writer_firmware() -> Vec<u8> {
    let (base, end, ptr, val, step) = (5, 28, 6, 7, 29);
    bytes(&[
        addi(base, 0, 1),
        slli(base, base, 31),
        addi(step, 0, 1),
        slli(step, step, 21),
        add(base, base, step), // base = 0x8020_0000
        addi(end, 0, 1),
        slli(end, end, 22),
        add(end, end, base), // end = base + 4 MiB
        addi(ptr, base, 0),  // outer:
        sd(val, ptr, 0),     // inner:
        addi(val, val, 1),
        addi(ptr, ptr, 1000),
        bltu(ptr, end, -12), // to inner
        jal(0, -20),         // to outer
    ])
}

fn config() -> VirtConfig {
    VirtConfig {
        ram_size: 64 << 20,
        firmware: writer_firmware(),
        kernel: vec![0; 4096],
        initrd: None,
        cmdline: String::new(),
        single_step: false,
    }
}

fn machine() -> VirtMachine {
    VirtMachine::new(&config(), backends()).expect("board builds")
}

fn restored_digest(state: &MachineState) -> [u8; 32] {
    VirtMachine::from_state(&config(), backends(), state)
        .expect("a state of this board restores")
        .digest()
}

#[test]
fn an_updated_checkpoint_restores_to_the_state_a_fresh_one_does() {
    let mut m = machine();
    m.run(200_000);
    m.ram.clear_dirty();
    let mut checkpoint = m.checkpoint();
    let before = restored_digest(&checkpoint);
    m.run(300_000);
    assert!(m.ram.dirty_log().count() > 100, "the writer wrote frames since");
    m.update_checkpoint(&mut checkpoint);
    let fresh = m.checkpoint();
    assert_ne!(restored_digest(&checkpoint), before);
    assert_eq!(restored_digest(&checkpoint), m.digest());
    assert_eq!(restored_digest(&fresh), m.digest());
    // The machine runs on from both alike, and the updated checkpoint does not move with it.
    m.run(100_000);
    assert_ne!(restored_digest(&checkpoint), m.digest());
    assert_eq!(restored_digest(&checkpoint), restored_digest(&fresh));
}
