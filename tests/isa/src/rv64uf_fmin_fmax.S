# fmin.s/fmax.s: -0 < +0, a quiet NaN operand is ignored (no flag), a signaling NaN operand is ignored but raises NV, two NaNs give the canonical NaN.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_FP_OP2_S( 2, fmin.s, 0, 1.0, 2.5, 1.0)
  TEST_FP_OP2_S( 3, fmin.s, 0, -1235.1, -1235.1, 1.1)
  TEST_FP_OP2_S( 4, fmin.s, 0, -1235.1, 1.1, -1235.1)
  TEST_FP_OP2_S( 5, fmin.s, 0, 0.00000001, 3.14159265, 0.00000001)
  TEST_FP_OP2_S( 6, fmin.s, 0, -2.0, -1.0, -2.0)
  TEST_FP_OP2_S( 7, fmax.s, 0, 2.5, 2.5, 1.0)
  TEST_FP_OP2_S( 8, fmax.s, 0, 1.1, -1235.1, 1.1)
  TEST_FP_OP2_S( 9, fmax.s, 0, 1.1, 1.1, -1235.1)
  TEST_FP_OP2_S(10, fmax.s, 0, -1.0, -1.0, -2.0)
  TEST_FP_OP2_SX(11, fmin.s, 0, NZERO_S, NZERO_S, 0x00000000)
  TEST_FP_OP2_SX(12, fmin.s, 0, NZERO_S, 0x00000000, NZERO_S)
  TEST_FP_OP2_SX(13, fmax.s, 0, 0x00000000, NZERO_S, 0x00000000)
  TEST_FP_OP2_SX(14, fmax.s, 0, 0x00000000, 0x00000000, NZERO_S)
  TEST_FP_OP2_SX(15, fmin.s, 0, 0x3f800000, QNAN_S, 0x3f800000)
  TEST_FP_OP2_SX(16, fmin.s, 0, 0x3f800000, 0x3f800000, 0x7fc01234)
  TEST_FP_OP2_SX(17, fmax.s, 0, NINF_S, QNAN_S, NINF_S)
  TEST_FP_OP2_SX(18, fmin.s, FF_NV, 0x3f800000, SNAN_S, 0x3f800000)
  TEST_FP_OP2_SX(19, fmax.s, FF_NV, 0xbf800000, 0xbf800000, 0xff800001)
  TEST_FP_OP2_SX(20, fmin.s, 0, QNAN_S, 0x7fc11111, 0xffc22222)
  TEST_FP_OP2_SX(21, fmax.s, FF_NV, QNAN_S, SNAN_S, QNAN_S)
  TEST_FP_OP2_SX(22, fmin.s, 0, NINF_S, NINF_S, PINF_S)
  TEST_FP_OP2_SX(23, fmax.s, 0, PINF_S, NINF_S, PINF_S)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
