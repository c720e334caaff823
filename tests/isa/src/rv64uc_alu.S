# RVC integer computational instructions: c.addi, c.addiw, c.li, c.lui, c.addi16sp, c.addi4spn, c.slli, c.srli, c.srai, c.andi, c.mv, c.add, c.and, c.or, c.xor, c.sub, c.addw, c.subw, c.nop.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  .option push
  .option rvc
  TEST_CASE( 2, a0, 2, li a0, 5; c.addi a0, -3)
  TEST_CASE( 3, a0, 36, li a0, 5; c.addi a0, 31)
  TEST_CASE( 4, a0, -27, li a0, 5; c.addi a0, -32)
  TEST_CASE( 5, s0, 0x8000000000000000, li s0, 0x7fffffffffffffff; c.addi s0, 1)
  TEST_CASE( 6, a0, 0xffffffff80000000, li a0, 0x7fffffff; c.addiw a0, 1)
  TEST_CASE( 7, a0, 0xffffffff87654321, li a0, 0x1234567887654321; c.addiw a0, 0)
  TEST_CASE( 8, t1, 0x000000007fffffe0, li t1, 0xffffffff80000000; c.addiw t1, -32)
  TEST_CASE( 9, a0, -32, li a0, 0x55; c.li a0, -32)
  TEST_CASE(10, a5, 31, c.li a5, 31)
  TEST_CASE(11, a0, 0x1000, c.lui a0, 1)
  TEST_CASE(12, a0, 0x1f000, c.lui a0, 0x1f)
  TEST_CASE(13, a0, 0xfffffffffffff000, c.lui a0, 0xfffff)
  TEST_CASE(14, a0, 0xfffffffffffe0000, c.lui a0, 0xfffe0)
  TEST_CASE(15, t3, 0x0000000000004000, c.lui t3, 4)
  /* c.addi16sp / c.addi4spn (sp is free in these tests) */
  TEST_CASE(16, sp, 0x1000 - 512, li sp, 0x1000; c.addi16sp sp, -512)
  TEST_CASE(17, sp, 0x1000 + 496, li sp, 0x1000; c.addi16sp sp, 496)
  TEST_CASE(18, sp, 0x1000 + 16, li sp, 0x1000; c.addi16sp sp, 16)
  TEST_CASE(19, a0, 0x1000 + 1020, li sp, 0x1000; c.addi4spn a0, sp, 1020)
  TEST_CASE(20, s1, 0x1000 + 4, li sp, 0x1000; c.addi4spn s1, sp, 4)
  TEST_CASE(21, a5, 0xfffffffffffffff8 + 64, li sp, -8; c.addi4spn a5, sp, 64)
  /* shifts */
  TEST_CASE(22, a0, 0x8000000000000000, li a0, 1; c.slli a0, 63)
  TEST_CASE(23, t4, 0x0000000100000000, li t4, 1; c.slli t4, 32)
  TEST_CASE(24, a0, 0x7fffffffffffffff, li a0, -1; c.srli a0, 1)
  TEST_CASE(25, a0, 0x0000000000000001, li a0, -1; c.srli a0, 63)
  TEST_CASE(26, s1, 0xffffffffffffffff, li s1, 0x8000000000000000; c.srai s1, 63)
  TEST_CASE(27, a0, 0xffffffffc0000000, li a0, 0x8000000000000000; c.srai a0, 33)
  TEST_CASE(28, a0, 0x0123456789abcde0, li a0, 0x0123456789abcdef; c.andi a0, -32)
  TEST_CASE(29, a0, 0x000000000000000f, li a0, 0x0123456789abcdef; c.andi a0, 31)
  /* register-register */
  TEST_CASE(30, t0, 0x1234, li a1, 0x1234; li t0, 7; c.mv t0, a1)
  TEST_CASE(31, a0, 0x3333, li a0, 0x1111; li t2, 0x2222; c.add a0, t2)
  TEST_CASE(32, a0, 0x0f00, li a0, 0x0ff0; li a1, 0xff00; c.and a0, a1)
  TEST_CASE(33, a0, 0xfff0, li a0, 0x0ff0; li a1, 0xff00; c.or a0, a1)
  TEST_CASE(34, a0, 0xf0f0, li a0, 0x0ff0; li a1, 0xff00; c.xor a0, a1)
  TEST_CASE(35, a0, 0xffffffffffff10f0, li a0, 0x0ff0; li a1, 0xff00; c.sub a0, a1)
  TEST_CASE(36, a2, 0xffffffff80000000, li a2, 0x7fffffff; li a3, 1; c.addw a2, a3)
  TEST_CASE(37, a2, 0x000000007fffffff, li a2, 0xffffffff80000000; li a3, 1; c.subw a2, a3)
  TEST_CASE(38, a2, 0x0000000000000003, li a2, 0x1234567800000005; li a3, 0xabcdef0100000002; c.subw a2, a3)
  TEST_CASE(39, a0, 77, li a0, 77; c.nop)
  TEST_CASE(40, s0, 0x2468, li s0, 0x1234; c.add s0, s0)
  .option pop

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
