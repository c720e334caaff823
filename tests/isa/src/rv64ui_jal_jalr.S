# jal and jalr: link value, target, jalr offset, jalr clears bit 0 of the target, rd == rs1 uses the old rs1.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_NUM(2); jal x1, 1f; 2: j fail; 1: la x2, 2b; BR_FAIL_NE(x1, x2)
  TEST_NUM(3); li x1, 0; j 1f; j fail; 1: BR_FAIL_NE(x1, x0)
  TEST_NUM(4); jal x1, 2f; 1: j 3f; 2: jal x5, 1b; j fail; 3: la x2, 1b; BR_FAIL_NE(x1, x2)
  TEST_JALR_OP(5, 0)
  TEST_JALR_OP(6, 8)
  TEST_JALR_OP(7, -8)
  TEST_JALR_OP(8, 2047)
  TEST_JALR_OP(9, -2048)
  /* bit 0 of the computed target is cleared */
  TEST_NUM(10); la x1, 1f; addi x1, x1, 1; jalr x5, 0(x1); j fail; 1: CHECK_OK
  /* target = label + 3 -> label + 2: 2-byte aligned targets are legal with C */
  TEST_NUM(11); li x6, 0; la x1, 1f; jalr x5, 3(x1); j fail; .balign 4; 1: c.li x6, 1; 2: CHECK_EQ(x6, 0)
  /* rd == rs1: target from the old value */
  TEST_NUM(12); la x1, 1f; jalr x1, 0(x1); 2: j fail; 1: la x2, 2b; BR_FAIL_NE(x1, x2)
  /* jalr x0 (ret) */
  TEST_NUM(13); la x1, 1f; jalr x0, 0(x1); j fail; 1: CHECK_OK
  /* call/ret pair */
  TEST_NUM(14); li x10, 0; call 5f; CHECK_EQ(x10, 42); j 6f; 5: li x10, 42; ret; 6:
  /* long jal (> 1 MiB range is 20 bits; jump over 64 KiB) */
  TEST_NUM(15); jal x1, 1f; 2: j fail; .skip 65536, 0; 1: la x2, 2b; BR_FAIL_NE(x1, x2)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
