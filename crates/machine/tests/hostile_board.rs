//! A hostile guest on the full `virt` board: random code that pokes every device window
//! (including virtio queue setup with random addresses) must never panic or hang the board.

mod common;

use common::backends;
use machine::virt::{VirtConfig, VirtExit, VirtMachine};

fn xorshift(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

/// Random code biased towards stores and loads whose base registers point at device windows.
fn hostile_firmware(seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    // A trap handler that skips the faulting instruction keeps the storm going: mtvec points
    // at `csrr t6, mepc; addi t6, t6, 4; csrw mepc, t6; mret`.
    let mut words = vec![
        0x0000_0f97, // auipc t6, 0
        0x010f_8f93, // addi t6, t6, 16
        0x305f_9073, // csrw mtvec, t6
        0x0140_006f, // j +20
        0x3410_2ff3, // csrr t6, mepc
        0x004f_8f93, // addi t6, t6, 4
        0x341f_9073, // csrw mepc, t6
        0x3020_0073, // mret
    ];
    let body_start = words.len();
    // Point x5..x12 at the devices: lui xN, base >> 12 (CLINT, PLIC, UART, virtio 0-2, syscon, RTC).
    let bases: [u32; 8] = [0x2000, 0xc000, 0x10000, 0x10001, 0x10002, 0x10003, 0x100, 0x101];
    for (i, b) in bases.iter().enumerate() {
        words.push((b << 12) | ((5 + i as u32) << 7) | 0x37);
    }
    for _ in 0..4000 {
        let r = xorshift(&mut s) as u32;
        let base = 5 + (r >> 3) % 8;
        let word = match r % 4 {
            // sw/sd of a random register to a small device offset.
            0 => {
                ((r >> 7 & 0x7f) << 25)
                    | ((r >> 14 & 31) << 20)
                    | (base << 15)
                    | (2 + (r >> 20 & 1)) << 12
                    | 0x23
            }
            // lw from a device.
            1 => ((r >> 8 & 0xfff) << 20) | (base << 15) | (2 << 12) | ((r >> 21 & 31) << 7) | 0x03,
            // random ALU op or anything at all.
            2 => (r & !0x7f) | 0x13,
            _ => r,
        };
        words.push(word);
    }
    // Loop back to the start so the device storm continues for the whole budget.
    let back = -((words.len() - body_start) as i32 * 4);
    let imm = back as u32;
    words.push(
        ((imm >> 20 & 1) << 31)
            | ((imm >> 1 & 0x3ff) << 21)
            | ((imm >> 11 & 1) << 20)
            | ((imm >> 12 & 0xff) << 12)
            | 0x6f,
    );
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

#[test]
fn random_device_accesses_never_panic_or_hang_the_board() {
    for seed in 1..=12u64 {
        let cfg = VirtConfig {
            ram_size: 64 << 20,
            firmware: hostile_firmware(seed * 0x9e37_79b9),
            kernel: vec![0; 4096],
            initrd: None,
            cmdline: String::new(),
            single_step: false,
        };
        let mut m = VirtMachine::new(&cfg, backends()).expect("board builds");
        for _ in 0..20 {
            match m.run(50_000) {
                VirtExit::Budget | VirtExit::Idle | VirtExit::Waiting { .. } => {}
                VirtExit::Poweroff | VirtExit::Reboot | VirtExit::Fail(_) | VirtExit::Crashed { .. } => break,
            }
            m.wake(u64::MAX);
            let _ = m.push_console(b"x");
            let _ = m.push_frame(&[0xff; 60]);
        }
        let _ = m.digest();
        assert!(
            m.hart.icount() > 100_000,
            "seed {seed}: the storm died after {} instructions",
            m.hart.icount()
        );
    }
}
