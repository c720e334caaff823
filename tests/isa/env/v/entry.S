/*
 * extravirt ISA suite: "v" environment kernel.
 *
 * M-mode boot: zero registers, open PMP, build the page tables, delegate
 * the test's exceptions to S-mode and mret into the S-mode kernel.
 *
 * Address space (Sv39, or Sv48 with -DVM_SV48):
 *   VA 0x80000000..+1GiB  identity gigapage, RWX, G, A/D preset: the kernel
 *   VA 0 .. (_end-0x80000000)  the test image, 4 KiB pages mapped on demand
 *                         by the page-fault handler to PA = VA + 0x80000000,
 *                         V|R|W|X (+U unless -DVM_SMODE), A/D left clear so
 *                         the hart sets them during the walk.
 *
 * The S-mode kernel enters the body at userstart (as a virtual address) in
 * U-mode (S-mode with -DVM_SMODE).  Traps from the body are delegated to
 * the kernel: page faults inside the image are served, an ecall with
 * a7 = 93 writes gp to tohost, anything else is reported as
 * FAIL test (0x380 + (gp & 0x7f)).  Traps reaching M-mode (an S-mode body's
 * ecall) are handled the same way by the M handler.
 */
#include "isa_defs.h"

#ifdef VM_SV48
#define SATP_MODE SATP_MODE_SV48
#else
#define SATP_MODE SATP_MODE_SV39
#endif
#ifdef VM_SMODE
#define USER_PTE_FLAGS (PTE_V | PTE_R | PTE_W | PTE_X)
#define CAUSE_BODY_ECALL CAUSE_SUPERVISOR_ECALL
#else
#define USER_PTE_FLAGS (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U)
#define CAUSE_BODY_ECALL CAUSE_USER_ECALL
#endif

/* PTE for the physical address in `pa` -> rd */
#define PTE(rd, pa, flags) srli rd, pa, 12; slli rd, rd, 10; ori rd, rd, flags

        .section .text.init, "ax", @progbits
        .balign 64
        .globl _start
_start:
        j reset

/* ---------------- M-mode trap handler ---------------- */
        .balign 4
m_trap:
        csrr t5, mcause
        li t6, CAUSE_SUPERVISOR_ECALL
        bne t5, t6, 1f
        li t6, ECALL_EXIT
        bne a7, t6, 1f
        mv t5, gp
        j write_tohost
1:      andi t5, gp, 0x7f
        ori t5, t5, ENV_UNEXPECTED_BASE
        slli t5, t5, 1
        ori t5, t5, 1
write_tohost:
        la t6, tohost
1:      sw t5, 0(t6)
        sw zero, 4(t6)
        j 1b

/* ---------------- M-mode boot ---------------- */
reset:
        li x1, 0; li x2, 0; li x3, 0; li x4, 0; li x5, 0; li x6, 0
        li x7, 0; li x8, 0; li x9, 0; li x10, 0; li x11, 0; li x12, 0
        li x13, 0; li x14, 0; li x15, 0; li x16, 0; li x17, 0; li x18, 0
        li x19, 0; li x20, 0; li x21, 0; li x22, 0; li x23, 0; li x24, 0
        li x25, 0; li x26, 0; li x27, 0; li x28, 0; li x29, 0; li x30, 0
        li x31, 0
        la t0, m_trap
        csrw mtvec, t0
        csrwi satp, 0
        li t0, -1
        csrw pmpaddr0, t0
        li t0, 0x1f
        csrw pmpcfg0, t0
        csrwi mie, 0
        csrwi mideleg, 0

        /* zero the page tables */
        la t0, pt_base
        li t1, 4 * 4096
        add t1, t1, t0
1:      sd zero, 0(t0)
        addi t0, t0, 8
        bltu t0, t1, 1b

        la s0, pt_root
        la s1, pt_l2            /* Sv48 only */
        la s2, pt_l1
        la s3, pt_l0
        /* kernel identity gigapage for 0x80000000 */
        li t0, DRAM_BASE
        PTE(t1, t0, PTE_V | PTE_R | PTE_W | PTE_X | PTE_G | PTE_A | PTE_D)
#ifdef VM_SV48
        sd t1, 2*8(s1)
        PTE(t1, s1, PTE_V)
        sd t1, 0(s0)
        PTE(t1, s2, PTE_V)
        sd t1, 0(s1)
#else
        sd t1, 2*8(s0)
        PTE(t1, s2, PTE_V)
        sd t1, 0(s0)
