# Interrupt priority incl. SEI raised by M-mode software through mip.SEIP: with SEIP, SSIP and STIP all pending and enabled they are taken in the order SEI (9), SSI (1), STI (5), in M and when delegated to S; an undelegated SEI beats delegated ones while in S.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  la t0, tag_svector; csrw stvec, t0
  csrci mstatus, MSTATUS_MIE
  li t0, MIP_SEIP | MIP_SSIP | MIP_STIP; csrw mie, t0; csrs mip, t0
  /* mip bits written by M are readable */
  TEST_NUM(2); csrr a0, mip; li t0, MIP_SEIP | MIP_SSIP | MIP_STIP; and a0, a0, t0; CHECK_EQ(a0, MIP_SEIP | MIP_SSIP | MIP_STIP)
  TEST_NUM(3); ARM_TRAP(1f); csrsi mstatus, MSTATUS_MIE; j fail
1: CHECK_EQ(s8, CAUSE_INTR | IRQ_S_EXT)
  TEST_NUM(4); ARM_TRAP(1f); csrsi mstatus, MSTATUS_MIE; j fail
1: CHECK_EQ(s8, CAUSE_INTR | IRQ_S_SOFT)
  TEST_NUM(5); ARM_TRAP(1f); csrsi mstatus, MSTATUS_MIE; j fail
1: CHECK_EQ(s8, CAUSE_INTR | IRQ_S_TIMER)
  /* all disabled in mie by the recorder now */
  TEST_NUM(6); csrr a0, mie; CHECK_EQ(a0, 0); csrsi mstatus, MSTATUS_MIE; nop; csrci mstatus, MSTATUS_MIE
  /* same order when delegated to S */
  li t0, MIP_SEIP | MIP_SSIP | MIP_STIP; csrw mideleg, t0; csrw mie, t0
  TEST_NUM(7); ENTER_S_FROM_M; csrci sstatus, MSTATUS_SIE
  li s7, 0; ARM_TRAP(1f); csrsi sstatus, MSTATUS_SIE; j fail
1: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_EXT)
  TEST_NUM(8); li s7, 0; ARM_TRAP(1f); csrsi sstatus, MSTATUS_SIE; j fail
1: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_SOFT)
  TEST_NUM(9); li s7, 0; ARM_TRAP(1f); csrsi sstatus, MSTATUS_SIE; j fail
1: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_TIMER)
  BACK_TO_M
  /* an M-level (undelegated) SEI beats delegated ones while in S (SIE=1) */
  /* our mtvec clears sstatus.SIE so S resumes with the delegated one masked */
  la t0, sie_off_vector; csrw mtvec, t0
  TEST_NUM(10); li t0, MIP_SSIP | MIP_STIP; csrw mideleg, t0; li t0, MIP_SEIP | MIP_SSIP | MIP_STIP; csrw mie, t0; csrs mip, t0
  csrsi mstatus, MSTATUS_SIE
  li s7, 0; ARM_TRAP(5f); ENTER_S_FROM_M; j fail
5: CHECK_EQ(s7, 0); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_EXT)
  TEST_NUM(11); li s7, 0; ARM_TRAP(5f); csrsi sstatus, MSTATUS_SIE; j fail
5: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_SOFT)
  csrci sstatus, MSTATUS_SIE
  BACK_TO_M
  csrwi mip, 0; csrwi mie, 0; csrwi mideleg, 0; la t0, strap_vector; csrw stvec, t0; la t0, trap_vector; csrw mtvec, t0
  j 9f
  .balign 4
tag_svector:
  li s7, 1
  j strap_vector
  .balign 4
sie_off_vector:
  csrci mstatus, MSTATUS_SIE
  j trap_vector
9:

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
