# and, or, xor, andi, ori, xori (immediates are sign-extended).
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_RR_OP( 2, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR_OP( 3, and, 0x00f000f0, 0x0ff00ff0, 0xf0f0f0f0)
  TEST_RR_OP( 4, and, 0xf000f000f000f000, 0xf00ff00ff00ff00f, 0xf0f0f0f0f0f0f0f0)
  TEST_RR_SRC12_EQ_DEST( 5, and, 0xff00ff00, 0xff00ff00)
  TEST_RR_ZEROSRC1( 6, and, 0, 0xff00ff00)
  TEST_RR_ZERODEST( 7, and, 0x11111111, 0x22222222)
  TEST_RR_OP( 8, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR_OP( 9, or, 0xfff0fff0, 0x0ff00ff0, 0xf0f0f0f0)
  TEST_RR_OP(10, or, 0xf0fff0fff0fff0ff, 0x00ff00ff00ff00ff, 0xf0f0f0f0f0f0f0f0)
  TEST_RR_SRC1_EQ_DEST(11, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR_ZEROSRC2(12, or, 0xff00ff00, 0xff00ff00)
  TEST_RR_ZERODEST(13, or, 0x11111111, 0x22222222)
  TEST_RR_OP(14, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR_OP(15, xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
  TEST_RR_OP(16, xor, 0x0ff00ff00ff00ff0, 0xffffffffffffffff, 0xf00ff00ff00ff00f)
  TEST_RR_SRC12_EQ_DEST(17, xor, 0, 0xff00ff00)
  TEST_RR_SRC2_EQ_DEST(18, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f)
  TEST_RR_ZERODEST(19, xor, 0x11111111, 0x22222222)

  TEST_IMM_OP(20, andi, 0xffffffffff00ff00, 0xffffffffff00ff00, -1)
  TEST_IMM_OP(21, andi, 0x000000f0, 0x0ff00ff0, 0x0f0)
  TEST_IMM_OP(22, andi, 0xffffffff00ff00f0, 0xffffffff00ff00ff, -16)
  TEST_IMM_OP(23, andi, 0x00000000, 0xf00ff00f, 0x0f0)
  TEST_IMM_OP(24, andi, 0x0000070f, 0xff00ff0f, 0x70f)
  TEST_IMM_SRC1_EQ_DEST(25, andi, 0x00000000, 0xff00ff00, 0x0f0)
  TEST_IMM_ZEROSRC1(26, andi, 0, 0x0f0)
  TEST_IMM_ZERODEST(27, andi, 0x00ff00ff, 0x70f)
  TEST_IMM_OP(28, ori, 0xffffffffffffff0f, 0xffffffffff00ff00, -241)
  TEST_IMM_OP(29, ori, 0x0ff00ff0, 0x0ff00ff0, 0x0f0)
  TEST_IMM_OP(30, ori, 0x00ff07ff, 0x00ff00ff, 0x70f)
  TEST_IMM_OP(31, ori, 0xfffffffff00ff0ff, 0xfffffffff00ff00f, 0xf0)
  TEST_IMM_SRC1_EQ_DEST(32, ori, 0xff00fff0, 0xff00ff00, 0x0f0)
  TEST_IMM_ZEROSRC1(33, ori, 0x0f0, 0x0f0)
  TEST_IMM_ZEROSRC1(34, ori, -2048, -2048)
  TEST_IMM_ZERODEST(35, ori, 0x00ff00ff, 0x70f)
  TEST_IMM_OP(36, xori, 0xffffffffff00f00f, 0x0000000000ff0f00, -241)
  TEST_IMM_OP(37, xori, 0x0ff00f00, 0x0ff00ff0, 0x0f0)
  TEST_IMM_OP(38, xori, 0x00ff0ff0, 0x00ff08ff, 0x70f)
  TEST_IMM_OP(39, xori, 0xffffffff00ff00ff, 0x00000000ff00ff00, -1)
  TEST_IMM_SRC1_EQ_DEST(40, xori, 0xffffffffff00f00f, 0xffffffffff00f700, 0x70f)
  TEST_IMM_ZERODEST(41, xori, 0x0ff00ff0, 0x0f0)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN

RVTEST_DATA_END
