# lb, lbu, lh, lhu, lw, lwu, ld: sign/zero extension, positive and negative offsets, rd == base.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_LD_OP( 2, lb,  0xffffffffffffffff, 0, tdat_b)
  TEST_LD_OP( 3, lb,  0x0000000000000000, 1, tdat_b)
  TEST_LD_OP( 4, lb,  0xfffffffffffffff0, 2, tdat_b)
  TEST_LD_OP( 5, lb,  0x000000000000000f, 3, tdat_b)
  TEST_LD_OP( 6, lb,  0xfffffffffffffff0, -1, tdat_b + 3)
  TEST_LD_OP( 7, lbu, 0x00000000000000ff, 0, tdat_b)
  TEST_LD_OP( 8, lbu, 0x00000000000000f0, -2, tdat_b + 4)
  TEST_LD_OP( 9, lbu, 0x000000000000000f, 3, tdat_b)
  TEST_LD_OP(10, lh,  0x00000000000000ff, 0, tdat_h)
  TEST_LD_OP(11, lh,  0xffffffffffffff00, 2, tdat_h)
  TEST_LD_OP(12, lh,  0x0000000000000ff0, 4, tdat_h)
  TEST_LD_OP(13, lh,  0xfffffffffffff00f, -2, tdat_h + 8)
  TEST_LD_OP(14, lhu, 0x000000000000ff00, 2, tdat_h)
  TEST_LD_OP(15, lhu, 0x000000000000f00f, 6, tdat_h)
  TEST_LD_OP(16, lw,  0x0000000000ff00ff, 0, tdat_w)
  TEST_LD_OP(17, lw,  0xffffffffff00ff00, 4, tdat_w)
  TEST_LD_OP(18, lw,  0x000000000ff00ff0, -8, tdat_w + 16)
  TEST_LD_OP(19, lw,  0xfffffffff00ff00f, 12, tdat_w)
  TEST_LD_OP(20, lwu, 0x00000000ff00ff00, 4, tdat_w)
  TEST_LD_OP(21, lwu, 0x00000000f00ff00f, 12, tdat_w)
  TEST_LD_OP(22, lwu, 0x000000000ff00ff0, 8, tdat_w)
  TEST_LD_OP(23, ld,  0x00ff00ff00ff00ff, 0, tdat_d)
  TEST_LD_OP(24, ld,  0xff00ff00ff00ff00, 8, tdat_d)
  TEST_LD_OP(25, ld,  0xf00ff00ff00ff00f, -8, tdat_d + 32)
  TEST_LD_OP(26, ld,  0x0ff00ff00ff00ff0, 2040, tdat_d + 16 - 2040)
  TEST_LD_OP(27, lw,  0xffffffffff00ff00, -2048, tdat_w + 4 + 2048)
  TEST_LD_DEST_EQ_BASE(28, ld, 0xff00ff00ff00ff00, 8, tdat_d)
  TEST_LD_DEST_EQ_BASE(29, lbu, 0xf0, 2, tdat_b)
  /* a load into x0 is performed but discards the value */
  TEST_CASE(30, x0, 0, la x1, tdat_d; ld x0, 0(x1))

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN

tdat_b: .byte 0xff, 0x00, 0xf0, 0x0f
  .balign 8
tdat_h: .half 0x00ff, 0xff00, 0x0ff0, 0xf00f
  .balign 8
tdat_w: .word 0x00ff00ff, 0xff00ff00, 0x0ff00ff0, 0xf00ff00f
  .balign 8
tdat_d: .dword 0x00ff00ff00ff00ff, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf00ff00ff00ff00f
RVTEST_DATA_END
