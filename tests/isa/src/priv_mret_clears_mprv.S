# mret to a mode below M clears mstatus.MPRV (privileged spec 1.12); sret clears it as well.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li t0, MSTATUS_MPRV; csrs mstatus, t0; ENTER_U_FROM_M; BACK_TO_M
  csrr a0, mstatus; li t0, MSTATUS_MPRV; and a0, a0, t0; CHECK_EQ(a0, 0)
  TEST_NUM(3); li t0, MSTATUS_MPRV; csrs mstatus, t0; ENTER_S_FROM_M; BACK_TO_M
  csrr a0, mstatus; li t0, MSTATUS_MPRV; and a0, a0, t0; CHECK_EQ(a0, 0)
  /* sret (executed in M) to S clears MPRV too */
  TEST_NUM(4); li t0, MSTATUS_MPRV | MSTATUS_SPP; csrs mstatus, t0; la t0, 1f; csrw sepc, t0; sret
1: BACK_TO_M
  csrr a0, mstatus; li t0, MSTATUS_MPRV; and a0, a0, t0; CHECK_EQ(a0, 0)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
