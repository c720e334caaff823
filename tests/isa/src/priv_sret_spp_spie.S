# Traps delegated to S and sret: SPP <- previous mode, SPIE <- SIE, SIE <- 0 on entry; sret sets SIE <- SPIE, SPIE <- 1, SPP <- U and returns to the mode in SPP.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  la t0, snap_svector; csrw stvec, t0
  li t0, (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_USER_ECALL); csrw medeleg, t0
  /* from S with SIE = 1 (sie = 0, no interrupt) */
  TEST_NUM(2); ENTER_S_FROM_M; csrwi sie, 0; csrsi sstatus, MSTATUS_SIE
  li s7, 0; TRAP_AT(CAUSE_BREAKPOINT, ebreak)
  CHECK_NE(s7, 0)   /* went through stvec */
  li t0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE; and a0, s7, t0; CHECK_EQ(a0, MSTATUS_SPP | MSTATUS_SPIE)
  /* sret restored SIE, SPIE = 1, SPP = U */
  TEST_NUM(3); csrr a0, sstatus; li t0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE; and a0, a0, t0; CHECK_EQ(a0, MSTATUS_SPIE | MSTATUS_SIE)
  csrci sstatus, MSTATUS_SIE
  /* sret with SPP = S, SPIE = 0 */
  TEST_NUM(4); li t0, MSTATUS_SPP; csrs sstatus, t0; li t0, MSTATUS_SPIE; csrc sstatus, t0
  la t0, 1f; csrw sepc, t0; sret; j fail
1: csrr a0, sstatus; li t0, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE; and a0, a0, t0; CHECK_EQ(a0, MSTATUS_SPIE)
  /* still S: sstatus readable */
  TEST_NUM(5); csrr a0, sstatus
  /* sret with SPP = U enters U: ebreak from U records SPP = 0 */
  TEST_NUM(6); ENTER_U_FROM_S; li s7, 0; TRAP_AT(CAUSE_BREAKPOINT, ebreak)
  CHECK_NE(s7, 0); li t0, MSTATUS_SPP; and a0, s7, t0; CHECK_EQ(a0, 0)
  TEST_NUM(7); TRAP_AT(CAUSE_ILLEGAL_INSN, csrr a0, sstatus)
  BACK_TO_M
  /* sstatus is a view of mstatus */
  TEST_NUM(8); csrsi sstatus, MSTATUS_SIE; csrr a0, mstatus; andi a0, a0, MSTATUS_SIE; CHECK_EQ(a0, MSTATUS_SIE)
  csrci mstatus, MSTATUS_SIE; csrr a0, sstatus; andi a0, a0, MSTATUS_SIE; CHECK_EQ(a0, 0)
  /* M-only fields are not visible through sstatus */
  TEST_NUM(9); li t0, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_TVM | MSTATUS_TSR | MSTATUS_TW | MSTATUS_MPRV; csrs mstatus, t0
  csrr a0, sstatus; and a0, a0, t0; CHECK_EQ(a0, 0); csrc mstatus, t0
  TEST_NUM(10); la t0, strap_vector; csrw stvec, t0; csrwi medeleg, 0; CHECK_OK
  j 9f
  .balign 4
snap_svector:
  csrr s7, sstatus
  j strap_vector
9:

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
