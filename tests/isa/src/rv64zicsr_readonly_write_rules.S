# Zicsr write rules on read-only CSRs: csrrs/csrrc with rs1 = x0 and csrrsi/csrrci with uimm = 0 do not write (no trap); csrrw/csrrwi always write (trap, even with rd = x0 or a zero value); Privilege checks use the CSR number.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); csrrs a0, mhartid, x0; CHECK_EQ(a0, 0)
  TEST_NUM(3); csrrc a0, mhartid, x0; csrrsi a0, mhartid, 0; csrrci a0, mhartid, 0; csrrs a0, mvendorid, x0
  TEST_NUM(4); TRAP_AT(CAUSE_ILLEGAL_INSN, csrrw x0, mhartid, x0)
  TEST_NUM(5); TRAP_AT(CAUSE_ILLEGAL_INSN, csrrwi a0, mhartid, 0)
  TEST_NUM(8); TRAP_AT(CAUSE_ILLEGAL_INSN, csrrsi a0, mimpid, 1)
  /* the destination is not written when the instruction traps */
  TEST_NUM(9); li a0, 0x55; TRAP_AT(CAUSE_ILLEGAL_INSN, csrrw a0, mhartid, x0); CHECK_EQ(a0, 0x55)
  /* user counters (0xC00..) are read-only: reads fine, writes trap */
  TEST_NUM(10); csrrs a0, cycle, x0; csrrsi a0, instret, 0
  TEST_NUM(11); TRAP_AT(CAUSE_ILLEGAL_INSN, csrrci a0, cycle, 1)
  /* a U-mode read of an S or M CSR traps even if it would not write */
  TEST_NUM(12); ENTER_U_FROM_M; TRAP_AT(CAUSE_ILLEGAL_INSN, csrrs a0, sscratch, x0)
  TEST_NUM(13); TRAP_AT(CAUSE_ILLEGAL_INSN, csrrsi a0, mscratch, 0)
  BACK_TO_M
  /* S-mode: M CSRs trap, S CSRs work */
  TEST_NUM(14); ENTER_S_FROM_M; csrrs a0, sscratch, x0; TRAP_AT(CAUSE_ILLEGAL_INSN, csrrs a0, mscratch, x0)
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
