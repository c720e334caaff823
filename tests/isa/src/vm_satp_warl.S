# satp is WARL: Bare, Sv39 and Sv48 are accepted and read back; writing a reserved mode (1, 15) leaves satp unchanged.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  la t0, pt_root; srli s2, t0, 12
  TEST_NUM(2); li t0, SATP_MODE_SV39; or a0, s2, t0; csrw satp, a0; csrr a1, satp; BR_FAIL_NE(a0, a1)
  TEST_NUM(3); li t0, 1 << 60; or a2, s2, t0; csrw satp, a2; csrr a1, satp; BR_FAIL_NE(a0, a1)
  TEST_NUM(4); li t0, 15 << 60; or a2, s2, t0; csrw satp, a2; csrr a1, satp; BR_FAIL_NE(a0, a1)
  TEST_NUM(5); li t0, SATP_MODE_SV48; or a0, s2, t0; csrw satp, a0; csrr a1, satp; BR_FAIL_NE(a0, a1)
  TEST_NUM(6); csrw satp, x0; csrr a1, satp; CHECK_EQ(a1, 0)
  TEST_NUM(7); li t0, 2 << 60; or a2, s2, t0; csrw satp, a2; csrr a1, satp; CHECK_EQ(a1, 0)
  /* ASID field is WARL (may be 0); writing it keeps the mode and PPN */
  TEST_NUM(8); li t0, SATP_MODE_SV39 | (1 << 44); or a0, s2, t0; csrw satp, a0; csrr a1, satp; li t0, 0xf0000fffffffffff; and a1, a1, t0; li t0, SATP_MODE_SV39; or a0, s2, t0; BR_FAIL_NE(a0, a1)
  csrw satp, x0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
