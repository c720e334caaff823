# mstatus.TVM: with TVM=1, S-mode satp accesses and sfence.vma raise illegal instruction; M-mode is unaffected; with TVM=0 S-mode may use them.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  li t0, MSTATUS_TVM; csrs mstatus, t0
  TEST_NUM(2); ENTER_S_FROM_M; TRAP_AT(CAUSE_ILLEGAL_INSN, csrr a0, satp); CHECK_TVAL(0x18002573)
  TEST_NUM(3); TRAP_AT(CAUSE_ILLEGAL_INSN, csrw satp, x0)
  TEST_NUM(4); TRAP_AT(CAUSE_ILLEGAL_INSN, sfence.vma)
  TEST_NUM(5); TRAP_AT(CAUSE_ILLEGAL_INSN, sfence.vma a0, a1)
  BACK_TO_M
  TEST_NUM(6); csrr a0, satp; csrw satp, x0; sfence.vma
  li t0, MSTATUS_TVM; csrc mstatus, t0
  TEST_NUM(7); ENTER_S_FROM_M; csrr a0, satp; csrw satp, x0; sfence.vma; CHECK_EQ(a0, 0)
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
