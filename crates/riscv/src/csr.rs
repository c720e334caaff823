//! Control and status registers (privileged spec 1.12) and the rules for accessing them.

use crate::hart::{Hart, Priv};
use crate::trap::{irq, Trap};

/// `mstatus` bit positions.
pub(crate) mod mstatus {
    pub const SIE: u64 = 1 << 1;
    pub const MIE: u64 = 1 << 3;
    pub const SPIE: u64 = 1 << 5;
    pub const MPIE: u64 = 1 << 7;
    pub const SPP: u64 = 1 << 8;
    pub const MPP_SHIFT: u64 = 11;
    pub const MPP: u64 = 3 << MPP_SHIFT;
    pub const FS: u64 = 3 << 13;
    pub const MPRV: u64 = 1 << 17;
    pub const SUM: u64 = 1 << 18;
    pub const MXR: u64 = 1 << 19;
    pub const TVM: u64 = 1 << 20;
    pub const TW: u64 = 1 << 21;
    pub const TSR: u64 = 1 << 22;
    /// UXL = SXL = 2 (64-bit), read-only.
    pub const XLEN_FIELDS: u64 = (2 << 32) | (2 << 34);
    pub const SD: u64 = 1 << 63;
    pub const M_WRITABLE: u64 = SIE | MIE | SPIE | MPIE | SPP | MPP | FS | MPRV | SUM | MXR | TVM | TW | TSR;
    pub const S_VISIBLE: u64 = SIE | SPIE | SPP | FS | SUM | MXR | (3 << 32) | SD;
    pub const S_WRITABLE: u64 = SIE | SPIE | SPP | FS | SUM | MXR;
}

/// CSR numbers used by name in more than one place.
pub(crate) mod num {
    pub const FFLAGS: u16 = 0x001;
    pub const FRM: u16 = 0x002;
    pub const FCSR: u16 = 0x003;
    pub const SSTATUS: u16 = 0x100;
    pub const SIE: u16 = 0x104;
    pub const STVEC: u16 = 0x105;
    pub const SCOUNTEREN: u16 = 0x106;
    pub const SENVCFG: u16 = 0x10a;
    pub const SSCRATCH: u16 = 0x140;
    pub const SEPC: u16 = 0x141;
    pub const SCAUSE: u16 = 0x142;
    pub const STVAL: u16 = 0x143;
    pub const SIP: u16 = 0x144;
    pub const SATP: u16 = 0x180;
    pub const MSTATUS: u16 = 0x300;
    pub const MISA: u16 = 0x301;
    pub const MEDELEG: u16 = 0x302;
    pub const MIDELEG: u16 = 0x303;
    pub const MIE: u16 = 0x304;
    pub const MTVEC: u16 = 0x305;
    pub const MCOUNTEREN: u16 = 0x306;
    pub const MENVCFG: u16 = 0x30a;
    pub const MCOUNTINHIBIT: u16 = 0x320;
    pub const MSCRATCH: u16 = 0x340;
    pub const MEPC: u16 = 0x341;
    pub const MCAUSE: u16 = 0x342;
    pub const MTVAL: u16 = 0x343;
    pub const MIP: u16 = 0x344;
    pub const MCYCLE: u16 = 0xb00;
    pub const MINSTRET: u16 = 0xb02;
    pub const CYCLE: u16 = 0xc00;
    pub const TIME: u16 = 0xc01;
    pub const INSTRET: u16 = 0xc02;
    pub const MVENDORID: u16 = 0xf11;
    pub const MARCHID: u16 = 0xf12;
    pub const MIMPID: u16 = 0xf13;
    pub const MHARTID: u16 = 0xf14;
    pub const MCONFIGPTR: u16 = 0xf15;
}

