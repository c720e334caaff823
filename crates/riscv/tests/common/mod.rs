//! What the equivalence tests share: a bus whose frames move on their first write in a run,
//! a seeded generator, instruction encoders, a machine with a trap handler, and the comparison
//! of a hart running blocks with one stepping one instruction at a time.
#![allow(dead_code)] // each test file uses its own part

use std::sync::Arc;

use riscv::{Bus, Exit, Hart, IoCtx, FRAME_SIZE};

pub const BASE: u64 = 0x8000_0000;
pub const CODE_PAGES: u64 = 3;
/// Data page after the code, then the trap handler's page.
pub const DATA: u64 = BASE + CODE_PAGES * 4096;
pub const HANDLER: u64 = DATA + 4096;
pub const DEVICE: u64 = 0x1000_0000;

/// RAM frames are shared copy-on-write with `shadow`, a copy of them taken before every other
/// run, so the first write to a frame in such a run moves it to a new allocation, as `GuestRam`
/// does after a fork: a hart that kept reading the old frame would see stale data. The runs in
/// between leave the [`Bus::ram_stamp`] as it was, so the hart keeps its frame addresses and
/// checked blocks across them. A store to [`DMA`] writes RAM as a device would.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TestBus {
    pub ram: Vec<Arc<[u8; FRAME_SIZE]>>,
    pub device_log: Vec<(u64, u64)>,
    stamp: u64,
    runs: u64,
}

/// A store of `v` here writes its low 32 bits at `BASE + (v >> 32)`, as a device's DMA would.
pub const DMA: u64 = DEVICE + 0x100;

impl TestBus {
    pub fn new(ram: Vec<[u8; FRAME_SIZE]>) -> TestBus {
        watchdog();
        TestBus {
            ram: ram.into_iter().map(Arc::new).collect(),
            device_log: Vec::new(),
            stamp: 0,
            runs: 0,
        }
    }

    /// Page `i` to write, as a device or the test's setup would: not the hart's own write.
    pub fn page(&mut self, i: usize) -> &mut [u8; FRAME_SIZE] {
        self.stamp += 1;
        Arc::make_mut(&mut self.ram[i])
    }

    /// Runs `hart`, every other time with every frame shared with a shadow copy for the length
    /// of the run.
    pub fn run(&mut self, hart: &mut Hart, budget: u64) -> Exit {
        self.runs += 1;
        let shadow = (self.runs % 2 == 1).then(|| {
            self.stamp += 1;
            self.ram.clone()
        });
        let exit = hart.run(self, budget);
        drop(shadow);
        exit
    }
}

impl Bus for TestBus {
    fn ram(&self, pa: u64) -> Option<&[u8; FRAME_SIZE]> {
        let i = pa.checked_sub(BASE)? as usize / FRAME_SIZE;
        self.ram.get(i).map(|f| &**f)
    }
    fn ram_mut(&mut self, pa: u64) -> Option<&mut [u8; FRAME_SIZE]> {
        let i = pa.checked_sub(BASE)? as usize / FRAME_SIZE;
        self.ram.get_mut(i).map(Arc::make_mut)
    }
    fn io_load(&mut self, pa: u64, _: u8, ctx: &IoCtx) -> Option<u64> {
        self.device_log.push((pa, ctx.icount));
        (pa == DEVICE).then_some(ctx.icount ^ ctx.mtime)
    }
    fn io_store(&mut self, pa: u64, _: u8, v: u64, ctx: &IoCtx) -> bool {
        self.device_log.push((v, ctx.icount));
        if pa == DMA {
            let at = ((v >> 32) as usize % (self.ram.len() * FRAME_SIZE)) & !3;
            let page = self.page(at / FRAME_SIZE);
            page[at % FRAME_SIZE..at % FRAME_SIZE + 4].copy_from_slice(&(v as u32).to_le_bytes());
        }
        pa == DEVICE || pa == DMA
    }
    fn ram_stamp(&self) -> Option<(u64, u64)> {
        Some((self.stamp, 0))
    }
}

