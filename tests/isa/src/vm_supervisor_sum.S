# S-mode access to U pages: loads/stores fault unless sstatus.SUM=1; S-mode can never execute a U page, even with SUM=1.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  VM_MAP_L0(1, vm_page0, PTE_RW_AD | PTE_U)
  VM_MAP_L0(2, vm_page1, PTE_V | PTE_R | PTE_X | PTE_A | PTE_U)
  la a0, vm_page1; li a1, 0x00008067; sw a1, 0(a0); fence.i
  la a0, vm_page0; li a1, 0x4242; sd a1, 0(a0)
  ENTER_S_FROM_M
  li t0, MSTATUS_SUM; csrc sstatus, t0
  TEST_NUM(2); li a0, 0x1000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x1000)
  TEST_NUM(3); li a0, 0x1000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0)); CHECK_TVAL(0x1000)
  li t0, MSTATUS_SUM; csrs sstatus, t0
  TEST_NUM(4); li a0, 0x1000; ld a1, 0(a0); CHECK_EQ(a1, 0x4242); li a1, 0x4343; sd a1, 8(a0); ld a2, 8(a0); CHECK_EQ(a2, 0x4343)
  TEST_NUM(5); li a0, 0x2000; ARM_TRAP(1f); jalr ra, 0(a0); j fail
1: CHECK_EQ(s8, CAUSE_FETCH_PAGE_FAULT); CHECK_TVAL(0x2000)
  TEST_NUM(6); li a0, 0x2000; ld a1, 0(a0); CHECK_EQ(a1, 0x00008067)
  li t0, MSTATUS_SUM; csrc sstatus, t0
  TEST_NUM(7); li a0, 0x2000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0))
  /* SUM is also reachable through mstatus */
  BACK_TO_M
  TEST_NUM(8); li t0, MSTATUS_SUM; csrs mstatus, t0; csrr a0, sstatus; and a0, a0, t0; BR_FAIL_NE(a0, t0); csrc mstatus, t0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
