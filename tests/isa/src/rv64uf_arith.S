# fadd.s, fsub.s, fmul.s, fdiv.s, fsqrt.s: results, NaN-boxed results, fflags (NX, OF, UF, DZ, NV), canonical NaN outputs.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_FP_OP2_S( 2, fadd.s, 0, 3.5, 2.5, 1.0)
  TEST_FP_OP2_S( 3, fadd.s, FF_NX, -1234, -1235.1, 1.1)
  TEST_FP_OP2_S( 4, fadd.s, FF_NX, 3.14159265, 3.14159265, 0.00000001)
  TEST_FP_OP2_SX( 5, fadd.s, 0, NZERO_S, NZERO_S, NZERO_S)
  TEST_FP_OP2_SX( 6, fadd.s, 0, 0x00000000, NZERO_S, 0x00000000)
  TEST_FP_OP2_SX( 7, fadd.s, FF_NV, QNAN_S, PINF_S, NINF_S)
  TEST_FP_OP2_SX( 8, fadd.s, FF_NV, QNAN_S, SNAN_S, 0x3f800000)
  TEST_FP_OP2_SX( 9, fadd.s, 0, QNAN_S, 0x7fc12345, 0x3f800000)
  TEST_FP_OP2_SX(10, fadd.s, FF_OF | FF_NX, PINF_S, 0x7f7fffff, 0x7f7fffff)
  TEST_FP_OP2_S(11, fsub.s, 0, 1.5, 2.5, 1.0)
  TEST_FP_OP2_S(12, fsub.s, FF_NX, -1234, -1235.1, -1.1)
  TEST_FP_OP2_S(13, fsub.s, FF_NX, 3.14159265, 3.14159265, 0.00000001)
  TEST_FP_OP2_SX(14, fsub.s, FF_NV, QNAN_S, PINF_S, PINF_S)
  TEST_FP_OP2_SX(15, fsub.s, 0, 0x00000000, 0x3f800000, 0x3f800000)
  TEST_FP_OP2_S(16, fmul.s, 0, 2.5, 2.5, 1.0)
  TEST_FP_OP2_S(17, fmul.s, FF_NX, 1358.61, -1235.1, -1.1)
  TEST_FP_OP2_S(18, fmul.s, FF_NX, 3.14159265e-8, 3.14159265, 0.00000001)
  TEST_FP_OP2_SX(19, fmul.s, FF_NV, QNAN_S, PINF_S, 0x00000000)
  TEST_FP_OP2_SX(20, fmul.s, 0, NZERO_S, NZERO_S, 0x3f800000)
  TEST_FP_OP2_SX(21, fmul.s, FF_UF | FF_NX, 0x00000000, 0x00800000, 0x00800000)
  TEST_FP_OP2_SX(22, fmul.s, FF_OF | FF_NX, NINF_S, 0x7f000000, 0xc0000000 + 0x00800000)
  TEST_FP_OP2_S(23, fdiv.s, FF_NX, 1.1557273520668288, 3.14159265, 2.71828182)
  TEST_FP_OP2_S(24, fdiv.s, FF_NX, -0.9991093838555584, -1234, 1235.1)
  TEST_FP_OP2_S(25, fdiv.s, 0, 3.14159265, 3.14159265, 1.0)
  TEST_FP_OP2_SX(26, fdiv.s, FF_DZ, PINF_S, 0x3f800000, 0x00000000)
  TEST_FP_OP2_SX(27, fdiv.s, FF_DZ, NINF_S, 0x3f800000, NZERO_S)
  TEST_FP_OP2_SX(28, fdiv.s, FF_NV, QNAN_S, 0x00000000, 0x00000000)
  TEST_FP_OP2_SX(29, fdiv.s, FF_NV, QNAN_S, PINF_S, NINF_S)
  TEST_FP_OP2_SX(30, fdiv.s, 0, 0x00000000, 0x3f800000, PINF_S)
  TEST_FP_OP1_S(31, fsqrt.s, FF_NX, 1.7724538498928541, 3.14159265)
  TEST_FP_OP1_S(32, fsqrt.s, 0, 100, 10000)
  TEST_FP_OP1_S(33, fsqrt.s, FF_NX, 13.076696, 171.0)
  TEST_FP_OP1_SX(34, fsqrt.s, FF_NV, QNAN_S, 0xbf800000)
  TEST_FP_OP1_SX(35, fsqrt.s, 0, NZERO_S, NZERO_S)
  TEST_FP_OP1_SX(36, fsqrt.s, 0, PINF_S, PINF_S)
  TEST_FP_OP1_SX(37, fsqrt.s, FF_NV, QNAN_S, SNAN_S)
  /* static rounding modes: 1 + 2^-24 is a tie */
  TEST_FP_S_(40, .word, FF_NX, 0x3f800000, 0x3f800000, 0x33800000, 0, fadd.s f3, f0, f1, rne)
  TEST_FP_S_(41, .word, FF_NX, 0x3f800001, 0x3f800000, 0x33800000, 0, fadd.s f3, f0, f1, rup)
  TEST_FP_S_(42, .word, FF_NX, 0x3f800000, 0x3f800000, 0x33800000, 0, fadd.s f3, f0, f1, rdn)
  TEST_FP_S_(43, .word, FF_NX, 0x3f800000, 0x3f800000, 0x33800000, 0, fadd.s f3, f0, f1, rtz)
  TEST_FP_S_(44, .word, FF_NX, 0x3f800001, 0x3f800000, 0x33800000, 0, fadd.s f3, f0, f1, rmm)
  TEST_FP_S_(45, .word, FF_NX, 0xbf800001, 0xbf800000, 0xb3800000, 0, fadd.s f3, f0, f1, rdn)
  TEST_FP_S_(46, .word, FF_NX, 0xbf800000, 0xbf800000, 0xb3800000, 0, fadd.s f3, f0, f1, rup)
  /* x - x = -0 only when rounding down */
  TEST_FP_S_(47, .word, 0, NZERO_S, 0x3f800000, 0x3f800000, 0, fsub.s f3, f0, f1, rdn)
  TEST_FP_S_(48, .word, FF_OF | FF_NX, 0x7f7fffff, 0x7f7fffff, 0x7f7fffff, 0, fadd.s f3, f0, f1, rtz)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
