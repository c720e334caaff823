/*
 * Bare-metal RV64GC driver for the QEMU differential test (qemu_diff.rs).
 *
 * vectors.bin holds 32-byte records {u32 op, u32 rm, u64 a, u64 b, u64 c}.
 * For each record: frm := rm, fflags := 0, fa1..fa3 := a..c (raw 64-bit
 * patterns, so single-precision operands may be deliberately mis-boxed),
 * a1 := a, then jump to the op's handler from ops.S, which leaves its result
 * in a0.  Prints "<a0 as 16 hex digits> <fflags as 2 hex digits>\n" on the
 * 16550 UART, then "END" and powers off through the virt test device.
 * A trap prints "TRAP <mcause> <mepc>" and powers off too.
 */
    .equ UART, 0x10000000
    .equ UART_LSR, 5
    .equ LSR_THRE, 0x20
    .equ POWER, 0x100000
    .equ POWER_OFF, 0x5555

/* Writes the byte in \reg; waits for the holding register so that nothing
 * is dropped however slowly the host drains QEMU's stdout. */
.macro PUTC reg
1:  lbu t6, UART_LSR(s2)
    andi t6, t6, LSR_THRE
    beqz t6, 1b
    sb \reg, 0(s2)
.endm

.macro PUTI imm
    li t5, \imm
    PUTC t5
.endm

    .section .text.init
    .globl _start
_start:
    la t0, trap
    csrw mtvec, t0
    li t0, 0x2000               /* mstatus.FS = Initial: enables the FPU */
    csrs mstatus, t0
    la s0, vectors
    la s1, vectors_end
    li s2, UART

next:
    bgeu s0, s1, finish
    lwu t0, 0(s0)
    lwu t1, 4(s0)
    ld a1, 8(s0)
    ld a2, 16(s0)
    ld a3, 24(s0)
    fmv.d.x fa1, a1
    fmv.d.x fa2, a2
    fmv.d.x fa3, a3
    fsrm t1
    fsflags zero
    la t2, op_table
    slli t0, t0, 3
    add t2, t2, t0
    ld t2, 0(t2)
    jr t2

done:
    frflags s3
    mv a4, a0
    li a5, 16
    jal ra, puthex
    PUTI ' '
    mv a4, s3
    li a5, 2
    jal ra, puthex
    PUTI '\n'
    addi s0, s0, 32
    j next

finish:
    PUTI 'E'
    PUTI 'N'
    PUTI 'D'
    PUTI '\n'
poweroff:
    li t0, POWER
    li t1, POWER_OFF
    sw t1, 0(t0)
1:  j 1b

/* Prints the low a5 nibbles of a4 in hex, most significant first. */
puthex:
    addi a5, a5, -1
    slli t4, a5, 2
    srl t5, a4, t4
    andi t5, t5, 15
    addi t5, t5, '0'
    li t4, '9'
    ble t5, t4, 2f
    addi t5, t5, 'a' - '9' - 1
2:  PUTC t5
    bnez a5, puthex
    ret

    .balign 4
trap:
    li s2, UART
    PUTI 'T'
    PUTI 'R'
    PUTI 'A'
    PUTI 'P'
    PUTI ' '
    csrr a4, mcause
    li a5, 16
    jal ra, puthex
    PUTI ' '
    csrr a4, mepc
    li a5, 16
    jal ra, puthex
    PUTI '\n'
    j poweroff

    .include "ops.S"

    .section .rodata
    .balign 8
vectors:
    .incbin "vectors.bin"
vectors_end:
