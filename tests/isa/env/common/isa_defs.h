/* extravirt ISA suite: architectural constants (subset of the privileged spec). */
#ifndef ISA_DEFS_H
#define ISA_DEFS_H

#define DRAM_BASE        0x80000000

#define MSTATUS_SIE      0x00000002
#define MSTATUS_MIE      0x00000008
#define MSTATUS_SPIE     0x00000020
#define MSTATUS_MPIE     0x00000080
#define MSTATUS_SPP      0x00000100
#define MSTATUS_MPP      0x00001800
#define MSTATUS_MPP_S    0x00000800
#define MSTATUS_MPP_M    0x00001800
#define MSTATUS_FS       0x00006000
#define MSTATUS_FS_INIT  0x00002000
#define MSTATUS_FS_DIRTY 0x00006000
#define MSTATUS_MPRV     0x00020000
#define MSTATUS_SUM      0x00040000
#define MSTATUS_MXR      0x00080000
#define MSTATUS_TVM      0x00100000
#define MSTATUS_TW       0x00200000
#define MSTATUS_TSR      0x00400000

#define MIP_SSIP         0x002
#define MIP_MSIP         0x008
#define MIP_STIP         0x020
#define MIP_MTIP         0x080
#define MIP_SEIP         0x200
#define MIP_MEIP         0x800

#define CAUSE_MISALIGNED_FETCH   0
#define CAUSE_FETCH_ACCESS       1
#define CAUSE_ILLEGAL_INSN       2
#define CAUSE_BREAKPOINT         3
#define CAUSE_MISALIGNED_LOAD    4
#define CAUSE_LOAD_ACCESS        5
#define CAUSE_MISALIGNED_STORE   6
#define CAUSE_STORE_ACCESS       7
#define CAUSE_USER_ECALL         8
#define CAUSE_SUPERVISOR_ECALL   9
#define CAUSE_MACHINE_ECALL      11
#define CAUSE_FETCH_PAGE_FAULT   12
#define CAUSE_LOAD_PAGE_FAULT    13
#define CAUSE_STORE_PAGE_FAULT   15
#define CAUSE_INTR               0x8000000000000000
#define IRQ_S_SOFT               1
#define IRQ_M_SOFT               3
#define IRQ_S_TIMER              5
#define IRQ_S_EXT                9

#define PTE_V 0x001
#define PTE_R 0x002
#define PTE_W 0x004
#define PTE_X 0x008
#define PTE_U 0x010
#define PTE_G 0x020
#define PTE_A 0x040
#define PTE_D 0x080

#define SATP_MODE_SV39   (8 << 60)
#define SATP_MODE_SV48   (9 << 60)
#define SATP_MODE_SV57   (10 << 60)

/* Magic a7 values understood by the environment's ecall handlers. */
#define ECALL_EXIT       93   /* write TESTNUM (already encoded) to tohost */
#define ECALL_TO_M       94   /* continue at the instruction after ecall, in M-mode */
#define ECALL_TO_M_AT_A6 95   /* continue at a6, in M-mode (used by the S handler) */
#define ECALL_UNEXPECTED 96   /* report an unexpected trap of the current test */

/* Unexpected traps are reported as FAIL test (ENV_UNEXPECTED_BASE + (TESTNUM & 0x7f)). */
#define ENV_UNEXPECTED_BASE 0x380

#define SSTATUS_SPP_SPIE (MSTATUS_SPP | MSTATUS_SPIE)

#endif
