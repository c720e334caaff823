/*
 * extravirt ISA suite: helpers for privileged tests (p environment only).
 * Uses the trap recorder of env/p/riscv_test.h: s11 = resume address,
 * s8 = cause, s9 = epc, s10 = tval.
 */
#ifndef ISA_PRIV_MACROS_H
#define ISA_PRIV_MACROS_H

/* Arm the recorder: the next trap resumes at `label`. */
#define ARM_TRAP(label) la s11, label; li s8, -1; li s9, -1; li s10, -1

/* Run `insn` (the first instruction must be the one expected to trap),
 * require a trap with `cause` whose epc is that first instruction. */
#define TRAP_AT(cause, insn...) \
  ARM_TRAP(8f); 7: insn; j fail; \
  8: li x7, cause; BR_FAIL_NE(s8, x7); la x7, 7b; BR_FAIL_NE(s9, x7)
#define TRAP_EXPECT(n, cause, insn...) TEST_NUM(n); TRAP_AT(cause, insn)

/* After TRAP_AT: check the recorded tval. */
#define CHECK_TVAL(val) li x7, val; BR_FAIL_NE(s10, x7)

/* Mode switches from M-mode (continue at the next instruction). */
#define M_GOTO_MODE(mpp) \
  li t0, MSTATUS_MPP; csrc mstatus, t0; li t0, mpp; csrs mstatus, t0; \
  la t0, 1f; csrw mepc, t0; mret; 1:
#define ENTER_U_FROM_M M_GOTO_MODE(0)
#define ENTER_S_FROM_M M_GOTO_MODE(MSTATUS_MPP_S)
/* From S-mode into U-mode. */
#define ENTER_U_FROM_S \
  li t0, MSTATUS_SPP; csrc sstatus, t0; la t0, 1f; csrw sepc, t0; sret; 1:
/* From U or S back to M-mode (continues after the ecall, clobbers a6/a7). */
#define BACK_TO_M li a7, ECALL_TO_M; ecall

/* PTE for physical address in register `pa` with constant flags -> rd */
#define MAKE_PTE(rd, pa, flags) srli rd, pa, 12; slli rd, rd, 10; ori rd, rd, flags
/* satp value for a root table at register `pa`, mode constant -> rd */
#define MAKE_SATP(rd, pa, mode) srli rd, pa, 12; li x7, mode; or rd, rd, x7

#endif
