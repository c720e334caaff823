# Sv39 1 GiB superpages: a leaf in the root table maps VA 0x40000000.. to PA 0x80000000.. (offsets up to 128 MiB); a gigapage whose PPN is not 1 GiB aligned raises a page fault.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  li t0, DRAM_BASE; MAKE_PTE(t2, t0, PTE_RW_AD); PT_SET_RAW(pt_root, 1, t2)
  li t0, DRAM_BASE + 0x200000; MAKE_PTE(t2, t0, PTE_RW_AD); PT_SET_RAW(pt_root, 3, t2)
  sfence.vma
  /* physical 0x87654320 holds a marker */
  li a0, 0x87654320; li a1, 0x600dcafe; sd a1, 0(a0)
  ENTER_S_FROM_M
  TEST_NUM(2); la a0, tdat; li a1, DRAM_BASE; sub a0, a0, a1; li a1, 0x40000000; add a0, a0, a1; ld a2, 0(a0); CHECK_EQ(a2, 0x1111222233334444)
  TEST_NUM(3); li a0, 0x47654320; ld a2, 0(a0); CHECK_EQ(a2, 0x600dcafe)
  TEST_NUM(4); li a0, 0x47654328; li a1, 0x77; sd a1, 0(a0)
  TEST_NUM(5); li a0, 0xc0000000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0xc0000000)
  TEST_NUM(6); li a0, 0xc0001000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0)); CHECK_TVAL(0xc0001000)
  BACK_TO_M
  TEST_NUM(7); li a0, 0x87654328; ld a2, 0(a0); CHECK_EQ(a2, 0x77)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat: .dword 0x1111222233334444
VM_DATA
RVTEST_DATA_END
