# Zifencei: stores that rewrite instructions become visible to fetch after fence.i (copied routine, patched straight-line code, 16-bit patch).
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  /* a routine written into a data buffer */
  TEST_NUM(2); li a3, 0; la a0, codebuf
  li a1, 0x00168693     /* addi a3, a3, 1 */
  sw a1, 0(a0)
  li a1, 0x00008067     /* ret */
  sw a1, 4(a0)
  fence.i
  jalr ra, 0(a0)
  CHECK_EQ(a3, 1)
  /* rewrite it and call again */
  TEST_NUM(3); la a0, codebuf
  li a1, 0x06468693     /* addi a3, a3, 100 */
  sw a1, 0(a0)
  fence.i
  jalr ra, 0(a0)
  CHECK_EQ(a3, 101)
  /* patch the instruction that is about to execute, in .text */
  TEST_NUM(4); la a0, 1f
  li a1, 0x00700693     /* addi a3, x0, 7 */
  sw a1, 0(a0)
  fence.i
  .option push
  .option norvc
1: addi a3, x0, 1
  .option pop
  CHECK_EQ(a3, 7)
  /* 16-bit patch of a compressed instruction */
  TEST_NUM(5); la a0, 2f
  li a1, 0x4695         /* c.li a3, 5 */
  sh a1, 0(a0)
  fence.i
2: c.li a3, 1
  CHECK_EQ(a3, 5)
  /* executed twice: second run sees the second patch */
  TEST_NUM(6); li a4, 0; li a5, 2
3: la a0, 4f
  li a1, 0x00d70713     /* addi a4, a4, 13 */
  li a2, 2
  beq a5, a2, 5f
  li a1, 0x06470713     /* addi a4, a4, 100 */
5: sw a1, 0(a0)
  fence.i
  .option push
  .option norvc
4: addi a4, a4, 1
  .option pop
  addi a5, a5, -1
  bnez a5, 3b
  CHECK_EQ(a4, 113)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 64
codebuf: .skip 64
RVTEST_DATA_END
