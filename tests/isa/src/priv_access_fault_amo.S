# An AMO to an address outside RAM raises a store/AMO access fault (cause 7), mtval = the address, rd unchanged.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li a0, 0x40000000; li a2, 1; li a1, 0x77; TRAP_AT(CAUSE_STORE_ACCESS, amoadd.d a1, a2, (a0)); CHECK_TVAL(0x40000000); CHECK_EQ(a1, 0x77)
  TEST_NUM(3); li a0, 0x40000010; li a2, 1; TRAP_AT(CAUSE_STORE_ACCESS, amoswap.w a1, a2, (a0)); CHECK_TVAL(0x40000010)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
