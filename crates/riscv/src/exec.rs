//! Execution of integer, atomic and system instructions. Floating point lives in `fp.rs`.

use crate::csr::mstatus;
use crate::hart::{Hart, Priv};
use crate::mmu::Access;
use crate::op::*;
use crate::trap::{cause, Trap};
use crate::Bus;

impl Hart {
    /// Executes `inst` at `self.pc`. On `Ok` it retired and `pc` points at the next instruction;
    /// on `Err` no architectural state but what the trap itself writes has changed.
    #[inline]
    pub(crate) fn execute<B: Bus>(&mut self, bus: &mut B, inst: Inst) -> Result<(), Trap> {
        let pc = self.pc;
        let next = pc.wrapping_add(inst.len as u64);
        let x = |h: &Hart, r: u8| h.x[r as usize];
        match inst.op {
            Op::Lui { rd, imm } => self.x[rd as usize] = imm as i64 as u64,
            Op::Auipc { rd, imm } => self.x[rd as usize] = pc.wrapping_add(imm as i64 as u64),
            Op::Jal { rd, imm } => {
                self.x[rd as usize] = next;
                self.pc = pc.wrapping_add(imm as i64 as u64);
                return Ok(());
            }
            Op::Jalr { rd, rs1, imm } => {
                let target = x(self, rs1).wrapping_add(imm as i64 as u64) & !1;
                self.x[rd as usize] = next;
                self.pc = target;
                return Ok(());
            }
            Op::Branch { cond, rs1, rs2, imm } => {
                let (a, b) = (x(self, rs1), x(self, rs2));
                let taken = match cond {
                    BranchCond::Eq => a == b,
                    BranchCond::Ne => a != b,
                    BranchCond::Lt => (a as i64) < (b as i64),
                    BranchCond::Ge => (a as i64) >= (b as i64),
                    BranchCond::Ltu => a < b,
                    BranchCond::Geu => a >= b,
                };
                if taken {
                    self.pc = pc.wrapping_add(imm as i64 as u64);
                    return Ok(());
                }
            }
            Op::Load { kind, rd, rs1, imm } => {
                let va = x(self, rs1).wrapping_add(imm as i64 as u64);
                let v = match kind {
                    LoadKind::B => self.load(bus, va, 1)? as i8 as u64,
                    LoadKind::H => self.load(bus, va, 2)? as i16 as u64,
                    LoadKind::W => self.load(bus, va, 4)? as i32 as u64,
                    LoadKind::D => self.load(bus, va, 8)?,
                    LoadKind::Bu => self.load(bus, va, 1)?,
                    LoadKind::Hu => self.load(bus, va, 2)?,
                    LoadKind::Wu => self.load(bus, va, 4)?,
                };
                self.x[rd as usize] = v;
            }
            Op::Store { width, rs1, rs2, imm } => {
                let va = x(self, rs1).wrapping_add(imm as i64 as u64);
                self.store(bus, va, 1 << width as usize, x(self, rs2))?;
            }
            Op::AluImm { op, rd, rs1, imm } => self.x[rd as usize] = alu(op, x(self, rs1), imm as i64 as u64),
            Op::Alu { op, rd, rs1, rs2 } => self.x[rd as usize] = alu(op, x(self, rs1), x(self, rs2)),
            Op::AluImmW { op, rd, rs1, imm } => {
                self.x[rd as usize] = alu_w(op, x(self, rs1), imm as i64 as u64)
            }
            Op::AluW { op, rd, rs1, rs2 } => self.x[rd as usize] = alu_w(op, x(self, rs1), x(self, rs2)),
            // One hart, in-order, no caches: all fences are no-ops. FENCE.I needs nothing either,
            // because decoded instructions are cached by their bits, not by address.
            Op::Fence | Op::FenceI => {}
            Op::Ecall => {
                let cause = match self.prv {
                    Priv::U => cause::ECALL_U,
                    Priv::S => cause::ECALL_S,
                    Priv::M => cause::ECALL_M,
                };
                return Err(Trap { cause, tval: 0 });
            }
            Op::Ebreak => {
                return Err(Trap {
                    cause: cause::BREAKPOINT,
                    tval: pc,
                })
            }
            Op::Mret => {
                if self.prv != Priv::M {
                    return Err(Trap::illegal(inst.raw));
                }
                self.pc = self.mret();
                return Ok(());
            }
            Op::Sret => {
                let tsr = self.csr.mstatus & mstatus::TSR != 0;
                if self.prv == Priv::U || (self.prv == Priv::S && tsr) {
                    return Err(Trap::illegal(inst.raw));
                }
                self.pc = self.sret();
                return Ok(());
            }
            Op::Wfi => {
                // WFI may trap when it would not complete in bounded time; our bound is zero.
                let tw = self.csr.mstatus & mstatus::TW != 0;
                if self.prv == Priv::U || (self.prv == Priv::S && tw) {
                    return Err(Trap::illegal(inst.raw));
                }
                if !self.wakeup_pending() {
                    self.waiting = true;
                }
            }
            Op::SfenceVma { .. } => {
                let tvm = self.csr.mstatus & mstatus::TVM != 0;
                if self.prv == Priv::U || (self.prv == Priv::S && tvm) {
                    return Err(Trap::illegal(inst.raw));
                }
                self.tlb.flush();
            }
            Op::Csr {
                op,
                rd,
                src,
                imm,
                csr,
            } => self.exec_csr(op, rd, src, imm, csr, inst.raw)?,
            Op::Lr { width, rd, rs1 } => {
                let size = 1 << width as usize;
                let va = x(self, rs1);
                let pa = self.atomic_addr(bus, va, size, Access::Load)?;
                let v = self.load_phys_or_fault(bus, pa, size, Access::Load, va)?;
                self.x[rd as usize] = sign_extend(v, size);
                self.reservation = Some(pa);
            }
            Op::Sc { width, rd, rs1, rs2 } => {
                let size = 1 << width as usize;
                let va = x(self, rs1);
                let pa = self.atomic_addr(bus, va, size, Access::Store)?;
                let ok = self.reservation == Some(pa);
                self.reservation = None;
                if ok {
                    self.store_phys(bus, pa, size, x(self, rs2))
                        .ok_or(Access::Store.access_fault(va))?;
                }
                self.x[rd as usize] = !ok as u64;
            }
            Op::Amo {
                op,
                width,
                rd,
                rs1,
                rs2,
            } => {
                let size = 1 << width as usize;
                let va = x(self, rs1);
                let pa = self.atomic_addr(bus, va, size, Access::Store)?;
                let old = sign_extend(self.load_phys_or_fault(bus, pa, size, Access::Store, va)?, size);
                let new = amo(op, old, x(self, rs2), size);
                self.store_phys(bus, pa, size, new)
                    .ok_or(Access::Store.access_fault(va))?;
                self.x[rd as usize] = old;
            }
            _ => self.execute_fp(bus, inst)?,
        }
        self.pc = next;
        Ok(())
    }

