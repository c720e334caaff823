//! Address translation (Sv39/Sv48), the TLB, and physical memory access.
//!
//! Choices the spec leaves open (documented in ARCHITECTURE.md):
//! - A and D bits are set by the page walk (no fault), atomically with the walk since there is
//!   one hart.
//! - Misaligned loads and stores are performed (byte by byte when they cross a page), never
//!   trapped; misaligned LR/SC/AMOs raise address-misaligned exceptions.
//! - PTE bits 63:54 (Svnapot/Svpbmt, not implemented) must be zero, else a page fault.
//! - PMP registers are stored but not enforced.

use crate::csr::{mstatus, SATP_MODE_SV39};
use crate::hart::{Hart, Priv};
use crate::trap::{cause, Trap};
use crate::{Bus, FRAME_SIZE};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Fetch = 0,
    Load = 1,
    Store = 2,
}

impl Access {
    fn page_fault(self, va: u64) -> Trap {
        let cause = match self {
            Access::Fetch => cause::FETCH_PAGE_FAULT,
            Access::Load => cause::LOAD_PAGE_FAULT,
            Access::Store => cause::STORE_PAGE_FAULT,
        };
        Trap { cause, tval: va }
    }

    pub fn access_fault(self, va: u64) -> Trap {
        let cause = match self {
            Access::Fetch => cause::FETCH_ACCESS,
            Access::Load => cause::LOAD_ACCESS,
            Access::Store => cause::STORE_ACCESS,
        };
        Trap { cause, tval: va }
    }
}

mod pte {
    pub const V: u64 = 1 << 0;
    pub const R: u64 = 1 << 1;
    pub const W: u64 = 1 << 2;
    pub const X: u64 = 1 << 3;
    pub const U: u64 = 1 << 4;
    pub const A: u64 = 1 << 6;
    pub const D: u64 = 1 << 7;
    pub const PPN_MASK: u64 = (1 << 44) - 1;
}

/// Entries per table: 1024 makes the mem job of `scripts/bench-linux.sh` (a qsort over 2048
/// pages) 6% faster than 256. (It had once made the fp job 50% slower: see [`Tlb::clear`].)
const TLB_SIZE: usize = 1024;

/// `repr(C)`: translated code reads entries (see [`tlb_offset`]).
#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
struct TlbEntry {
    /// `vpn << 4 | context`: a hit needs the same page and the same privilege context.
    tag: u64,
    ppn: u64,
    /// Host address of the frame, valid while `host_epoch` is the TLB's.
    host: usize,
    host_epoch: u64,
    generation: u32,
}

/// The layout translated code relies on: 40-byte entries, `ENTRIES` per table, indexed by the
/// low bits of the page number.
pub(crate) mod tlb_offset {
    use super::{TlbEntry, TLB_SIZE};
    use std::mem::{offset_of, size_of};
    pub const TAG: i32 = offset_of!(TlbEntry, tag) as i32;
    pub const PPN: i32 = offset_of!(TlbEntry, ppn) as i32;
    pub const HOST: i32 = offset_of!(TlbEntry, host) as i32;
    pub const HOST_EPOCH: i32 = offset_of!(TlbEntry, host_epoch) as i32;
    pub const ENTRIES: i32 = TLB_SIZE as i32;
    const _: () = assert!(size_of::<TlbEntry>() == 40 && TLB_SIZE.is_power_of_two());
}

/// Direct-mapped caches of 4 KiB translations, one per access type. An entry is only inserted
/// after the walk found the access permitted (and, for stores, the page dirty) in its privilege
/// context, so a hit needs no permission check. Flushing bumps a generation number: O(1), and
/// it cannot miss part of a table.
///
/// Entries may also carry the host address of their frame, valid while the entry's stamp equals
/// the TLB's *host epoch*, which the hart ends whenever frames may move (see `Hart::host_load`)
/// and which every flush ends too, so a host address is never used past its translation.
#[derive(Clone)]
pub(crate) struct Tlb {
    tables: Box<[[TlbEntry; TLB_SIZE]; 3]>,
    /// The low 32 bits of every load and store entry's `ppn`, for
    /// [`forget_frame`](Self::forget_frame) to scan 8 KiB instead of 80 KiB of entries: under
    /// callgrind's cache model that scan, once per copy-on-write move, was a third of a run's
    /// L1 data misses.
    ppn_low: Box<[[u32; TLB_SIZE]; 2]>,
    /// Read by translated code (see `jit`).
    pub(crate) generation: u32,
    host_epoch: u64,
}

