# ecall from M, S and U: causes 11, 9, 8; mepc = the ecall; mtval = 0; execution resumes in the trapping mode.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li a7, 0; csrw mtval, a7; TRAP_AT(CAUSE_MACHINE_ECALL, ecall); CHECK_TVAL(0)
  TEST_NUM(3); ENTER_S_FROM_M; li a7, 0; TRAP_AT(CAUSE_SUPERVISOR_ECALL, ecall); CHECK_TVAL(0)
  /* still in S: sstatus accessible, mstatus not */
  TEST_NUM(4); csrr a0, sstatus; TRAP_AT(CAUSE_ILLEGAL_INSN, csrr a0, mstatus)
  BACK_TO_M
  TEST_NUM(5); ENTER_U_FROM_M; li a7, 0; TRAP_AT(CAUSE_USER_ECALL, ecall); CHECK_TVAL(0)
  TEST_NUM(6); TRAP_AT(CAUSE_ILLEGAL_INSN, csrr a0, sstatus)
  BACK_TO_M
  /* compressed neighbour: epc of an ecall after a 16-bit instruction */
  TEST_NUM(7); li a7, 0; c.nop; TRAP_AT(CAUSE_MACHINE_ECALL, ecall)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
