# Access faults outside RAM: loads (5), stores/AMOs (7) and fetches (1) at unmapped 0x0, 0x40000000 and just past 256 MiB of RAM; mtval = the address.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li a0, 0x40000000; TRAP_AT(CAUSE_LOAD_ACCESS, lw a1, 0(a0)); CHECK_TVAL(0x40000000)
  TEST_NUM(3); li a0, 0x40000000; TRAP_AT(CAUSE_STORE_ACCESS, sw a1, 8(a0)); CHECK_TVAL(0x40000008)
  TEST_NUM(4); li a0, 0; TRAP_AT(CAUSE_LOAD_ACCESS, ld a1, 0(a0)); CHECK_TVAL(0)
  TEST_NUM(5); li a0, 0x10; TRAP_AT(CAUSE_STORE_ACCESS, sd a1, 0(a0)); CHECK_TVAL(0x10)
  TEST_NUM(7); li a0, 0x90000000; TRAP_AT(CAUSE_LOAD_ACCESS, lbu a1, 0(a0)); CHECK_TVAL(0x90000000)
  /* fetch: mepc = mtval = the target */
  TEST_NUM(8); li a0, 0x40000000; ARM_TRAP(1f); jalr ra, 0(a0); j fail
1: CHECK_EQ(s8, CAUSE_FETCH_ACCESS); CHECK_EQ(s9, 0x40000000); CHECK_TVAL(0x40000000)
  /* the load destination is not written */
  TEST_NUM(9); li a1, 0x1234; li a0, 0x40000000; TRAP_AT(CAUSE_LOAD_ACCESS, ld a1, 0(a0)); CHECK_EQ(a1, 0x1234)
  /* same from U-mode */
  TEST_NUM(10); ENTER_U_FROM_M; li a0, 0x40000000; TRAP_AT(CAUSE_LOAD_ACCESS, lw a1, 4(a0)); CHECK_TVAL(0x40000004)
  BACK_TO_M

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
