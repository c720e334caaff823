//! Exceptions, interrupts and trap entry, with the privileged spec's priorities and delegation.

use crate::csr::mstatus;
use crate::hart::{Hart, Priv};

/// `mcause` values; interrupts have [`cause::INTERRUPT`] set.
pub mod cause {
    pub const INTERRUPT: u64 = 1 << 63;
    pub const FETCH_MISALIGNED: u64 = 0;
    pub const FETCH_ACCESS: u64 = 1;
    pub const ILLEGAL_INSTRUCTION: u64 = 2;
    pub const BREAKPOINT: u64 = 3;
    pub const LOAD_MISALIGNED: u64 = 4;
    pub const LOAD_ACCESS: u64 = 5;
    pub const STORE_MISALIGNED: u64 = 6;
    pub const STORE_ACCESS: u64 = 7;
    pub const ECALL_U: u64 = 8;
    pub const ECALL_S: u64 = 9;
    pub const ECALL_M: u64 = 11;
    pub const FETCH_PAGE_FAULT: u64 = 12;
    pub const LOAD_PAGE_FAULT: u64 = 13;
    pub const STORE_PAGE_FAULT: u64 = 15;
}

/// Interrupt numbers, which are also their bit positions in `mip`/`mie`.
pub mod irq {
    pub const SSI: u64 = 1;
    pub const MSI: u64 = 3;
    pub const STI: u64 = 5;
    pub const MTI: u64 = 7;
    pub const SEI: u64 = 9;
    pub const MEI: u64 = 11;
}

/// Highest priority first (privileged spec 3.1.9).
const PRIORITY: [u64; 6] = [irq::MEI, irq::MSI, irq::MTI, irq::SEI, irq::SSI, irq::STI];

/// A synchronous exception (or, with [`cause::INTERRUPT`], an interrupt) about to be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Trap {
    pub cause: u64,
    pub tval: u64,
}

impl Trap {
    pub fn illegal(raw: u32) -> Trap {
        Trap {
            cause: cause::ILLEGAL_INSTRUCTION,
            tval: raw as u64,
        }
    }
}

impl Hart {
    /// WFI wakes on any interrupt pending and locally enabled, whatever the global enables.
    pub(crate) fn wakeup_pending(&self) -> bool {
        self.csr.mip() & self.csr.mie != 0
    }

    /// The interrupt to take now, if any, as an `mcause` value.
    pub(crate) fn pending_interrupt(&self) -> Option<u64> {
        let pending = self.csr.mip() & self.csr.mie;
        if pending == 0 {
            return None;
        }
        let ms = self.csr.mstatus;
        let m_enabled = self.prv < Priv::M || ms & mstatus::MIE != 0;
        let s_enabled = self.prv < Priv::S || (self.prv == Priv::S && ms & mstatus::SIE != 0);
        let m_pending = pending & !self.csr.mideleg;
        let s_pending = pending & self.csr.mideleg;
        let candidates = if m_enabled && m_pending != 0 {
            m_pending
        } else if s_enabled && s_pending != 0 {
            s_pending
        } else {
            return None;
        };
        PRIORITY
            .iter()
            .find(|&&i| candidates & (1 << i) != 0)
            .map(|&i| i | cause::INTERRUPT)
    }

    /// Enters the trap handler for `t`, in S-mode when delegated, else in M-mode.
    pub(crate) fn take_trap(&mut self, t: Trap) {
        let is_irq = t.cause & cause::INTERRUPT != 0;
        let code = t.cause & !cause::INTERRUPT;
        let deleg = if is_irq {
            self.csr.mideleg
        } else {
            self.csr.medeleg
        };
        self.reservation = None;
        self.check_irq = true;
        let ms = self.csr.mstatus;
        if self.prv <= Priv::S && (deleg >> code) & 1 != 0 {
            self.csr.sepc = self.pc;
            self.csr.scause = t.cause;
            self.csr.stval = t.tval;
            let mut m = ms & !(mstatus::SPIE | mstatus::SIE | mstatus::SPP);
            if ms & mstatus::SIE != 0 {
                m |= mstatus::SPIE;
            }
            if self.prv == Priv::S {
                m |= mstatus::SPP;
            }
            self.csr.mstatus = m;
            self.pc = vector(self.csr.stvec, is_irq, code);
            self.set_priv(Priv::S);
        } else {
            self.csr.mepc = self.pc;
            self.csr.mcause = t.cause;
            self.csr.mtval = t.tval;
            let mut m = ms & !(mstatus::MPIE | mstatus::MIE | mstatus::MPP);
            if ms & mstatus::MIE != 0 {
                m |= mstatus::MPIE;
            }
            m |= (self.prv as u64) << mstatus::MPP_SHIFT;
            self.csr.mstatus = m;
            self.pc = vector(self.csr.mtvec, is_irq, code);
            self.set_priv(Priv::M);
        }
    }

    pub(crate) fn set_priv(&mut self, p: Priv) {
        self.prv = p;
    }

    /// MRET: returns to the mode in MPP.
    pub(crate) fn mret(&mut self) -> u64 {
        let ms = self.csr.mstatus;
        let new = Priv::from_bits(ms >> mstatus::MPP_SHIFT);
        let mut m = ms & !(mstatus::MIE | mstatus::MPP);
        if ms & mstatus::MPIE != 0 {
            m |= mstatus::MIE;
        }
        m |= mstatus::MPIE;
        if new != Priv::M {
            m &= !mstatus::MPRV;
        }
        self.csr.mstatus = m;
        self.set_priv(new);
        self.check_irq = true;
        self.csr.mepc
    }

    /// SRET: returns to the mode in SPP.
    pub(crate) fn sret(&mut self) -> u64 {
        let ms = self.csr.mstatus;
        let new = if ms & mstatus::SPP != 0 { Priv::S } else { Priv::U };
        let mut m = ms & !(mstatus::SIE | mstatus::SPP | mstatus::MPRV);
        if ms & mstatus::SPIE != 0 {
            m |= mstatus::SIE;
        }
        m |= mstatus::SPIE;
        self.csr.mstatus = m;
        self.set_priv(new);
        self.check_irq = true;
        self.csr.sepc
    }
}

fn vector(tvec: u64, is_irq: bool, code: u64) -> u64 {
    let base = tvec & !3;
    if is_irq && tvec & 1 == 1 {
        base.wrapping_add(4 * code)
    } else {
        base
    }
}
