# mcountinhibit: IR stops minstret (and a write to minstret sticks); clearing it lets minstret run again.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); csrwi mcountinhibit, 4; csrr a0, minstret; nop; nop; nop; csrr a1, minstret; BR_FAIL_NE(a0, a1)
  TEST_NUM(3); csrr a0, mcountinhibit; CHECK_EQ(a0, 4)
  TEST_NUM(4); csrwi mcountinhibit, 0; csrr a0, minstret; nop; nop; nop; csrr a1, minstret; bleu a1, a0, fail
  TEST_NUM(5); csrwi mcountinhibit, 4; li a0, 77; csrw minstret, a0; nop; csrr a1, minstret; CHECK_EQ(a1, 77)
  csrwi mcountinhibit, 0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
