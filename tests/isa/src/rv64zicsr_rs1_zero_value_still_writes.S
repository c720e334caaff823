# Zicsr: csrrs/csrrc with rs1 != x0 attempt the write even when rs1 holds 0, so on a read-only CSR they raise illegal instruction.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li a1, 0; TRAP_AT(CAUSE_ILLEGAL_INSN, csrrs a0, mhartid, a1)
  TEST_NUM(3); li a1, 0; TRAP_AT(CAUSE_ILLEGAL_INSN, csrrc a0, marchid, a1)
  TEST_NUM(4); li a1, 0; TRAP_AT(CAUSE_ILLEGAL_INSN, csrrs a0, cycle, a1)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
