//! The memory map and interrupt numbers of QEMU's `virt` board, which ours follows so that
//! unmodified OpenSBI and Linux find everything where they expect it.

pub const RESET_ROM: u64 = 0x1000;
pub const RESET_ROM_SIZE: u64 = 0x1000;
pub const SYSCON: u64 = 0x10_0000;
pub const RTC: u64 = 0x10_1000;
pub const CLINT: u64 = 0x200_0000;
pub const CLINT_SIZE: u64 = 0x1_0000;
pub const PLIC: u64 = 0xc00_0000;
pub const PLIC_SIZE: u64 = 0x60_0000;
pub const UART: u64 = 0x1000_0000;
pub const VIRTIO_BASE: u64 = 0x1000_1000;
pub const VIRTIO_STRIDE: u64 = 0x1000;
pub const VIRTIO_SLOTS: u64 = 8;
pub const DRAM: u64 = 0x8000_0000;

/// PLIC source numbers.
pub const UART_IRQ: u32 = 10;
pub const RTC_IRQ: u32 = 11;
/// virtio-mmio slot `i` interrupts on source `VIRTIO_IRQ + i`.
pub const VIRTIO_IRQ: u32 = 1;
/// Sources 1..=95, as QEMU's `riscv,ndev`.
pub const PLIC_SOURCES: u32 = 95;

/// `mtime` frequency advertised to the guest (QEMU virt's).
pub const TIMEBASE_HZ: u32 = 10_000_000;

/// Where OpenSBI's `fw_dynamic` expects to be loaded, and the kernel after it.
pub const FIRMWARE_ADDR: u64 = DRAM;
pub const KERNEL_ADDR: u64 = DRAM + 0x20_0000;
