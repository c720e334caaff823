# The time CSR: readable in M; in S/U gated by mcounteren.TM / scounteren.TM (illegal instruction otherwise); read-only; monotonic.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); rdtime a0; rdtime a1; bltu a1, a0, fail
  TEST_NUM(3); TRAP_AT(CAUSE_ILLEGAL_INSN, csrw time, x0)
  csrwi mcounteren, 0; csrwi scounteren, 2
  TEST_NUM(4); ENTER_S_FROM_M; TRAP_AT(CAUSE_ILLEGAL_INSN, rdtime a0)
  BACK_TO_M
  csrwi mcounteren, 2; csrwi scounteren, 0
  TEST_NUM(5); ENTER_S_FROM_M; rdtime a0
  TEST_NUM(6); ENTER_U_FROM_S; TRAP_AT(CAUSE_ILLEGAL_INSN, rdtime a0)
  BACK_TO_M
  csrwi scounteren, 2
  TEST_NUM(7); ENTER_U_FROM_M; rdtime a0; rdtime a1; bltu a1, a0, fail
  TEST_NUM(8); TRAP_AT(CAUSE_ILLEGAL_INSN, rdcycle a0)
  BACK_TO_M
  csrwi mcounteren, 0; csrwi scounteren, 0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
