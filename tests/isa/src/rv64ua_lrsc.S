# lr.w/lr.d and sc.w/sc.d: success, sign extension of lr.w, SC fails without a reservation, after an intervening store to the reserved word, after an SC to another address (which also drops the reservation); an lr/sc increment loop.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  /* lr.w sign-extends; sc.w succeeds with 0 and writes the low word */
  TEST_NUM(2); la a0, dat; li a1, 0x1234567880000001; sd a1, 0(a0)
  lr.w a4, (a0); CHECK_EQ(a4, 0xffffffff80000001)
  li a2, 0xaaaaaaaa00000042; sc.w a5, a2, (a0); CHECK_EQ(a5, 0)
  ld a6, 0(a0); CHECK_EQ(a6, 0x1234567800000042)
  /* a second sc.w without a new lr fails and does not write */
  TEST_NUM(3); la a0, dat; li a2, 0x77; sc.w a5, a2, (a0); CHECK_NE(a5, 0)
  ld a6, 0(a0); CHECK_EQ(a6, 0x1234567800000042)
  /* lr.d / sc.d */
  TEST_NUM(4); la a0, dat; li a1, 0x8000000000000000; sd a1, 8(a0); addi a3, a0, 8
  lr.d a4, (a3); CHECK_EQ(a4, 0x8000000000000000)
  li a2, 0x0123456789abcdef; sc.d a5, a2, (a3); CHECK_EQ(a5, 0)
  ld a6, 8(a0); CHECK_EQ(a6, 0x0123456789abcdef)
  /* intervening store (different value) to the reserved doubleword */
  TEST_NUM(5); la a0, dat; li a1, 10; sd a1, 0(a0)
  lr.d a4, (a0); li a1, 11; sd a1, 0(a0)
  li a2, 99; sc.d a5, a2, (a0); CHECK_NE(a5, 0)
  ld a6, 0(a0); CHECK_EQ(a6, 11)
  /* intervening store to the reserved word (sw) */
  TEST_NUM(6); la a0, dat; li a1, 10; sw a1, 0(a0)
  lr.w a4, (a0); li a1, 12; sw a1, 0(a0)
  li a2, 99; sc.w a5, a2, (a0); CHECK_NE(a5, 0)
  lw a6, 0(a0); CHECK_EQ(a6, 12)
  /* sc to another address fails ... */
  TEST_NUM(7); la a0, dat; li a1, 1; sd a1, 0(a0); sd a1, 8(a0)
  lr.d a4, (a0); addi a3, a0, 8; li a2, 2; sc.d a5, a2, (a3); CHECK_NE(a5, 0)
  ld a6, 8(a0); CHECK_EQ(a6, 1)
  /* ... and consumes the reservation: a following sc to the lr address fails */
  TEST_NUM(8); li a2, 3; sc.d a5, a2, (a0); CHECK_NE(a5, 0)
  ld a6, 0(a0); CHECK_EQ(a6, 1)
  /* a successful sc also consumes the reservation */
  TEST_NUM(9); lr.d a4, (a0); li a2, 4; sc.d a5, a2, (a0); CHECK_EQ(a5, 0)
  li a2, 5; sc.d a5, a2, (a0); CHECK_NE(a5, 0); ld a6, 0(a0); CHECK_EQ(a6, 4)
  /* a newer lr replaces the reservation */
  TEST_NUM(10); addi a3, a0, 8; lr.d a4, (a0); lr.d a4, (a3); li a2, 6; sc.d a5, a2, (a3); CHECK_EQ(a5, 0); ld a6, 8(a0); CHECK_EQ(a6, 6)
  /* lr/sc increment loop, 100 iterations */
  TEST_NUM(11); la a0, dat; sd x0, 16(a0); addi a3, a0, 16; li t0, 100
1: lr.w.aq a4, (a3); addi a4, a4, 1; sc.w.rl a5, a4, (a3); bnez a5, 1b; addi t0, t0, -1; bnez t0, 1b
  lw a6, 16(a0); CHECK_EQ(a6, 100)
  /* rd of a successful sc is written even when it equals rs2 */
  TEST_NUM(12); la a0, dat; lr.d a4, (a0); li a2, 77; sc.d a2, a2, (a0); CHECK_EQ(a2, 0); ld a6, 0(a0); CHECK_EQ(a6, 77)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 16
dat: .dword 0, 0, 0, 0
RVTEST_DATA_END
