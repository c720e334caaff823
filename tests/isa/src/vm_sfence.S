# sfence.vma: after a PTE is changed (remap, permission removed), sfence.vma (global or for the VA) makes the new translation visible; switching satp to another root plus sfence changes the address space.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  VM_MAP_L0(1, vm_page0, PTE_RW_AD)
  la a0, vm_page0; li a1, 0xa0; sd a1, 0(a0)
  la a0, vm_page1; li a1, 0xa1; sd a1, 0(a0)
  la a0, vm_page2; li a1, 0xa2; sd a1, 0(a0)
  ENTER_S_FROM_M
  TEST_NUM(2); li a0, 0x1000; ld a1, 0(a0); CHECK_EQ(a1, 0xa0)
  TEST_NUM(3); la t0, vm_page1; PT_SET(pt_l0, 1, t0, PTE_RW_AD); sfence.vma; li a0, 0x1000; ld a1, 0(a0); CHECK_EQ(a1, 0xa1)
  TEST_NUM(4); la t0, vm_page2; PT_SET(pt_l0, 1, t0, PTE_RW_AD); li a0, 0x1000; sfence.vma a0, x0; ld a1, 0(a0); CHECK_EQ(a1, 0xa2)
  TEST_NUM(5); la t0, vm_page2; PT_SET(pt_l0, 1, t0, PTE_R_A); li a0, 0x1000; sfence.vma a0; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0))
  TEST_NUM(6); PT_SET_RAW(pt_l0, 1, x0); sfence.vma; li a0, 0x1000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0))
  /* second address space: root2 maps VA 0x1000 to vm_page1 */
  TEST_NUM(7); li t0, DRAM_BASE; MAKE_PTE(t2, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D); PT_SET_RAW(pt_l2, 2, t2)
  la t0, root2_l1; PT_SET(pt_l2, 0, t0, PTE_V); la t0, root2_l0; PT_SET(root2_l1, 0, t0, PTE_V); la t0, vm_page1; PT_SET(root2_l0, 1, t0, PTE_RW_AD)
  la t0, pt_l2; MAKE_SATP(t0, t0, SATP_MODE_SV39); csrw satp, t0; sfence.vma
  li a0, 0x1000; ld a1, 0(a0); CHECK_EQ(a1, 0xa1)
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
  .balign 4096
root2_l1: .skip 4096
root2_l0: .skip 4096
RVTEST_DATA_END
