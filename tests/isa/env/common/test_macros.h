/*
 * extravirt ISA suite: test macros (own implementation, riscv-tests style).
 *
 * Conventions:
 *   TESTNUM (gp/x3) holds the number of the running test case; a failing
 *   check jumps to `fail`, which reports (TESTNUM << 1) | 1 through tohost.
 *   Test numbers start at 2 (1 would encode "pass").
 *   x1, x2, x4(tp) are operands, x14 the result, x7 the expected value.
 *   t5/t6 (x30/x31) are clobbered by trap handlers; a6/a7 are used by ecalls.
 *   s8-s11 (x24-x27) belong to the trap recorder (see riscv_test.h).
 *
 * Building with -DISA_INVERT_CHECKS turns every check into its opposite,
 * so each test must then FAIL at its first check (selfcheck.sh uses this
 * to prove that the checks are live).
 */
#ifndef ISA_TEST_MACROS_H
#define ISA_TEST_MACROS_H

#ifdef ISA_INVERT_CHECKS
#define BR_FAIL_NE(a, b) beq a, b, fail
#define BR_FAIL_EQ(a, b) bne a, b, fail
#define CHECK_OK         j fail
#else
#define BR_FAIL_NE(a, b) bne a, b, fail
#define BR_FAIL_EQ(a, b) beq a, b, fail
#define CHECK_OK
#endif

#define TEST_NUM(n) test_ ## n: li TESTNUM, n

/* Check register `reg` against the constant `val` (uses x7). */
#define CHECK_EQ(reg, val) li x7, val; BR_FAIL_NE(reg, x7)
#define CHECK_NE(reg, val) li x7, val; BR_FAIL_EQ(reg, x7)

#define TEST_CASE(n, reg, correct, code...) \
  TEST_NUM(n); code; li x7, correct; BR_FAIL_NE(reg, x7)

/* ---- register-immediate ------------------------------------------------ */
#define TEST_IMM_OP(n, inst, result, val1, imm) \
  TEST_CASE(n, x14, result, li x1, val1; inst x14, x1, imm)
#define TEST_IMM_SRC1_EQ_DEST(n, inst, result, val1, imm) \
  TEST_CASE(n, x1, result, li x1, val1; inst x1, x1, imm)
#define TEST_IMM_ZEROSRC1(n, inst, result, imm) \
  TEST_CASE(n, x1, result, inst x1, x0, imm)
#define TEST_IMM_ZERODEST(n, inst, val1, imm) \
  TEST_CASE(n, x0, 0, li x1, val1; inst x0, x1, imm)

/* ---- register-register ------------------------------------------------- */
#define TEST_RR_OP(n, inst, result, val1, val2) \
  TEST_CASE(n, x14, result, li x1, val1; li x2, val2; inst x14, x1, x2)
#define TEST_RR_SRC1_EQ_DEST(n, inst, result, val1, val2) \
  TEST_CASE(n, x1, result, li x1, val1; li x2, val2; inst x1, x1, x2)
#define TEST_RR_SRC2_EQ_DEST(n, inst, result, val1, val2) \
  TEST_CASE(n, x2, result, li x1, val1; li x2, val2; inst x2, x1, x2)
#define TEST_RR_SRC12_EQ_DEST(n, inst, result, val1) \
  TEST_CASE(n, x1, result, li x1, val1; inst x1, x1, x1)
#define TEST_RR_ZEROSRC1(n, inst, result, val) \
  TEST_CASE(n, x2, result, li x1, val; inst x2, x0, x1)
#define TEST_RR_ZEROSRC2(n, inst, result, val) \
  TEST_CASE(n, x2, result, li x1, val; inst x2, x1, x0)
#define TEST_RR_ZEROSRC12(n, inst, result) \
  TEST_CASE(n, x1, result, inst x1, x0, x0)
#define TEST_RR_ZERODEST(n, inst, val1, val2) \
  TEST_CASE(n, x0, 0, li x1, val1; li x2, val2; inst x0, x1, x2)

/* ---- loads / stores ---------------------------------------------------- */
#define TEST_LD_OP(n, inst, result, offset, base) \
  TEST_CASE(n, x14, result, la x1, base; inst x14, offset(x1))
#define TEST_LD_DEST_EQ_BASE(n, inst, result, offset, base) \
  TEST_CASE(n, x1, result, la x1, base; inst x1, offset(x1))
/* store `result`, read back with `ld` */
#define TEST_ST_OP(n, ldi, sti, result, offset, base) \
  TEST_CASE(n, x14, result, la x1, base; li x2, result; sti x2, offset(x1); ldi x14, offset(x1))
/* store the low part of `val`, read back the full doubleword, expect `result` */
#define TEST_ST_WIDTH(n, sti, val, result, offset, base) \
  TEST_CASE(n, x14, result, la x1, base; li x4, -1; sd x4, offset(x1); li x2, val; sti x2, offset(x1); ld x14, offset(x1))

