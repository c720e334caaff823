# misa is exactly RV64IMAFDCSU (no other extension bits).
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

#define EXT(c) (1 << ((c) - 'A'))
  TEST_NUM(2); csrr a0, misa; li t0, (2 << 62) | EXT('I') | EXT('M') | EXT('A') | EXT('F') | EXT('D') | EXT('C') | EXT('S') | EXT('U'); BR_FAIL_NE(a0, t0)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
