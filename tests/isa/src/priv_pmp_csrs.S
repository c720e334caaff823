# PMP CSRs are implemented and store what is written (entries with A=OFF, valid permission encodings): pmpaddr1..3, pmpaddr15, pmpcfg0 bytes 1..3, pmpcfg2.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li a0, 0x0000000012345678; csrw pmpaddr1, a0; csrr a1, pmpaddr1; BR_FAIL_NE(a0, a1)
  TEST_NUM(3); li a0, 0x003fffffffffffff; csrw pmpaddr2, a0; csrr a1, pmpaddr2; BR_FAIL_NE(a0, a1)
  TEST_NUM(4); li a0, 0x0000000020000400; csrw pmpaddr3, a0; csrr a1, pmpaddr3; BR_FAIL_NE(a0, a1)
  TEST_NUM(5); li a0, 0x0000000000abcdef; csrw pmpaddr15, a0; csrr a1, pmpaddr15; BR_FAIL_NE(a0, a1)
  /* entry 0 stays the environment's NAPOT RWX; entries 1-3 A=OFF with R|X, R|W, R|W|X */
  TEST_NUM(6); li a0, 0x07030500 | 0x1f; csrw pmpcfg0, a0; csrr a1, pmpcfg0; BR_FAIL_NE(a0, a1)
  TEST_NUM(7); li a0, 0x0000000000000301; csrw pmpcfg2, a0; csrr a1, pmpcfg2; BR_FAIL_NE(a0, a1)
  /* memory still accessible from U after the writes */
  TEST_NUM(8); ENTER_U_FROM_M; la a0, tdat; ld a1, 0(a0); CHECK_EQ(a1, 0x55)
  BACK_TO_M
  csrwi pmpcfg2, 0; li a0, 0x1f; csrw pmpcfg0, a0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat: .dword 0x55
RVTEST_DATA_END