/// RV64 (MXL = 2) with I, M, A, F, D, C, S and U.
pub(crate) const MISA_VALUE: u64 =
    (2 << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

const S_INTERRUPTS: u64 = (1 << irq::SSI) | (1 << irq::STI) | (1 << irq::SEI);
const ALL_INTERRUPTS: u64 = S_INTERRUPTS | (1 << irq::MSI) | (1 << irq::MTI) | (1 << irq::MEI);
/// Exceptions that may be delegated: all defined ones but ECALL from M-mode.
const DELEGABLE_EXCEPTIONS: u64 = 0xb3ff;
const SATP_MODE_BARE: u64 = 0;
pub(crate) const SATP_MODE_SV39: u64 = 8;
pub(crate) const SATP_MODE_SV48: u64 = 9;

/// The hart's CSR file. Counters are kept as a base value plus the `icount` it was taken at, so
/// that retiring an instruction never touches them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Csrs {
    pub mstatus: u64,
    pub medeleg: u64,
    pub mideleg: u64,
    pub mie: u64,
    /// Software-writable `mip` bits (SSIP, STIP, SEIP).
    pub mip_sw: u64,
    /// Device-driven `mip` bits (MSIP, MTIP, MEIP, external SEIP).
    pub mip_hw: u64,
    pub mtvec: u64,
    pub mcounteren: u64,
    pub menvcfg: u64,
    pub mscratch: u64,
    pub mepc: u64,
    pub mcause: u64,
    pub mtval: u64,
    pub stvec: u64,
    pub scounteren: u64,
    pub senvcfg: u64,
    pub sscratch: u64,
    pub sepc: u64,
    pub scause: u64,
    pub stval: u64,
    pub satp: u64,
    pub mcountinhibit: u64,
    pub mcycle_base: u64,
    pub mcycle_at: u64,
    pub minstret_base: u64,
    pub minstret_at: u64,
    pub fflags: u64,
    pub frm: u64,
    pub pmpcfg: [u64; 8],
    pub pmpaddr: [u64; 64],
}

impl Csrs {
    pub fn new() -> Self {
        Csrs {
            mstatus: mstatus::XLEN_FIELDS,
            medeleg: 0,
            mideleg: 0,
            mie: 0,
            mip_sw: 0,
            mip_hw: 0,
            mtvec: 0,
            mcounteren: 0,
            menvcfg: 0,
            mscratch: 0,
            mepc: 0,
            mcause: 0,
            mtval: 0,
            stvec: 0,
            scounteren: 0,
            senvcfg: 0,
            sscratch: 0,
            sepc: 0,
            scause: 0,
            stval: 0,
            satp: 0,
            mcountinhibit: 0,
            mcycle_base: 0,
            mcycle_at: 0,
            minstret_base: 0,
            minstret_at: 0,
            fflags: 0,
            frm: 0,
            pmpcfg: [0; 8],
            pmpaddr: [0; 64],
        }
    }

    pub fn mip(&self) -> u64 {
        self.mip_sw | self.mip_hw
    }

    pub fn satp_mode(&self) -> u64 {
        self.satp >> 60
    }
}

/// Which counter-enable bit guards a user-level counter CSR (cycle, time, instret, hpm3..31).
fn counter_bit(csr: u16) -> u64 {
    1 << (csr & 0x1f)
}

impl Hart {
    fn counter(&self, inhibit_bit: u64, base: u64, at: u64) -> u64 {
        if self.csr.mcountinhibit & inhibit_bit != 0 {
            base
        } else {
            base.wrapping_add(self.icount - at)
        }
    }

    pub(crate) fn minstret(&self) -> u64 {
        self.counter(4, self.csr.minstret_base, self.csr.minstret_at)
    }

    pub(crate) fn mcycle(&self) -> u64 {
        self.counter(1, self.csr.mcycle_base, self.csr.mcycle_at)
    }

    /// Whether FP state is accessible (mstatus.FS != Off).
    pub(crate) fn fs_enabled(&self) -> bool {
        self.csr.mstatus & mstatus::FS != 0
    }

    pub(crate) fn mark_fs_dirty(&mut self) {
        self.csr.mstatus |= mstatus::FS | mstatus::SD;
    }

