# fmv.x.w (sign-extends), fmv.w.x (NaN-boxes), fsgnj.s/fsgnjn.s/fsgnjx.s incl. NaN payloads preserved and no flags; fmv.x.d, fmv.d.x, fsgnj.d/fsgnjn.d/fsgnjx.d.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_NUM(2); li a1, 0x12345678ffffffff; fmv.w.x f1, a1; fmv.x.w a2, f1; CHECK_EQ(a2, -1)
  TEST_NUM(3); li a1, 0x000000007fffffff; fmv.w.x f1, a1; fmv.x.w a2, f1; CHECK_EQ(a2, 0x7fffffff)
  TEST_NUM(4); li a1, 0xaaaaaaaa80000000; fmv.w.x f1, a1; fmv.x.d a2, f1; CHECK_EQ(a2, 0xffffffff80000000)
  TEST_NUM(5); li a1, 0x7ff0000000000001; fmv.d.x f1, a1; fmv.x.d a2, f1; CHECK_EQ(a2, 0x7ff0000000000001)
  /* fmv does not touch fflags even for signaling NaNs */
  TEST_NUM(6); fsflags x0; li a1, SNAN_S; fmv.w.x f1, a1; fmv.x.w a2, f1; frflags a3; CHECK_EQ(a3, 0); CHECK_EQ(a2, SNAN_S)
  TEST_FP_OP2_SX(10, fsgnj.s, 0, 0x40200000, 0x40200000, 0x3f800000)
  TEST_FP_OP2_SX(11, fsgnj.s, 0, 0xc0200000, 0x40200000, 0xbf800000)
  TEST_FP_OP2_SX(12, fsgnj.s, 0, 0x40200000, 0xc0200000, 0x3f800000)
  TEST_FP_OP2_SX(13, fsgnjn.s, 0, 0xc0200000, 0x40200000, 0x3f800000)
  TEST_FP_OP2_SX(14, fsgnjn.s, 0, 0x40200000, 0x40200000, 0xbf800000)
  TEST_FP_OP2_SX(15, fsgnjx.s, 0, 0xc0200000, 0xc0200000, 0x3f800000)
  TEST_FP_OP2_SX(16, fsgnjx.s, 0, 0x40200000, 0xc0200000, 0xbf800000)
  TEST_FP_OP2_SX(17, fsgnjx.s, 0, 0xc0200000, 0x40200000, 0xbf800000)
  TEST_FP_OP2_SX(18, fsgnj.s, 0, 0xff800001, SNAN_S, 0x80000000)
  TEST_FP_OP2_SX(19, fsgnjn.s, 0, 0x7fc01234, 0x7fc01234, 0x80000000)
  TEST_FP_OP1_SX(20, fneg.s, 0, 0x80000000, 0x00000000)
  TEST_FP_OP1_SX(21, fabs.s, 0, 0x7f800000, 0xff800000)
  TEST_FP_OP1_SX(22, fmv.s, 0, 0xc0400000, 0xc0400000)
  TEST_FP_OP2_DX(30, fsgnj.d, 0, 0x4004000000000000, 0x4004000000000000, 0x3ff0000000000000)
  TEST_FP_OP2_DX(31, fsgnj.d, 0, 0xc004000000000000, 0x4004000000000000, 0xbff0000000000000)
  TEST_FP_OP2_DX(32, fsgnjn.d, 0, 0xc004000000000000, 0x4004000000000000, 0x3ff0000000000000)
  TEST_FP_OP2_DX(33, fsgnjn.d, 0, 0x4004000000000000, 0xc004000000000000, 0xbff0000000000000)
  TEST_FP_OP2_DX(34, fsgnjx.d, 0, 0x4004000000000000, 0xc004000000000000, 0xbff0000000000000)
  TEST_FP_OP2_DX(35, fsgnjx.d, 0, 0xc004000000000000, 0xc004000000000000, 0x3ff0000000000000)
  TEST_FP_OP2_DX(36, fsgnj.d, 0, 0xfff0000000000001, SNAN_D, NZERO_D)
  TEST_FP_OP1_DX(37, fabs.d, 0, PINF_D, NINF_D)
  TEST_FP_OP1_DX(38, fneg.d, 0, 0x8000000000000000, 0x0000000000000000)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
