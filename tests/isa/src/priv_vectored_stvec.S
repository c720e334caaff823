# Vectored stvec (MODE=1): delegated interrupts taken in S jump to BASE + 4*cause; delegated exceptions go to BASE.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  li t0, MIP_SSIP | MIP_STIP | MIP_SEIP; csrw mideleg, t0; csrw mie, t0
  li t0, 1 << CAUSE_BREAKPOINT; csrw medeleg, t0
  TEST_NUM(2); ENTER_S_FROM_M; csrci sstatus, MSTATUS_SIE
  la t0, svtable; ori t0, t0, 1; csrw stvec, t0; csrr a0, stvec; BR_FAIL_NE(a0, t0)
  TEST_NUM(3); li s7, -1; csrsi sip, MIP_SSIP; ARM_TRAP(1f); csrsi sstatus, MSTATUS_SIE; j fail
1: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_SOFT); csrci sip, MIP_SSIP
  BACK_TO_M
  TEST_NUM(4); li t0, MIP_STIP; csrs mip, t0; ENTER_S_FROM_M; li s7, -1; ARM_TRAP(1f); csrsi sstatus, MSTATUS_SIE; j fail
1: CHECK_EQ(s7, 5); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_TIMER)
  BACK_TO_M
  li t0, MIP_STIP; csrc mip, t0
  TEST_NUM(5); li t0, MIP_SEIP; csrs mip, t0; ENTER_S_FROM_M; li s7, -1; ARM_TRAP(1f); csrsi sstatus, MSTATUS_SIE; j fail
1: CHECK_EQ(s7, 9); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_EXT)
  BACK_TO_M
  li t0, MIP_SEIP; csrc mip, t0
  TEST_NUM(6); ENTER_S_FROM_M; li s7, -1; TRAP_AT(CAUSE_BREAKPOINT, ebreak); CHECK_EQ(s7, 0)
  BACK_TO_M
  csrwi mie, 0; csrwi mideleg, 0; csrwi medeleg, 0; la t0, strap_vector; csrw stvec, t0
  j 9f
  .balign 256
svtable:
  .option push
  .option norvc
  .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  j svec_\i
  .endr
  .option pop
  .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
svec_\i: li s7, \i; j strap_vector
  .endr
9:

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
