# Reserved PTE bits: a leaf with any of bits 63:54 set (no Svnapot/Svpbmt) raises a page fault.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  la t0, vm_page0; MAKE_PTE(t2, t0, PTE_RW_AD); li t0, 1 << 54; or t2, t2, t0; PT_SET_RAW(pt_l0, 1, t2)
  la t0, vm_page0; MAKE_PTE(t2, t0, PTE_RW_AD); li t0, 1 << 61; or t2, t2, t0; PT_SET_RAW(pt_l0, 2, t2)
  la t0, vm_page0; MAKE_PTE(t2, t0, PTE_RW_AD); li t0, 1 << 63; or t2, t2, t0; PT_SET_RAW(pt_l0, 3, t2)
  la t0, vm_page0; PT_SET(pt_l0, 4, t0, PTE_RW_AD)
  sfence.vma
  ENTER_S_FROM_M
  TEST_NUM(2); li a0, 0x4000; ld a1, 0(a0)
  TEST_NUM(3); li a0, 0x1000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x1000)
  TEST_NUM(4); li a0, 0x2000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x2000)
  TEST_NUM(5); li a0, 0x3000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0)); CHECK_TVAL(0x3000)
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
