# Zicsr: csrrw/csrrs/csrrc and csrrwi/csrrsi/csrrci return the old value and write new/set/clear bits; rd = x0 forms; a CSR read and write in the same instruction.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

  TEST_NUM(2); li a0, 0x1234; csrw mscratch, a0; li a1, 0x5678; csrrw a2, mscratch, a1; CHECK_EQ(a2, 0x1234); csrr a3, mscratch; CHECK_EQ(a3, 0x5678)
  TEST_NUM(3); li a1, 0x0f00; csrrs a2, mscratch, a1; CHECK_EQ(a2, 0x5678); csrr a3, mscratch; CHECK_EQ(a3, 0x5f78)
  TEST_NUM(4); li a1, 0x00ff; csrrc a2, mscratch, a1; CHECK_EQ(a2, 0x5f78); csrr a3, mscratch; CHECK_EQ(a3, 0x5f00)
  TEST_NUM(5); csrrwi a2, mscratch, 0x1f; CHECK_EQ(a2, 0x5f00); csrr a3, mscratch; CHECK_EQ(a3, 0x1f)
  TEST_NUM(6); csrrci a2, mscratch, 0x15; CHECK_EQ(a2, 0x1f); csrr a3, mscratch; CHECK_EQ(a3, 0x0a)
  TEST_NUM(7); csrrsi a2, mscratch, 0x10; CHECK_EQ(a2, 0x0a); csrr a3, mscratch; CHECK_EQ(a3, 0x1a)
  /* 64-bit values */
  TEST_NUM(8); li a0, 0x8000000000000001; csrw mscratch, a0; csrr a1, mscratch; BR_FAIL_NE(a0, a1)
  TEST_NUM(9); li a0, -1; csrrs a2, mscratch, a0; csrr a1, mscratch; CHECK_EQ(a1, -1); CHECK_EQ(a2, 0x8000000000000001)
  /* rd = x0 forms still write */
  TEST_NUM(10); csrrw x0, mscratch, x0; csrr a1, mscratch; CHECK_EQ(a1, 0)
  TEST_NUM(11); li a0, 6; csrrs x0, mscratch, a0; csrrc x0, mscratch, 2; csrr a1, mscratch; CHECK_EQ(a1, 4)
  /* rd == rs1: old value returned, new value from the old rs1 */
  TEST_NUM(12); li a0, 0x99; csrrw a0, mscratch, a0; CHECK_EQ(a0, 4); csrr a1, mscratch; CHECK_EQ(a1, 0x99)
  /* csrrs/csrrc with rs1 = x0 and the immediate forms with uimm = 0 only read */
  TEST_NUM(13); csrrs a1, mscratch, x0; CHECK_EQ(a1, 0x99); csrrc a1, mscratch, x0; csrrsi a1, mscratch, 0; csrrci a1, mscratch, 0; csrr a1, mscratch; CHECK_EQ(a1, 0x99)
  /* sscratch from S and the same ops */
  TEST_NUM(14); ENTER_S_FROM_M; li a0, 0x77; csrrw a1, sscratch, a0; csrrsi a1, sscratch, 8; CHECK_EQ(a1, 0x77); csrr a1, sscratch; CHECK_EQ(a1, 0x7f)
  BACK_TO_M
  TEST_NUM(15); csrr a1, sscratch; CHECK_EQ(a1, 0x7f)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
