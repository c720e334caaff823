# Page faults delegated through medeleg go to S-mode with scause, sepc and stval = the faulting VA (load, store, fetch; from S and from U), leaving mcause/mtval untouched.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

#define ALIAS_OFF 0x40000000   /* U alias of the image: VA = PA - 0x40000000 */

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  /* root[1]: VA 0x40000000.. -> PA 0x80000000.., user RWX (U code runs there) */
  li t0, DRAM_BASE; MAKE_PTE(t2, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D); PT_SET_RAW(pt_root, 1, t2)
  VM_MAP_L0(1, vm_page0, PTE_R_A | PTE_U)
  sfence.vma
  li t0, (1 << CAUSE_FETCH_PAGE_FAULT) | (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT); csrw medeleg, t0
  la t0, tag_svector; csrw stvec, t0
  li t0, 0x77; csrw mcause, t0; csrw mtval, t0
  /* from S */
  ENTER_S_FROM_M
  TEST_NUM(2); li s7, 0; li a0, 0x5008; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_EQ(s7, 1); CHECK_TVAL(0x5008)
  csrr a2, stval; CHECK_EQ(a2, 0x5008); csrr a2, scause; CHECK_EQ(a2, CAUSE_LOAD_PAGE_FAULT)
  TEST_NUM(3); li s7, 0; li a0, 0x1000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sw a1, 4(a0)); CHECK_EQ(s7, 1); CHECK_TVAL(0x1004)
  TEST_NUM(4); li s7, 0; li a0, 0x6000; ARM_TRAP(1f); jalr ra, 0(a0); j fail
1: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_FETCH_PAGE_FAULT); CHECK_EQ(s9, 0x6000); CHECK_TVAL(0x6000)
  BACK_TO_M
  TEST_NUM(5); csrr a0, mcause; CHECK_EQ(a0, CAUSE_SUPERVISOR_ECALL); csrr a0, mtval; CHECK_EQ(a0, 0)
  /* from U, running in the user alias */
  TEST_NUM(6); li t0, MSTATUS_MPP; csrc mstatus, t0; la t0, 2f; li t1, ALIAS_OFF; sub t0, t0, t1; csrw mepc, t0; mret
2: li s7, 0; li a0, 0x1000; ld a1, 0(a0); li a0, 0x7ff8; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_EQ(s7, 1); CHECK_TVAL(0x7ff8)
  TEST_NUM(7); li s7, 0; li a0, 0x1000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0)); CHECK_EQ(s7, 1); CHECK_TVAL(0x1000)
  TEST_NUM(8); li s7, 0; li a0, 0x8000; ARM_TRAP(1f); jalr ra, 0(a0); j fail
1: CHECK_EQ(s7, 1); CHECK_EQ(s8, CAUSE_FETCH_PAGE_FAULT); CHECK_TVAL(0x8000)
  /* U cannot touch the identity (non-U) mapping of the same memory */
  TEST_NUM(9); li s7, 0; la a0, tdat; li t0, ALIAS_OFF; add a0, a0, t0; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_EQ(s7, 1); BR_FAIL_NE(s10, a0)
  /* back to M at the physical address of 3f */
  la a6, 3f; li t0, ALIAS_OFF; add a6, a6, t0; li a7, ECALL_TO_M_AT_A6; ecall
3: csrwi medeleg, 0; la t0, strap_vector; csrw stvec, t0
  j 9f
  .balign 4
tag_svector:
  li s7, 1
  j strap_vector
9:

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat: .dword 0x1234
VM_DATA
RVTEST_DATA_END
