# medeleg[11] (ecall from M) is read-only zero: M-mode ecalls can never be delegated.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li t0, -1; csrw medeleg, t0; csrr a0, medeleg; li t0, 1 << CAUSE_MACHINE_ECALL; and a0, a0, t0; CHECK_EQ(a0, 0)
  /* page faults and ecall-from-U are delegable (needed by the v environment) */
  TEST_NUM(3); csrr a0, medeleg; li t0, (1 << CAUSE_USER_ECALL) | (1 << CAUSE_FETCH_PAGE_FAULT) | (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT); and a0, a0, t0; BR_FAIL_NE(a0, t0)
  /* an M ecall still goes to M */
  TEST_NUM(4); li a7, 0; TRAP_AT(CAUSE_MACHINE_ECALL, ecall)
  csrwi medeleg, 0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
