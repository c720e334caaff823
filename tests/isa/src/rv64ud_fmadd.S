# fmadd.d, fmsub.d, fnmsub.d, fnmadd.d: signs, single rounding, inf*0+qNaN raises NV.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_FP_OP3_D( 2, fmadd.d, 0, 3.5, 1.0, 2.5, 1.0)
  TEST_FP_OP3_D( 3, fmadd.d, FF_NX, 1236.1999999999998, -1.0, -1235.1, 1.1)
  TEST_FP_OP3_D( 4, fmadd.d, 0, -12.0, 2.0, -5.0, -2.0)
  TEST_FP_OP3_D( 5, fnmadd.d, 0, -3.5, 1.0, 2.5, 1.0)
  TEST_FP_OP3_D( 6, fnmadd.d, FF_NX, -1236.1999999999998, -1.0, -1235.1, 1.1)
  TEST_FP_OP3_D( 7, fnmadd.d, 0, 12.0, 2.0, -5.0, -2.0)
  TEST_FP_OP3_D( 8, fmsub.d, 0, 1.5, 1.0, 2.5, 1.0)
  TEST_FP_OP3_D( 9, fmsub.d, FF_NX, 1234, -1.0, -1235.1, 1.1)
  TEST_FP_OP3_D(10, fmsub.d, 0, -8.0, 2.0, -5.0, -2.0)
  TEST_FP_OP3_D(11, fnmsub.d, 0, -1.5, 1.0, 2.5, 1.0)
  TEST_FP_OP3_D(12, fnmsub.d, FF_NX, -1234, -1.0, -1235.1, 1.1)
  TEST_FP_OP3_D(13, fnmsub.d, 0, 8.0, 2.0, -5.0, -2.0)
  /* fused: (1+2^-27)^2 - (1+2^-26) = 2^-54 exactly */
  TEST_FP_OP3_DX(14, fmadd.d, 0, 0x3c90000000000000, 0x3ff0000002000000, 0x3ff0000002000000, 0xbff0000004000000)
  TEST_FP_OP3_DX(15, fmadd.d, FF_NV, QNAN_D, PINF_D, 0x0000000000000000, QNAN_D)
  TEST_FP_OP3_DX(16, fnmsub.d, FF_NV, QNAN_D, 0x3ff0000000000000, 0x3ff0000000000000, SNAN_D)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
