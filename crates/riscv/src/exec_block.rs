//! Executing pre-decoded blocks: the flat fast path for the common integer instructions.
//!
//! Each [`Kind`] here must do exactly what `execute` does for the `Op` it was flattened from;
//! `Kind::Other` simply calls `execute`. The instruction-set tests run every instruction through
//! this path, and the single-step path is only taken at budget ends and page-crossing
//! instructions, so a difference would show as a failing ISA or differential test.

use crate::block::{Kind, UOp};
use crate::hart::Hart;
use crate::trap::Trap;
use crate::Bus;

impl Hart {
    /// Runs `ops` (a block starting at `self.pc`) until its end, a trap (returned), a device
    /// access or a write into the block itself. `icount` advances with every retired
    /// instruction, because CSR reads and devices read it. The caller has checked that the
    /// whole block fits the budget.
    #[inline]
    pub(crate) fn run_block<B: Bus>(&mut self, bus: &mut B, ops: &[UOp]) -> Result<(), Trap> {
        for u in ops {
            self.exec_uop(bus, u)?;
            self.icount += 1;
            if self.break_block {
                break;
            }
        }
        Ok(())
    }

    #[inline(always)]
    fn exec_uop<B: Bus>(&mut self, bus: &mut B, u: &UOp) -> Result<(), Trap> {
        let pc = self.pc;
        let next = pc.wrapping_add(u.inst.len as u64);
        let a = self.x[u.rs1 as usize & 63];
        let b = self.x[u.rs2 as usize & 63];
        let imm = u.imm as i64 as u64;
        let sh = u.imm as u32 & 63;
        let v = match u.kind {
            Kind::Other => return self.execute(bus, u.inst),
            Kind::Lui => imm,
            Kind::Auipc => pc.wrapping_add(imm),
            Kind::Addi => a.wrapping_add(imm),
            Kind::Slti => ((a as i64) < (imm as i64)) as u64,
            Kind::Sltiu => (a < imm) as u64,
            Kind::Xori => a ^ imm,
            Kind::Ori => a | imm,
            Kind::Andi => a & imm,
            Kind::Slli => a << sh,
            Kind::Srli => a >> sh,
            Kind::Srai => ((a as i64) >> sh) as u64,
            Kind::Add => a.wrapping_add(b),
            Kind::Sub => a.wrapping_sub(b),
            Kind::Sll => a << (b & 63),
            Kind::Slt => ((a as i64) < (b as i64)) as u64,
            Kind::Sltu => (a < b) as u64,
            Kind::Xor => a ^ b,
            Kind::Srl => a >> (b & 63),
            Kind::Sra => ((a as i64) >> (b & 63)) as u64,
            Kind::Or => a | b,
            Kind::And => a & b,
            Kind::Mul => a.wrapping_mul(b),
            Kind::Addiw => (a as u32).wrapping_add(imm as u32) as i32 as u64,
            Kind::Slliw => ((a as u32) << (sh & 31)) as i32 as u64,
            Kind::Srliw => ((a as u32) >> (sh & 31)) as i32 as u64,
            Kind::Sraiw => ((a as i32) >> (sh & 31)) as u64,
            Kind::Addw => (a as u32).wrapping_add(b as u32) as i32 as u64,
            Kind::Subw => (a as u32).wrapping_sub(b as u32) as i32 as u64,
            Kind::Lb => self.load(bus, a.wrapping_add(imm), 1)? as i8 as u64,
            Kind::Lh => self.load(bus, a.wrapping_add(imm), 2)? as i16 as u64,
            Kind::Lw => self.load(bus, a.wrapping_add(imm), 4)? as i32 as u64,
            Kind::Ld => self.load(bus, a.wrapping_add(imm), 8)?,
            Kind::Lbu => self.load(bus, a.wrapping_add(imm), 1)?,
            Kind::Lhu => self.load(bus, a.wrapping_add(imm), 2)?,
            Kind::Lwu => self.load(bus, a.wrapping_add(imm), 4)?,
            Kind::Sb | Kind::Sh | Kind::Sw | Kind::Sd => {
                let size = match u.kind {
                    Kind::Sb => 1,
                    Kind::Sh => 2,
                    Kind::Sw => 4,
                    _ => 8,
                };
                self.store(bus, a.wrapping_add(imm), size, b)?;
                self.pc = next;
                return Ok(());
            }
            Kind::Beq | Kind::Bne | Kind::Blt | Kind::Bge | Kind::Bltu | Kind::Bgeu => {
                let taken = match u.kind {
                    Kind::Beq => a == b,
                    Kind::Bne => a != b,
                    Kind::Blt => (a as i64) < (b as i64),
                    Kind::Bge => (a as i64) >= (b as i64),
                    Kind::Bltu => a < b,
                    _ => a >= b,
                };
                self.pc = if taken { pc.wrapping_add(imm) } else { next };
                return Ok(());
            }
            Kind::Jal => {
                self.x[u.rd as usize & 63] = next;
                self.pc = pc.wrapping_add(imm);
                return Ok(());
            }
            Kind::Jalr => {
                self.x[u.rd as usize & 63] = next;
                self.pc = a.wrapping_add(imm) & !1;
                return Ok(());
            }
        };
        self.x[u.rd as usize & 63] = v;
        self.pc = next;
        Ok(())
    }
}
