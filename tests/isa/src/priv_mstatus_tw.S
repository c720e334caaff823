# mstatus.TW: wfi in S (and U) raises illegal instruction when TW=1; with TW=0, wfi in S and M completes when an interrupt is pending and enabled in mie/sie (globally disabled).
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  li t0, MSTATUS_TW; csrs mstatus, t0
  TEST_NUM(2); ENTER_S_FROM_M; TRAP_AT(CAUSE_ILLEGAL_INSN, wfi); CHECK_TVAL(0x10500073)
  BACK_TO_M
  TEST_NUM(3); ENTER_U_FROM_M; TRAP_AT(CAUSE_ILLEGAL_INSN, wfi)
  BACK_TO_M
  /* TW=0: an S-level software interrupt, delegated, pending, enabled in sie, SIE=0 */
  li t0, MSTATUS_TW; csrc mstatus, t0
  li t0, MIP_SSIP; csrs mideleg, t0; csrs mie, t0; csrs mip, t0
  TEST_NUM(4); ENTER_S_FROM_M; csrci sstatus, MSTATUS_SIE; wfi; csrr a0, sip; andi a0, a0, MIP_SSIP; CHECK_EQ(a0, MIP_SSIP)
  BACK_TO_M
  /* M-mode wfi with the same pending interrupt (not delegated, MIE=0) */
  TEST_NUM(5); csrci mstatus, MSTATUS_MIE; csrwi mideleg, 0; wfi; csrr a0, mip; andi a0, a0, MIP_SSIP; CHECK_EQ(a0, MIP_SSIP)
  li t0, MIP_SSIP; csrc mip, t0; csrc mie, t0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