    /// Reads CSR `csr` for the instruction with bits `raw`, applying privilege checks.
    pub(crate) fn csr_read(&self, csr: u16, raw: u32) -> Result<u64, Trap> {
        let illegal = Trap::illegal(raw);
        if (csr >> 8) & 3 > self.prv as u16 {
            return Err(illegal);
        }
        use num::*;
        let c = &self.csr;
        Ok(match csr {
            FFLAGS | FRM | FCSR if !self.fs_enabled() => return Err(illegal),
            FFLAGS => c.fflags,
            FRM => c.frm,
            FCSR => (c.frm << 5) | c.fflags,
            CYCLE..=0xc1f => {
                self.check_counter_access(csr, raw)?;
                match csr {
                    CYCLE => self.mcycle(),
                    TIME => self.mtime(),
                    INSTRET => self.minstret(),
                    _ => 0,
                }
            }
            SSTATUS => self.read_mstatus() & mstatus::S_VISIBLE,
            SIE => c.mie & c.mideleg,
            STVEC => c.stvec,
            SCOUNTEREN => c.scounteren,
            SENVCFG => c.senvcfg,
            SSCRATCH => c.sscratch,
            SEPC => c.sepc,
            SCAUSE => c.scause,
            STVAL => c.stval,
            SIP => c.mip() & c.mideleg,
            SATP if self.prv == Priv::S && c.mstatus & mstatus::TVM != 0 => return Err(illegal),
            SATP => c.satp,
            MSTATUS => self.read_mstatus(),
            MISA => MISA_VALUE,
            MEDELEG => c.medeleg,
            MIDELEG => c.mideleg,
            MIE => c.mie,
            MTVEC => c.mtvec,
            MCOUNTEREN => c.mcounteren,
            MENVCFG => c.menvcfg,
            MCOUNTINHIBIT => c.mcountinhibit,
            MSCRATCH => c.mscratch,
            MEPC => c.mepc,
            MCAUSE => c.mcause,
            MTVAL => c.mtval,
            MIP => c.mip(),
            0x3a0..=0x3af if csr & 1 == 0 => c.pmpcfg[((csr - 0x3a0) / 2) as usize],
            0x3b0..=0x3ef => c.pmpaddr[(csr - 0x3b0) as usize],
            MCYCLE => self.mcycle(),
            MINSTRET => self.minstret(),
            0xb03..=0xb1f | 0x323..=0x33f => 0,
            MVENDORID | MARCHID | MIMPID | MHARTID | MCONFIGPTR => 0,
            _ => return Err(illegal),
        })
    }

    fn read_mstatus(&self) -> u64 {
        let m = self.csr.mstatus;
        if m & mstatus::FS == mstatus::FS {
            m | mstatus::SD
        } else {
            m & !mstatus::SD
        }
    }

    fn check_counter_access(&self, csr: u16, raw: u32) -> Result<(), Trap> {
        let bit = counter_bit(csr);
        let ok = match self.prv {
            Priv::M => true,
            Priv::S => self.csr.mcounteren & bit != 0,
            Priv::U => self.csr.mcounteren & self.csr.scounteren & bit != 0,
        };
        if ok {
            Ok(())
        } else {
            Err(Trap::illegal(raw))
        }
    }

