# Runner contract: passes test 2, fails test 3 -> "FAIL: test 3", exit 1.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN
  TEST_NUM(2); li a0, 1; li a1, 1; bne a0, a1, fail
  TEST_NUM(3); j fail
  TEST_PASSFAIL
RVTEST_CODE_END
  .data
RVTEST_DATA_BEGIN
RVTEST_DATA_END
