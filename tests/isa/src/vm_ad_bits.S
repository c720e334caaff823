# Hardware A/D updates: a load sets A, a store sets A and D, a fetch sets A; a faulting access sets neither; superpage leaves are updated too.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  VM_MAP_L0(1, vm_page0, PTE_V | PTE_R | PTE_W)
  VM_MAP_L0(2, vm_page1, PTE_V | PTE_R | PTE_X)
  VM_MAP_L0(3, vm_page2, PTE_V | PTE_R)
  VM_MAP_L0(4, vm_page3, PTE_V | PTE_R | PTE_W)
  li t0, DRAM_BASE + 0x400000; MAKE_PTE(t2, t0, PTE_V | PTE_R | PTE_W); PT_SET_RAW(pt_l1, 1, t2)
  la a0, vm_page1; li a1, 0x00008067; sw a1, 0(a0); fence.i
  sfence.vma
  ENTER_S_FROM_M
  la s2, pt_l0
  TEST_NUM(2); ld a0, 8(s2); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, 0)
  li a0, 0x1000; ld a1, 0(a0); ld a0, 8(s2); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, PTE_A)
  TEST_NUM(3); li a0, 0x1000; sd a1, 0(a0); ld a0, 8(s2); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, PTE_A | PTE_D)
  TEST_NUM(4); li a0, 0x2000; jalr ra, 0(a0); ld a0, 16(s2); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, PTE_A)
  TEST_NUM(5); li a0, 0x3000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0)); ld a0, 24(s2); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, 0)
  /* a store to a clean page sets A and D together */
  TEST_NUM(6); li a0, 0x4000; sw a1, 0(a0); ld a0, 32(s2); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, PTE_A | PTE_D)
  /* an AMO sets D */
  TEST_NUM(7); li t0, PTE_A | PTE_D; ld a0, 32(s2); not t0, t0; and a0, a0, t0; sd a0, 32(s2); sfence.vma
  li a0, 0x4000; li a2, 1; amoadd.w a1, a2, (a0); ld a0, 32(s2); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, PTE_A | PTE_D)
  /* megapage leaf */
  la s3, pt_l1
  TEST_NUM(8); li a0, 0x200000; ld a1, 0(a0); ld a0, 8(s3); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, PTE_A)
  TEST_NUM(9); li a0, 0x300000; sd a1, 0(a0); ld a0, 8(s3); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, PTE_A | PTE_D)
  /* non-leaf PTEs are not given A/D */
  TEST_NUM(10); ld a0, 0(s3); andi a0, a0, PTE_A | PTE_D; CHECK_EQ(a0, 0)
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
