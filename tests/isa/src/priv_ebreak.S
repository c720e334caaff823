# ebreak and c.ebreak from M, S and U: cause 3, mepc = the instruction (not advanced).
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TRAP_EXPECT(2, CAUSE_BREAKPOINT, ebreak)
  TRAP_EXPECT(3, CAUSE_BREAKPOINT, c.ebreak)
  TEST_NUM(4); ENTER_S_FROM_M; TRAP_AT(CAUSE_BREAKPOINT, ebreak)
  TEST_NUM(5); TRAP_AT(CAUSE_BREAKPOINT, c.ebreak)
  BACK_TO_M
  TEST_NUM(6); ENTER_U_FROM_M; TRAP_AT(CAUSE_BREAKPOINT, ebreak)
  TEST_NUM(7); TRAP_AT(CAUSE_BREAKPOINT, c.ebreak)
  BACK_TO_M
  /* ebreak is 4 bytes and c.ebreak 2: check the resume address arithmetic */
  TEST_NUM(8); ARM_TRAP(1f); 2: ebreak; j fail; 1: la a0, 2b; BR_FAIL_NE(s9, a0)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
