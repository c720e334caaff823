# slt, sltu, slti, sltiu (sltiu compares with the sign-extended immediate as unsigned).
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_RR_OP( 2, slt, 0, 0x0000000000000000, 0x0000000000000000)
  TEST_RR_OP( 3, slt, 1, 0x0000000000000003, 0x0000000000000007)
  TEST_RR_OP( 4, slt, 0, 0x0000000000000007, 0x0000000000000003)
  TEST_RR_OP( 5, slt, 1, 0x8000000000000000, 0x0000000000000000)
  TEST_RR_OP( 6, slt, 0, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_RR_OP( 7, slt, 1, 0xffffffffffffffff, 0x0000000000000001)
  TEST_RR_OP( 8, slt, 1, 0x0000000080000000, 0x00000000ffffffff)
  TEST_RR_OP( 9, sltu, 0, 0xffffffffffffffff, 0x0000000000000001)
  TEST_RR_OP(10, sltu, 1, 0x0000000000000001, 0xffffffffffffffff)
  TEST_RR_OP(11, sltu, 0, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_RR_OP(12, sltu, 1, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_RR_OP(13, sltu, 0, 5, 5)
  TEST_RR_ZEROSRC1(14, sltu, 1, 38)
  TEST_RR_ZEROSRC2(15, slt, 1, -1)
  TEST_RR_SRC12_EQ_DEST(16, slt, 0, 13)
  TEST_RR_ZERODEST(17, sltu, 16, 30)
  TEST_IMM_OP(20, slti, 0, 0x0000000000000000, 0)
  TEST_IMM_OP(21, slti, 1, 0x0000000000000000, 1)
  TEST_IMM_OP(22, slti, 0, 0x0000000000000000, -2048)
  TEST_IMM_OP(23, slti, 1, 0x8000000000000000, -2048)
  TEST_IMM_OP(24, slti, 1, 0xffffffffffffffff, 0)
  TEST_IMM_OP(25, slti, 0, 0x7fffffffffffffff, 2047)
  TEST_IMM_OP(26, slti, 1, -2049, -2048)
  TEST_IMM_OP(27, sltiu, 1, 0x0000000000000000, -1)
  TEST_IMM_OP(28, sltiu, 0, 0xffffffffffffffff, -1)
  TEST_IMM_OP(29, sltiu, 1, 0x7fffffffffffffff, -2048)
  TEST_IMM_OP(30, sltiu, 0, 0xfffffffffffff800, -2048)
  TEST_IMM_OP(31, sltiu, 1, 0, 1)
  TEST_IMM_OP(32, sltiu, 0, 1, 1)
  TEST_IMM_SRC1_EQ_DEST(33, sltiu, 1, 11, 13)
  TEST_IMM_ZEROSRC1(34, slti, 0, -1)
  TEST_IMM_ZERODEST(35, sltiu, 0x00ff00ff, -1)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN

RVTEST_DATA_END
