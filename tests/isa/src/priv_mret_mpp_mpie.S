# Trap entry and mret: MPP <- previous mode, MPIE <- MIE, MIE <- 0 on entry; mret sets MIE <- MPIE, MPIE <- 1, MPP <- U and switches to the mode in MPP.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  /* our own mtvec: snapshot mstatus into s7, then the env recorder */
  la t0, snap_vector; csrw mtvec, t0
  /* entry from M with MIE = 1 (no interrupt enabled in mie) */
  TEST_NUM(2); csrwi mie, 0; csrsi mstatus, MSTATUS_MIE; li a7, 0
  TRAP_AT(CAUSE_MACHINE_ECALL, ecall)
  li t0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE; and a0, s7, t0; CHECK_EQ(a0, MSTATUS_MPP_M | MSTATUS_MPIE)
  /* after the handler's mret: MIE restored from MPIE, MPIE = 1, MPP = U */
  TEST_NUM(3); csrr a0, mstatus; li t0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE; and a0, a0, t0; CHECK_EQ(a0, MSTATUS_MPIE | MSTATUS_MIE)
  csrci mstatus, MSTATUS_MIE
  /* entry from M with MIE = 0 */
  TEST_NUM(4); li a7, 0; TRAP_AT(CAUSE_MACHINE_ECALL, ecall)
  li t0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE; and a0, s7, t0; CHECK_EQ(a0, MSTATUS_MPP_M)
  /* mret with MPIE = 0 to M: MIE = 0, MPIE = 1, MPP = U */
  TEST_NUM(5); li t0, MSTATUS_MPP; csrs mstatus, t0; li t0, MSTATUS_MPIE; csrc mstatus, t0
  la t0, 1f; csrw mepc, t0; mret; j fail
1: csrr a0, mstatus; li t0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE; and a0, a0, t0; CHECK_EQ(a0, MSTATUS_MPIE)
  /* mret into S: MPP = S; then an ecall from S records MPP = S */
  TEST_NUM(6); ENTER_S_FROM_M; li a7, 0; TRAP_AT(CAUSE_SUPERVISOR_ECALL, ecall)
  li t0, MSTATUS_MPP; and a0, s7, t0; CHECK_EQ(a0, MSTATUS_MPP_S)
  BACK_TO_M
  /* into U: MPP = U recorded */
  TEST_NUM(7); ENTER_U_FROM_M; li a7, 0; TRAP_AT(CAUSE_USER_ECALL, ecall)
  li t0, MSTATUS_MPP; and a0, s7, t0; CHECK_EQ(a0, 0)
  /* U cannot read mstatus */
  TEST_NUM(8); TRAP_AT(CAUSE_ILLEGAL_INSN, csrr a0, mstatus)
  BACK_TO_M
  TEST_NUM(9); la t0, trap_vector; csrw mtvec, t0; CHECK_OK
  j 9f
  .balign 4
snap_vector:
  csrr s7, mstatus
  j trap_vector
9:

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
