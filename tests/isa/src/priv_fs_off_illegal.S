# mstatus.FS: with FS=Off every F/D instruction and fcsr/fflags/frm access raises illegal instruction (mtval = bits) in M, S and U; an FP write moves FS to Dirty and sets SD.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  li t0, MSTATUS_FS; csrc mstatus, t0
  TEST_NUM(2); TRAP_AT(CAUSE_ILLEGAL_INSN, fadd.s f1, f2, f3); CHECK_TVAL(0x003100d3 | (7 << 12))
  TEST_NUM(3); la a0, tdat; TRAP_AT(CAUSE_ILLEGAL_INSN, fld f1, 0(a0))
  TEST_NUM(4); la a0, tdat; TRAP_AT(CAUSE_ILLEGAL_INSN, fsw f1, 0(a0))
  TEST_NUM(5); TRAP_AT(CAUSE_ILLEGAL_INSN, fmv.x.d a1, f1)
  TEST_NUM(6); TRAP_AT(CAUSE_ILLEGAL_INSN, fmv.w.x f1, a1)
  TEST_NUM(7); TRAP_AT(CAUSE_ILLEGAL_INSN, frcsr a1)
  TEST_NUM(8); TRAP_AT(CAUSE_ILLEGAL_INSN, fsflags a1)
  TEST_NUM(9); TRAP_AT(CAUSE_ILLEGAL_INSN, frrm a1)
  TEST_NUM(10); TRAP_AT(CAUSE_ILLEGAL_INSN, fcvt.d.l f1, a1)
  TEST_NUM(11); TRAP_AT(CAUSE_ILLEGAL_INSN, fclass.d a1, f1)
  TEST_NUM(12); la sp, tdat; TRAP_AT(CAUSE_ILLEGAL_INSN, c.fldsp f1, 0(sp))
  TEST_NUM(13); la a1, tdat; TRAP_AT(CAUSE_ILLEGAL_INSN, c.fsd f8, 0(a1))
  TEST_NUM(14); TRAP_AT(CAUSE_ILLEGAL_INSN, fmadd.d f1, f2, f3, f4)
  TEST_NUM(15); ENTER_S_FROM_M; TRAP_AT(CAUSE_ILLEGAL_INSN, fadd.d f1, f2, f3)
  TEST_NUM(16); ENTER_U_FROM_S; TRAP_AT(CAUSE_ILLEGAL_INSN, fsub.s f1, f2, f3)
  BACK_TO_M
  /* FS=Initial -> an FP register write makes it Dirty, SD=1 */
  TEST_NUM(17); li t0, MSTATUS_FS_INIT; csrs mstatus, t0; csrr a0, mstatus; bltz a0, fail
  li a1, 1; fcvt.d.l f1, a1; csrr a0, mstatus; li t0, MSTATUS_FS; and a1, a0, t0; CHECK_EQ(a1, MSTATUS_FS_DIRTY); bgez a0, fail
  /* fflags write also dirties */
  TEST_NUM(18); li t0, MSTATUS_FS; csrc mstatus, t0; li t0, MSTATUS_FS_INIT; csrs mstatus, t0; fsflagsi 1
  csrr a0, mstatus; li t0, MSTATUS_FS; and a1, a0, t0; CHECK_EQ(a1, MSTATUS_FS_DIRTY)
  /* FS is visible through sstatus */
  TEST_NUM(19); csrr a0, sstatus; li t0, MSTATUS_FS; and a1, a0, t0; CHECK_EQ(a1, MSTATUS_FS_DIRTY); bgez a0, fail
  /* FS off again: the F registers keep their value when re-enabled */
  TEST_NUM(20); li a1, 0x1234; fmv.d.x f5, a1; li t0, MSTATUS_FS; csrc mstatus, t0; TRAP_AT(CAUSE_ILLEGAL_INSN, fmv.x.d a2, f5)
  li t0, MSTATUS_FS_INIT; csrs mstatus, t0; fmv.x.d a2, f5; CHECK_EQ(a2, 0x1234)
  fscsr x0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat: .dword 0, 0
RVTEST_DATA_END
