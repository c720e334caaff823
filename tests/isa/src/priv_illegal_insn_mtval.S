# Illegal-instruction exceptions (cause 2) from M, S and U: mepc = the instruction, mtval = its bits (32-bit and 16-bit encodings, unknown CSR, privileged instructions and CSRs from lower modes).
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  /* custom-0 opcode */
  TRAP_EXPECT(2, CAUSE_ILLEGAL_INSN, .word 0x1234500b); CHECK_TVAL(0x1234500b)
  /* reserved compressed encoding: c.lui x1, 0 */
  TRAP_EXPECT(3, CAUSE_ILLEGAL_INSN, .half 0x6081); CHECK_TVAL(0x6081)
  /* the all-zero 16-bit instruction is illegal; its bits are 0 */
  TRAP_EXPECT(4, CAUSE_ILLEGAL_INSN, .half 0x0000); CHECK_TVAL(0)
  /* an unimplemented CSR: csrrs a0, 0x800, x0 */
  TRAP_EXPECT(5, CAUSE_ILLEGAL_INSN, .word 0x80002573); CHECK_TVAL(0x80002573)
  /* unimp (csrrw x0, cycle, x0: write to a read-only CSR) */
  TRAP_EXPECT(6, CAUSE_ILLEGAL_INSN, .word 0xc0001073); CHECK_TVAL(0xc0001073)
  /* S-mode: M-mode CSR and mret are illegal */
  TEST_NUM(7); ENTER_S_FROM_M
  TRAP_AT(CAUSE_ILLEGAL_INSN, csrr a0, mstatus); CHECK_TVAL(0x30002573)
  TEST_NUM(8); TRAP_AT(CAUSE_ILLEGAL_INSN, mret); CHECK_TVAL(0x30200073)
  BACK_TO_M
  /* U-mode: S-mode CSR, sret, mret, sfence.vma are illegal */
  TEST_NUM(9); ENTER_U_FROM_M
  TRAP_AT(CAUSE_ILLEGAL_INSN, csrr a0, sstatus); CHECK_TVAL(0x10002573)
  TEST_NUM(10); TRAP_AT(CAUSE_ILLEGAL_INSN, sret); CHECK_TVAL(0x10200073)
  TEST_NUM(11); TRAP_AT(CAUSE_ILLEGAL_INSN, mret); CHECK_TVAL(0x30200073)
  TEST_NUM(12); TRAP_AT(CAUSE_ILLEGAL_INSN, sfence.vma); CHECK_TVAL(0x12000073)
  BACK_TO_M
  /* the trap came from U: check that M is back (mscratch accessible) */
  TEST_NUM(13); li a0, 0x55; csrw mscratch, a0; csrr a1, mscratch; CHECK_EQ(a1, 0x55)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
