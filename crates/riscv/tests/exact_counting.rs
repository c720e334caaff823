//! Exact instruction counting: running N then M instructions ends in exactly the state of running
//! N + M, whatever N is, including across traps, interrupts, translation and WFI.

use riscv::asm::*;
use riscv::{irq, Bus, Exit, Hart, IoCtx, FRAME_SIZE};

const BASE: u64 = 0x8000_0000;
const PAGES: usize = 16;

/// Plain RAM plus one device register at 0x1000_0000 that counts accesses, so device exits are
/// exercised too.
#[derive(Clone)]
struct TestBus {
    ram: Vec<[u8; FRAME_SIZE]>,
    device_accesses: u64,
}

impl TestBus {
    fn page(&self, pa: u64) -> Option<usize> {
        let i = pa.checked_sub(BASE)? as usize / FRAME_SIZE;
        (i < self.ram.len()).then_some(i)
    }
}

impl Bus for TestBus {
    fn ram(&self, pa: u64) -> Option<&[u8; FRAME_SIZE]> {
        self.page(pa).map(|i| &self.ram[i])
    }
    fn ram_mut(&mut self, pa: u64) -> Option<&mut [u8; FRAME_SIZE]> {
        self.page(pa).map(|i| &mut self.ram[i])
    }
    fn io_load(&mut self, pa: u64, _: u8, ctx: &IoCtx) -> Option<u64> {
        self.device_accesses += 1;
        (pa == 0x1000_0000).then_some(ctx.icount)
    }
    fn io_store(&mut self, pa: u64, _: u8, _: u64, _: &IoCtx) -> bool {
        self.device_accesses += 1;
        pa == 0x1000_0000
    }
}

const T0: u32 = 5;
const T1: u32 = 6;
const S1: u32 = 9;
const S2: u32 = 18;
const A0: u32 = 10;
const A1: u32 = 11;

/// A guest that loops over stores, loads, a device read and an ECALL handled in M-mode, and is
/// interrupted by a software interrupt it raises itself every so often.
fn workload() -> (Hart, TestBus) {
    let handler = 0x400u64;
    let mut code = vec![
        // setup: mtvec = handler, enable MSIE... use SSIP via mip (M-mode writable), mie.SSIE
        csrrw(0, 0x305, S1), // mtvec <- s1
        addi(T0, 0, 2),
        csrrs(0, 0x304, T0), // mie |= SSIE
        addi(T0, 0, 8),
        csrrs(0, 0x300, T0), // mstatus.MIE = 1
        // loop:
        addi(A0, A0, 1),
        sd(A0, A1, 0),
        ld(T1, A1, 0),
        add(A1, A1, 0),
        ecall(),
        addi(T1, A0, 0),
        slli(T1, T1, 58),
        bne(T1, 0, 12),
        // every 64 iterations: raise SSIP
        addi(T0, 0, 2),
        csrrs(0, 0x344, T0),
        jal(0, -40),
    ];
    code.resize(handler as usize / 4, 0x13);
    // handler: an ECALL returns past itself; the interrupt clears SSIP and counts itself in s2.
    // Both then read the device register.
    code.extend([
        csrrs(T0, 0x342, 0), // t0 = mcause
        addi(T1, 0, 11),
        bne(T0, T1, 20), // not an ecall from M: it is the interrupt
        csrrs(T0, 0x341, 0),
        addi(T0, T0, 4),
        csrrw(0, 0x341, T0),
        jal(0, 12),
        addi(S2, S2, 1),
        csrrw(0, 0x344, 0), // clear the software-writable mip bits
        0x1000_0337,        // lui t1, 0x10000
        ld(T1, T1, 0),
        mret(),
    ]);
    let mut ram = vec![[0u8; FRAME_SIZE]; PAGES];
    for (i, b) in bytes(&code).into_iter().enumerate() {
        ram[i / FRAME_SIZE][i % FRAME_SIZE] = b;
    }
    let mut hart = Hart::new(BASE);
    hart.set_x(S1 as usize, BASE + handler);
    hart.set_x(A1 as usize, BASE + 0x8000);
    (
        hart,
        TestBus {
            ram,
            device_accesses: 0,
        },
    )
}

/// Runs until `total` instructions retired, in slices of at most `slice`; device exits resume.
fn run_to(hart: &mut Hart, bus: &mut TestBus, total: u64, slice: u64) {
    while hart.icount() < total {
        let left = (total - hart.icount()).min(slice);
        match hart.run(bus, left) {
            Exit::Budget | Exit::Io => {}
            other => panic!("unexpected exit {other:?}"),
        }
    }
    assert_eq!(hart.icount(), total);
}

