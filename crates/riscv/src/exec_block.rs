//! Executing pre-decoded blocks: the flat fast path for the common instructions.
//!
//! Each [`Kind`] here must do exactly what `execute` does for the `Op` it was flattened from;
//! `Kind::Other` simply calls `execute`. `tests/block_equivalence.rs` runs random programs
//! through this path and through single steps and requires identical results; the ISA and Linux
//! tests run here too (`extravirt run --single-step` is the whole-VM comparison).

use fpu::fast::{self, Arith};

use crate::block::{Kind, UOp};
use crate::hart::Hart;
use crate::mmu::{read_frame, write_frame, Access};
use crate::trap::Trap;
use crate::{Bus, FRAME_SIZE};

/// The page offset of the instruction after `u` when `u` continues in sequence: the next one in
/// memory, or an inlined jump's target.
pub(crate) fn next_off(u: &UOp) -> u64 {
    match u.kind {
        Kind::JalInline => u.off as u64 + u.imm as i64 as u64,
        _ => u.off as u64 + u.inst.len as u64,
    }
}

impl Hart {
    /// Runs `ops` (a block starting at `self.pc`) until its end, a taken branch, a trap
    /// (returned), a device access or a write into the block itself. The caller has checked
    /// that the whole block fits the budget.
    ///
    /// Register-only instructions neither trap nor look at `pc` or `icount`, so those two are
    /// brought up to date only before the other instructions, at taken branches and at the end
    /// of the block.
    #[inline(always)]
    pub(crate) fn run_block<B: Bus>(&mut self, bus: &mut B, ops: &[UOp]) -> Result<(), Trap> {
        let ctx = self.data_ctx;
        // FP enablement (mstatus.FS) changes only by traps and CSR writes, which end blocks
        // (an FP CSR write, which does not, needs FP enabled and leaves it so).
        let fp_on = self.fs_enabled();
        // Every instruction of the block is in this page, at its `off`.
        let (page, icount0) = (self.pc & !(FRAME_SIZE as u64 - 1), self.icount);
        for u in ops {
            let a = self.x[u.rs1 as usize];
            // rs2 is read only by the operations that have one.
            macro_rules! b {
                () => {
                    self.x[u.rs2 as usize]
                };
            }
            let imm = u.imm as i64 as u64;
            // A conditional branch falls through, or leaves the block (a side exit) with `pc` and
            // `icount` set for the instruction it jumps to.
            macro_rules! branch {
                ($taken:expr) => {{
                    if $taken {
                        self.pc = page.wrapping_add(u.off as u64).wrapping_add(imm);
                        self.icount = icount0 + u.idx as u64 + 1;
                        return Ok(());
                    }
                    continue;
                }};
            }
            // The general path: `pc` and `icount` brought up to date, then `exec_other`.
            macro_rules! general {
                () => {{
                    self.pc = page.wrapping_add(u.off as u64);
                    self.icount = icount0 + u.idx as u64;
                    if self.exec_other(bus, u, ctx)? {
                        return Ok(());
                    }
                    continue;
                }};
            }
            macro_rules! load {
                ($size:expr) => {{
                    match self.host_load(a.wrapping_add(imm), $size, ctx) {
                        Some(v) => v,
                        None => general!(),
                    }
                }};
            }
            // A store into the running block ends it, with `pc` and `icount` past the store.
            macro_rules! after_store {
                ($pa:expr, $size:expr) => {{
                    self.after_ram_store($pa, $size);
                    if self.break_block {
                        self.pc = page.wrapping_add(u.off as u64 + u.inst.len as u64);
                        self.icount = icount0 + u.idx as u64 + 1;
                        return Ok(());
                    }
                    continue;
                }};
            }
            macro_rules! store {
                ($size:expr) => {{
                    match self.host_store(a.wrapping_add(imm), $size, b!(), ctx) {
                        Some(pa) => after_store!(pa, $size),
                        None => general!(),
                    }
                }};
            }
            // An FP register result, marking the FP state dirty as every FP write does.
            macro_rules! fp_result {
                ($v:expr) => {{
                    self.set_f_dirty(u.rd, $v);
                    continue;
                }};
            }
            let v = match u.kind {
                Kind::Lui => imm,
                Kind::Auipc => page.wrapping_add(u.off as u64).wrapping_add(imm),
                Kind::JalInline => page.wrapping_add(u.off as u64 + u.inst.len as u64),
                Kind::Addi => a.wrapping_add(imm),
                Kind::Slti => ((a as i64) < (imm as i64)) as u64,
                Kind::Sltiu => (a < imm) as u64,
                Kind::Xori => a ^ imm,
                Kind::Ori => a | imm,
                Kind::Andi => a & imm,
                Kind::Slli => a << (imm & 63),
                Kind::Srli => a >> (imm & 63),
                Kind::Srai => ((a as i64) >> (imm & 63)) as u64,
                Kind::Add => a.wrapping_add(b!()),
                Kind::Sub => a.wrapping_sub(b!()),
                Kind::Sll => a << (b!() & 63),
                Kind::Slt => ((a as i64) < (b!() as i64)) as u64,
                Kind::Sltu => (a < b!()) as u64,
                Kind::Xor => a ^ b!(),
                Kind::Srl => a >> (b!() & 63),
                Kind::Sra => ((a as i64) >> (b!() & 63)) as u64,
                Kind::Or => a | b!(),
                Kind::And => a & b!(),
                Kind::Mul => a.wrapping_mul(b!()),
                Kind::Addiw => (a as u32).wrapping_add(imm as u32) as i32 as u64,
                Kind::Slliw => ((a as u32) << (imm & 31)) as i32 as u64,
                Kind::Srliw => ((a as u32) >> (imm & 31)) as i32 as u64,
                Kind::Sraiw => ((a as i32) >> (imm & 31)) as u64,
                Kind::Addw => (a as u32).wrapping_add(b!() as u32) as i32 as u64,
                Kind::Subw => (a as u32).wrapping_sub(b!() as u32) as i32 as u64,
                Kind::Beq => branch!(a == b!()),
                Kind::Bne => branch!(a != b!()),
                Kind::Blt => branch!((a as i64) < (b!() as i64)),
                Kind::Bge => branch!((a as i64) >= (b!() as i64)),
                Kind::Bltu => branch!(a < b!()),
                Kind::Bgeu => branch!(a >= b!()),
                // Loads and stores that hit a frame address in the TLB cannot trap or reach a
                // device, so they too run without `pc` and `icount`.
                Kind::Lb => load!(1) as i8 as u64,
                Kind::Lh => load!(2) as i16 as u64,
                Kind::Lw => load!(4) as i32 as u64,
                Kind::Ld => load!(8),
                Kind::Lbu => load!(1),
                Kind::Lhu => load!(2),
                Kind::Lwu => load!(4),
                Kind::Sb => store!(1),
                Kind::Sh => store!(2),
                Kind::Sw => store!(4),
                Kind::Sd => store!(8),
                // Double-precision loads, stores, moves and (where the host FPU is exact, see
                // `fpu::fast`) arithmetic, when FP is enabled; anything else, generally.
                Kind::Fld if fp_on => match self.host_load(a.wrapping_add(imm), 8, ctx) {
                    Some(v) => fp_result!(v),
                    None => general!(),
                },
                Kind::Fsd if fp_on => {
                    let v = self.f[u.rs2 as usize & 31];
                    match self.host_store(a.wrapping_add(imm), 8, v, ctx) {
                        Some(pa) => after_store!(pa, 8),
                        None => general!(),
                    }
                }
                Kind::FaddD | Kind::FsubD | Kind::FmulD | Kind::FdivD if fp_on => {
                    let op = match u.kind {
                        Kind::FaddD => Arith::Add,
                        Kind::FsubD => Arith::Sub,
                        Kind::FmulD => Arith::Mul,
                        _ => Arith::Div,
                    };
                    let (x, y) = (self.f[u.rs1 as usize & 31], self.f[u.rs2 as usize & 31]);
                    match self.fast_rne(u.imm).then(|| fast::f64_arith(op, x, y)).flatten() {
                        Some(v) => fp_result!(v),
                        None => general!(),
                    }
                }
                Kind::FsqrtD if fp_on => {
                    let x = self.f[u.rs1 as usize & 31];
                    match self.fast_rne(u.imm).then(|| fast::f64_sqrt(x)).flatten() {
                        Some(v) => fp_result!(v),
                        None => general!(),
                    }
                }
                Kind::FsgnjD | Kind::FsgnjnD | Kind::FsgnjxD if fp_on => {
                    let (x, y) = (self.f[u.rs1 as usize & 31], self.f[u.rs2 as usize & 31]);
                    fp_result!(match u.kind {
                        Kind::FsgnjD => fpu::f64::sgnj(x, y),
                        Kind::FsgnjnD => fpu::f64::sgnjn(x, y),
                        _ => fpu::f64::sgnjx(x, y),
                    })
                }
                Kind::Fld
                | Kind::Fsd
                | Kind::FaddD
                | Kind::FsubD
                | Kind::FmulD
                | Kind::FdivD
                | Kind::FsqrtD
                | Kind::FsgnjD
                | Kind::FsgnjnD
                | Kind::FsgnjxD
                | Kind::Flw
                | Kind::Fsw
                | Kind::Amo
                | Kind::Other
                | Kind::Jal
                | Kind::Jalr => general!(),
            };
            self.x[u.rd as usize] = v;
        }
        // The block ran to its end: unless its last instruction jumped (and set both itself),
        // the next one follows it in memory, or is the target of a jump it followed.
        if let Some(u) = ops.last().filter(|u| u.kind.is_sequential()) {
            self.pc = page.wrapping_add(next_off(u));
            // `ops` may be the tail of a block (see `jit`): count by position, not length.
            self.icount = icount0 + u.idx as u64 + 1;
        }
        Ok(())
    }

