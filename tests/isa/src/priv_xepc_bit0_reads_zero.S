# mepc[0] and sepc[0] always read as zero (IALIGN=16): a written bit 0 is dropped.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li a0, 0x80001235; csrw mepc, a0; csrr a1, mepc; CHECK_EQ(a1, 0x80001234)
  TEST_NUM(3); li a0, 0x80001237; csrw sepc, a0; csrr a1, sepc; CHECK_EQ(a1, 0x80001236)
  /* mret/sret use the masked value: return to mepc = odd address lands on the even one */
  TEST_NUM(4); li a2, 0; li t0, MSTATUS_MPP; csrs mstatus, t0; la a0, 2f; addi a0, a0, 1; csrw mepc, a0; mret; j fail; .balign 4; 2: c.li a2, 1; CHECK_EQ(a2, 1)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