impl Tlb {
    pub fn new() -> Self {
        Tlb {
            tables: Box::new([[TlbEntry::default(); TLB_SIZE]; 3]),
            ppn_low: Box::new([[0; TLB_SIZE]; 2]),
            generation: 1,
            host_epoch: 1,
        }
    }

    pub fn flush(&mut self) {
        self.host_epoch += 1;
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.clear();
        }
    }

    /// Empties every entry, once per 2^32 flushes. Out of line and in place: written as an
    /// assignment of a fresh array, it put a tables-sized temporary in the stack frame of every
    /// function `flush` was inlined into, `execute` among them, whose prologue then touched
    /// each page of that frame on every call (stack probing): 8 pages per interpreted
    /// instruction with 256 entries, 30 with 1024, which made the fp job 50% slower.
    #[cold]
    #[inline(never)]
    fn clear(&mut self) {
        for table in self.tables.iter_mut() {
            table.fill(TlbEntry::default());
        }
        for low in self.ppn_low.iter_mut() {
            low.fill(0);
        }
        self.generation = 1;
    }

    /// Changes whenever a translation cached outside the TLB may have become stale.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// Forgets every cached host address.
    pub fn end_host_epoch(&mut self) {
        self.host_epoch += 1;
    }

    /// Forgets the host address of physical page `ppn` wherever it is cached: its frame moved.
    pub fn forget_frame(&mut self, ppn: u64) {
        const CHUNK: usize = 32;
        let key = ppn as u32;
        for (low, access) in self.ppn_low.iter().zip([Access::Load, Access::Store]) {
            let table = &mut self.tables[access as usize];
            for (c, chunk) in low.chunks_exact(CHUNK).enumerate() {
                // Branch-free, so it vectorizes; a hit in the chunk is rare.
                if !chunk.iter().fold(false, |hit, &k| hit | (k == key)) {
                    continue;
                }
                for e in &mut table[c * CHUNK..(c + 1) * CHUNK] {
                    if e.ppn == ppn {
                        e.host_epoch = 0;
                    }
                }
            }
        }
    }

    /// The first entry of the table for `access`, for translated code.
    pub fn table_ptr(&self, access: Access) -> *const u8 {
        self.tables[access as usize].as_ptr().cast()
    }

    /// Where the host epoch is kept, for translated code, which reads it again after every
    /// call back into the interpreter.
    pub fn host_epoch_ptr(&self) -> *const u64 {
        &self.host_epoch
    }

    #[inline(always)]
    fn lookup(&self, access: Access, tag: u64) -> Option<u64> {
        let e = &self.tables[access as usize][((tag >> 4) as usize) & (TLB_SIZE - 1)];
        (e.generation == self.generation && e.tag == tag).then_some(e.ppn)
    }

    fn insert(&mut self, access: Access, tag: u64, ppn: u64) {
        let generation = self.generation;
        let i = ((tag >> 4) as usize) & (TLB_SIZE - 1);
        if access != Access::Fetch {
            self.ppn_low[access as usize - Access::Load as usize][i] = ppn as u32;
        }
        self.tables[access as usize][i] = TlbEntry {
            tag,
            ppn,
            generation,
            host: 0,
            host_epoch: 0,
        };
    }

    /// The host address of the frame behind a hit for `tag` and its physical page number, if
    /// the address was recorded in the current host epoch (and so since the last flush).
    #[inline(always)]
    fn host(&self, access: Access, tag: u64) -> Option<(usize, u64)> {
        let e = &self.tables[access as usize][((tag >> 4) as usize) & (TLB_SIZE - 1)];
        (e.tag == tag && e.host_epoch == self.host_epoch).then_some((e.host, e.ppn))
    }

    /// Records the host address of the frame behind the entry for `tag`, if it is cached.
    #[inline(always)]
    fn set_host(&mut self, access: Access, tag: u64, host: usize) {
        let (generation, epoch) = (self.generation, self.host_epoch);
        let e = &mut self.tables[access as usize][((tag >> 4) as usize) & (TLB_SIZE - 1)];
        if e.generation == generation && e.tag == tag {
            e.host = host;
            e.host_epoch = epoch;
        }
    }
}

/// The TLB context of untranslated data accesses, whose entries map a page to itself. No
/// translated context has it: their privilege bits are U (0) or S (1), never M (3).
pub(crate) const BARE: u64 = Priv::M as u64;

