# fclass.s (all ten classes) and fclass.d.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_FCLASS_S( 2, 1 << 0, NINF_S)
  TEST_FCLASS_S( 3, 1 << 1, 0xbf800000)
  TEST_FCLASS_S( 4, 1 << 2, 0x807fffff)
  TEST_FCLASS_S( 5, 1 << 3, NZERO_S)
  TEST_FCLASS_S( 6, 1 << 4, 0x00000000)
  TEST_FCLASS_S( 7, 1 << 5, 0x007fffff)
  TEST_FCLASS_S( 8, 1 << 6, 0x3f800000)
  TEST_FCLASS_S( 9, 1 << 7, PINF_S)
  TEST_FCLASS_S(10, 1 << 8, SNAN_S)
  TEST_FCLASS_S(11, 1 << 9, QNAN_S)
  TEST_FCLASS_S(12, 1 << 8, 0xffbfffff)
  TEST_FCLASS_S(13, 1 << 9, 0xffc00001)
  TEST_FCLASS_S(14, 1 << 5, 0x00000001)
  TEST_FCLASS_D(20, 1 << 0, NINF_D)
  TEST_FCLASS_D(21, 1 << 1, 0xbff0000000000000)
  TEST_FCLASS_D(22, 1 << 2, 0x800fffffffffffff)
  TEST_FCLASS_D(23, 1 << 3, NZERO_D)
  TEST_FCLASS_D(24, 1 << 4, 0x0000000000000000)
  TEST_FCLASS_D(25, 1 << 5, 0x000fffffffffffff)
  TEST_FCLASS_D(26, 1 << 6, 0x3ff0000000000000)
  TEST_FCLASS_D(27, 1 << 7, PINF_D)
  TEST_FCLASS_D(28, 1 << 8, SNAN_D)
  TEST_FCLASS_D(29, 1 << 9, QNAN_D)
  TEST_FCLASS_D(30, 1 << 8, 0xfff7ffffffffffff)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
