# A trap (ecall handled by the environment, i.e. an mret) between lr and sc: extravirt clears the reservation on trap entry, so the sc fails.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_NUM(2); la a0, dat; li a1, 1; sd a1, 0(a0)
  lr.d a4, (a0)
  ARM_TRAP(1f); ebreak; j fail
1: CHECK_EQ(s8, CAUSE_BREAKPOINT)
  la a0, dat; li a2, 2; sc.d a5, a2, (a0); CHECK_NE(a5, 0)
  ld a6, 0(a0); CHECK_EQ(a6, 1)
  /* without the trap the same sequence succeeds */
  TEST_NUM(3); la a0, dat; lr.d a4, (a0); li a2, 2; sc.d a5, a2, (a0); CHECK_EQ(a5, 0)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 16
dat: .dword 0, 0
RVTEST_DATA_END