/// The part of the hart state that decides whether a valid PTE permits an access: privilege,
/// SUM and MXR. Four bits.
fn context(prv: Priv, ms: u64) -> u64 {
    prv as u64 | ((ms & mstatus::SUM) >> 16) | ((ms & mstatus::MXR) >> 16)
}

/// Whether a leaf with PTE bits `flags` permits `access` from privilege `prv`.
fn permitted(flags: u64, access: Access, prv: Priv, ms: u64) -> bool {
    let user_page = flags & pte::U != 0;
    let mode_ok = match (prv, access) {
        (Priv::U, _) => user_page,
        (_, Access::Fetch) => !user_page,
        _ => !user_page || ms & mstatus::SUM != 0,
    };
    let kind_ok = match access {
        Access::Fetch => flags & pte::X != 0,
        Access::Load => flags & pte::R != 0 || (ms & mstatus::MXR != 0 && flags & pte::X != 0),
        Access::Store => flags & pte::W != 0,
    };
    mode_ok && kind_ok
}

/// Reads `size` (1, 2, 4, 8) little-endian bytes at `off`; the caller keeps them in the frame.
/// Fixed-size copies per width keep this a single load instead of a `memcpy` call.
#[inline(always)]
pub(crate) fn read_frame(frame: &[u8; FRAME_SIZE], off: usize, size: usize) -> u64 {
    fn get<const N: usize>(frame: &[u8; FRAME_SIZE], off: usize) -> [u8; N] {
        let mut b = [0u8; N];
        b.copy_from_slice(&frame[off..off + N]);
        b
    }
    match size {
        1 => frame[off] as u64,
        2 => u16::from_le_bytes(get(frame, off)) as u64,
        4 => u32::from_le_bytes(get(frame, off)) as u64,
        _ => u64::from_le_bytes(get(frame, off)),
    }
}

#[inline(always)]
pub(crate) fn write_frame(frame: &mut [u8; FRAME_SIZE], off: usize, size: usize, v: u64) {
    match size {
        1 => frame[off] = v as u8,
        2 => frame[off..off + 2].copy_from_slice(&(v as u16).to_le_bytes()),
        4 => frame[off..off + 4].copy_from_slice(&(v as u32).to_le_bytes()),
        _ => frame[off..off + 8].copy_from_slice(&v.to_le_bytes()),
    }
}

impl Hart {
    /// The privilege that loads and stores are checked against (MPRV applies MPP in M-mode).
    #[inline]
    fn data_priv(&self) -> Priv {
        let ms = self.csr.mstatus;
        if self.prv == Priv::M && ms & mstatus::MPRV != 0 {
            Priv::from_bits(ms >> mstatus::MPP_SHIFT)
        } else {
            self.prv
        }
    }

    /// The TLB context of data accesses: [`BARE`] when they are not translated (M-mode
    /// without MPRV, or satp Bare). Constant within a block: only CSR writes, xRET and traps
    /// change it, and each of those ends the block.
    #[inline]
    pub(crate) fn data_context(&self) -> u64 {
        let prv = self.data_priv();
        if prv == Priv::M || self.csr.satp_mode() == 0 {
            BARE
        } else {
            context(prv, self.csr.mstatus)
        }
    }

    /// The physical address of a data access that needs no page walk: untranslated, or a TLB
    /// hit for `ctx` (from [`Self::data_context`]).
    #[inline(always)]
    pub(crate) fn quick_translate(&self, va: u64, access: Access, ctx: u64) -> Option<u64> {
        if ctx == BARE {
            return Some(va);
        }
        let ppn = self.tlb.lookup(access, (va >> 12) << 4 | ctx)?;
        Some((ppn << 12) | (va & 0xfff))
    }

    /// A load through a frame address cached in the TLB in this host epoch.
    ///
    /// Host epochs: a frame reference from [`Bus::ram`] or [`Bus::ram_mut`] stays valid, and
    /// the frame at its address, until the hart's next `io_load` or `io_store` call, a
    /// `ram_mut` call that moves that frame, or the end of the run (the [`Bus`] contract). The
    /// hart starts a new host epoch at device accesses and runs, and forgets a moved frame's
    /// address (see [`Hart::ram_mut`]), so an address cached in the TLB is used only while
    /// that holds.
    #[inline(always)]
    pub(crate) fn host_load(&self, va: u64, size: usize, ctx: u64) -> Option<u64> {
        let off = va as usize & (FRAME_SIZE - 1);
        if off + size > FRAME_SIZE {
            return None;
        }
        let (host, _) = self.tlb.host(Access::Load, (va >> 12) << 4 | ctx)?;
        // SAFETY: `host` is the address of a frame the bus returned from `ram` in the current
        // host epoch, so by the `Bus` contract it is still a live `[u8; FRAME_SIZE]` holding
        // that physical page, and nothing writes it during this read; `off + size` is inside
        // the frame.
        let frame = unsafe { &*(host as *const [u8; FRAME_SIZE]) };
        Some(read_frame(frame, off, size))
    }

