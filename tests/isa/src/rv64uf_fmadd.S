# fmadd.s, fmsub.s, fnmsub.s, fnmadd.s: signs, single rounding (fused), inf*0+qNaN raises NV.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_FP_OP3_S( 2, fmadd.s, 0, 3.5, 1.0, 2.5, 1.0)
  TEST_FP_OP3_S( 3, fmadd.s, FF_NX, 1236.2, -1.0, -1235.1, 1.1)
  TEST_FP_OP3_S( 4, fmadd.s, 0, -12.0, 2.0, -5.0, -2.0)
  TEST_FP_OP3_S( 5, fnmadd.s, 0, -3.5, 1.0, 2.5, 1.0)
  TEST_FP_OP3_S( 6, fnmadd.s, FF_NX, -1236.2, -1.0, -1235.1, 1.1)
  TEST_FP_OP3_S( 7, fnmadd.s, 0, 12.0, 2.0, -5.0, -2.0)
  TEST_FP_OP3_S( 8, fmsub.s, 0, 1.5, 1.0, 2.5, 1.0)
  TEST_FP_OP3_S( 9, fmsub.s, FF_NX, 1234, -1.0, -1235.1, 1.1)
  TEST_FP_OP3_S(10, fmsub.s, 0, -8.0, 2.0, -5.0, -2.0)
  TEST_FP_OP3_S(11, fnmsub.s, 0, -1.5, 1.0, 2.5, 1.0)
  TEST_FP_OP3_S(12, fnmsub.s, FF_NX, -1234, -1.0, -1235.1, 1.1)
  TEST_FP_OP3_S(13, fnmsub.s, 0, 8.0, 2.0, -5.0, -2.0)
  /* fused: (1+2^-12)^2 - (1+2^-11) = 2^-24 exactly; unfused would give 0 */
  TEST_FP_OP3_SX(14, fmadd.s, 0, 0x33800000, 0x3f800800, 0x3f800800, 0xbf801000)
  TEST_FP_OP3_SX(15, fnmsub.s, 0, 0xb3800000, 0x3f800800, 0x3f800800, 0x3f801000)
  TEST_FP_OP3_SX(16, fmadd.s, FF_NV, QNAN_S, PINF_S, 0x00000000, QNAN_S)
  TEST_FP_OP3_SX(17, fmadd.s, FF_NV, QNAN_S, PINF_S, 0x3f800000, NINF_S)
  TEST_FP_OP3_SX(18, fmsub.s, 0, QNAN_S, 0x3f800000, 0x3f800000, 0x7fc00001)
  TEST_FP_OP3_SX(19, fnmadd.s, FF_NV, QNAN_S, SNAN_S, 0x3f800000, 0x3f800000)
  /* exact zero result sign: 1*1 - 1 = +0 (rne); fnmadd: -(1*1) - (-1) = +0 */
  TEST_FP_OP3_SX(20, fmsub.s, 0, 0x00000000, 0x3f800000, 0x3f800000, 0x3f800000)
  TEST_FP_OP3_SX(21, fnmadd.s, 0, 0x00000000, 0x3f800000, 0x3f800000, 0xbf800000)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
