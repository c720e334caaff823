# U-mode under Sv39: accesses to pages without U fault (SUM does not matter for U), U pages are accessible, U can execute only U+X pages.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X | PTE_U)
  VM_MAP_L0(1, vm_page0, PTE_RW_AD)
  VM_MAP_L0(2, vm_page1, PTE_RW_AD | PTE_U)
  VM_MAP_L0(3, vm_page2, PTE_V | PTE_R | PTE_X | PTE_A)
  VM_MAP_L0(4, vm_page3, PTE_V | PTE_R | PTE_X | PTE_A | PTE_U)
  la a0, vm_page2; li a1, 0x00008067; sw a1, 0(a0)
  la a0, vm_page3; sw a1, 0(a0); fence.i
  li t0, MSTATUS_SUM; csrs mstatus, t0
  ENTER_U_FROM_M
  TEST_NUM(2); li a0, 0x1000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x1000)
  TEST_NUM(3); li a0, 0x1008; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0)); CHECK_TVAL(0x1008)
  TEST_NUM(4); li a0, 0x2000; li a1, 0x31; sd a1, 0(a0); ld a2, 0(a0); CHECK_EQ(a2, 0x31)
  TEST_NUM(5); li a0, 0x3000; ARM_TRAP(1f); jalr ra, 0(a0); j fail
1: CHECK_EQ(s8, CAUSE_FETCH_PAGE_FAULT); CHECK_TVAL(0x3000)
  TEST_NUM(6); li a0, 0x4000; jalr ra, 0(a0)
  TEST_NUM(7); li a0, 0x4000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sw a1, 0(a0))
  BACK_TO_M
  li t0, MSTATUS_SUM; csrc mstatus, t0
  TEST_NUM(8); la a0, vm_page1; ld a2, 0(a0); CHECK_EQ(a2, 0x31)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
