# fflags/frm/fcsr: field views of fcsr, WARL widths, swap semantics of fsflags/fsrm/fscsr and the immediate forms, flag accumulation, dynamic rounding from frm.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64UF
RVTEST_CODE_BEGIN

  TEST_NUM(2); fscsr x0; li a1, 0xff; fscsr a2, a1; CHECK_EQ(a2, 0); frcsr a3; CHECK_EQ(a3, 0xff)
  TEST_NUM(3); frflags a3; CHECK_EQ(a3, 0x1f); frrm a3; CHECK_EQ(a3, 7)
  /* bits above fcsr[7:0] read as zero */
  TEST_NUM(4); li a1, -1; fscsr a1; frcsr a3; CHECK_EQ(a3, 0xff)
  TEST_NUM(5); li a1, -1; fsflags a1; frflags a3; CHECK_EQ(a3, 0x1f)
  /* writing fflags leaves frm alone and vice versa */
  TEST_NUM(6); li a1, 0x41; fscsr a1; fsflagsi 0x3; frcsr a3; CHECK_EQ(a3, 0x43)
  TEST_NUM(7); fsrmi a2, 5; CHECK_EQ(a2, 2); frcsr a3; CHECK_EQ(a3, 0xa3)
  TEST_NUM(8); fsflagsi a2, 0; CHECK_EQ(a2, 3); frcsr a3; CHECK_EQ(a3, 0xa0)
  TEST_NUM(9); csrrsi a2, fflags, 0x10; csrrci a3, fflags, 0x10; CHECK_EQ(a2, 0); frflags a4; CHECK_EQ(a4, 0); CHECK_EQ(a3, 0x10)
  TEST_NUM(10); li a1, 0x60; csrrs a2, fcsr, a1; frrm a3; CHECK_EQ(a3, 7); csrrc a2, fcsr, a1; frrm a3; CHECK_EQ(a3, 4)
  TEST_NUM(11); fscsr x0
  /* flags accumulate: an NX then a DZ op */
  TEST_NUM(12); la a0, fdat; flw f0, 0(a0); flw f1, 4(a0); flw f2, 8(a0)
  fdiv.s f3, f0, f1; fdiv.s f4, f0, f2; frflags a3; CHECK_EQ(a3, FF_NX | FF_DZ)
  /* an exact op does not clear flags */
  TEST_NUM(13); fadd.s f4, f0, f0; frflags a3; CHECK_EQ(a3, FF_NX | FF_DZ)
  /* dynamic rounding: 1 + 2^-24 under each frm */
  TEST_NUM(14); fsflags x0; la a0, fdat; flw f0, 12(a0); flw f1, 16(a0)
  fsrmi 0; fadd.s f3, f0, f1; fmv.x.w a2, f3; CHECK_EQ(a2, 0x3f800000)
  TEST_NUM(15); fsrmi 3; fadd.s f3, f0, f1; fmv.x.w a2, f3; CHECK_EQ(a2, 0x3f800001)
  TEST_NUM(16); fsrmi 4; fadd.s f3, f0, f1; fmv.x.w a2, f3; CHECK_EQ(a2, 0x3f800001)
  TEST_NUM(17); fsrmi 1; fadd.s f3, f0, f1; fmv.x.w a2, f3; CHECK_EQ(a2, 0x3f800000)
  /* a static rounding mode overrides frm */
  TEST_NUM(18); fsrmi 3; fadd.s f3, f0, f1, rne; fmv.x.w a2, f3; CHECK_EQ(a2, 0x3f800000)
  TEST_NUM(19); fsrmi 2; fcvt.l.s a2, f1, dyn; CHECK_EQ(a2, 0); fcvt.l.s a2, f1, rup; CHECK_EQ(a2, 1)
  TEST_NUM(20); fscsr x0; frcsr a3; CHECK_EQ(a3, 0)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
fdat: .float 1.0, 3.0, 0.0, 1.0
  .word 0x33800000
RVTEST_DATA_END