    fn exec_csr(&mut self, op: CsrOp, rd: u8, src: u8, imm: bool, csr: u16, raw: u32) -> Result<(), Trap> {
        let operand = if imm { src as u64 } else { self.x[src as usize] };
        // CSRRW always writes; CSRRS/CSRRC with x0 (or uimm 0) only read.
        let writes = op == CsrOp::Rw || src != 0;
        // CSRRW with rd = x0 does not read, but reading has no side effects here, and the
        // access checks are the same, so always read.
        let old = self.csr_read(csr, raw)?;
        if writes {
            // Only the software-writable SEIP bit takes part in a read-modify-write of mip/sip;
            // the interrupt controller's line is ORed into what is read, never written back.
            let base = match csr {
                0x344 | 0x144 => old & !self.csr.mip_hw | (old & self.csr.mip_sw),
                _ => old,
            };
            let new = match op {
                CsrOp::Rw => operand,
                CsrOp::Rs => base | operand,
                CsrOp::Rc => base & !operand,
            };
            self.csr_write(csr, new, raw)?;
            if matches!(csr, 0x001..=0x003) {
                self.mark_fs_dirty();
            }
        }
        self.x[rd as usize] = old;
        Ok(())
    }
}

pub(crate) fn sign_extend(v: u64, size: usize) -> u64 {
    match size {
        4 => v as i32 as u64,
        _ => v,
    }
}

fn amo(op: AmoOp, old: u64, src: u64, size: usize) -> u64 {
    let (a, b) = if size == 4 {
        (old as i32 as i64, src as i32 as i64)
    } else {
        (old as i64, src as i64)
    };
    let (ua, ub) = if size == 4 {
        (old as u32 as u64, src as u32 as u64)
    } else {
        (old, src)
    };
    match op {
        AmoOp::Swap => src,
        AmoOp::Add => old.wrapping_add(src),
        AmoOp::Xor => old ^ src,
        AmoOp::And => old & src,
        AmoOp::Or => old | src,
        AmoOp::Min => a.min(b) as u64,
        AmoOp::Max => a.max(b) as u64,
        AmoOp::Minu if ua <= ub => old,
        AmoOp::Maxu if ua >= ub => old,
        AmoOp::Minu | AmoOp::Maxu => src,
    }
}

