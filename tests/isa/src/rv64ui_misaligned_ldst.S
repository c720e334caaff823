# Misaligned lh/lhu/lw/lwu/ld/sh/sw/sd complete in hardware (extravirt's choice: no trap), incl. across an 8-byte and a 4 KiB page boundary.
#include "riscv_test.h"
#include "test_macros.h"

RVTEST_RV64U
RVTEST_CODE_BEGIN

  TEST_LD_OP( 2, lh,  0x0000000000000201, 1, mdat)
  TEST_LD_OP( 3, lhu, 0x0000000000000807, 7, mdat)
  TEST_LD_OP( 4, lh,  0xffffffffffff8f0f, 0xf, mdat)
  TEST_LD_OP( 5, lw,  0x0000000004030201, 1, mdat)
  TEST_LD_OP( 6, lw,  0x0000000008070605, 5, mdat)
  TEST_LD_OP( 7, lwu, 0x00000000908f0f0e, 14, mdat)
  TEST_LD_OP( 8, lw,  0xffffffff908f0f0e, 14, mdat)
  TEST_LD_OP( 9, ld,  0x0807060504030201, 1, mdat)
  TEST_LD_OP(10, ld,  0x0e0d0c0b0a090807, 7, mdat)
  TEST_LD_OP(11, ld,  0x908f0f0e0d0c0b0a, 10, mdat)
  TEST_ST_OP(12, lh, sh, 0xffffffffffffa1b2, 3, mbuf)
  TEST_ST_OP(13, lw, sw, 0xffffffffa1b2c3d4, 6, mbuf)
  TEST_ST_OP(14, ld, sd, 0x1122334455667788, 13, mbuf)
  /* byte-exact effect of a misaligned sd */
  TEST_CASE(15, x14, 0x66778800000000ff, la x1, mbuf; li x2, 0xff; sd x2, 0(x1); sd x0, 8(x1); sd x0, 16(x1); li x2, 0x1122334455667788; sd x2, 5(x1); ld x14, 0(x1))
  TEST_CASE(16, x14, 0x0000001122334455, la x1, mbuf; ld x14, 8(x1))
  /* across a 4 KiB page boundary */
  TEST_ST_OP(17, ld, sd, 0x0123456789abcdef, -3, pgbuf)
  TEST_ST_OP(18, lw, sw, 0xffffffff89abcdef, -1, pgbuf)
  TEST_ST_OP(19, lhu, sh, 0xbeef, -1, pgbuf)
  TEST_CASE(20, x14, 0xef, la x1, pgbuf; li x2, 0x1234567890abcdef; sd x2, -4(x1); lbu x14, -4(x1))
  TEST_CASE(21, x14, 0x12345678, la x1, pgbuf; lwu x14, 0(x1))

  TEST_PASSFAIL

RVTEST_CODE_END

  .data
RVTEST_DATA_BEGIN

  .balign 16
mdat: .byte 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07
      .byte 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x8f, 0x90, 0x91, 0x92
  .balign 16
mbuf: .skip 32
  .balign 4096
  .skip 4096 - 16
  .skip 16
pgbuf: .skip 16
RVTEST_DATA_END
