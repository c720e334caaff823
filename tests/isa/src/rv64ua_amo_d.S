# amoswap/amoadd/amoxor/amoand/amoor/amomin/amomax/amominu/amomaxu .d: 64-bit operation, rd gets the old value, signed vs unsigned min/max.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

/* mem = init (doubleword); inst rd, op, (mem); check rd and the whole doubleword */
#define TEST_AMO(n, inst, init, op, rd_expect, mem_expect) \
  TEST_NUM(n); la a0, amo_dat; li a1, init; sd a1, 0(a0); li a2, op; \
  inst a4, a2, (a0); li x7, rd_expect; BR_FAIL_NE(a4, x7); \
  ld a5, 0(a0); li x7, mem_expect; BR_FAIL_NE(a5, x7)

  TEST_AMO( 2, amoswap.d,  0x8000000000000000, 0x1234567890abcdef, 0x8000000000000000, 0x1234567890abcdef)
  TEST_AMO( 3, amoadd.d,   0xffffffff80000000, 0x0000000080000000, 0xffffffff80000000, 0x0000000000000000)
  TEST_AMO( 4, amoadd.d,   0x7fffffffffffffff, 0x0000000000000001, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_AMO( 5, amoxor.d,   0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xf0f0f0f0f0f0f0f0)
  TEST_AMO( 6, amoand.d,   0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0x0f000f000f000f00)
  TEST_AMO( 7, amoor.d,    0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xff00ff00ff00ff00, 0xfff0fff0fff0fff0)
  TEST_AMO( 8, amomin.d,   0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
  TEST_AMO( 9, amomin.d,   0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff)
  TEST_AMO(10, amomax.d,   0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_AMO(11, amomax.d,   0x00000000ffffffff, 0x0000000100000000, 0x00000000ffffffff, 0x0000000100000000)
  TEST_AMO(12, amominu.d,  0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_AMO(13, amominu.d,  0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001, 0x0000000000000001)
  TEST_AMO(14, amomaxu.d,  0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000, 0x8000000000000000)
  TEST_AMO(15, amomaxu.d,  0x0000000000000001, 0xffffffffffffffff, 0x0000000000000001, 0xffffffffffffffff)
  TEST_AMO(16, amoadd.d.aqrl, 0x0000000100000000, 0x00000000ffffffff, 0x0000000100000000, 0x00000001ffffffff)
  TEST_NUM(17); la a0, amo_dat; li a1, 5; sd a1, 0(a0); li a2, -7; amoadd.d x0, a2, (a0); ld a5, 0(a0); CHECK_EQ(a5, -2)
  TEST_NUM(18); la a0, amo_dat; li a1, 5; sd a1, 8(a0); addi a3, a0, 8; li a2, 9; amoswap.d a2, a2, (a3); CHECK_EQ(a2, 5); ld a5, 8(a0); CHECK_EQ(a5, 9)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
amo_dat: .dword 0, 0
RVTEST_DATA_END