/* ---- branches ---------------------------------------------------------- */
#define TEST_BR2_OP_TAKEN(n, inst, val1, val2) \
  TEST_NUM(n); li x1, val1; li x2, val2; \
  inst x1, x2, 2f; j fail; \
1: j 3f; \
2: inst x1, x2, 1b; j fail; \
3: CHECK_OK

#define TEST_BR2_OP_NOTTAKEN(n, inst, val1, val2) \
  TEST_NUM(n); li x1, val1; li x2, val2; \
  inst x1, x2, 1f; j 2f; \
1: j fail; \
2: inst x1, x2, 1b; CHECK_OK

/* ---- jumps ------------------------------------------------------------- */
/* jal/jalr: target reached, link = address after the jump */
#define TEST_JALR_OP(n, offset) \
  TEST_NUM(n); la x1, 5f - (offset); \
4: jalr x5, offset(x1); j fail; \
5: la x7, 4b + 4; BR_FAIL_NE(x5, x7)

/* ---- generic pass/fail tail ------------------------------------------- */
#define TEST_PASSFAIL \
  bne x0, TESTNUM, pass; \
fail: \
  RVTEST_FAIL; \
pass: \
  RVTEST_PASS

/* ---- floating point ---------------------------------------------------- */
/*
 * Single precision: operands f0,f1,f2 loaded from inline data (directive
 * `dir` is .float for literals or .word for bit patterns), result in f3.
 * Checks the result bits, that the result is NaN-boxed, and fflags.
 * The instruction runs with fflags cleared beforehand.
 */
#define TEST_FP_S_(n, dir, flags, result, v1, v2, v3, code...) \
  TEST_NUM(n); la a0, 8f; flw f0, 0(a0); flw f1, 4(a0); flw f2, 8(a0); \
  lw a3, 12(a0); fsflags x0; code; fsflags a1, x0; \
  fmv.x.w a2, f3; BR_FAIL_NE(a2, a3); \
  fmv.x.d a5, f3; srai a5, a5, 32; li a4, -1; BR_FAIL_NE(a5, a4); \
  li a4, flags; BR_FAIL_NE(a1, a4); j 9f; \
  .pushsection .data; .balign 8; 8: dir v1, v2, v3, result; .popsection; 9:

#define TEST_FP_D_(n, dir, flags, result, v1, v2, v3, code...) \
  TEST_NUM(n); la a0, 8f; fld f0, 0(a0); fld f1, 8(a0); fld f2, 16(a0); \
  ld a3, 24(a0); fsflags x0; code; fsflags a1, x0; \
  fmv.x.d a2, f3; BR_FAIL_NE(a2, a3); \
  li a4, flags; BR_FAIL_NE(a1, a4); j 9f; \
  .pushsection .data; .balign 8; 8: dir v1, v2, v3, result; .popsection; 9:

#define TEST_FP_OP1_S(n, inst, flags, result, v1) \
  TEST_FP_S_(n, .float, flags, result, v1, 0.0, 0.0, inst f3, f0)
#define TEST_FP_OP2_S(n, inst, flags, result, v1, v2) \
  TEST_FP_S_(n, .float, flags, result, v1, v2, 0.0, inst f3, f0, f1)
#define TEST_FP_OP3_S(n, inst, flags, result, v1, v2, v3) \
  TEST_FP_S_(n, .float, flags, result, v1, v2, v3, inst f3, f0, f1, f2)
#define TEST_FP_OP1_SX(n, inst, flags, result, v1) \
  TEST_FP_S_(n, .word, flags, result, v1, 0, 0, inst f3, f0)
#define TEST_FP_OP2_SX(n, inst, flags, result, v1, v2) \
  TEST_FP_S_(n, .word, flags, result, v1, v2, 0, inst f3, f0, f1)
#define TEST_FP_OP3_SX(n, inst, flags, result, v1, v2, v3) \
  TEST_FP_S_(n, .word, flags, result, v1, v2, v3, inst f3, f0, f1, f2)

#define TEST_FP_OP1_D(n, inst, flags, result, v1) \
  TEST_FP_D_(n, .double, flags, result, v1, 0.0, 0.0, inst f3, f0)
#define TEST_FP_OP2_D(n, inst, flags, result, v1, v2) \
  TEST_FP_D_(n, .double, flags, result, v1, v2, 0.0, inst f3, f0, f1)
#define TEST_FP_OP3_D(n, inst, flags, result, v1, v2, v3) \
  TEST_FP_D_(n, .double, flags, result, v1, v2, v3, inst f3, f0, f1, f2)
#define TEST_FP_OP1_DX(n, inst, flags, result, v1) \
  TEST_FP_D_(n, .dword, flags, result, v1, 0, 0, inst f3, f0)
#define TEST_FP_OP2_DX(n, inst, flags, result, v1, v2) \
  TEST_FP_D_(n, .dword, flags, result, v1, v2, 0, inst f3, f0, f1)
