# mhpmcounter3..31 and mhpmevent3..31 all exist and are read-only zero on extravirt: writes are ignored (no trap).
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li a0, 1234; csrw mhpmcounter3, a0; csrr a0, mhpmcounter3; CHECK_EQ(a0, 0)
  TEST_NUM(3); li a0, 5; csrw mhpmevent3, a0; csrr a0, mhpmevent3; CHECK_EQ(a0, 0)
  TEST_NUM(5); csrr a0, mhpmcounter31; CHECK_EQ(a0, 0); csrw mhpmcounter31, a0; csrr a0, mhpmevent31
  TEST_NUM(4); li a0, -1; csrw mhpmcounter17, a0; csrr a0, mhpmcounter17; CHECK_EQ(a0, 0)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
