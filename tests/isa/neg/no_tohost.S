# Runner contract: a valid RISC-V ELF without a tohost symbol -> exit 2.
        .section .text.init, "ax", @progbits
        .globl _start
_start:
        j _start
