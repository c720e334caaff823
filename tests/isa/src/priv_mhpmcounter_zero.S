#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); csrr a0, mhpmcounter3; CHECK_EQ(a0, 0)
  TEST_NUM(4); csrwi mcounteren, 8; csrwi scounteren, 8; ENTER_U_FROM_M; csrr a0, hpmcounter3; CHECK_EQ(a0, 0)
  BACK_TO_M
  csrwi mcounteren, 0; csrwi scounteren, 0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END

