# medeleg: delegated exceptions from U/S go to stvec with scause/sepc/stval and leave mcause/mepc alone; exceptions in M are never delegated; ecall-from-M (bit 11) is not delegable; undelegated ones still go to M.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  la t0, tag_svector; csrw stvec, t0
  /* bits 2, 3, 8 are writable */
  TEST_NUM(2); li t0, (1 << CAUSE_ILLEGAL_INSN) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_USER_ECALL); csrw medeleg, t0
  csrr a0, medeleg; CHECK_EQ(a0, (1 << CAUSE_ILLEGAL_INSN) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_USER_ECALL))
  /* U ebreak -> S */
  TEST_NUM(3); li t0, 0x77; csrw mcause, t0; csrw mepc, t0; csrw mtval, t0
  ENTER_U_FROM_M; li s7, 0; TRAP_AT(CAUSE_BREAKPOINT, ebreak); CHECK_EQ(s7, 1)
  /* U illegal -> S, stval = instruction bits */
  TEST_NUM(4); li s7, 0; TRAP_AT(CAUSE_ILLEGAL_INSN, .word 0x1234500b); CHECK_EQ(s7, 1); CHECK_TVAL(0x1234500b)
  /* U ecall -> S (a7 = 0: not an environment request) */
  TEST_NUM(5); li s7, 0; li a7, 0; TRAP_AT(CAUSE_USER_ECALL, ecall); CHECK_EQ(s7, 1)
  /* U load access fault: not delegated -> M */
  TEST_NUM(6); li s7, 0; li a0, 0x40000000; TRAP_AT(CAUSE_LOAD_ACCESS, lw a1, 0(a0)); CHECK_EQ(s7, 0)
  BACK_TO_M
  /* M's trap CSRs: changed only by the undelegated trap (6) and the ecall back to M */
  TEST_NUM(7); li t0, (1 << CAUSE_ILLEGAL_INSN) | (1 << CAUSE_BREAKPOINT); csrw medeleg, t0
  li t0, 0x77; csrw mcause, t0
  ENTER_S_FROM_M; li s7, 0; TRAP_AT(CAUSE_BREAKPOINT, ebreak); CHECK_EQ(s7, 1)
  TEST_NUM(8); li s7, 0; TRAP_AT(CAUSE_ILLEGAL_INSN, csrr a0, mstatus); CHECK_EQ(s7, 1); CHECK_TVAL(0x30002573)
  /* scause holds the last delegated trap */
  TEST_NUM(9); csrr a0, scause; CHECK_EQ(a0, CAUSE_ILLEGAL_INSN)
  BACK_TO_M
  TEST_NUM(10); csrr a0, mcause; CHECK_EQ(a0, CAUSE_SUPERVISOR_ECALL)
  /* M-mode ebreak / illegal are never delegated */
  TEST_NUM(11); li s7, 0; TRAP_AT(CAUSE_BREAKPOINT, ebreak); CHECK_EQ(s7, 0); csrr a0, mcause; CHECK_EQ(a0, CAUSE_BREAKPOINT)
  TEST_NUM(12); li s7, 0; TRAP_AT(CAUSE_ILLEGAL_INSN, .word 0x1234500b); CHECK_EQ(s7, 0)
  csrwi medeleg, 0; la t0, strap_vector; csrw stvec, t0
  j 9f
  .balign 4
tag_svector:
  li s7, 1
  j strap_vector
9:

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
