# misa reports RV64 (MXL=2) with I, M, A, F, D, C, S, U; mhartid = 0; mvendorid/marchid/mimpid are readable; mhartid is read-only.
#include "riscv_test.h"
#include "test_macros.h"
#include "vm_macros.h"

RVTEST_RV64M
RVTEST_CODE_BEGIN

#define EXT(c) (1 << ((c) - 'A'))
  TEST_NUM(2); csrr a0, misa; srli a1, a0, 62; CHECK_EQ(a1, 2)
  TEST_NUM(3); li t0, EXT('I') | EXT('M') | EXT('A') | EXT('F') | EXT('D') | EXT('C') | EXT('S') | EXT('U'); and a1, a0, t0; BR_FAIL_NE(a1, t0)
  /* E is never set together with I */
  TEST_NUM(4); andi a1, a0, EXT('E'); CHECK_EQ(a1, 0)
  TEST_NUM(5); csrr a0, mhartid; CHECK_EQ(a0, 0)
  TEST_NUM(6); csrr a0, mvendorid; csrr a0, marchid; csrr a0, mimpid
  TEST_NUM(7); TRAP_AT(CAUSE_ILLEGAL_INSN, csrw mhartid, x0)
  TEST_NUM(8); TRAP_AT(CAUSE_ILLEGAL_INSN, csrw mvendorid, x0)

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN
  .dword 0
RVTEST_DATA_END
