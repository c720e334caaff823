# Page faults from S-mode (Sv39): invalid PTE, store to read-only, load from execute-only, reserved W-without-R, fetch from non-executable, non-leaf at level 0, non-canonical VA, AMO to read-only; cause, epc and tval = the faulting VA.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  VM_MAP_L0(1, vm_page0, PTE_R_A)
  VM_MAP_L0(2, vm_page1, PTE_V | PTE_X | PTE_A)
  VM_MAP_L0(3, vm_page2, PTE_V | PTE_W | PTE_A | PTE_D)
  VM_MAP_L0(5, vm_page3, PTE_RW_AD)
  VM_MAP_L0(6, vm_page3, PTE_V)
  /* vm_page1 (execute-only at VA 0x2000) holds a `ret` */
  la a0, vm_page1; li a1, 0x00008067; sw a1, 0(a0); fence.i
  ENTER_S_FROM_M
  TEST_NUM(2); li a0, 0x4010; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x4010)
  TEST_NUM(3); li a0, 0x4010; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0)); CHECK_TVAL(0x4010)
  TEST_NUM(4); li a0, 0x4000; ARM_TRAP(1f); jalr ra, 0(a0); j fail
1: CHECK_EQ(s8, CAUSE_FETCH_PAGE_FAULT); CHECK_EQ(s9, 0x4000); CHECK_TVAL(0x4000)
  TEST_NUM(5); li a0, 0x1000; ld a1, 8(a0); TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 8(a0)); CHECK_TVAL(0x1008)
  TEST_NUM(6); li a0, 0x2000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, lw a1, 4(a0)); CHECK_TVAL(0x2004)
  TEST_NUM(7); li a0, 0x2000; jalr ra, 0(a0)
  TEST_NUM(8); li a0, 0x3000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x3000)
  TEST_NUM(9); li a0, 0x3000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0)); CHECK_TVAL(0x3000)
  TEST_NUM(10); li a0, 0x5000; ld a1, 0(a0); ARM_TRAP(1f); jalr ra, 0(a0); j fail
1: CHECK_EQ(s8, CAUSE_FETCH_PAGE_FAULT); CHECK_TVAL(0x5000)
  TEST_NUM(11); li a0, 0x6000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x6000)
  /* bit 38 set, bits 63:39 clear: not sign-extended */
  TEST_NUM(12); li a0, 0x0000004000000000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x0000004000000000)
  TEST_NUM(13); li a0, 0xffffff0000000000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sb a1, 0(a0)); CHECK_TVAL(0xffffff0000000000)
  TEST_NUM(14); li a0, 0x1000; li a2, 1; TRAP_AT(CAUSE_STORE_PAGE_FAULT, amoadd.d a1, a2, (a0)); CHECK_TVAL(0x1000)
  /* the load destination is not written on a fault */
  TEST_NUM(15); li a1, 0x99; li a0, 0x4000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_EQ(a1, 0x99)
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
