# div, divu, rem, remu, divw, divuw, remw, remuw: truncation toward zero, sign of the remainder, division by zero and signed overflow results.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_RR_OP( 2, div, 3, 20, 6)
  TEST_RR_OP( 3, div, -3, -20, 6)
  TEST_RR_OP( 4, div, -3, 20, -6)
  TEST_RR_OP( 5, div, 3, -20, -6)
  TEST_RR_OP( 6, div, 0x8000000000000000, 0x8000000000000000, -1)
  TEST_RR_OP( 7, div, -1, 0x8000000000000000, 0)
  TEST_RR_OP( 8, div, -1, 1, 0)
  TEST_RR_OP( 9, div, -1, 0, 0)
  TEST_RR_OP(10, divu, 3, 20, 6)
  TEST_RR_OP(11, divu, 3074457345618258599, -20, 6)
  TEST_RR_OP(12, divu, 0, 20, -6)
  TEST_RR_OP(13, divu, 0xffffffffffffffff, 0x8000000000000000, 0)
  TEST_RR_OP(14, divu, 0xffffffffffffffff, 0, 0)
  TEST_RR_OP(15, divu, 1, 0x8000000000000000, 0x8000000000000000)
  TEST_RR_OP(20, rem, 2, 20, 6)
  TEST_RR_OP(21, rem, -2, -20, 6)
  TEST_RR_OP(22, rem, 2, 20, -6)
  TEST_RR_OP(23, rem, -2, -20, -6)
  TEST_RR_OP(24, rem, 0, 0x8000000000000000, -1)
  TEST_RR_OP(25, rem, 0x8000000000000000, 0x8000000000000000, 0)
  TEST_RR_OP(26, rem, 1, 1, 0)
  TEST_RR_OP(27, rem, 0, 0, 0)
  TEST_RR_OP(30, remu, 2, 20, 6)
  TEST_RR_OP(31, remu, 2, -20, 6)
  TEST_RR_OP(32, remu, 20, 20, -6)
  TEST_RR_OP(33, remu, -20, -20, -6)
  TEST_RR_OP(34, remu, 0x8000000000000000, 0x8000000000000000, 0)
  TEST_RR_OP(35, remu, -1, -1, 0)
  TEST_RR_OP(40, divw, 3, 20, 6)
  TEST_RR_OP(41, divw, -3, -20, 6)
  TEST_RR_OP(42, divw, 0xffffffff80000000, 0xffffffff80000000, -1)
  TEST_RR_OP(43, divw, 0xffffffff80000000, 0x0000000080000000, 0xffffffffffffffff)
  TEST_RR_OP(44, divw, -1, 0x1234567800000001, 0xffffffff00000000)
  TEST_RR_OP(45, divw, -1, 0, 0)
  TEST_RR_OP(46, divw, 5, 0xaaaaaaaa0000000a, 0x5555555500000002)
  TEST_RR_OP(50, divuw, 3, 20, 6)
  TEST_RR_OP(51, divuw, 715827879, 0x00000000ffffffec, 6)
  TEST_RR_OP(52, divuw, 0x000000007fffffff, 0x00000000fffffffe, 2)
  TEST_RR_OP(53, divuw, 0xffffffffffffffff, 0x0000000080000000, 0)
  TEST_RR_OP(54, divuw, 0xffffffff80000000, 0x0000000080000000, 1)
  TEST_RR_OP(55, divuw, 0xffffffffffffffff, 0, 0xffffffff00000000)
  TEST_RR_OP(60, remw, 2, 20, 6)
  TEST_RR_OP(61, remw, -2, -20, 6)
  TEST_RR_OP(62, remw, 0, 0xffffffff80000000, -1)
  TEST_RR_OP(63, remw, 0xffffffff80000000, 0x0000000080000000, 0)
  TEST_RR_OP(64, remw, 0xfffffffffffffffe, 0x12345678fffffffe, 0x100000000)
  TEST_RR_OP(70, remuw, 2, 20, 6)
  TEST_RR_OP(71, remuw, 2, 0xffffffffffffffec, 6)
  TEST_RR_OP(72, remuw, 0xffffffffffffffec, 0xffffffffffffffec, 0)
  TEST_RR_OP(73, remuw, 0xffffffff80000000, 0x0000000080000000, 0)
  TEST_RR_OP(74, remuw, 0xffffffff80000001, 0x0000000080000001, 0xffffffff00000000)
  TEST_RR_ZERODEST(75, remuw, 21, 4)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
