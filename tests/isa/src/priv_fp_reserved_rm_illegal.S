# Reserved rounding modes: a static rm of 5 or 6 raises illegal instruction; with rm=dyn, frm values 5, 6, 7 make FP instructions that round illegal (mtval = bits).
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  fscsr x0
  /* fadd.s f1, f2, f3 with rm = 5 / 6 */
  TEST_NUM(2); TRAP_AT(CAUSE_ILLEGAL_INSN, .word 0x003150d3); CHECK_TVAL(0x003150d3)
  TEST_NUM(3); TRAP_AT(CAUSE_ILLEGAL_INSN, .word 0x003160d3); CHECK_TVAL(0x003160d3)
  /* fcvt.w.d a0, f1 with rm = 5 */
  TEST_NUM(4); TRAP_AT(CAUSE_ILLEGAL_INSN, .word 0xc200d553)
  /* dyn with invalid frm */
  TEST_NUM(5); fsrmi 5; TRAP_AT(CAUSE_ILLEGAL_INSN, fadd.s f1, f2, f3); CHECK_TVAL(0x003170d3)
  TEST_NUM(6); fsrmi 6; TRAP_AT(CAUSE_ILLEGAL_INSN, fmul.d f1, f2, f3)
  TEST_NUM(7); fsrmi 7; TRAP_AT(CAUSE_ILLEGAL_INSN, fcvt.s.d f1, f2)
  TEST_NUM(8); fsrmi 7; TRAP_AT(CAUSE_ILLEGAL_INSN, fsqrt.d f1, f2)
  /* instructions without rounding are fine with a bad frm */
  TEST_NUM(9); fsrmi 7; fsgnj.d f1, f2, f3; fmv.x.d a0, f1; fmin.s f1, f2, f3; feq.d a0, f1, f2
  /* a valid frm works again */
  TEST_NUM(10); fsrmi 0; fadd.s f1, f2, f3
  fscsr x0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