    /// Writes CSR `csr`. The caller has already read it (so privilege and existence are checked);
    /// this adds the read-only check and applies each register's WARL rules.
    pub(crate) fn csr_write(&mut self, csr: u16, v: u64, raw: u32) -> Result<(), Trap> {
        if csr >> 10 == 3 {
            return Err(Trap::illegal(raw));
        }
        use num::*;
        // Any CSR write but the FP CSRs' may enable an interrupt or change translation.
        self.check_irq |= !(FFLAGS..=FCSR).contains(&csr);
        let c = &mut self.csr;
        match csr {
            FFLAGS => c.fflags = v & 0x1f,
            FRM => c.frm = v & 7,
            FCSR => {
                c.fflags = v & 0x1f;
                c.frm = (v >> 5) & 7;
            }
            SSTATUS => {
                let m = (c.mstatus & !mstatus::S_WRITABLE) | (v & mstatus::S_WRITABLE);
                self.write_mstatus(m);
            }
            SIE => c.mie = (c.mie & !c.mideleg) | (v & c.mideleg & ALL_INTERRUPTS),
            STVEC => c.stvec = legal_tvec(v),
            SCOUNTEREN => c.scounteren = v & 0xffff_ffff,
            SENVCFG => c.senvcfg = v & 1,
            SSCRATCH => c.sscratch = v,
            SEPC => c.sepc = v & !1,
            SCAUSE => c.scause = v,
            STVAL => c.stval = v,
            SIP => {
                let w = c.mideleg & (1 << irq::SSI);
                c.mip_sw = (c.mip_sw & !w) | (v & w);
            }
            SATP => self.write_satp(v),
            MSTATUS => self.write_mstatus(v),
            MISA => {}
            MEDELEG => c.medeleg = v & DELEGABLE_EXCEPTIONS,
            MIDELEG => c.mideleg = v & S_INTERRUPTS,
            MIE => c.mie = v & ALL_INTERRUPTS,
            MTVEC => c.mtvec = legal_tvec(v),
            MCOUNTEREN => c.mcounteren = v & 0xffff_ffff,
            MENVCFG => c.menvcfg = v & 1,
            MCOUNTINHIBIT => {
                let (cycle, instret) = (self.mcycle(), self.minstret());
                let c = &mut self.csr;
                c.mcountinhibit = v & 0xffff_fffd;
                c.mcycle_base = cycle;
                c.mcycle_at = self.icount;
                c.minstret_base = instret;
                c.minstret_at = self.icount;
            }
            MSCRATCH => c.mscratch = v,
            MEPC => c.mepc = v & !1,
            MCAUSE => c.mcause = v,
            MTVAL => c.mtval = v,
            MIP => {
                let w = S_INTERRUPTS;
                c.mip_sw = (c.mip_sw & !w) | (v & w);
            }
            0x3a0..=0x3af => {
                let i = ((csr - 0x3a0) / 2) as usize;
                c.pmpcfg[i] = legal_pmpcfg(c.pmpcfg[i], v);
            }
            0x3b0..=0x3ef => {
                let i = (csr - 0x3b0) as usize;
                if !pmp_entry_locked(&c.pmpcfg, i) {
                    c.pmpaddr[i] = v & ((1 << 54) - 1);
                }
            }
            // "If a CSR access instruction writes such a CSR, the write is done instead of the
            // increment": the counter reads `v` once the writing instruction has retired.
            MCYCLE => {
                c.mcycle_base = v;
                c.mcycle_at = self.icount + 1;
            }
            MINSTRET => {
                c.minstret_base = v;
                c.minstret_at = self.icount + 1;
            }
            0xb03..=0xb1f | 0x323..=0x33f => {}
            _ => return Err(Trap::illegal(raw)),
        }
        Ok(())
    }

    fn write_mstatus(&mut self, v: u64) {
        let mut m = (self.csr.mstatus & !mstatus::M_WRITABLE) | (v & mstatus::M_WRITABLE);
        // MPP is WARL over {U, S, M}; the reserved value 2 reads as U.
        if (m & mstatus::MPP) >> mstatus::MPP_SHIFT == 2 {
            m &= !mstatus::MPP;
        }
        self.csr.mstatus = m | mstatus::XLEN_FIELDS;
    }

    /// satp is WARL: only Bare, Sv39 and Sv48 are accepted; any other mode leaves it unchanged.
    fn write_satp(&mut self, v: u64) {
        let mode = v >> 60;
        if matches!(mode, SATP_MODE_BARE | SATP_MODE_SV39 | SATP_MODE_SV48) {
            // MODE, a 16-bit ASID and a 44-bit PPN fill all 64 bits. The ASID is stored but
            // does not tag the TLB, which is flushed on every satp write instead.
            self.csr.satp = v;
            self.tlb.flush();
        }
    }
}

fn legal_tvec(v: u64) -> u64 {
    // Modes >= 2 are reserved: keep the low mode bit only.
    v & !2
}

/// Each pmpcfg byte: R, W, X, A (2 bits), L; bits 5 and 6 are zero. Locked entries keep their
/// value until reset.
fn legal_pmpcfg(old: u64, v: u64) -> u64 {
    let mut out = 0;
    for b in 0..8 {
        let o = (old >> (8 * b)) & 0xff;
        let n = (v >> (8 * b)) & 0x9f;
        let byte = if o & 0x80 != 0 { o } else { n };
        out |= byte << (8 * b);
    }
    out
}

fn pmp_entry_locked(cfg: &[u64; 8], i: usize) -> bool {
    let byte = (cfg[i / 8] >> (8 * (i % 8))) & 0xff;
    byte & 0x80 != 0
}
