# fcvt.{w,wu,l,lu}.s (rounding modes, NX, saturation with NV for out-of-range/inf/NaN, 32-bit results sign-extended) and fcvt.s.{w,wu,l,lu} (low 32 bits used for w/wu, rounding with NX).
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_FCVT_TO_INT_S( 2, fcvt.w.s, rtz, FF_NX, -1, -1.1)
  TEST_FCVT_TO_INT_S( 3, fcvt.w.s, rtz, 0, -1, -1.0)
  TEST_FCVT_TO_INT_S( 4, fcvt.w.s, rtz, FF_NX, 0, -0.9)
  TEST_FCVT_TO_INT_S( 5, fcvt.w.s, rtz, FF_NX, 0, 0.9)
  TEST_FCVT_TO_INT_S( 6, fcvt.w.s, rtz, FF_NX, 1, 1.1)
  TEST_FCVT_TO_INT_S( 7, fcvt.w.s, rne, FF_NX, 2, 2.5)
  TEST_FCVT_TO_INT_S( 8, fcvt.w.s, rne, FF_NX, 4, 3.5)
  TEST_FCVT_TO_INT_S( 9, fcvt.w.s, rmm, FF_NX, 3, 2.5)
  TEST_FCVT_TO_INT_S(10, fcvt.w.s, rmm, FF_NX, -3, -2.5)
  TEST_FCVT_TO_INT_S(11, fcvt.w.s, rdn, FF_NX, -2, -1.1)
  TEST_FCVT_TO_INT_S(12, fcvt.w.s, rup, FF_NX, 2, 1.1)
  TEST_FCVT_TO_INT_S(13, fcvt.w.s, rup, FF_NX, -1, -1.9)
  TEST_FCVT_TO_INT_S(14, fcvt.w.s, rtz, FF_NV, 0xffffffff80000000, -3e9)
  TEST_FCVT_TO_INT_S(15, fcvt.w.s, rtz, FF_NV, 0x000000007fffffff, 3e9)
  TEST_FCVT_TO_INT_SX(16, fcvt.w.s, rtz, FF_NV, 0x000000007fffffff, PINF_S)
  TEST_FCVT_TO_INT_SX(17, fcvt.w.s, rtz, FF_NV, 0xffffffff80000000, NINF_S)
  TEST_FCVT_TO_INT_SX(18, fcvt.w.s, rtz, FF_NV, 0x000000007fffffff, QNAN_S)
  TEST_FCVT_TO_INT_SX(19, fcvt.w.s, rtz, FF_NV, 0x000000007fffffff, 0xffc00000)
  TEST_FCVT_TO_INT_SX(20, fcvt.w.s, rtz, 0, 0xffffffff80000000, 0xcf000000)
  TEST_FCVT_TO_INT_S(21, fcvt.wu.s, rtz, FF_NV, 0, -3.0)
  TEST_FCVT_TO_INT_S(22, fcvt.wu.s, rtz, FF_NV, 0, -1.0)
  TEST_FCVT_TO_INT_S(23, fcvt.wu.s, rtz, FF_NX, 0, -0.9)
  TEST_FCVT_TO_INT_S(24, fcvt.wu.s, rtz, FF_NX, 1, 1.1)
  TEST_FCVT_TO_INT_S(25, fcvt.wu.s, rtz, FF_NV, 0xffffffffffffffff, 5e9)
  TEST_FCVT_TO_INT_S(26, fcvt.wu.s, rtz, 0, 0xffffffffb2d05e00, 3e9)
  TEST_FCVT_TO_INT_SX(27, fcvt.wu.s, rtz, FF_NV, 0xffffffffffffffff, QNAN_S)
  TEST_FCVT_TO_INT_SX(28, fcvt.wu.s, rtz, FF_NV, 0, NINF_S)
  TEST_FCVT_TO_INT_S(30, fcvt.l.s, rtz, FF_NX, -1, -1.1)
  TEST_FCVT_TO_INT_S(31, fcvt.l.s, rtz, 0, 3000000000, 3e9)
  TEST_FCVT_TO_INT_S(32, fcvt.l.s, rtz, FF_NV, 0x7fffffffffffffff, 1e19)
  TEST_FCVT_TO_INT_S(33, fcvt.l.s, rtz, FF_NV, 0x8000000000000000, -1e19)
  TEST_FCVT_TO_INT_SX(34, fcvt.l.s, rtz, FF_NV, 0x7fffffffffffffff, QNAN_S)
  TEST_FCVT_TO_INT_SX(35, fcvt.l.s, rtz, FF_NV, 0x7fffffffffffffff, PINF_S)
  TEST_FCVT_TO_INT_S(36, fcvt.lu.s, rtz, FF_NV, 0, -3.0)
  TEST_FCVT_TO_INT_S(37, fcvt.lu.s, rtz, 0, 10000000000, 1e10)
  TEST_FCVT_TO_INT_S(38, fcvt.lu.s, rtz, FF_NV, 0xffffffffffffffff, 2e19)
  TEST_FCVT_TO_INT_SX(39, fcvt.lu.s, rtz, FF_NV, 0xffffffffffffffff, QNAN_S)
  TEST_FCVT_TO_INT_SX(40, fcvt.lu.s, rtz, FF_NV, 0, NINF_S)
  /* dynamic rounding mode from frm */
  TEST_NUM(41); fsrmi 2; la a0, 8f; flw f0, 0(a0); fsflags x0; fcvt.w.s a2, f0; fsflags a1, x0; fsrmi 0; CHECK_EQ(a2, -2); CHECK_EQ(a1, FF_NX); j 9f
  .pushsection .data; .balign 4; 8: .float -1.5; .popsection; 9:
  /* int -> single */
  TEST_INT_FP_S(50, fcvt.s.w, 0, 2.0, 2)
  TEST_INT_FP_S(51, fcvt.s.w, 0, -2.0, -2)
  TEST_INT_FP_S(52, fcvt.s.w, 0, 5.0, 0xffffffff00000005)
  TEST_INT_FP_S(53, fcvt.s.w, FF_NX, 2147483648.0, 0x7fffffff)
  TEST_INT_FP_S(54, fcvt.s.w, 0, -2147483648.0, 0x80000000)
  TEST_INT_FP_S(55, fcvt.s.wu, 0, 2.0, 2)
  TEST_INT_FP_S(56, fcvt.s.wu, FF_NX, 4294967296.0, -1)
  TEST_INT_FP_S(57, fcvt.s.wu, 0, 2147483648.0, 0xffffffff80000000)
  TEST_INT_FP_S(58, fcvt.s.l, 0, -2.0, -2)
  TEST_INT_FP_S(59, fcvt.s.l, FF_NX, 9223372036854775808.0, 0x7fffffffffffffff)
  TEST_INT_FP_S(60, fcvt.s.l, 0, -9223372036854775808.0, 0x8000000000000000)
  TEST_INT_FP_S(61, fcvt.s.lu, FF_NX, 18446744073709551616.0, -1)
  TEST_INT_FP_S(62, fcvt.s.lu, 0, 0.0, 0)
  TEST_INT_FP_S(63, fcvt.s.w, FF_NX, 16777216.0, 16777217)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
