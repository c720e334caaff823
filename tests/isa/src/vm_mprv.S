# mstatus.MPRV: M-mode loads/stores use the translation and permissions of MPP (U: only U pages; S: U pages only with SUM) while fetches stay untranslated; MPRV=0 is physical, an mret to M keeps MPRV.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  VM_SETUP_SV39(PTE_R | PTE_W | PTE_X)
  VM_MAP_L0(1, vm_page0, PTE_RW_AD | PTE_U)
  VM_MAP_L0(2, vm_page1, PTE_RW_AD)
  VM_MAP_L0(32, vm_page0, PTE_RW_AD | PTE_U)
  la a0, vm_page0; li a1, 0x5150; sd a1, 0(a0)
  la a0, vm_page1; li a1, 0x5151; sd a1, 0(a0)
  /* MPRV=1, MPP=U */
  TEST_NUM(2); li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, MSTATUS_MPRV; csrs mstatus, t0
  li a0, 0x1000; ld a1, 0(a0); li t0, MSTATUS_MPRV; csrc mstatus, t0; CHECK_EQ(a1, 0x5150)
  TEST_NUM(3); li t0, MSTATUS_MPRV; csrs mstatus, t0; li a0, 0x2000; TRAP_AT(CAUSE_LOAD_PAGE_FAULT, ld a1, 0(a0)); CHECK_TVAL(0x2000)
  /* the handler's mret back to M kept MPRV=1 and set MPP=U */
  TEST_NUM(4); csrr a0, mstatus; li t0, MSTATUS_MPP | MSTATUS_MPRV; and a0, a0, t0; CHECK_EQ(a0, MSTATUS_MPRV)
  li t0, MSTATUS_MPRV; csrc mstatus, t0; la a0, vm_page1; ld a1, 0(a0); CHECK_EQ(a1, 0x5151)
  li t0, MSTATUS_MPRV; csrs mstatus, t0
  /* MPRV=1, MPP=S: S page ok, U page faults unless SUM */
  TEST_NUM(5); li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, MSTATUS_MPP_S; csrs mstatus, t0
  li a0, 0x2000; li a2, 0x6161; sd a2, 8(a0); ld a1, 8(a0); CHECK_EQ(a1, 0x6161)
  TEST_NUM(6); li a0, 0x1000; TRAP_AT(CAUSE_STORE_PAGE_FAULT, sd a1, 0(a0))
  TEST_NUM(7); li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, MSTATUS_MPP_S | MSTATUS_SUM; csrs mstatus, t0
  li a0, 0x1000; ld a1, 0(a0); CHECK_EQ(a1, 0x5150)
  li t0, MSTATUS_MPRV | MSTATUS_SUM; csrc mstatus, t0
  TEST_NUM(8); la a0, vm_page1 + 8; ld a1, 0(a0); CHECK_EQ(a1, 0x6161)
  /* MPRV=0: physical, so (mapped) VA 0x20000 is an access fault */
  TEST_NUM(9); li a0, 0x20000; TRAP_AT(CAUSE_LOAD_ACCESS, ld a1, 0(a0))
  /* mret to M keeps MPRV */
  TEST_NUM(10); li t0, MSTATUS_MPRV; csrs mstatus, t0; li t0, MSTATUS_MPP; csrs mstatus, t0; la t0, 1f; csrw mepc, t0; mret
1: csrr a0, mstatus; li t0, MSTATUS_MPRV; and a0, a0, t0; BR_FAIL_NE(a0, t0); csrc mstatus, t0
  csrw satp, x0

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
VM_DATA
RVTEST_DATA_END