    /// A store through a frame address cached in the TLB in this host epoch; its physical
    /// address, for the bookkeeping the caller does next.
    #[inline(always)]
    pub(crate) fn host_store(&mut self, va: u64, size: usize, v: u64, ctx: u64) -> Option<u64> {
        let off = va as usize & (FRAME_SIZE - 1);
        if off + size > FRAME_SIZE {
            return None;
        }
        let (host, ppn) = self.tlb.host(Access::Store, (va >> 12) << 4 | ctx)?;
        // SAFETY: `host` came from `ram_mut` in the current host epoch, so by the `Bus`
        // contract it is still the live, writable frame of that physical page, and no other
        // reference to it is in use while this one is; `off + size` is inside the frame.
        let frame = unsafe { &mut *(host as *mut [u8; FRAME_SIZE]) };
        write_frame(frame, off, size, v);
        Some((ppn << 12) | off as u64)
    }

    /// Remembers where the bus keeps the frame of a data access in RAM. An untranslated one
    /// first gets an identity entry of its own: no walk made one, and with it the frame
    /// address serves native code as a translated access's does.
    #[inline(always)]
    pub(crate) fn cache_host(&mut self, access: Access, va: u64, ctx: u64, frame: *const [u8; FRAME_SIZE]) {
        let tag = (va >> 12) << 4 | ctx;
        if ctx == BARE {
            self.tlb.insert(access, tag, va >> 12);
        }
        self.tlb.set_host(access, tag, frame as usize);
    }

