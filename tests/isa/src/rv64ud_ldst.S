# flw/fsw/fld/fsd (offsets, bit patterns preserved incl. signaling NaNs) and the compressed c.fld, c.fsd, c.fldsp, c.fsdsp.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_NUM(2); la a0, tdat; flw f1, 4(a0); fmv.x.w a2, f1; CHECK_EQ(a2, 0x7f800001)
  TEST_NUM(3); la a0, tdat; fld f1, 8(a0); fmv.x.d a2, f1; CHECK_EQ(a2, 0x7ff0000000000001)
  TEST_NUM(4); la a0, tdat + 32; fld f1, -24(a0); fsd f1, 16(a0); la a0, tdat; ld a2, 48(a0); CHECK_EQ(a2, 0x7ff0000000000001)
  TEST_NUM(5); la a0, tdat; li a1, 0xc0490fdb; fmv.w.x f2, a1; fsw f2, 56(a0); lw a2, 56(a0); CHECK_EQ(a2, 0xffffffffc0490fdb); lw a2, 60(a0); CHECK_EQ(a2, 0)
  TEST_NUM(6); fsflags x0; la a0, tdat; flw f1, 4(a0); fsw f1, 24(a0); frflags a3; CHECK_EQ(a3, 0)
  .option push
  .option rvc
  TEST_NUM(10); la a1, tdat; c.fld f8, 8(a1); fmv.x.d a2, f8; CHECK_EQ(a2, 0x7ff0000000000001)
  TEST_NUM(11); la a1, tdat; c.fld f15, 248(a1); fmv.x.d a2, f15; CHECK_EQ(a2, 0x4000000000000000)
  TEST_NUM(12); la a1, tdat; li a2, 0x400921fb54442d18; fmv.d.x f9, a2; c.fsd f9, 64(a1); ld a3, 64(a1); CHECK_EQ(a3, 0x400921fb54442d18)
  TEST_NUM(13); la a1, tdat; li a2, 0x1122334455667788; fmv.d.x f10, a2; c.fsd f10, 248(a1); ld a3, 248(a1); CHECK_EQ(a3, 0x1122334455667788)
  TEST_NUM(14); la sp, tdat; c.fldsp f1, 8(sp); fmv.x.d a2, f1; CHECK_EQ(a2, 0x7ff0000000000001)
  TEST_NUM(15); la sp, tdat; c.fldsp f31, 504(sp); fmv.x.d a2, f31; CHECK_EQ(a2, 0xbff0000000000000)
  TEST_NUM(16); la sp, tdat; li a2, 0x0102030405060708; fmv.d.x f20, a2; c.fsdsp f20, 72(sp); ld a3, 72(sp); CHECK_EQ(a3, 0x0102030405060708)
  TEST_NUM(17); la sp, tdat; li a2, 0x8000000000000000; fmv.d.x f0, a2; c.fsdsp f0, 504(sp); ld a3, 504(sp); CHECK_EQ(a3, 0x8000000000000000)
  .option pop

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat:
  .word 0x3f800000, 0x7f800001
  .dword 0x7ff0000000000001
  .skip 248 - 16
  .dword 0x4000000000000000
  .skip 504 - 256
  .dword 0xbff0000000000000
  .skip 64
RVTEST_DATA_END