/// SplitMix64: the test's only source of randomness, so a seed replays exactly.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn r_type(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, op: u32) -> u32 {
    f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op
}
pub fn i_type(imm: i32, rs1: u32, f3: u32, rd: u32, op: u32) -> u32 {
    ((imm as u32) & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op
}
pub fn s_type(imm: i32, rs2: u32, rs1: u32, f3: u32) -> u32 {
    let imm = imm as u32 & 0xfff;
    (imm >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (imm & 31) << 7 | 0x23
}
pub fn b_type(imm: i32, rs2: u32, rs1: u32, f3: u32) -> u32 {
    let i = imm as u32;
    ((i >> 12) & 1) << 31
        | ((i >> 5) & 0x3f) << 25
        | rs2 << 20
        | rs1 << 15
        | f3 << 12
        | ((i >> 1) & 0xf) << 8
        | ((i >> 11) & 1) << 7
        | 0x63
}

// Registers with fixed roles: s0 = data page, s1 = code base, s2 = device, t6 = an encoded
// instruction for self-modifying stores. The program computes in a0..a7 and t0..t4.
pub const S0: u32 = 8;
pub const S1: u32 = 9;
pub const S2: u32 = 18;
pub const T3: u32 = 28;
pub const T5: u32 = 30;
pub const T6: u32 = 31;

/// Instruction words as the halfwords they are stored as.
pub fn halfwords(words: &[u32]) -> Vec<u16> {
    words
        .iter()
        .flat_map(|w| [*w as u16, (*w >> 16) as u16])
        .collect()
}

/// `code` (halfwords) at BASE and `data` on the data page, with the trap handler, entered at
/// BASE in M-mode, or with `paged` in S-mode under Sv39.
pub fn machine(code: &[u16], data: &[u8], paged: bool) -> (Hart, TestBus) {
    let mut ram = vec![[0u8; FRAME_SIZE]; CODE_PAGES as usize + 3];
    for (i, h) in code.iter().enumerate() {
        let (p, o) = (i * 2 / FRAME_SIZE, i * 2 % FRAME_SIZE);
        ram[p][o..o + 2].copy_from_slice(&h.to_le_bytes());
    }
    ram[CODE_PAGES as usize][..data.len()].copy_from_slice(data);
    // Handler: mepc += 2, return. After a 4-byte instruction that resumes mid-instruction,
    // which is just more random code.
    let handler = [
        0x3410_2f73u32,             // csrr t5, mepc
        i_type(2, 30, 0, 30, 0x13), // addi t5, t5, 2
        0x341f_1073,                // csrw mepc, t5
        0x3020_0073,                // mret
    ];
    for (i, w) in handler.iter().enumerate() {
        ram[CODE_PAGES as usize + 1][i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
    }
    let mut hart = Hart::new(BASE);
    hart.set_x(S0 as usize, DATA);
    hart.set_x(S1 as usize, BASE);
    hart.set_x(S2 as usize, DEVICE);
    hart.set_x(T6 as usize, i_type(3, 10, 0, 10, 0x13) as u64);
    // A prologue in the handler's page sets mtvec and mstatus (and, paged, satp), then enters
    // the program at BASE: in M-mode, or paged in S-mode through Sv39 gigapages (identity over
    // RAM, the device window at 0).
    let mut bus = TestBus::new(ram);
    let table = BASE + (CODE_PAGES + 2) * 4096;
    let root = bus.page(CODE_PAGES as usize + 2);
    root[0..8].copy_from_slice(&0xc7u64.to_le_bytes());
    root[16..24].copy_from_slice(&((BASE >> 12) << 10 | 0xcf).to_le_bytes());
    let prologue_at = HANDLER + 64;
    let prologue = [
        riscv::asm::csrrw(0, 0x305, 1),  // mtvec = ra
        riscv::asm::csrrs(0, 0x300, 30), // mstatus |= t5
        riscv::asm::csrrw(0, 0x180, 29), // satp = t4
        riscv::asm::csrrw(0, 0x341, 28), // mepc = t3
        riscv::asm::mret(),
    ];
    let page = bus.page(CODE_PAGES as usize + 1);
    for (i, w) in prologue.iter().enumerate() {
        page[64 + 4 * i..68 + 4 * i].copy_from_slice(&w.to_le_bytes());
    }
    hart.set_x(1, HANDLER);
    // mstatus.FS = dirty (FP instructions enabled); MPP = S when paged, else M.
    hart.set_x(30, if paged { 0x6800 } else { 0x7800 });
    hart.set_x(29, if paged { 8 << 60 | table >> 12 } else { 0 });
    hart.set_x(28, BASE);
    hart.set_pc(prologue_at);
    assert_eq!(hart.run(&mut bus, prologue.len() as u64), Exit::Budget);
    assert_eq!(hart.csr(0x305), Some(HANDLER));
    assert_eq!(hart.pc(), BASE);
    for r in [1, 28, 29, 30] {
        hart.set_x(r, 0);
    }
    (hart, bus)
}

/// How the hart under test runs blocks: interpreted, or translated to native code at their
/// first run (so every block of the program is translated).
#[derive(Clone, Copy, Debug)]
pub enum Engine {
    Interpreted,
    Native,
}

/// Ends the test process if it is still running after ten minutes (the suite takes seconds): a
/// run that ignores its budget loops forever, and that must fail here rather than hang CI.
pub fn watchdog() {
    static START: std::sync::Once = std::sync::Once::new();
    START.call_once(|| {
        std::thread::spawn(|| {
            std::thread::sleep(std::time::Duration::from_secs(600));
            eprintln!("block_equivalence: still running after 10 minutes; a run never ended");
            std::process::exit(1);
        });
    });
}

/// Runs `fast` (blocks, as `engine`) and a single-stepping copy of it over the same random
/// budget slices from `seed`, checking after every slice that exits, instruction counts, hart
/// states, memory and device accesses agree. `what` names the program in failure messages.
pub fn compare(mut fast: Hart, mut fast_bus: TestBus, seed: u64, engine: Engine, what: &str) {
    let (mut slow, mut slow_bus) = (fast.clone(), fast_bus.clone());
    slow.set_blocks(false);
    fast.set_native(match engine {
        Engine::Interpreted => None,
        Engine::Native => Some(0),
    });
    let mut rng = Rng(seed ^ 0x5eed);
    for slice in 0..200 {
        let budget = match rng.below(4) {
            0 => rng.below(4),
            1 => rng.below(64),
            _ => rng.below(3000),
        };
        let (a, b) = (fast_bus.run(&mut fast, budget), slow_bus.run(&mut slow, budget));
        let where_ = format!(
            "{what}, seed {seed}, {engine:?}, slice {slice} (budget {budget}), pc {:#x}",
            slow.pc()
        );
        assert_eq!(a, b, "exit differs: {where_}");
        assert_eq!(fast.icount(), slow.icount(), "icount differs: {where_}");
        assert_eq!(fast.digest(), slow.digest(), "hart state differs: {where_}");
        assert!(fast_bus == slow_bus, "memory or device log differs: {where_}");
        if a == Exit::TrapLoop {
            break;
        }
    }
}
