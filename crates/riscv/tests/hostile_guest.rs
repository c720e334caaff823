//! A buggy or hostile guest gets architectural behaviour, never a panic or a hang: random
//! instruction streams, random page tables and wild jumps, in every privilege mode.

use riscv::{Bus, Exit, Hart, IoCtx, FRAME_SIZE};

const BASE: u64 = 0x8000_0000;

struct RandomRam {
    ram: Vec<[u8; FRAME_SIZE]>,
}

impl Bus for RandomRam {
    fn ram(&self, pa: u64) -> Option<&[u8; FRAME_SIZE]> {
        let i = pa.checked_sub(BASE)? as usize / FRAME_SIZE;
        self.ram.get(i)
    }
    fn ram_mut(&mut self, pa: u64) -> Option<&mut [u8; FRAME_SIZE]> {
        let i = pa.checked_sub(BASE)? as usize / FRAME_SIZE;
        self.ram.get_mut(i)
    }
    fn io_load(&mut self, _: u64, _: u8, _: &IoCtx) -> Option<u64> {
        None
    }
    fn io_store(&mut self, _: u64, _: u8, _: u64, _: &IoCtx) -> bool {
        false
    }
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Fills RAM with random words, biased towards valid-looking opcodes and PTEs that point
/// back into RAM, so that execution wanders through many paths before it dies.
fn random_ram(rng: &mut XorShift, pages: usize) -> RandomRam {
    let mut ram = vec![[0u8; FRAME_SIZE]; pages];
    for page in ram.iter_mut() {
        for word in page.chunks_exact_mut(8) {
            let r = rng.next();
            let v = match r % 4 {
                // A PTE pointing somewhere in RAM, random permission bits.
                0 => (((BASE >> 12) + (r >> 20) % pages as u64) << 10) | (r >> 8 & 0xff),
                // Two instructions with a common opcode.
                1 => (r & !0x7f) | [0x13, 0x33, 0x03, 0x23, 0x63, 0x73, 0x2f, 0x6f][(r >> 3 & 7) as usize],
                _ => r,
            };
            word.copy_from_slice(&v.to_le_bytes());
        }
    }
    RandomRam { ram }
}

#[test]
fn random_code_and_page_tables_never_panic_or_hang() {
    for seed in 1..=40u64 {
        let mut rng = XorShift(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut bus = random_ram(&mut rng, 64);
        let mut hart = Hart::new((BASE + rng.next() % (64 * 4096)) & !1);
        // Point the trap vectors into RAM so traps keep executing random code.
        for (i, v) in (0..32).map(|i| (i, rng.next())) {
            hart.set_x(i, if v & 1 == 0 { BASE + v % (64 * 4096) } else { v });
        }
        let mut retired_or_trapped = 0;
        for _ in 0..50 {
            match hart.run(&mut bus, 2_000) {
                Exit::Budget | Exit::Io => retired_or_trapped += 1,
                Exit::Wfi => hart.cancel_wait(),
                Exit::TrapLoop => {
                    // A dead guest: restart it somewhere else, as a board would on reset.
                    hart.set_pc((BASE + rng.next() % (64 * 4096)) & !1);
                }
            }
        }
        assert!(retired_or_trapped > 0, "seed {seed} never ran");
    }
}

#[test]
fn a_page_table_pointing_outside_ram_is_an_access_fault() {
    // M-mode code: set satp to Sv39 with a root page table far outside RAM, set MPP = S and
    // mret to an address in S-mode. The fetch walk must raise an instruction access fault
    // (cause 1), taken in M-mode at mtvec.
    let code: [u32; 7] = [
        0x305e_1073, // csrw mtvec, t3
        0x1802_9073, // csrw satp, t0
        0x3413_1073, // csrw mepc, t1
        0x3003_a073, // csrs mstatus, t2
        0x3020_0073, // mret
        0x0000_006f, // (mtvec) j .
        0x0000_006f,
    ];
    let mut ram = vec![[0u8; FRAME_SIZE]; 1];
    for (i, w) in code.iter().enumerate() {
        ram[0][i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
    }
    let mut bus = RandomRam { ram };
    let mut hart = Hart::new(BASE);
    hart.set_x(5, (8 << 60) | 0xf_ffff_ffff); // root PPN beyond any RAM
    hart.set_x(6, 0x1000);
    hart.set_x(7, 1 << 11);
    hart.set_x(28, BASE + 20);
    assert_eq!(hart.run(&mut bus, 5), Exit::Budget);
    assert_eq!(hart.privilege(), riscv::Priv::S);
    // The next fetch walks the page table, whose root is not memory: an access fault, taken
    // in M-mode, whose handler then spins.
    assert_eq!(hart.run(&mut bus, 10), Exit::Budget);
    assert_eq!(hart.privilege(), riscv::Priv::M);
    assert_eq!(hart.csr(0x342), Some(riscv::cause::FETCH_ACCESS), "mcause");
    assert_eq!(hart.csr(0x343), Some(0x1000), "mtval");
    assert_eq!(hart.pc(), BASE + 20);
}
