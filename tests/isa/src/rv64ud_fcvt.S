# fcvt.{w,wu,l,lu}.d and fcvt.d.{w,wu,l,lu} (rounding, saturation, NV/NX), fcvt.s.d (rounding, overflow, NaN canonicalisation, boxed result) and fcvt.d.s (exact, NaN canonicalisation).
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_FCVT_TO_INT_D( 2, fcvt.w.d, rtz, FF_NX, -1, -1.1)
  TEST_FCVT_TO_INT_D( 3, fcvt.w.d, rtz, 0, -1, -1.0)
  TEST_FCVT_TO_INT_D( 4, fcvt.w.d, rtz, FF_NX, 0, -0.9)
  TEST_FCVT_TO_INT_D( 5, fcvt.w.d, rne, FF_NX, 2, 2.5)
  TEST_FCVT_TO_INT_D( 6, fcvt.w.d, rmm, FF_NX, 3, 2.5)
  TEST_FCVT_TO_INT_D( 7, fcvt.w.d, rdn, FF_NX, -2, -1.1)
  TEST_FCVT_TO_INT_D( 8, fcvt.w.d, rup, FF_NX, 2, 1.1)
  TEST_FCVT_TO_INT_D( 9, fcvt.w.d, rtz, FF_NV, 0xffffffff80000000, -3e9)
  TEST_FCVT_TO_INT_D(10, fcvt.w.d, rtz, FF_NV, 0x000000007fffffff, 3e9)
  TEST_FCVT_TO_INT_D(11, fcvt.w.d, rtz, FF_NX, 0x000000007fffffff, 2147483647.5)
  TEST_FCVT_TO_INT_DX(12, fcvt.w.d, rtz, FF_NV, 0x000000007fffffff, QNAN_D)
  TEST_FCVT_TO_INT_DX(13, fcvt.w.d, rtz, FF_NV, 0xffffffff80000000, NINF_D)
  TEST_FCVT_TO_INT_D(14, fcvt.wu.d, rtz, FF_NV, 0, -3.0)
  TEST_FCVT_TO_INT_D(15, fcvt.wu.d, rtz, FF_NX, 0, -0.9)
  TEST_FCVT_TO_INT_D(16, fcvt.wu.d, rtz, 0, 0xffffffffffffffff, 4294967295.0)
  TEST_FCVT_TO_INT_D(17, fcvt.wu.d, rtz, FF_NV, 0xffffffffffffffff, 4294967296.0)
  TEST_FCVT_TO_INT_DX(18, fcvt.wu.d, rtz, FF_NV, 0xffffffffffffffff, QNAN_D)
  TEST_FCVT_TO_INT_D(20, fcvt.l.d, rtz, FF_NX, -1, -1.1)
  TEST_FCVT_TO_INT_D(21, fcvt.l.d, rtz, 0, 0x0000000100000000, 4294967296.0)
  TEST_FCVT_TO_INT_D(22, fcvt.l.d, rtz, FF_NV, 0x7fffffffffffffff, 1e19)
  TEST_FCVT_TO_INT_D(23, fcvt.l.d, rtz, FF_NV, 0x8000000000000000, -1e19)
  TEST_FCVT_TO_INT_D(24, fcvt.l.d, rtz, 0, 0x8000000000000000, -9223372036854775808.0)
  TEST_FCVT_TO_INT_DX(25, fcvt.l.d, rtz, FF_NV, 0x7fffffffffffffff, QNAN_D)
  TEST_FCVT_TO_INT_D(26, fcvt.lu.d, rtz, FF_NV, 0, -3.0)
  TEST_FCVT_TO_INT_D(27, fcvt.lu.d, rtz, 0, 0x8000000000000000, 9223372036854775808.0)
  TEST_FCVT_TO_INT_D(28, fcvt.lu.d, rtz, FF_NV, 0xffffffffffffffff, 2e19)
  TEST_FCVT_TO_INT_DX(29, fcvt.lu.d, rtz, FF_NV, 0xffffffffffffffff, PINF_D)
  TEST_FCVT_TO_INT_D(30, fcvt.lu.d, rup, FF_NX, 2, 1.1)
  TEST_INT_FP_D(40, fcvt.d.w, 0, 2.0, 2)
  TEST_INT_FP_D(41, fcvt.d.w, 0, -2.0, 0x12345678fffffffe)
  TEST_INT_FP_D(42, fcvt.d.wu, 0, 4294967295.0, -1)
  TEST_INT_FP_D(43, fcvt.d.l, 0, -2.0, -2)
  TEST_INT_FP_D(44, fcvt.d.l, FF_NX, 9223372036854775808.0, 0x7fffffffffffffff)
  TEST_INT_FP_D(45, fcvt.d.lu, FF_NX, 18446744073709551616.0, -1)
  TEST_INT_FP_D(46, fcvt.d.l, 0, 9007199254740992.0, 9007199254740992)
  TEST_INT_FP_D(47, fcvt.d.l, FF_NX, 9007199254740992.0, 9007199254740993)
  /* double <-> single */
  TEST_FP_D_(50, .dword, 0, 0x3ff8000000000000, 0xffffffff00000000 | 0x3fc00000, 0, 0, fcvt.d.s f3, f0)
  TEST_FP_D_(51, .dword, 0, NZERO_D, 0xffffffff00000000 | NZERO_S, 0, 0, fcvt.d.s f3, f0)
  TEST_FP_D_(52, .dword, 0, QNAN_D, 0xffffffff00000000 | 0x7fc12345, 0, 0, fcvt.d.s f3, f0)
  TEST_FP_D_(53, .dword, FF_NV, QNAN_D, 0xffffffff00000000 | SNAN_S, 0, 0, fcvt.d.s f3, f0)
  TEST_FP_D_(54, .dword, 0, 0x36a0000000000000, 0xffffffff00000000 | 0x00000001, 0, 0, fcvt.d.s f3, f0)
  TEST_NUM(60); la a0, 8f; fld f0, 0(a0); fsflags x0; fcvt.s.d f3, f0; fsflags a1, x0; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffff3fc00000); CHECK_EQ(a1, 0); j 9f
  .pushsection .data; .balign 8; 8: .double 1.5; .popsection; 9:
  TEST_NUM(61); la a0, 8f; fld f0, 0(a0); fsflags x0; fcvt.s.d f3, f0; fsflags a1, x0; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffff3f8ccccd); CHECK_EQ(a1, FF_NX); j 9f
  .pushsection .data; .balign 8; 8: .double 1.1; .popsection; 9:
  TEST_NUM(62); la a0, 8f; fld f0, 0(a0); fsflags x0; fcvt.s.d f3, f0; fsflags a1, x0; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffff7f800000); CHECK_EQ(a1, FF_OF | FF_NX); j 9f
  .pushsection .data; .balign 8; 8: .double 1e300; .popsection; 9:
  TEST_NUM(63); la a0, 8f; fld f0, 0(a0); fsflags x0; fcvt.s.d f3, f0; fsflags a1, x0; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffff7fc00000); CHECK_EQ(a1, FF_NV); j 9f
  .pushsection .data; .balign 8; 8: .dword SNAN_D; .popsection; 9:
  TEST_NUM(64); la a0, 8f; fld f0, 0(a0); fsflags x0; fcvt.s.d f3, f0, rtz; fsflags a1, x0; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffff3f8ccccc); CHECK_EQ(a1, FF_NX); j 9f
  .pushsection .data; .balign 8; 8: .double 1.1; .popsection; 9:
  TEST_NUM(65); la a0, 8f; fld f0, 0(a0); fsflags x0; fcvt.s.d f3, f0; fsflags a1, x0; fmv.x.d a2, f3; CHECK_EQ(a2, 0xffffffff00000000); CHECK_EQ(a1, FF_UF | FF_NX); j 9f
  .pushsection .data; .balign 8; 8: .double 1e-300; .popsection; 9:

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
