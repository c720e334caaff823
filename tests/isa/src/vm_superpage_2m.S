# Sv39 2 MiB megapages: a leaf in a level-1 table maps VA 0x200000.. to PA 0x80400000.. across the whole 2 MiB; a megapage whose PPN[0] is not zero raises a page fault.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  li t0, DRAM_BASE + 0x400000; MAKE_PTE(t2, t0, PTE_RW_AD); PT_SET_RAW(pt_l1, 1, t2)
  li t0, DRAM_BASE + 0x401000; MAKE_PTE(t2, t0, PTE_RW_AD); PT_SET_RAW(pt_l1, 2, t2)
  sfence.vma
  li a0, DRAM_BASE + 0x400000; li a1, 0xa1; sd a1, 0(a0)
  li a0, DRAM_BASE + 0x5ffff8; li a1, 0xa2; sd a1, 0(a0)
  li a0, DRAM_BASE + 0x4abcd0; li a1, 0xa3; sd a1, 0(a0)
  ENTER_S_FROM_M
  TEST_NUM(2); li a0, 0x200000; ld a1, 0(a0); CHECK_EQ(a1, 0xa1)
  TEST_NUM(3); li a0, 0x3ffff8; ld a1, 0(a0); CHECK_EQ(a1, 0xa2)
  TEST_NUM(4); li a0, 0x2abcd0; ld a1, 0(a0); CHECK_EQ(a1, 0xa3); li a1, 0xb3; sd a1, 8(a0)
  TEST_NUM(5); li a0, 0x400000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x400000)
  TEST_NUM(6); li a0, 0x5ff000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0)); CHECK_TVAL(0x5ff000)
  /* the VA just past the megapage is unmapped */
  TEST_NUM(7); li a0, 0x600000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0))
  BACK_TO_M
  TEST_NUM(8); li a0, DRAM_BASE + 0x4abcd8; ld a1, 0(a0); CHECK_EQ(a1, 0xb3)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
