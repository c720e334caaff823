# x0 is hardwired to zero: writes by ALU ops, lui/auipc, loads, jal/jalr links and csr reads are discarded.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_CASE( 2, x0, 0, addi x0, x0, 5)
  TEST_CASE( 3, x0, 0, li x1, 7; add x0, x1, x1)
  TEST_CASE( 4, x0, 0, lui x0, 0x12345)
  TEST_CASE( 5, x0, 0, auipc x0, 0x12345)
  TEST_CASE( 6, x0, 0, la x1, tdat; ld x0, 0(x1))
  TEST_CASE( 7, x0, 0, jal x0, 1f; 1: nop)
  TEST_CASE( 8, x0, 0, la x1, 1f; jalr x0, 0(x1); 1: nop)
  TEST_CASE( 9, x0, 0, frflags x0)
  /* reading x0 as a source gives zero */
  TEST_CASE(10, x14, 0x55, li x14, 0x55; or x14, x14, x0)
  TEST_CASE(11, x14, 0, la x1, tdat; sd x0, 8(x1); ld x14, 8(x1))
  TEST_CASE(12, x14, 1, li x14, 0; sltu x14, x0, x14; addi x14, x14, 1)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .balign 8
tdat: .dword 0x1122334455667788, 0x0102030405060708
RVTEST_DATA_END
