# Misaligned sc.w/sc.d raise store/AMO-address-misaligned (6) even without a matching reservation; mtval = the address; memory unchanged.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_NUM(2); la a0, dat; addi a1, a0, 2; mv s7, a1; li a2, 5; TRAP_AT(CAUSE_MISALIGNED_STORE, sc.w a4, a2, (a1)); BR_FAIL_NE(s10, s7)
  TEST_NUM(3); la a0, dat; addi a1, a0, 4; mv s7, a1; li a2, 5; TRAP_AT(CAUSE_MISALIGNED_STORE, sc.d a4, a2, (a1)); BR_FAIL_NE(s10, s7)
  TEST_NUM(4); la a0, dat; ld a6, 0(a0); CHECK_EQ(a6, 0x0706050403020100)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 16
dat: .byte 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
RVTEST_DATA_END