    /// `Bus::ram_mut` for the hart. The call may move the frame of `pa` (copy-on-write), and
    /// only that one (the `Bus` contract); if it did, the TLB forgets the old address. Ending
    /// the host epoch on every call instead made two pages stored to in turn evict each
    /// other's addresses for good; ending it on every move made each copy-on-write cost a
    /// refill of every cached address.
    #[inline]
    pub(crate) fn ram_mut<'b, B: Bus>(
        &mut self,
        bus: &'b mut B,
        pa: u64,
    ) -> Option<&'b mut [u8; FRAME_SIZE]> {
        let before = bus.ram(pa).map(|f| f as *const [u8; FRAME_SIZE]);
        let frame = bus.ram_mut(pa);
        let after = frame.as_deref().map(|f| f as *const [u8; FRAME_SIZE]);
        if after != before {
            self.tlb.forget_frame(pa >> 12);
        }
        frame
    }

    /// Bookkeeping after the hart stored to RAM at `pa`: a reservation covering it is lost,
    /// and a store into the running block ends the block.
    #[inline(always)]
    pub(crate) fn after_ram_store(&mut self, pa: u64, size: u64) {
        if let Some(r) = self.reservation {
            if pa < r + 8 && r < pa + size {
                self.reservation = None;
            }
        }
        self.note_ram_write(pa, size);
    }

    #[inline]
    pub(crate) fn translate_fetch<B: Bus>(&mut self, bus: &mut B, va: u64) -> Result<u64, Trap> {
        self.translate(bus, va, Access::Fetch, self.prv)
    }

    #[inline]
    pub(crate) fn translate_data<B: Bus>(
        &mut self,
        bus: &mut B,
        va: u64,
        access: Access,
    ) -> Result<u64, Trap> {
        let prv = self.data_priv();
        self.translate(bus, va, access, prv)
    }

    #[inline(always)]
    fn translate<B: Bus>(&mut self, bus: &mut B, va: u64, access: Access, prv: Priv) -> Result<u64, Trap> {
        if prv == Priv::M || self.csr.satp_mode() == 0 {
            return Ok(va);
        }
        let tag = (va >> 12) << 4 | context(prv, self.csr.mstatus);
        if let Some(ppn) = self.tlb.lookup(access, tag) {
            return Ok((ppn << 12) | (va & 0xfff));
        }
        self.walk(bus, va, access, prv)
    }

    #[inline(never)]
    fn walk<B: Bus>(&mut self, bus: &mut B, va: u64, access: Access, prv: Priv) -> Result<u64, Trap> {
        let levels: u32 = if self.csr.satp_mode() == SATP_MODE_SV39 {
            3
        } else {
            4
        };
        let va_bits = 12 + 9 * levels;
        let canonical = (((va << (64 - va_bits)) as i64) >> (64 - va_bits)) as u64;
        if canonical != va {
            return Err(access.page_fault(va));
        }
        let mut table = (self.csr.satp & pte::PPN_MASK) << 12;
        for level in (0..levels).rev() {
            let idx = (va >> (12 + 9 * level)) & 0x1ff;
            let pte_addr = table + idx * 8;
            let frame = bus.ram(pte_addr).ok_or(access.access_fault(va))?;
            let entry = read_frame(frame, (pte_addr as usize) & (FRAME_SIZE - 1), 8);
            let (r, w, x) = (entry & pte::R != 0, entry & pte::W != 0, entry & pte::X != 0);
            if entry & pte::V == 0 || (!r && w) || entry >> 54 != 0 {
                return Err(access.page_fault(va));
            }
            let ppn = (entry >> 10) & pte::PPN_MASK;
            if !r && !x {
                table = ppn << 12;
                continue;
            }
            let low_mask = (1u64 << (9 * level)) - 1;
            if ppn & low_mask != 0 || !permitted(entry, access, prv, self.csr.mstatus) {
                return Err(access.page_fault(va));
            }
            let mut updated = entry | pte::A;
            if access == Access::Store {
                updated |= pte::D;
            }
            if updated != entry {
                let frame = self.ram_mut(bus, pte_addr).ok_or(access.access_fault(va))?;
                write_frame(frame, (pte_addr as usize) & (FRAME_SIZE - 1), 8, updated);
                self.note_ram_write(pte_addr, 8);
            }
            let ppn4k = (ppn & !low_mask) | ((va >> 12) & low_mask);
            let tag = (va >> 12) << 4 | context(prv, self.csr.mstatus);
            self.tlb.insert(access, tag, ppn4k);
            return Ok((ppn4k << 12) | (va & 0xfff));
        }
        Err(access.page_fault(va))
    }

    /// Loads `size` bytes at virtual address `va`, zero-extended.
    pub(crate) fn load<B: Bus>(&mut self, bus: &mut B, va: u64, size: usize) -> Result<u64, Trap> {
        if (va as usize & (FRAME_SIZE - 1)) + size > FRAME_SIZE {
            let mut v = 0;
            for i in 0..size {
                v |= self
                    .load(bus, va.wrapping_add(i as u64), 1)
                    .map_err(|t| Trap { tval: va, ..t })?
                    << (8 * i);
            }
            return Ok(v);
        }
        let pa = self.translate_data(bus, va, Access::Load)?;
        self.load_phys(bus, pa, size).ok_or(Access::Load.access_fault(va))
    }

    fn load_phys<B: Bus>(&mut self, bus: &mut B, pa: u64, size: usize) -> Option<u64> {
        if let Some(frame) = bus.ram(pa) {
            return Some(read_frame(frame, (pa as usize) & (FRAME_SIZE - 1), size));
        }
        self.end_run = true;
        self.break_block = true;
        let (ctx, stamp) = (self.io_ctx(), bus.ram_stamp());
        let v = bus.io_load(pa, size as u8, &ctx);
        self.after_io(bus, stamp);
        v
    }

    /// After a device access: the device may have moved frames (DMA into a shared one, say),
    /// unless the bus's RAM stamp says nothing changed.
    fn after_io<B: Bus>(&mut self, bus: &B, stamp_before: Option<(u64, u64)>) {
        if stamp_before.is_none() || bus.ram_stamp() != stamp_before {
            self.tlb.end_host_epoch();
        }
    }

    /// Stores the low `size` bytes of `v` at virtual address `va`.
    pub(crate) fn store<B: Bus>(&mut self, bus: &mut B, va: u64, size: usize, v: u64) -> Result<(), Trap> {
        if (va as usize & (FRAME_SIZE - 1)) + size > FRAME_SIZE {
            // Translate every byte before writing any, so a fault leaves memory untouched.
            let mut pas = [0u64; 8];
            for (i, pa) in pas.iter_mut().enumerate().take(size) {
                *pa = self
                    .translate_data(bus, va.wrapping_add(i as u64), Access::Store)
                    .map_err(|t| Trap { tval: va, ..t })?;
            }
            for (i, &pa) in pas.iter().enumerate().take(size) {
                self.store_phys(bus, pa, 1, v >> (8 * i))
                    .ok_or(Access::Store.access_fault(va))?;
            }
            return Ok(());
        }
        let pa = self.translate_data(bus, va, Access::Store)?;
        self.store_phys(bus, pa, size, v)
            .ok_or(Access::Store.access_fault(va))
    }

    pub(crate) fn store_phys<B: Bus>(&mut self, bus: &mut B, pa: u64, size: usize, v: u64) -> Option<()> {
        if let Some(frame) = self.ram_mut(bus, pa) {
            write_frame(frame, (pa as usize) & (FRAME_SIZE - 1), size, v);
            self.after_ram_store(pa, size as u64);
            return Some(());
        }
        if let Some(r) = self.reservation {
            if pa < r + 8 && r < pa + size as u64 {
                self.reservation = None;
            }
        }
        self.end_run = true;
        self.break_block = true;
        let (ctx, stamp) = (self.io_ctx(), bus.ram_stamp());
        let ok = bus.io_store(pa, size as u8, v, &ctx);
        self.after_io(bus, stamp);
        ok.then_some(())
    }

    /// A write into the running block's own bytes ends the block after this instruction, so
    /// the instructions after it are decoded afresh from what is now in memory.
    #[inline(always)]
    fn note_ram_write(&mut self, pa: u64, size: u64) {
        let (start, end) = self.block_bytes;
        if self.code_watch.stored(pa) && end > start {
            // The running block goes on into the new epoch (the store missed its bytes, or
            // it breaks below). Translated code reports a store only if it hits a page
            // watched in the current epoch, so a later store into this block's own bytes
            // would go unseen unless its page is watched again.
            self.code_watch.watch(start);
        }
        if pa < end && pa + size > start {
            self.break_block = true;
        }
    }

    /// Translates and checks an aligned atomic access; returns its physical address.
    pub(crate) fn atomic_addr<B: Bus>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: usize,
        access: Access,
    ) -> Result<u64, Trap> {
        if va & (size as u64 - 1) != 0 {
            let cause = if access == Access::Load {
                cause::LOAD_MISALIGNED
            } else {
                cause::STORE_MISALIGNED
            };
            return Err(Trap { cause, tval: va });
        }
        self.translate_data(bus, va, access)
    }

    pub(crate) fn load_phys_or_fault<B: Bus>(
        &mut self,
        bus: &mut B,
        pa: u64,
        size: usize,
        access: Access,
        va: u64,
    ) -> Result<u64, Trap> {
        self.load_phys(bus, pa, size).ok_or(access.access_fault(va))
    }
}