#define TEST_FP_OP3_DX(n, inst, flags, result, v1, v2, v3) \
  TEST_FP_D_(n, .dword, flags, result, v1, v2, v3, inst f3, f0, f1, f2)

/* FP operands, integer result (compares, fclass, fcvt to int): code writes a2 */
#define TEST_FP_INT_S_(n, dir, flags, result, v1, v2, code...) \
  TEST_NUM(n); la a0, 8f; flw f0, 0(a0); flw f1, 4(a0); \
  fsflags x0; code; fsflags a1, x0; \
  li a3, result; BR_FAIL_NE(a2, a3); li a4, flags; BR_FAIL_NE(a1, a4); j 9f; \
  .pushsection .data; .balign 8; 8: dir v1, v2; .popsection; 9:
#define TEST_FP_INT_D_(n, dir, flags, result, v1, v2, code...) \
  TEST_NUM(n); la a0, 8f; fld f0, 0(a0); fld f1, 8(a0); \
  fsflags x0; code; fsflags a1, x0; \
  li a3, result; BR_FAIL_NE(a2, a3); li a4, flags; BR_FAIL_NE(a1, a4); j 9f; \
  .pushsection .data; .balign 8; 8: dir v1, v2; .popsection; 9:

#define TEST_FP_CMP_S(n, inst, flags, result, v1, v2) \
  TEST_FP_INT_S_(n, .float, flags, result, v1, v2, inst a2, f0, f1)
#define TEST_FP_CMP_SX(n, inst, flags, result, v1, v2) \
  TEST_FP_INT_S_(n, .word, flags, result, v1, v2, inst a2, f0, f1)
#define TEST_FP_CMP_D(n, inst, flags, result, v1, v2) \
  TEST_FP_INT_D_(n, .double, flags, result, v1, v2, inst a2, f0, f1)
#define TEST_FP_CMP_DX(n, inst, flags, result, v1, v2) \
  TEST_FP_INT_D_(n, .dword, flags, result, v1, v2, inst a2, f0, f1)
#define TEST_FCLASS_S(n, result, bits) \
  TEST_FP_INT_S_(n, .word, 0, result, bits, 0, fclass.s a2, f0)
#define TEST_FCLASS_D(n, result, bits) \
  TEST_FP_INT_D_(n, .dword, 0, result, bits, 0, fclass.d a2, f0)
/* fcvt to integer with explicit rounding mode */
#define TEST_FCVT_TO_INT_S(n, inst, rm, flags, result, v1) \
  TEST_FP_INT_S_(n, .float, flags, result, v1, 0.0, inst a2, f0, rm)
#define TEST_FCVT_TO_INT_SX(n, inst, rm, flags, result, v1) \
  TEST_FP_INT_S_(n, .word, flags, result, v1, 0, inst a2, f0, rm)
#define TEST_FCVT_TO_INT_D(n, inst, rm, flags, result, v1) \
  TEST_FP_INT_D_(n, .double, flags, result, v1, 0.0, inst a2, f0, rm)
#define TEST_FCVT_TO_INT_DX(n, inst, rm, flags, result, v1) \
  TEST_FP_INT_D_(n, .dword, flags, result, v1, 0, inst a2, f0, rm)

/* integer operand, FP result (fcvt.[sd].[w|wu|l|lu]) */
#define TEST_INT_FP_S(n, inst, flags, result, ival) \
  TEST_NUM(n); li a1, ival; fsflags x0; inst f3, a1; fsflags a5, x0; \
  la a0, 8f; lw a3, 0(a0); fmv.x.w a2, f3; BR_FAIL_NE(a2, a3); \
  li a4, flags; BR_FAIL_NE(a5, a4); j 9f; \
  .pushsection .data; .balign 8; 8: .float result; .popsection; 9:
#define TEST_INT_FP_D(n, inst, flags, result, ival) \
  TEST_NUM(n); li a1, ival; fsflags x0; inst f3, a1; fsflags a5, x0; \
  la a0, 8f; ld a3, 0(a0); fmv.x.d a2, f3; BR_FAIL_NE(a2, a3); \
  li a4, flags; BR_FAIL_NE(a5, a4); j 9f; \
  .pushsection .data; .balign 8; 8: .double result; .popsection; 9:

/* fflags bits */
#define FF_NX 0x01
#define FF_UF 0x02
#define FF_OF 0x04
#define FF_DZ 0x08
#define FF_NV 0x10

/* canonical / special values */
#define QNAN_S   0x7fc00000
#define SNAN_S   0x7f800001
#define PINF_S   0x7f800000
#define NINF_S   0xff800000
#define NZERO_S  0x80000000
#define QNAN_D   0x7ff8000000000000
#define SNAN_D   0x7ff0000000000001
#define PINF_D   0x7ff0000000000000
#define NINF_D   0xfff0000000000000
#define NZERO_D  0x8000000000000000

#endif
