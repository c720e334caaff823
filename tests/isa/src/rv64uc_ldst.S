# RVC loads/stores: c.lw, c.ld, c.sw, c.sd (x8-x15, scaled offsets) and the sp-relative c.lwsp, c.ldsp, c.swsp, c.sdsp, at minimum and maximum offsets.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  .option push
  .option rvc
  TEST_CASE( 2, a0, 0xffffffff80000001, la a1, tdat; c.lw a0, 0(a1))
  TEST_CASE( 3, a0, 0x000000007ffffff0, la a1, tdat; c.lw a0, 4(a1))
  TEST_CASE( 4, s0, 0x55aa55aa55aa55aa, la a1, tdat; c.ld s0, 8(a1))
  TEST_CASE( 5, a0, 0x1111111122222222, la a1, tdat; c.ld a0, 248(a1))
  TEST_CASE( 6, a0, 0xffffffffdeadbeef, la a1, tdat; c.lw a0, 124(a1))
  TEST_CASE( 7, a0, 0xffffffffcafef00d, la a1, buf; li a2, 0xcafef00d; c.sw a2, 4(a1); lw a0, 4(a1))
  TEST_CASE( 8, a0, 0x00000000ffffffff, la a1, buf; sd x0, 0(a1); li a2, -1; c.sw a2, 0(a1); ld a0, 0(a1))
  TEST_CASE( 9, a0, 0x0123456789abcdef, la a1, buf; li s1, 0x0123456789abcdef; c.sd s1, 248(a1); ld a0, 248(a1))
  TEST_CASE(10, a0, 0x1234, la a1, buf; li a2, 0x1234; c.sw a2, 124(a1); lw a0, 124(a1))
  /* sp-relative */
  TEST_CASE(11, a0, 0xffffffff80000001, la sp, tdat; c.lwsp a0, 0(sp))
  TEST_CASE(12, t6, 0x55aa55aa55aa55aa, la sp, tdat; c.ldsp t6, 8(sp))
  TEST_CASE(13, ra, 0x3333333344444444, la sp, tdat; c.ldsp ra, 504(sp))
  TEST_CASE(14, a0, 0x0000000011111111, la sp, tdat; c.lwsp a0, 252(sp))
  TEST_CASE(15, a0, 0x000000000000abcd, la sp, buf; li t0, 0xabcd; c.swsp t0, 0(sp); lw a0, 0(sp))
  TEST_CASE(16, a0, 0xffffffff87654321, la sp, buf; li t0, 0x87654321; c.swsp t0, 252(sp); lw a0, 252(sp))
  TEST_CASE(17, a0, 0x7766554433221100, la sp, buf; li t0, 0x7766554433221100; c.sdsp t0, 504(sp); ld a0, 504(sp))
  TEST_CASE(18, a0, 0x0f0f0f0f0f0f0f0f, la sp, buf; li x31, 0x0f0f0f0f0f0f0f0f; c.sdsp x31, 16(sp); ld a0, 16(sp))
  .option pop

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat:
  .word 0x80000001, 0x7ffffff0
  .dword 0x55aa55aa55aa55aa
  .skip 124 - 16
  .word 0xdeadbeef
  .skip 248 - 128
  .dword 0x1111111122222222
  .skip 504 - 256
  .dword 0x3333333344444444
  .balign 8
buf: .skip 512
RVTEST_DATA_END
