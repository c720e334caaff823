# mstatus.MPP is WARL: writing the reserved value 2 leaves a legal mode (0, 1 or 3) in the field.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, 0x1000; csrs mstatus, t0
  csrr a0, mstatus; li t0, MSTATUS_MPP; and a0, a0, t0; CHECK_NE(a0, 0x1000)
  /* legal values are kept */
  TEST_NUM(3); li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, MSTATUS_MPP_S; csrs mstatus, t0
  csrr a0, mstatus; li t0, MSTATUS_MPP; and a0, a0, t0; CHECK_EQ(a0, MSTATUS_MPP_S)
  TEST_NUM(4); li t0, MSTATUS_MPP; csrs mstatus, t0; csrr a0, mstatus; and a0, a0, t0; CHECK_EQ(a0, MSTATUS_MPP_M)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
