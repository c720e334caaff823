# Sv48: four-level walk for 4 KiB pages, a 512 GiB terapage at the root, a gigapage for VAs that are only canonical in Sv48, non-canonical VAs and a misaligned terapage fault; satp reads back Sv48.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  /* root -> pt_l2 (VA 0..512G); pt_l2[2] = identity gigapage; pt_l2[0] -> pt_l1 -> pt_l0 */
  li t0, DRAM_BASE; MAKE_PTE(t2, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D); PT_SET_RAW(pt_l2, 2, t2)
  la t0, pt_l2; PT_SET(pt_root, 0, t0, PTE_V)
  la t0, pt_l1; PT_SET(pt_l2, 0, t0, PTE_V)
  la t0, pt_l0; PT_SET(pt_l1, 0, t0, PTE_V)
  VM_MAP_L0(1, vm_page0, PTE_RW_AD)
  /* root[1]: terapage VA 0x8000000000 -> PA 0 */
  li t0, 0; MAKE_PTE(t2, t0, PTE_RW_AD); PT_SET_RAW(pt_root, 1, t2)
  /* root[2]: misaligned terapage (PA 0x80000000) */
  li t0, DRAM_BASE; MAKE_PTE(t2, t0, PTE_RW_AD); PT_SET_RAW(pt_root, 2, t2)
  /* pt_l2[256]: VA 0x4000000000 (bit 38 set) -> PA 0x80000000 */
  li t0, DRAM_BASE; MAKE_PTE(t2, t0, PTE_RW_AD); PT_SET_RAW(pt_l2, 256, t2)
  la t0, pt_root; MAKE_SATP(t0, t0, SATP_MODE_SV48); csrw satp, t0; sfence.vma
  TEST_NUM(2); csrr a1, satp; BR_FAIL_NE(a1, t0)
  la a0, vm_page0; li a1, 0x4848; sd a1, 0x10(a0)
  ENTER_S_FROM_M
  TEST_NUM(3); li a0, 0x1000; ld a1, 0x10(a0); CHECK_EQ(a1, 0x4848)
  TEST_NUM(4); la a0, tdat; li a1, 0x8000000000; add a0, a0, a1; ld a2, 0(a0); CHECK_EQ(a2, 0x4444333322221111)
  TEST_NUM(5); la a0, tdat; li a1, DRAM_BASE; sub a0, a0, a1; li a1, 0x4000000000; add a0, a0, a1; ld a2, 0(a0); CHECK_EQ(a2, 0x4444333322221111)
  TEST_NUM(6); li a0, 0x10000000000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x10000000000)
  TEST_NUM(7); li a0, 0x0000800000000000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x0000800000000000)
  TEST_NUM(8); li a0, 0xffff000000000000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0))
  /* unmapped pt_l2 entry */
  TEST_NUM(9); li a0, 0x0000004040000000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0))
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat: .dword 0x4444333322221111
VM_DATA
RVTEST_DATA_END