#[test]
fn run_n_then_m_equals_run_n_plus_m_for_many_n() {
    let total = 20_000;
    let (mut h_ref, mut b_ref) = workload();
    run_to(&mut h_ref, &mut b_ref, total, u64::MAX);
    assert!(b_ref.device_accesses > 10, "the workload must reach the device");
    assert!(h_ref.x(S2 as usize) > 10, "the workload must take interrupts");
    for n in (0..total).step_by(97).chain([1, 2, 3, total - 1]) {
        let (mut h, mut b) = workload();
        run_to(&mut h, &mut b, n, u64::MAX);
        run_to(&mut h, &mut b, total, u64::MAX);
        assert_eq!(h.digest(), h_ref.digest(), "split at {n}");
        assert!(b.ram == b_ref.ram, "memory differs after split at {n}");
    }
}

#[test]
fn tiny_slices_end_in_the_same_state_as_one_long_run() {
    let total = 5_000;
    let (mut h_ref, mut b_ref) = workload();
    run_to(&mut h_ref, &mut b_ref, total, u64::MAX);
    for slice in [1, 2, 3, 7, 64] {
        let (mut h, mut b) = workload();
        run_to(&mut h, &mut b, total, slice);
        assert_eq!(h.digest(), h_ref.digest(), "slice {slice}");
        assert!(b.ram == b_ref.ram);
    }
}

#[test]
fn budget_zero_retires_nothing() {
    let (mut h, mut b) = workload();
    assert_eq!(h.run(&mut b, 0), Exit::Budget);
    assert_eq!(h.icount(), 0);
}

#[test]
fn state_saved_mid_run_restores_into_an_identical_hart() {
    let (mut h, mut b) = workload();
    run_to(&mut h, &mut b, 3_333, u64::MAX);
    let mut saved = Vec::new();
    h.save_state(&mut saved);
    let mut restored = Hart::new(0);
    restored.restore_state(&saved).unwrap();
    let mut again = Vec::new();
    restored.save_state(&mut again);
    assert_eq!(saved, again);
    let mut b2 = b.clone();
    run_to(&mut h, &mut b, 6_000, u64::MAX);
    run_to(&mut restored, &mut b2, 6_000, u64::MAX);
    assert_eq!(h.digest(), restored.digest());
}

#[test]
fn wfi_waits_until_an_enabled_interrupt_is_pending() {
    let mut ram = vec![[0u8; FRAME_SIZE]; 1];
    let code = bytes(&[csrrw(0, 0x304, T0), wfi(), addi(A0, 0, 7), jal(0, 0)]);
    ram[0][..code.len()].copy_from_slice(&code);
    let mut bus = TestBus {
        ram,
        device_accesses: 0,
    };
    let mut h = Hart::new(BASE);
    h.set_x(T0 as usize, 1 << irq::MTI);
    assert_eq!(h.run(&mut bus, 100), Exit::Wfi);
    assert_eq!(h.icount(), 2);
    h.skip_idle(h.mtime() + 50);
    assert_eq!(
        h.run(&mut bus, 100),
        Exit::Wfi,
        "time passing alone does not wake it"
    );
    h.set_irq_lines(1 << irq::MTI, 1 << irq::MTI);
    // mstatus.MIE is clear: the hart wakes without taking the interrupt.
    assert_eq!(h.run(&mut bus, 1), Exit::Budget);
    assert_eq!(h.x(A0 as usize), 7);
}

#[test]
fn a_trap_vector_that_faults_stops_the_run_instead_of_spinning() {
    let bus_ram = vec![[0u8; FRAME_SIZE]; 1];
    let mut bus = TestBus {
        ram: bus_ram,
        device_accesses: 0,
    };
    // pc and mtvec both point at nothing: every fetch faults.
    let mut h = Hart::new(0x10);
    assert_eq!(h.run(&mut bus, 1_000_000), Exit::TrapLoop);
    assert_eq!(h.icount(), 0);
}

#[test]
fn setting_a_bit_in_mip_does_not_latch_the_external_seip_line() {
    // csrs mip, t0 (t0 = STIP) while the interrupt controller drives SEIP; then the line drops.
    let mut ram = vec![[0u8; FRAME_SIZE]; 1];
    let code = bytes(&[csrrs(0, 0x344, T0), csrrs(A0, 0x344, 0), jal(0, 0)]);
    ram[0][..code.len()].copy_from_slice(&code);
    let mut bus = TestBus {
        ram,
        device_accesses: 0,
    };
    let mut h = Hart::new(BASE);
    h.set_x(T0 as usize, 1 << irq::STI);
    h.set_irq_lines(1 << irq::SEI, 1 << irq::SEI);
    assert_eq!(h.run(&mut bus, 1), Exit::Budget);
    h.set_irq_lines(1 << irq::SEI, 0);
    assert_eq!(h.run(&mut bus, 1), Exit::Budget);
    assert_eq!(
        h.x(A0 as usize),
        1 << irq::STI,
        "SEIP must follow the line once it drops"
    );
}