    /// Executes and retires one instruction that does not run inline, with `pc` and `icount`
    /// up to date; `Ok(true)` when the block must end after it (a device access, or a store
    /// into the block).
    #[inline(always)]
    fn exec_other<B: Bus>(&mut self, bus: &mut B, u: &UOp, ctx: u64) -> Result<bool, Trap> {
        let pc = self.pc;
        let next = pc.wrapping_add(u.inst.len as u64);
        let a = self.x[u.rs1 as usize];
        let b = self.x[u.rs2 as usize];
        let imm = u.imm as i64 as u64;
        match u.kind {
            Kind::Lb => {
                let v = self.load_quick(bus, a.wrapping_add(imm), 1, ctx)? as i8 as u64;
                Ok(self.retire_load(u, v, next))
            }
            Kind::Lh => {
                let v = self.load_quick(bus, a.wrapping_add(imm), 2, ctx)? as i16 as u64;
                Ok(self.retire_load(u, v, next))
            }
            Kind::Lw => {
                let v = self.load_quick(bus, a.wrapping_add(imm), 4, ctx)? as i32 as u64;
                Ok(self.retire_load(u, v, next))
            }
            Kind::Ld => {
                let v = self.load_quick(bus, a.wrapping_add(imm), 8, ctx)?;
                Ok(self.retire_load(u, v, next))
            }
            Kind::Lbu => {
                let v = self.load_quick(bus, a.wrapping_add(imm), 1, ctx)?;
                Ok(self.retire_load(u, v, next))
            }
            Kind::Lhu => {
                let v = self.load_quick(bus, a.wrapping_add(imm), 2, ctx)?;
                Ok(self.retire_load(u, v, next))
            }
            Kind::Lwu => {
                let v = self.load_quick(bus, a.wrapping_add(imm), 4, ctx)?;
                Ok(self.retire_load(u, v, next))
            }
            Kind::Sb | Kind::Sh | Kind::Sw | Kind::Sd => {
                self.store_quick(bus, a.wrapping_add(imm), u.store_size(), b, ctx)?;
                self.pc = next;
                self.icount += 1;
                Ok(self.break_block)
            }
            Kind::Jal => {
                self.x[u.rd as usize] = next;
                self.pc = pc.wrapping_add(imm);
                self.icount += 1;
                Ok(false)
            }
            Kind::Jalr => {
                self.x[u.rd as usize] = next;
                self.pc = a.wrapping_add(imm) & !1;
                self.icount += 1;
                Ok(false)
            }
            Kind::Flw | Kind::Fld | Kind::Fsw | Kind::Fsd => {
                if !self.fs_enabled() {
                    return Err(Trap::illegal(u.inst.raw));
                }
                let va = a.wrapping_add(imm);
                match u.kind {
                    Kind::Flw => {
                        let v = self.load_quick(bus, va, 4, ctx)? as u32;
                        self.set_f_dirty(u.rd, fpu::box_f32(v));
                    }
                    Kind::Fld => {
                        let v = self.load_quick(bus, va, 8, ctx)?;
                        self.set_f_dirty(u.rd, v);
                    }
                    Kind::Fsw => self.store_quick(bus, va, 4, self.f[u.rs2 as usize & 31], ctx)?,
                    _ => self.store_quick(bus, va, 8, self.f[u.rs2 as usize & 31], ctx)?,
                }
                self.pc = next;
                self.icount += 1;
                Ok(self.break_block)
            }
            _ => {
                self.execute(bus, u.inst)?;
                self.icount += 1;
                Ok(self.break_block)
            }
        }
    }

