# Sv39 translation of 4 KiB pages from S-mode: VA->PA mapping with page offset, two VAs aliasing one page, M-mode untranslated with satp set, S-mode untranslated with satp = Bare.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  VM_MAP_L0(1, vm_page0, PTE_RW_AD)
  VM_MAP_L0(2, vm_page1, PTE_RW_AD)
  VM_MAP_L0(3, vm_page0, PTE_RW_AD)
  VM_MAP_L0(511, vm_page2, PTE_RW_AD)
  TEST_NUM(2); ENTER_S_FROM_M; li a0, 0x1008; li a1, 0x1122; sd a1, 0(a0); li a2, 0x3008; ld a3, 0(a2); CHECK_EQ(a3, 0x1122)
  TEST_NUM(3); li a0, 0x2ff8; li a1, 0x77; sd a1, 0(a0); li a0, 0x1ffc; li a1, 0x66; sw a1, 0(a0)
  TEST_NUM(4); li a0, 0x1ff000; li a1, 0xabc; sd a1, 0x10(a0)
  BACK_TO_M
  /* M-mode sees physical memory */
  TEST_NUM(5); la a0, vm_page1 + 0xff8; ld a3, 0(a0); CHECK_EQ(a3, 0x77)
  TEST_NUM(6); la a0, vm_page0; ld a3, 8(a0); CHECK_EQ(a3, 0x1122); la a0, vm_page0 + 0xffc; lw a3, 0(a0); CHECK_EQ(a3, 0x66)
  TEST_NUM(7); la a0, vm_page2; ld a3, 0x10(a0); CHECK_EQ(a3, 0xabc)
  /* the identity gigapage runs code and reaches data in S */
  TEST_NUM(8); ENTER_S_FROM_M; la a0, tdat; ld a1, 0(a0); CHECK_EQ(a1, 0x5555)
  BACK_TO_M
  /* satp = Bare: S accesses are physical */
  TEST_NUM(9); csrw satp, x0; ENTER_S_FROM_M; la a0, vm_page0; ld a1, 8(a0); CHECK_EQ(a1, 0x1122)
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat: .dword 0x5555
VM_DATA
RVTEST_DATA_END
