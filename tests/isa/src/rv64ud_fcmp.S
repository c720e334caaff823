# feq.d/flt.d/fle.d: ordering incl. -0 == +0, quiet vs signaling comparisons and NaN operands.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_FP_CMP_D( 2, feq.d, 0, 1, -1.36, -1.36)
  TEST_FP_CMP_D( 3, fle.d, 0, 1, -1.36, -1.36)
  TEST_FP_CMP_D( 4, flt.d, 0, 0, -1.36, -1.36)
  TEST_FP_CMP_D( 5, feq.d, 0, 0, -1.37, -1.36)
  TEST_FP_CMP_D( 6, fle.d, 0, 1, -1.37, -1.36)
  TEST_FP_CMP_D( 7, flt.d, 0, 1, -1.37, -1.36)
  TEST_FP_CMP_DX( 8, feq.d, 0, 1, NZERO_D, 0x0000000000000000)
  TEST_FP_CMP_DX( 9, flt.d, 0, 0, 0x0000000000000000, NZERO_D)
  TEST_FP_CMP_DX(10, feq.d, 0, 0, QNAN_D, 0x0000000000000000)
  TEST_FP_CMP_DX(11, feq.d, FF_NV, 0, SNAN_D, 0x0000000000000000)
  TEST_FP_CMP_DX(12, flt.d, FF_NV, 0, QNAN_D, 0x0000000000000000)
  TEST_FP_CMP_DX(13, fle.d, FF_NV, 0, 0x0000000000000000, QNAN_D)
  TEST_FP_CMP_DX(14, flt.d, 0, 1, 0x0000000000000001, 0x0000000000000002)
  TEST_FP_CMP_DX(15, fle.d, 0, 1, NINF_D, NINF_D)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
