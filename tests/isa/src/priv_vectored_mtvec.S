# Vectored mtvec (MODE=1): interrupts jump to BASE + 4*cause, exceptions to BASE; direct mode (MODE=0) sends both to BASE.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  csrci mstatus, MSTATUS_MIE
  TEST_NUM(2); la t0, vtable; ori t0, t0, 1; csrw mtvec, t0; csrr a0, mtvec; BR_FAIL_NE(a0, t0)
  TEST_NUM(3); li s7, -1; li t0, MIP_SSIP; csrw mie, t0; csrs mip, t0; ARM_TRAP(1f); csrsi mstatus, MSTATUS_MIE; j fail
1: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_SOFT); li t0, MIP_SSIP; csrc mip, t0
  TEST_NUM(4); li s7, -1; li t0, MIP_STIP; csrw mie, t0; csrs mip, t0; ARM_TRAP(1f); csrsi mstatus, MSTATUS_MIE; j fail
1: CHECK_EQ(s7, 5); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_TIMER); li t0, MIP_STIP; csrc mip, t0
  TEST_NUM(5); li s7, -1; li t0, MIP_SEIP; csrw mie, t0; csrs mip, t0; ARM_TRAP(1f); csrsi mstatus, MSTATUS_MIE; j fail
1: CHECK_EQ(s7, 9); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_EXT); li t0, MIP_SEIP; csrc mip, t0
  /* exceptions use BASE even in vectored mode */
  TEST_NUM(6); li s7, -1; TRAP_AT(CAUSE_BREAKPOINT, ebreak); CHECK_EQ(s7, 0)
  TEST_NUM(7); li s7, -1; li a7, 0; TRAP_AT(CAUSE_MACHINE_ECALL, ecall); CHECK_EQ(s7, 0)
  /* direct mode: interrupt goes to BASE */
  TEST_NUM(8); la t0, vtable; csrw mtvec, t0; li s7, -1; li t0, MIP_STIP; csrw mie, t0; csrs mip, t0; ARM_TRAP(1f); csrsi mstatus, MSTATUS_MIE; j fail
1: CHECK_EQ(s7, 0); CHECK_EQ(s8, CAUSE_INTR | IRQ_S_TIMER); li t0, MIP_STIP; csrc mip, t0
  csrwi mie, 0; la t0, trap_vector; csrw mtvec, t0
  j 9f
  .balign 256
vtable:
  .option push
  .option norvc
  .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
  j vec_\i
  .endr
  .option pop
  .irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
vec_\i: li s7, \i; j trap_vector
  .endr
9:

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
