/*
 * extravirt ISA suite: "p" (physical memory) environment.
 *
 * The image starts at 0x80000000 (.text.init) in M-mode.  reset_vector
 * zeroes the integer registers, installs the trap vectors, opens PMP entry 0
 * over the whole address space, enables the FPU (mstatus.FS=Initial) and
 * mret's into the test body in the mode selected by RVTEST_RV64{U,S,M}
 * (U for the unprivileged tests, like riscv-tests' p environment).
 * Translation is off (satp = 0); nothing is delegated.
 *
 * Termination: RVTEST_PASS / RVTEST_FAIL put the HTIF code in TESTNUM (gp)
 * and ecall with a7 = 93; the M-mode handler writes it to `tohost`.
 *
 * Trap recorder (for privileged tests): if s11 holds a non-zero resume
 * address when a trap arrives at either environment handler, the handler
 * stores cause/epc/tval in s8/s9/s10, clears s11, and returns (mret/sret)
 * to s11 in the trapping mode.  For an interrupt it also disables that
 * interrupt in mie/sie and clears MPIE/SPIE so it does not fire again.
 * A trap with s11 == 0 is unexpected: reported as FAIL test (896 + TESTNUM)
 * (896 = 0x380 keeps the QEMU exit status, code & 0xff, non-zero).
 * An ecall with a7 = 94 (BACK_TO_M) resumes after the ecall in M-mode with
 * MIE = 0 (clobbers a6).  See env/common/priv_macros.h.
 */
#ifndef ISA_P_RISCV_TEST_H
#define ISA_P_RISCV_TEST_H

#include "isa_defs.h"

#define TESTNUM gp

#define RVTEST_RV64U  .macro init; .endm
#define RVTEST_RV64UF .macro init; .endm
#define RVTEST_RV64S  .macro init; li t0, MSTATUS_MPP_S; csrs mstatus, t0; .endm
#define RVTEST_RV64M  .macro init; li t0, MSTATUS_MPP_M; csrs mstatus, t0; .endm

#define RVTEST_CODE_BEGIN                                               \
        .section .text.init, "ax", @progbits;                           \
        .balign 64;                                                     \
        .globl _start;                                                  \
_start:                                                                 \
        j reset_vector;                                                 \
        .balign 4;                                                      \
        .globl trap_vector;                                             \
trap_vector:                                                            \
        csrr t5, mcause;                                                \
        bltz t5, 2f;                                                    \
        addi t6, t5, -CAUSE_USER_ECALL;                                 \
        sltiu t6, t6, 4;                                                \
        beqz t6, 2f;                                                    \
        li t6, ECALL_EXIT;                                              \
        beq a7, t6, env_exit;                                           \
        li t6, ECALL_TO_M;                                              \
        beq a7, t6, 3f;                                                 \
        li t6, ECALL_TO_M_AT_A6;                                        \
        beq a7, t6, 4f;                                                 \
        li t6, ECALL_UNEXPECTED;                                        \
        beq a7, t6, env_unexpected;                                     \
2:      beqz s11, env_unexpected;                                       \
        mv s8, t5;                                                      \
        csrr s9, mepc;                                                  \
        csrr s10, mtval;                                                \
        csrw mepc, s11;                                                 \
        li s11, 0;                                                      \
        bgez s8, 1f;                                                    \
        li t6, 1;                                                       \
        sll t6, t6, s8;                                                 \
        csrc mie, t6;                                                   \
        li t6, MSTATUS_MPIE;                                            \
        csrc mstatus, t6;                                               \
1:      mret;                                                           \
3:      csrr t6, mepc;                                                  \
        addi a6, t6, 4;                                                 \
4:      csrw mepc, a6;                                                  \
        li t6, MSTATUS_MPP_M;                                           \
        csrs mstatus, t6;                                               \
        li t6, MSTATUS_MPIE;                                            \
        csrc mstatus, t6;                                               \
        mret;                                                           \
