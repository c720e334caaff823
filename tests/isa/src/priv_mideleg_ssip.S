# mideleg and software interrupts raised through mip.SSIP/sip.SSIP: undelegated ones trap to M when MIE (or in a lower mode), delegated ones trap to S when SIE (or in U), never in M; sip/sie are views of mip/mie restricted by mideleg.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  la t0, tag_svector; csrw stvec, t0
  /* not delegated, M-mode, MIE=1: cause = interrupt 1, epc = next instruction */
  TEST_NUM(2); csrci mstatus, MSTATUS_MIE; li t0, MIP_SSIP; csrw mie, t0; csrs mip, t0
  ARM_TRAP(1f); csrsi mstatus, MSTATUS_MIE; 2: j fail
1: CHECK_EQ(s8, CAUSE_INTR | IRQ_S_SOFT); la a0, 2b; BR_FAIL_NE(s9, a0); CHECK_TVAL(0)
  /* the recorder disabled it in mie; the bit is still pending */
  TEST_NUM(3); csrr a0, mip; andi a0, a0, MIP_SSIP; CHECK_EQ(a0, MIP_SSIP); li t0, MIP_SSIP; csrc mip, t0
  csrr a0, mip; andi a0, a0, MIP_SSIP; CHECK_EQ(a0, 0)
  /* MIE=0 in M: not taken */
  TEST_NUM(4); csrci mstatus, MSTATUS_MIE; li t0, MIP_SSIP; csrs mie, t0; csrs mip, t0; nop; nop; csrc mip, t0
  /* not delegated, in S with SIE=0: M interrupts are always enabled below M */
  /* (sip.SSIP is read-only zero for S while not delegated, so M raises it) */
  TEST_NUM(5); li t0, MIP_SSIP; csrs mip, t0; csrs mie, t0; li t0, MSTATUS_SIE; csrc mstatus, t0; li s7, 0
  ARM_TRAP(5f); ENTER_S_FROM_M; j fail
5: csrr a0, sstatus; BACK_TO_M
  CHECK_EQ(s8, CAUSE_INTR | IRQ_S_SOFT); CHECK_EQ(s7, 0)
  TEST_NUM(12); csrwi mideleg, 0; csrr a0, sip; andi a0, a0, MIP_SSIP; CHECK_EQ(a0, 0)
  /* sip/sie are masked by mideleg */
  TEST_NUM(6); li t0, MIP_SSIP; csrc mip, t0; csrwi mideleg, 0; csrs mie, t0; csrr a0, sie; andi a0, a0, MIP_SSIP; CHECK_EQ(a0, 0)
  TEST_NUM(7); li t0, MIP_SSIP; csrs mideleg, t0; csrr a0, sie; andi a0, a0, MIP_SSIP; CHECK_EQ(a0, MIP_SSIP)
  csrr a0, mideleg; andi a0, a0, MIP_SSIP; CHECK_EQ(a0, MIP_SSIP)
  /* delegated + pending while in M with MIE=1: not taken in M */
  TEST_NUM(8); csrsi mstatus, MSTATUS_MIE; li t0, MIP_SSIP; csrs mip, t0; nop; nop; csrci mstatus, MSTATUS_MIE
  /* enter S with SIE=0: pending, not taken; setting SIE takes it at S */
  TEST_NUM(9); ENTER_S_FROM_M; csrci sstatus, MSTATUS_SIE; nop; li s7, 0
  ARM_TRAP(1f); csrsi sstatus, MSTATUS_SIE; 2: j fail
1: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_SOFT); la a0, 2b; BR_FAIL_NE(s9, a0)
  csrr a0, scause; CHECK_EQ(a0, CAUSE_INTR | IRQ_S_SOFT)
  /* S clears its own pending bit through sip */
  TEST_NUM(10); csrci sip, MIP_SSIP; csrr a0, sip; andi a0, a0, MIP_SSIP; CHECK_EQ(a0, 0)
  /* in U, a delegated interrupt is taken even with SIE=0 */
  TEST_NUM(11); csrsi sie, MIP_SSIP; csrci sstatus, MSTATUS_SIE; csrsi sip, MIP_SSIP
  li s7, 0; ARM_TRAP(5f); ENTER_U_FROM_S; j fail
5: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_SOFT)
  /* resumed in U (the trapping mode): sip is not accessible */
  TRAP_AT(CAUSE_ILLEGAL_INSN, csrr a0, sip)
  BACK_TO_M
  csrwi mip, 0; csrwi mie, 0; csrwi mideleg, 0; la t0, strap_vector; csrw stvec, t0
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
