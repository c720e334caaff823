# sb, sh, sw, sd: stored value read back, only the addressed bytes change, negative offsets.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_ST_OP( 2, lb, sb, 0xffffffffffffffaa, 0, tdat)
  TEST_ST_OP( 3, lb, sb, 0x0000000000000000, 1, tdat)
  TEST_ST_OP( 4, lbu, sb, 0x00000000000000a0, -1, tdat + 8)
  TEST_ST_OP( 5, lh, sh, 0xffffffffffffaa00, 2, tdat)
  TEST_ST_OP( 6, lhu, sh, 0x000000000000a00a, -2, tdat + 8)
  TEST_ST_OP( 7, lw, sw, 0xffffffffaa00aa00, 4, tdat)
  TEST_ST_OP( 8, lwu, sw, 0x00000000a00aa00a, -4, tdat + 16)
  TEST_ST_OP( 9, ld, sd, 0xaabbccddeeff0011, 8, tdat)
  TEST_ST_OP(10, ld, sd, 0x00aa00aa00aa00aa, -8, tdat + 24)
  TEST_ST_WIDTH(11, sb, 0x1234567890abcdef, 0xffffffffffffffef, 0, tdat)
  TEST_ST_WIDTH(12, sh, 0x1234567890abcdef, 0xffffffffffffcdef, 0, tdat)
  TEST_ST_WIDTH(13, sw, 0x1234567890abcdef, 0xffffffff90abcdef, 0, tdat)
  TEST_ST_WIDTH(14, sd, 0x1234567890abcdef, 0x1234567890abcdef, 0, tdat)
  /* byte lanes: sb at offset 5 of a doubleword */
  TEST_CASE(15, x14, 0x0000330000000000, la x1, tdat; sd x0, 16(x1); li x2, 0x33; sb x2, 21(x1); ld x14, 16(x1))
  TEST_CASE(16, x14, 0x1122000000000000, la x1, tdat; sd x0, 16(x1); li x2, 0x1122; sh x2, 22(x1); ld x14, 16(x1))
  TEST_CASE(17, x14, 0x8765432100000000, la x1, tdat; sd x0, 16(x1); li x2, 0x87654321; sw x2, 20(x1); ld x14, 16(x1))
  /* storing x0 writes zero */
  TEST_CASE(18, x14, 0, la x1, tdat; li x2, -1; sd x2, 0(x1); sd x0, 0(x1); ld x14, 0(x1))
  /* 12-bit offsets at both extremes */
  TEST_CASE(19, x14, 0x5a5a, la x1, tdat + 2048; li x2, 0x5a5a; sh x2, -2048(x1); la x3, tdat; lhu x14, 0(x3); li TESTNUM, 19)
  TEST_CASE(20, x14, 0x77, la x1, tdat + 8 - 2047; li x2, 0x77; sb x2, 2047(x1); la x3, tdat; lbu x14, 8(x3); li TESTNUM, 20)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN

  .balign 8
tdat: .dword 0xefefefefefefefef, 0xefefefefefefefef, 0xefefefefefefefef, 0xefefefefefefefef
RVTEST_DATA_END
