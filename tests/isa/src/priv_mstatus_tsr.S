# mstatus.TSR: sret in S-mode raises illegal instruction when TSR=1 and works when TSR=0; sret in U is always illegal.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  li t0, MSTATUS_TSR; csrs mstatus, t0
  TEST_NUM(2); ENTER_S_FROM_M; TRAP_AT(CAUSE_ILLEGAL_INSN, sret); CHECK_TVAL(0x10200073)
  BACK_TO_M
  /* M-mode sret is allowed with TSR=1 */
  TEST_NUM(3); li t0, MSTATUS_SPP; csrs mstatus, t0; la t0, 1f; csrw sepc, t0; sret; j fail
1: BACK_TO_M
  li t0, MSTATUS_TSR; csrc mstatus, t0
  TEST_NUM(4); ENTER_S_FROM_M; li t0, MSTATUS_SPP; csrs sstatus, t0; la t0, 2f; csrw sepc, t0; sret; j fail
2: csrr a0, sstatus
  TEST_NUM(5); ENTER_U_FROM_S; TRAP_AT(CAUSE_ILLEGAL_INSN, sret)
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
