# satp WARL: Sv57 (mode 10) is not supported by extravirt, so writing it leaves satp unchanged.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  la t0, pt_root; srli s2, t0, 12
  TEST_NUM(2); li t0, SATP_MODE_SV39; or a0, s2, t0; csrw satp, a0; li t0, SATP_MODE_SV57; or a2, s2, t0; csrw satp, a2; csrr a1, satp; BR_FAIL_NE(a0, a1)
  TEST_NUM(3); csrw satp, x0; csrw satp, a2; csrr a1, satp; CHECK_EQ(a1, 0)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
