# NaN-boxing: flw/fmv.w.x/fcvt.s.* results are boxed; single-precision operations treat an improperly boxed operand as the canonical NaN; fmv.x.w and fsw ignore the boxing.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  /* flw boxes */
  TEST_NUM(2); la a0, tdat; flw f1, 0(a0); fmv.x.d a2, f1; CHECK_EQ(a2, 0xffffffff3f800000)
  /* fcvt.s.w boxes */
  TEST_NUM(3); li a1, 3; fcvt.s.w f1, a1; fmv.x.d a2, f1; CHECK_EQ(a2, 0xffffffff40400000)
  /* an unboxed operand (upper word not all ones) is the canonical NaN */
  TEST_NUM(4); li a1, 0x000000003f800000; fmv.d.x f1, a1; fadd.s f3, f1, f1; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffff7fc00000)
  TEST_NUM(5); li a1, 0xfffffffe3f800000; fmv.d.x f1, a1; li a3, 0x3f800000; fmv.w.x f2, a3; fsflags x0; fmul.s f3, f2, f1; frflags a4; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffff7fc00000); CHECK_EQ(a4, 0)
  TEST_NUM(6); li a1, 0x000000003f800000; fmv.d.x f1, a1; fclass.s a2, f1; CHECK_EQ(a2, 1 << 9)
  /* fsgnj.s with an unboxed rs1: canonical NaN with the sign of rs2 */
  TEST_NUM(7); li a1, 0x00000000bf800000; fmv.d.x f1, a1; li a3, 0xbf800000; fmv.w.x f2, a3; fsgnj.s f3, f1, f2; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffffffc00000)
  /* an unboxed rs2 of fsgnj.s contributes the sign of the canonical NaN (+) */
  TEST_NUM(8); li a1, 0x00000000bf800000; fmv.d.x f2, a1; li a3, 0xbf800000; fmv.w.x f1, a3; fsgnj.s f3, f1, f2; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffff3f800000)
  /* feq.s with an unboxed operand: NaN -> 0, quiet, no flag */
  TEST_NUM(9); li a1, 0x000000003f800000; fmv.d.x f1, a1; fsflags x0; feq.s a2, f1, f1; frflags a4; CHECK_EQ(a2, 0); CHECK_EQ(a4, 0)
  /* fcvt.d.s of an unboxed operand: canonical double NaN */
  TEST_NUM(10); li a1, 0x000000003f800000; fmv.d.x f1, a1; fcvt.d.s f3, f1; fmv.x.d a2, f3; CHECK_EQ(a2, QNAN_D)
  /* fmv.x.w and fsw move the low 32 bits unchanged */
  TEST_NUM(11); li a1, 0x1234567880000001; fmv.d.x f1, a1; fmv.x.w a2, f1; CHECK_EQ(a2, 0xffffffff80000001)
  TEST_NUM(12); li a1, 0x123456783f800001; fmv.d.x f1, a1; la a0, tdat; fsw f1, 4(a0); lwu a2, 4(a0); CHECK_EQ(a2, 0x3f800001)
  /* fld/fsd move all 64 bits */
  TEST_NUM(13); la a0, tdat; li a1, 0x00000000c0000000; sd a1, 8(a0); fld f4, 8(a0); fsd f4, 16(a0); ld a2, 16(a0); CHECK_EQ(a2, 0x00000000c0000000)
  TEST_NUM(14); la a0, tdat; fld f4, 8(a0); fcvt.w.s a2, f4, rtz; CHECK_EQ(a2, 0x7fffffff)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat: .float 1.0
  .word 0
  .dword 0, 0
RVTEST_DATA_END
