//! Saving, restoring and digesting architectural hart state.
//!
//! The byte format is little-endian u64 words after a magic header, in a fixed field order. It
//! holds architectural state only (no TLB or decode cache), so two harts that would behave
//! identically from here on have identical bytes and digests, on any host.

use crate::csr::Csrs;
use crate::hart::{Hart, Priv};

const MAGIC: &[u8; 8] = b"EVHART01";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StateError {
    #[error("hart state does not start with the expected magic")]
    RestoreBadMagic,
    #[error("hart state is truncated")]
    RestoreTruncated,
    #[error("hart state has {0} trailing bytes")]
    RestoreTrailing(usize),
    #[error("hart state holds an invalid privilege mode {0}")]
    RestoreBadPrivilege(u64),
}

/// Visits every architectural field in a fixed order, for both saving and restoring, so the two
/// can never disagree about the layout.
fn visit(h: &mut Hart, f: &mut dyn FnMut(&mut u64)) {
    for r in h.x[..32].iter_mut().chain(h.f.iter_mut()) {
        f(r);
    }
    f(&mut h.pc);
    let mut prv = h.prv as u64;
    f(&mut prv);
    h.prv = match prv {
        0 => Priv::U,
        1 => Priv::S,
        _ => Priv::M,
    };
    f(&mut h.icount);
    f(&mut h.idle);
    let mut res = h.reservation.map_or(u64::MAX, |r| r);
    f(&mut res);
    h.reservation = (res != u64::MAX).then_some(res);
    let mut waiting = h.waiting as u64;
    f(&mut waiting);
    h.waiting = waiting != 0;
    visit_csrs(&mut h.csr, f);
}

fn visit_csrs(c: &mut Csrs, f: &mut dyn FnMut(&mut u64)) {
    for r in [
        &mut c.mstatus,
        &mut c.medeleg,
        &mut c.mideleg,
        &mut c.mie,
        &mut c.mip_sw,
        &mut c.mip_hw,
        &mut c.mtvec,
        &mut c.mcounteren,
        &mut c.menvcfg,
        &mut c.mscratch,
        &mut c.mepc,
        &mut c.mcause,
        &mut c.mtval,
        &mut c.stvec,
        &mut c.scounteren,
        &mut c.senvcfg,
        &mut c.sscratch,
        &mut c.sepc,
        &mut c.scause,
        &mut c.stval,
        &mut c.satp,
        &mut c.mcountinhibit,
        &mut c.mcycle_base,
        &mut c.mcycle_at,
        &mut c.minstret_base,
        &mut c.minstret_at,
        &mut c.fflags,
        &mut c.frm,
    ] {
        f(r);
    }
    for r in c.pmpcfg.iter_mut().chain(c.pmpaddr.iter_mut()) {
        f(r);
    }
}

impl Hart {
    /// Appends the architectural state to `out`.
    pub fn save_state(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(MAGIC);
        let mut h = self.clone();
        visit(&mut h, &mut |v| out.extend_from_slice(&v.to_le_bytes()));
    }

    /// Replaces the architectural state with the one saved in `bytes`; caches are flushed.
    pub fn restore_state(&mut self, bytes: &[u8]) -> Result<(), StateError> {
        let body = bytes.strip_prefix(MAGIC).ok_or(StateError::RestoreBadMagic)?;
        let mut words = body.chunks(8);
        let mut err = None;
        let mut h = Hart::new(0);
        visit(&mut h, &mut |v| match words.next() {
            Some(w) if w.len() == 8 => *v = u64::from_le_bytes(w.try_into().expect("8-byte chunk")),
            _ => err = Some(StateError::RestoreTruncated),
        });
        if let Some(e) = err {
            return Err(e);
        }
        let rest: usize = words.map(|w| w.len()).sum();
        if rest != 0 {
            return Err(StateError::RestoreTrailing(rest));
        }
        let prv_word = body[64 * 8 + 8..64 * 8 + 16].try_into().expect("8 bytes");
        let prv = u64::from_le_bytes(prv_word);
        if prv == 2 || prv > 3 {
            return Err(StateError::RestoreBadPrivilege(prv));
        }
        *self = h;
        Ok(())
    }

    /// A 32-byte digest of the architectural state, stable across runs and hosts.
    pub fn digest(&self) -> [u8; 32] {
        let mut bytes = Vec::with_capacity(1024);
        self.save_state(&mut bytes);
        *blake3::hash(&bytes).as_bytes()
    }
}
