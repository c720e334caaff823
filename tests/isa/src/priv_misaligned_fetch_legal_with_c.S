# With C, instruction-address-misaligned cannot occur: jalr to 2-byte aligned targets is legal (jalr clears bit 0), mret to a 2-byte aligned mepc is legal.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  /* jalr to (4-byte aligned label) + 2 + 1 executes the 16-bit instruction at +2 */
  TEST_NUM(2); li a2, 0; la a0, 1f; jalr ra, 3(a0); j fail; .balign 4; 1: c.li a2, 1; c.li a3, 2; CHECK_EQ(a2, 0)
  /* mret to a 2-byte aligned mepc */
  TEST_NUM(3); li a2, 0; li t0, MSTATUS_MPP; csrs mstatus, t0; la a0, 2f; addi a0, a0, 2; csrw mepc, a0; mret; j fail; .balign 4; 2: c.li a2, 1; c.li a3, 2; CHECK_EQ(a2, 0); CHECK_EQ(a3, 2)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
