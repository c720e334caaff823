# beq, bne, blt, bge, bltu, bgeu: taken forward/backward and not taken, signed vs unsigned.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_BR2_OP_TAKEN( 2, beq, 0, 0)
  TEST_BR2_OP_TAKEN( 3, beq, -1, -1)
  TEST_BR2_OP_NOTTAKEN( 4, beq, 0, 1)
  TEST_BR2_OP_NOTTAKEN( 5, beq, 0x100000000, 0)
  TEST_BR2_OP_TAKEN( 6, bne, 0, 1)
  TEST_BR2_OP_TAKEN( 7, bne, 0x100000000, 0)
  TEST_BR2_OP_NOTTAKEN( 8, bne, -1, -1)
  TEST_BR2_OP_TAKEN(10, blt, 0, 1)
  TEST_BR2_OP_TAKEN(11, blt, -1, 1)
  TEST_BR2_OP_TAKEN(12, blt, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR2_OP_NOTTAKEN(13, blt, 1, 0)
  TEST_BR2_OP_NOTTAKEN(14, blt, 1, -1)
  TEST_BR2_OP_NOTTAKEN(15, blt, 5, 5)
  TEST_BR2_OP_TAKEN(20, bge, 0, 0)
  TEST_BR2_OP_TAKEN(21, bge, 1, -1)
  TEST_BR2_OP_TAKEN(22, bge, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR2_OP_NOTTAKEN(23, bge, -1, 1)
  TEST_BR2_OP_NOTTAKEN(24, bge, 0x00000000ffffffff, 0x0000000100000000)
  TEST_BR2_OP_TAKEN(30, bltu, 0, 1)
  TEST_BR2_OP_TAKEN(31, bltu, 1, -1)
  TEST_BR2_OP_TAKEN(32, bltu, 0x7fffffffffffffff, 0x8000000000000000)
  TEST_BR2_OP_NOTTAKEN(33, bltu, -1, 1)
  TEST_BR2_OP_NOTTAKEN(34, bltu, 7, 7)
  TEST_BR2_OP_TAKEN(40, bgeu, 0, 0)
  TEST_BR2_OP_TAKEN(41, bgeu, -1, 1)
  TEST_BR2_OP_TAKEN(42, bgeu, 0x8000000000000000, 0x7fffffffffffffff)
  TEST_BR2_OP_NOTTAKEN(43, bgeu, 1, -1)
  TEST_BR2_OP_NOTTAKEN(44, bgeu, 0, 1)
  /* a taken branch does not write any register: x1/x2 unchanged */
  TEST_CASE(50, x1, 3, li x1, 3; li x2, 3; beq x1, x2, 1f; j fail; 1: nop)
  /* long forward branch (> 2 KiB) */
  TEST_NUM(51); li x1, 1; bnez x1, 1f; j fail; .skip 3000, 0; 1: CHECK_OK

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
