# Counters: cycle/instret readable in S only when mcounteren allows and in U only when mcounteren and scounteren allow (else illegal instruction); minstret/mcycle advance; writes to the user counters are illegal.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); csrr a0, minstret; nop; nop; nop; csrr a1, minstret; bleu a1, a0, fail
  TEST_NUM(3); csrr a0, mcycle; nop; nop; csrr a1, mcycle; bltu a1, a0, fail
  TEST_NUM(4); csrr a0, cycle; csrr a0, instret
  /* mcounteren = 0: S and U cannot read */
  csrwi mcounteren, 0; csrwi scounteren, 7
  TEST_NUM(5); ENTER_S_FROM_M; TRAP_AT(CAUSE_ILLEGAL_INSN, rdcycle a0)
  TEST_NUM(7); TRAP_AT(CAUSE_ILLEGAL_INSN, rdinstret a0)
  TEST_NUM(8); ENTER_U_FROM_S; TRAP_AT(CAUSE_ILLEGAL_INSN, rdcycle a0)
  BACK_TO_M
  /* only IR enabled in mcounteren */
  csrwi mcounteren, 4
  TEST_NUM(9); ENTER_S_FROM_M; rdinstret a0; TRAP_AT(CAUSE_ILLEGAL_INSN, rdcycle a0)
  BACK_TO_M
  /* mcounteren = 7, scounteren = 0: S reads, U cannot */
  csrwi mcounteren, 7; csrwi scounteren, 0
  TEST_NUM(10); ENTER_S_FROM_M; rdcycle a0; rdinstret a0
  TEST_NUM(11); ENTER_U_FROM_S; TRAP_AT(CAUSE_ILLEGAL_INSN, rdcycle a0)
  TEST_NUM(13); TRAP_AT(CAUSE_ILLEGAL_INSN, rdinstret a0)
  BACK_TO_M
  /* both enable: U reads; instret advances in U */
  csrwi scounteren, 7
  TEST_NUM(14); ENTER_U_FROM_M; rdcycle a0; rdinstret a0; nop; nop; rdinstret a1; bleu a1, a0, fail
  /* scounteren bit per counter: only CY */
  BACK_TO_M
  csrwi scounteren, 1
  TEST_NUM(15); ENTER_U_FROM_M; rdcycle a0; TRAP_AT(CAUSE_ILLEGAL_INSN, rdinstret a0)
  BACK_TO_M
  /* user counters are read-only even in M */
  TEST_NUM(16); TRAP_AT(CAUSE_ILLEGAL_INSN, csrw cycle, x0)
  TEST_NUM(17); TRAP_AT(CAUSE_ILLEGAL_INSN, csrw instret, x0)
  /* minstret is writable */
  TEST_NUM(19); li a0, 1000; csrw minstret, a0; csrr a1, minstret; li a2, 1000; bltu a1, a2, fail
  csrwi mcounteren, 0; csrwi scounteren, 0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