    /// Writes a load's result and retires it; a device load ends the block.
    #[inline(always)]
    fn retire_load(&mut self, u: &UOp, v: u64, next: u64) -> bool {
        self.x[u.rd as usize] = v;
        self.pc = next;
        self.icount += 1;
        self.break_block
    }

    /// A load through the TLB and RAM only, falling back to the full path for misses, page
    /// crossings and devices.
    #[inline(always)]
    fn load_quick<B: Bus>(&mut self, bus: &mut B, va: u64, size: usize, ctx: u64) -> Result<u64, Trap> {
        let off = va as usize & (FRAME_SIZE - 1);
        if off + size <= FRAME_SIZE {
            if let Some(v) = self.host_load(va, size, ctx) {
                return Ok(v);
            }
            if let Some(pa) = self.quick_translate(va, Access::Load, ctx) {
                if let Some(frame) = bus.ram(pa) {
                    let v = read_frame(frame, off, size);
                    self.cache_host(Access::Load, va, ctx, frame);
                    return Ok(v);
                }
            }
        }
        self.load(bus, va, size)
    }

    /// The store counterpart of [`Self::load_quick`].
    #[inline(always)]
    fn store_quick<B: Bus>(
        &mut self,
        bus: &mut B,
        va: u64,
        size: usize,
        v: u64,
        ctx: u64,
    ) -> Result<(), Trap> {
        let off = va as usize & (FRAME_SIZE - 1);
        if off + size <= FRAME_SIZE {
            if let Some(pa) = self.host_store(va, size, v, ctx) {
                self.after_ram_store(pa, size as u64);
                return Ok(());
            }
            if let Some(pa) = self.quick_translate(va, Access::Store, ctx) {
                if let Some(frame) = self.ram_mut(bus, pa) {
                    write_frame(frame, off, size, v);
                    let frame: *const [u8; FRAME_SIZE] = frame;
                    self.cache_host(Access::Store, va, ctx, frame);
                    self.after_ram_store(pa, size as u64);
                    return Ok(());
                }
            }
        }
        self.store(bus, va, size, v)
    }
}
