/*
 * extravirt ISA suite: "v" (virtual memory) environment, test side.
 *
 * The test body is linked like a p test (physical 0x80000000+) but runs
 * translated, at virtual address = physical - 0x80000000, in U-mode
 * (or S-mode when built with -DVM_SMODE), with pages faulted in on demand
 * by the S-mode kernel in entry.S.  Code must be position independent
 * (la/lla are pc-relative), which all the test macros are.
 *
 * Termination: RVTEST_PASS / RVTEST_FAIL leave the HTIF code in TESTNUM
 * (gp) and ecall with a7 = 93; the kernel writes it to tohost.
 */
#ifndef ISA_V_RISCV_TEST_H
#define ISA_V_RISCV_TEST_H

#include "isa_defs.h"

#define TESTNUM gp

#define RVTEST_RV64U  .macro init; .endm
#define RVTEST_RV64UF .macro init; .endm

#define RVTEST_CODE_BEGIN                                               \
        .text;                                                          \
        .balign 4;                                                      \
        .globl userstart;                                               \
userstart:                                                              \
        init

#define RVTEST_CODE_END  unimp

#define RVTEST_PASS                                                     \
        fence;                                                          \
        li TESTNUM, 1;                                                  \
        li a7, ECALL_EXIT;                                              \
        li a0, 0;                                                       \
        ecall

#define RVTEST_FAIL                                                     \
        fence;                                                          \
1:      beqz TESTNUM, 1b;                                               \
        sll TESTNUM, TESTNUM, 1;                                        \
        or TESTNUM, TESTNUM, 1;                                         \
        li a7, ECALL_EXIT;                                              \
        addi a0, TESTNUM, 0;                                            \
        ecall

#define RVTEST_DATA_BEGIN .balign 16; .globl begin_signature; begin_signature:
#define RVTEST_DATA_END   .balign 16; .globl end_signature; end_signature:

#endif
