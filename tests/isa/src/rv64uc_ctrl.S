# RVC control transfer: c.j, c.jr, c.jalr (link = pc + 2), c.beqz, c.bnez taken/not taken both directions, and 32-bit instructions at 2-byte aligned addresses incl. one straddling a 4 KiB page.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  .option push
  .option rvc
  TEST_NUM(2); c.j 1f; j fail; 1: CHECK_OK
  TEST_NUM(3); c.j 2f; 1: c.j 3f; 2: c.j 1b; j fail; 3: CHECK_OK
  TEST_NUM(4); la t0, 1f; c.jr t0; j fail; 1: CHECK_OK
  TEST_NUM(5); li ra, 0; la t0, 1f; 2: c.jalr t0; j fail; 1: la a1, 2b + 2; BR_FAIL_NE(ra, a1)
  /* c.jalr with rs1 = ra: target is the old ra */
  TEST_NUM(6); la ra, 1f; 2: c.jalr ra; j fail; 1: la a1, 2b + 2; BR_FAIL_NE(ra, a1)
  TEST_NUM(7); li s0, 0; c.beqz s0, 1f; j fail; 1: CHECK_OK
  TEST_NUM(8); li s0, 1; c.beqz s0, 1f; j 2f; 1: j fail; 2: CHECK_OK
  TEST_NUM(9); li a5, -1; c.bnez a5, 1f; j fail; 1: CHECK_OK
  TEST_NUM(10); li a5, 0; c.bnez a5, 1f; j 2f; 1: j fail; 2: CHECK_OK
  TEST_NUM(11); li a5, 0x100000000; c.bnez a5, 2f; 1: j 3f; 2: c.bnez a5, 1b; j fail; 3: CHECK_OK
  TEST_NUM(12); li a4, 0; c.beqz a4, 2f; 1: j 3f; 2: c.beqz a4, 1b; j fail; 3: CHECK_OK
  /* c.jr to an address with bit 0 set is not possible (bit0 is cleared like jalr) */
  TEST_NUM(13); li a2, 0; la t0, 1f; addi t0, t0, 1; c.jr t0; j fail; .balign 4; 1: c.li a2, 3; CHECK_EQ(a2, 3)
  /* 32-bit instruction at a 2 mod 4 address */
  TEST_NUM(14); .balign 4; c.nop; li a0, 0x12345; lui a1, 0x12; addi a1, a1, 0x345; BR_FAIL_NE(a0, a1)
  /* a 32-bit instruction straddling a page boundary */
  TEST_NUM(15); li a0, 0; j 5f
  .balign 4096
  .skip 4096 - 2 - 4
5: c.nop
  c.nop
  .option push
  .option norvc
  addi a0, a0, 0x123
  .option pop
  CHECK_EQ(a0, 0x123)
  .option pop

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
