# feq.s/flt.s/fle.s: ordering incl. -0 == +0; feq is quiet (NV only for signaling NaN), flt/fle are signaling (NV for any NaN); NaN compares false.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_FP_CMP_S( 2, feq.s, 0, 1, -1.36, -1.36)
  TEST_FP_CMP_S( 3, fle.s, 0, 1, -1.36, -1.36)
  TEST_FP_CMP_S( 4, flt.s, 0, 0, -1.36, -1.36)
  TEST_FP_CMP_S( 5, feq.s, 0, 0, -1.37, -1.36)
  TEST_FP_CMP_S( 6, fle.s, 0, 1, -1.37, -1.36)
  TEST_FP_CMP_S( 7, flt.s, 0, 1, -1.37, -1.36)
  TEST_FP_CMP_S( 8, flt.s, 0, 0, 2.0, 1.0)
  TEST_FP_CMP_SX( 9, feq.s, 0, 1, NZERO_S, 0x00000000)
  TEST_FP_CMP_SX(10, flt.s, 0, 0, NZERO_S, 0x00000000)
  TEST_FP_CMP_SX(11, fle.s, 0, 1, 0x00000000, NZERO_S)
  TEST_FP_CMP_SX(12, feq.s, 0, 0, QNAN_S, 0x00000000)
  TEST_FP_CMP_SX(13, feq.s, 0, 0, QNAN_S, QNAN_S)
  TEST_FP_CMP_SX(14, feq.s, FF_NV, 0, SNAN_S, 0x00000000)
  TEST_FP_CMP_SX(15, flt.s, FF_NV, 0, QNAN_S, 0x00000000)
  TEST_FP_CMP_SX(16, flt.s, FF_NV, 0, SNAN_S, 0x00000000)
  TEST_FP_CMP_SX(17, fle.s, FF_NV, 0, 0x00000000, QNAN_S)
  TEST_FP_CMP_SX(18, fle.s, FF_NV, 0, 0x00000000, SNAN_S)
  TEST_FP_CMP_SX(19, flt.s, 0, 1, NINF_S, 0xff7fffff)
  TEST_FP_CMP_SX(20, fle.s, 0, 1, PINF_S, PINF_S)
  TEST_FP_CMP_SX(21, flt.s, 0, 1, 0x00000001, 0x00000002)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