#[inline]
fn alu(op: AluOp, a: u64, b: u64) -> u64 {
    let (sa, sb) = (a as i64, b as i64);
    match op {
        AluOp::Add => a.wrapping_add(b),
        AluOp::Sub => a.wrapping_sub(b),
        AluOp::Sll => a << (b & 63),
        AluOp::Slt => (sa < sb) as u64,
        AluOp::Sltu => (a < b) as u64,
        AluOp::Xor => a ^ b,
        AluOp::Srl => a >> (b & 63),
        AluOp::Sra => (sa >> (b & 63)) as u64,
        AluOp::Or => a | b,
        AluOp::And => a & b,
        AluOp::Mul => a.wrapping_mul(b),
        AluOp::Mulh => ((sa as i128 * sb as i128) >> 64) as u64,
        AluOp::Mulhsu => ((sa as i128 * b as i128) >> 64) as u64,
        AluOp::Mulhu => ((a as u128 * b as u128) >> 64) as u64,
        AluOp::Div if b == 0 => u64::MAX,
        AluOp::Div => sa.wrapping_div(sb) as u64,
        AluOp::Divu if b == 0 => u64::MAX,
        AluOp::Divu => a / b,
        AluOp::Rem if b == 0 => a,
        AluOp::Rem => sa.wrapping_rem(sb) as u64,
        AluOp::Remu if b == 0 => a,
        AluOp::Remu => a % b,
    }
}

#[inline]
fn alu_w(op: AluWOp, a: u64, b: u64) -> u64 {
    let (a32, b32) = (a as u32, b as u32);
    let (sa, sb) = (a32 as i32, b32 as i32);
    let r: u32 = match op {
        AluWOp::Add => a32.wrapping_add(b32),
        AluWOp::Sub => a32.wrapping_sub(b32),
        AluWOp::Sll => a32 << (b & 31),
        AluWOp::Srl => a32 >> (b & 31),
        AluWOp::Sra => (sa >> (b & 31)) as u32,
        AluWOp::Mul => a32.wrapping_mul(b32),
        AluWOp::Div if b32 == 0 => u32::MAX,
        AluWOp::Div => sa.wrapping_div(sb) as u32,
        AluWOp::Divu if b32 == 0 => u32::MAX,
        AluWOp::Divu => a32 / b32,
        AluWOp::Rem if b32 == 0 => a32,
        AluWOp::Rem => sa.wrapping_rem(sb) as u32,
        AluWOp::Remu if b32 == 0 => a32,
        AluWOp::Remu => a32 % b32,
    };
    r as i32 as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_by_zero_and_overflow_follow_the_spec_table() {
        assert_eq!(alu(AluOp::Div, 7, 0), u64::MAX);
        assert_eq!(alu(AluOp::Divu, 7, 0), u64::MAX);
        assert_eq!(alu(AluOp::Rem, 7, 0), 7);
        assert_eq!(alu(AluOp::Remu, 7, 0), 7);
        assert_eq!(alu(AluOp::Div, i64::MIN as u64, -1i64 as u64), i64::MIN as u64);
        assert_eq!(alu(AluOp::Rem, i64::MIN as u64, -1i64 as u64), 0);
        assert_eq!(
            alu_w(AluWOp::Div, i32::MIN as u64, -1i64 as u64),
            i32::MIN as i64 as u64
        );
        assert_eq!(alu_w(AluWOp::Remu, 5, 0), 5);
        assert_eq!(alu_w(AluWOp::Divu, 0xffff_ffff, 0), u64::MAX);
    }

    #[test]
    fn high_multiplies_use_the_right_signedness() {
        assert_eq!(alu(AluOp::Mulh, -1i64 as u64, -1i64 as u64), 0);
        assert_eq!(alu(AluOp::Mulhu, u64::MAX, u64::MAX), u64::MAX - 1);
        assert_eq!(alu(AluOp::Mulhsu, -1i64 as u64, u64::MAX), u64::MAX);
    }

    #[test]
    fn word_ops_sign_extend_their_32_bit_result() {
        assert_eq!(alu_w(AluWOp::Add, 0x7fff_ffff, 1), 0xffff_ffff_8000_0000);
        assert_eq!(alu_w(AluWOp::Srl, 0x8000_0000, 0), 0xffff_ffff_8000_0000);
        assert_eq!(alu_w(AluWOp::Sra, 0x8000_0000, 4), 0xffff_ffff_f800_0000);
    }

    #[test]
    fn word_amos_compare_as_32_bit_values() {
        let old = 0xffff_ffff_8000_0000; // -2^31 as a sign-extended word
        assert_eq!(amo(AmoOp::Min, old, 1, 4), old);
        assert_eq!(amo(AmoOp::Maxu, old, 1, 4), old);
        assert_eq!(amo(AmoOp::Minu, old, 1, 4), 1);
    }
}