#endif
        PTE(t1, s3, PTE_V)
        sd t1, 0(s2)

        srli t0, s0, 12
        li t1, SATP_MODE
        or t0, t0, t1
        csrw satp, t0

        li t0, (1 << CAUSE_MISALIGNED_FETCH) | (1 << CAUSE_FETCH_ACCESS) | \
               (1 << CAUSE_ILLEGAL_INSN) | (1 << CAUSE_BREAKPOINT) | \
               (1 << CAUSE_MISALIGNED_LOAD) | (1 << CAUSE_LOAD_ACCESS) | \
               (1 << CAUSE_MISALIGNED_STORE) | (1 << CAUSE_STORE_ACCESS) | \
               (1 << CAUSE_USER_ECALL) | (1 << CAUSE_FETCH_PAGE_FAULT) | \
               (1 << CAUSE_LOAD_PAGE_FAULT) | (1 << CAUSE_STORE_PAGE_FAULT)
        csrw medeleg, t0
        la t0, s_trap
        csrw stvec, t0
        la t0, s_save
        csrw sscratch, t0

        li t0, MSTATUS_MPP | MSTATUS_MIE | MSTATUS_SIE | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MPRV
        csrc mstatus, t0
        li t0, MSTATUS_MPP_S | MSTATUS_FS_INIT
        csrs mstatus, t0
        csrwi fcsr, 0
        la t0, s_entry
        csrw mepc, t0
        li s0, 0; li s1, 0; li s2, 0; li s3, 0; li t0, 0; li t1, 0
        mret

/* ---------------- S-mode kernel ---------------- */
s_entry:
        sfence.vma
        la t0, userstart
        li t1, DRAM_BASE
        sub t0, t0, t1
        csrw sepc, t0
        li t0, SSTATUS_SPP_SPIE
        csrc sstatus, t0
#ifdef VM_SMODE
        li t0, MSTATUS_SPP
        csrs sstatus, t0
#endif
        li t0, 0
        li t1, 0
        sret

        .balign 4
s_trap:
        csrrw t6, sscratch, t6
        sd t0, 0(t6)
        sd t1, 8(t6)
        sd t2, 16(t6)
        sd t3, 24(t6)
        sd t4, 32(t6)
        csrr t0, scause
        li t1, CAUSE_BODY_ECALL
        bne t0, t1, 1f
        li t1, ECALL_EXIT
        bne a7, t1, s_unexpected
        mv t5, gp
        j write_tohost
1:      li t1, CAUSE_FETCH_PAGE_FAULT
        beq t0, t1, s_page_fault
        li t1, CAUSE_LOAD_PAGE_FAULT
        beq t0, t1, s_page_fault
        li t1, CAUSE_STORE_PAGE_FAULT
        beq t0, t1, s_page_fault
s_unexpected:
        andi t5, gp, 0x7f
        ori t5, t5, ENV_UNEXPECTED_BASE
        slli t5, t5, 1
        ori t5, t5, 1
        j write_tohost

s_page_fault:
        /* limit = _end - DRAM_BASE: the image */
        la t2, _end
        li t1, DRAM_BASE
        sub t2, t2, t1
        csrr t0, stval
        bgeu t0, t2, s_unexpected
        srli t0, t0, 12
        slli t0, t0, 12
        jal t4, map_page        /* the faulting page */
        li t1, 4096
        add t0, t0, t1
        bgeu t0, t2, 2f
        jal t4, map_page        /* and the next one (accesses across pages) */
2:      sfence.vma
        ld t0, 0(t6)
        ld t1, 8(t6)
        ld t2, 16(t6)
        ld t3, 24(t6)
        ld t4, 32(t6)
        csrrw t6, sscratch, t6
        sret

/* map VA t0 (page aligned, < 2 MiB) to PA t0 + DRAM_BASE if not mapped yet.
 * clobbers t1, t3; returns through t4. */
map_page:
        la t1, pt_l0
        srli t3, t0, 9          /* (va >> 12) * 8 */
        add t1, t1, t3
        ld t3, 0(t1)
        bnez t3, 1f
        li t3, DRAM_BASE
        add t3, t3, t0
        PTE(t3, t3, USER_PTE_FLAGS)
        sd t3, 0(t1)
1:      jr t4

        .section .tohost, "aw", @progbits
        .balign 64
        .globl tohost
tohost: .dword 0
        .size tohost, 8
        .balign 64
        .globl fromhost
fromhost: .dword 0
        .size fromhost, 8

        .section .kernel_data, "aw", @nobits
        .balign 4096
pt_base:
pt_root: .skip 4096
pt_l2:   .skip 4096
pt_l1:   .skip 4096
pt_l0:   .skip 4096
s_save:  .skip 64