#[cfg(test)]
mod tests {
    use super::{Access, Tlb};

    #[test]
    fn a_flush_that_wraps_the_generation_empties_every_entry() {
        let mut tlb = Tlb::new();
        tlb.generation = u32::MAX;
        tlb.insert(Access::Load, 0x1230, 7);
        assert_eq!(tlb.lookup(Access::Load, 0x1230), Some(7));
        tlb.flush();
        assert_eq!(tlb.generation(), 1);
        // An entry left over from generation 1, 2^32 flushes ago, must not hit.
        assert!(tlb
            .tables
            .iter()
            .flatten()
            .all(|e| e.generation == 0 && e.tag == 0));
        assert_eq!(tlb.lookup(Access::Load, 0x1230), None);
    }

    #[test]
    fn forgetting_a_frame_forgets_its_host_address_in_every_load_and_store_entry_only() {
        let mut tlb = Tlb::new();
        // Page 7 behind three virtual pages (two in one chunk of the scan, one far away) and
        // for loads and stores; page 7 + 2^32 (same low bits) and page 8 beside them.
        let cases = [
            (Access::Load, 0x10, 7, true),
            (Access::Load, 0x20, 7, true),
            (Access::Store, 0x10, 7, true),
            (Access::Store, 0x3ff0, 7, true),
            (Access::Load, 0x30, 7 + (1 << 32), false),
            (Access::Store, 0x40, 8, false),
        ];
        for (access, tag, ppn, _) in cases {
            tlb.insert(access, tag, ppn);
            tlb.set_host(access, tag, 0x1000);
        }
        tlb.forget_frame(7);
        for (access, tag, ppn, forgotten) in cases {
            let host = tlb.host(access, tag);
            assert_eq!(host.is_none(), forgotten, "{access:?} tag {tag:#x} ppn {ppn:#x}");
        }
    }
}
