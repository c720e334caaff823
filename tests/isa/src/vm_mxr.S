# mstatus.MXR: loads from execute-only pages fault when MXR=0 and succeed when MXR=1 (S-mode, and for U pages with SUM); stores still fault.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  VM_MAP_L0(1, vm_page0, PTE_V | PTE_X | PTE_A)
  VM_MAP_L0(2, vm_page1, PTE_V | PTE_X | PTE_A | PTE_U)
  la a0, vm_page0; li a1, 0x1234; sd a1, 0(a0)
  la a0, vm_page1; li a1, 0x5678; sd a1, 0(a0)
  ENTER_S_FROM_M
  TEST_NUM(2); li a0, 0x1000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x1000)
  li t0, MSTATUS_MXR; csrs sstatus, t0
  TEST_NUM(3); li a0, 0x1000; ld a1, 0(a0); CHECK_EQ(a1, 0x1234)
  TEST_NUM(4); li a0, 0x1000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0))
  li t0, MSTATUS_SUM; csrs sstatus, t0
  TEST_NUM(5); li a0, 0x2000; ld a1, 0(a0); CHECK_EQ(a1, 0x5678)
  li t0, MSTATUS_MXR; csrc sstatus, t0
  TEST_NUM(6); li a0, 0x2000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0))
  li t0, MSTATUS_SUM; csrc sstatus, t0
  BACK_TO_M
  /* MXR applies to U-mode loads too */
  li t0, MSTATUS_MXR; csrs mstatus, t0
  li t0, DRAM_BASE; MAKE_PTE(t2, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D); PT_SET_RAW(pt_root, 2, t2); sfence.vma
  TEST_NUM(7); ENTER_U_FROM_M; li a0, 0x2000; ld a1, 0(a0); CHECK_EQ(a1, 0x5678)
  BACK_TO_M
  li t0, MSTATUS_MXR; csrc mstatus, t0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