env_unexpected:                                                         \
        andi t5, TESTNUM, 0x7f;                                         \
        ori t5, t5, ENV_UNEXPECTED_BASE;                                \
        slli t5, t5, 1;                                                 \
        ori TESTNUM, t5, 1;                                             \
env_exit:                                                               \
        li t6, MSTATUS_MPRV;                                            \
        csrc mstatus, t6;                                               \
        la t6, tohost;                                                  \
1:      sw TESTNUM, 0(t6);                                              \
        sw zero, 4(t6);                                                 \
        j 1b;                                                           \
        .balign 4;                                                      \
        .globl strap_vector;                                            \
strap_vector:                                                           \
        csrr t5, scause;                                                \
        bltz t5, 2f;                                                    \
        li t6, CAUSE_USER_ECALL;                                        \
        bne t5, t6, 2f;                                                 \
        li t6, ECALL_EXIT;                                              \
        beq a7, t6, 3f;                                                 \
        li t6, ECALL_TO_M;                                              \
        bne a7, t6, 2f;                                                 \
        csrr a6, sepc;                                                  \
        addi a6, a6, 4;                                                 \
        li a7, ECALL_TO_M_AT_A6;                                        \
3:      ecall;                                                          \
2:      bnez s11, 4f;                                                   \
        li a7, ECALL_UNEXPECTED;                                        \
        ecall;                                                          \
4:      mv s8, t5;                                                      \
        csrr s9, sepc;                                                  \
        csrr s10, stval;                                                \
        csrw sepc, s11;                                                 \
        li s11, 0;                                                      \
        bgez s8, 1f;                                                    \
        li t6, 1;                                                       \
        sll t6, t6, s8;                                                 \
        csrc sie, t6;                                                   \
        li t6, MSTATUS_SPIE;                                            \
        csrc sstatus, t6;                                               \
1:      sret;                                                           \
reset_vector:                                                           \
        ENV_INIT_XREGS;                                                 \
        li TESTNUM, 0;                                                  \
        la t0, trap_vector;                                             \
        csrw mtvec, t0;                                                 \
        la t0, strap_vector;                                            \
        csrw stvec, t0;                                                 \
        csrwi satp, 0;                                                  \
        li t0, -1;                                                      \
        csrw pmpaddr0, t0;                                              \
        li t0, 0x1f;                                                    \
        csrw pmpcfg0, t0;                                               \
        csrwi medeleg, 0;                                               \
        csrwi mideleg, 0;                                               \
        csrwi mie, 0;                                                   \
        li t0, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_SIE | MSTATUS_FS;    \
        csrc mstatus, t0;                                               \
        li t0, MSTATUS_FS_INIT;                                         \
        csrs mstatus, t0;                                               \
        csrwi fcsr, 0;                                                  \
        init;                                                           \
        li t0, 0;                                                       \
        la t1, 1f;                                                      \
        csrw mepc, t1;                                                  \
        li t1, 0;                                                       \
        mret;                                                           \
        .text;                                                          \
1:

#define ENV_INIT_XREGS                                                  \
        li x1, 0; li x2, 0; li x3, 0; li x4, 0; li x5, 0; li x6, 0;     \
        li x7, 0; li x8, 0; li x9, 0; li x10, 0; li x11, 0; li x12, 0;  \
        li x13, 0; li x14, 0; li x15, 0; li x16, 0; li x17, 0;          \
        li x18, 0; li x19, 0; li x20, 0; li x21, 0; li x22, 0;          \
        li x23, 0; li x24, 0; li x25, 0; li x26, 0; li x27, 0;          \
        li x28, 0; li x29, 0; li x30, 0; li x31, 0

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

#define RVTEST_DATA_BEGIN                                               \
        .pushsection .tohost, "aw", @progbits;                          \
        .balign 64; .globl tohost; tohost: .dword 0; .size tohost, 8;   \
        .balign 64; .globl fromhost; fromhost: .dword 0; .size fromhost, 8; \
        .popsection;                                                    \
        .balign 16; .globl begin_signature; begin_signature:

#define RVTEST_DATA_END .balign 16; .globl end_signature; end_signature:

#include "priv_macros.h"

#endif
