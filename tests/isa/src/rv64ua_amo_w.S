# amoswap/amoadd/amoxor/amoand/amoor/amomin/amomax/amominu/amomaxu .w: 32-bit operation, rd gets the sign-extended old word, upper word of memory untouched, operand upper bits ignored.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

/* mem = init (doubleword); inst rd, op, (mem); check rd and the whole doubleword */
#define TEST_AMO(n, inst, init, op, rd_expect, mem_expect) \
  TEST_NUM(n); la a0, amo_dat; li a1, init; sd a1, 0(a0); li a2, op; \
  inst a4, a2, (a0); li x7, rd_expect; BR_FAIL_NE(a4, x7); \
  ld a5, 0(a0); li x7, mem_expect; BR_FAIL_NE(a5, x7)

  TEST_AMO( 2, amoswap.w,    0x1111111180000000, 0x22222222aaaaaaaa, 0xffffffff80000000, 0x11111111aaaaaaaa)
  TEST_AMO( 3, amoswap.w.aq, 0x111111117fffffff, 0x0000000000000001, 0x000000007fffffff, 0x1111111100000001)
  TEST_AMO( 4, amoadd.w,     0xdeadbeef80000000, 0x1234567880000000, 0xffffffff80000000, 0xdeadbeef00000000)
  TEST_AMO( 5, amoadd.w.rl,  0xdeadbeef7fffffff, 0x0000000000000001, 0x000000007fffffff, 0xdeadbeef80000000)
  TEST_AMO( 6, amoxor.w,     0x00000000ff00ff00, 0xffffffff0ff00ff0, 0xffffffffff00ff00, 0x00000000f0f0f0f0)
  TEST_AMO( 7, amoand.w,     0x55555555ff00ff00, 0x000000000ff00ff0, 0xffffffffff00ff00, 0x555555550f000f00)
  TEST_AMO( 8, amoor.w,      0x5555555500000001, 0x0000000080000000, 0x0000000000000001, 0x5555555580000001)
  TEST_AMO( 9, amomin.w,     0x0000000080000000, 0x000000007fffffff, 0xffffffff80000000, 0x0000000080000000)
  TEST_AMO(10, amomin.w,     0x00000000ffffffff, 0xffffffff00000001, 0xffffffffffffffff, 0x00000000ffffffff)
  TEST_AMO(11, amomin.w,     0x0000000000000005, 0x00000000fffffffe, 0x0000000000000005, 0x00000000fffffffe)
  TEST_AMO(12, amomax.w,     0x0000000080000000, 0x000000007fffffff, 0xffffffff80000000, 0x000000007fffffff)
  TEST_AMO(13, amomax.w,     0x00000000ffffffff, 0xffffffff00000001, 0xffffffffffffffff, 0x0000000000000001)
  TEST_AMO(14, amominu.w,    0x00000000ffffffff, 0xffffffff00000001, 0xffffffffffffffff, 0x0000000000000001)
  TEST_AMO(15, amominu.w,    0x0000000000000001, 0x0000000080000000, 0x0000000000000001, 0x0000000000000001)
  TEST_AMO(16, amomaxu.w,    0x00000000ffffffff, 0xffffffff00000001, 0xffffffffffffffff, 0x00000000ffffffff)
  TEST_AMO(17, amomaxu.w,    0x7777777700000001, 0x0000000080000000, 0x0000000000000001, 0x7777777780000000)
  TEST_AMO(18, amomaxu.w.aqrl, 0x0000000000000003, 0x0000000000000002, 0x0000000000000003, 0x0000000000000003)
  /* rd = x0: memory still updated */
  TEST_NUM(19); la a0, amo_dat; li a1, 5; sd a1, 0(a0); li a2, 7; amoadd.w x0, a2, (a0); ld a5, 0(a0); CHECK_EQ(a5, 12)
  /* rd == rs2 */
  TEST_NUM(20); la a0, amo_dat; li a1, 5; sd a1, 0(a0); li a2, 7; amoswap.w a2, a2, (a0); CHECK_EQ(a2, 5); ld a5, 0(a0); CHECK_EQ(a5, 7)
  /* second word of a doubleword */
  TEST_NUM(21); la a0, amo_dat; li a1, 0x8000000000000001; sd a1, 0(a0); addi a3, a0, 4; li a2, 1; amoadd.w a4, a2, (a3); CHECK_EQ(a4, 0xffffffff80000000); ld a5, 0(a0); CHECK_EQ(a5, 0x8000000100000001)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
amo_dat: .dword 0, 0
RVTEST_DATA_END
