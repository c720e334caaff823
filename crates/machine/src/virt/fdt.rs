//! The flattened device tree describing the board to OpenSBI and Linux, built with `vm-fdt`.
//!
//! It mirrors what QEMU generates for `-M virt` with one hart, minus anything host-dependent:
//! no `rng-seed` or `kaslr-seed` (entropy reaches the guest only through logged inputs).

use vm_fdt::{FdtWriter, FdtWriterResult};

use super::layout::*;

const CPU_INTC_PHANDLE: u32 = 1;
const PLIC_PHANDLE: u32 = 2;
const SYSCON_PHANDLE: u32 = 3;

/// What the device tree needs to know beyond the fixed layout.
pub struct FdtConfig<'a> {
    pub ram_size: u64,
    pub bootargs: &'a str,
    /// Guest-physical start and end of the initrd.
    pub initrd: Option<(u64, u64)>,
    /// virtio-mmio slots that have a device behind them.
    pub virtio_slots: u64,
}

fn reg(addr: u64, size: u64) -> [u64; 2] {
    [addr, size]
}

pub fn build(cfg: &FdtConfig) -> FdtWriterResult<Vec<u8>> {
    let mut f = FdtWriter::new()?;
    let root = f.begin_node("")?;
    f.property_u32("#address-cells", 2)?;
    f.property_u32("#size-cells", 2)?;
    f.property_string("compatible", "riscv-virtio")?;
    f.property_string("model", "riscv-virtio,qemu")?;

    let chosen = f.begin_node("chosen")?;
    f.property_string("bootargs", cfg.bootargs)?;
    f.property_string("stdout-path", &format!("/soc/serial@{UART:x}"))?;
    if let Some((start, end)) = cfg.initrd {
        f.property_u64("linux,initrd-start", start)?;
        f.property_u64("linux,initrd-end", end)?;
    }
    f.end_node(chosen)?;

    let mem = f.begin_node(&format!("memory@{DRAM:x}"))?;
    f.property_string("device_type", "memory")?;
    f.property_array_u64("reg", &reg(DRAM, cfg.ram_size))?;
    f.end_node(mem)?;

    cpus(&mut f)?;
    soc(&mut f, cfg)?;
    f.end_node(root)?;
    f.finish()
}

fn cpus(f: &mut FdtWriter) -> FdtWriterResult<()> {
    let cpus = f.begin_node("cpus")?;
    f.property_u32("#address-cells", 1)?;
    f.property_u32("#size-cells", 0)?;
    f.property_u32("timebase-frequency", TIMEBASE_HZ)?;
    let cpu = f.begin_node("cpu@0")?;
    f.property_string("device_type", "cpu")?;
    f.property_u32("reg", 0)?;
    f.property_string("status", "okay")?;
    f.property_string("compatible", "riscv")?;
    f.property_string("riscv,isa", "rv64imafdc_zicsr_zifencei")?;
    f.property_string("mmu-type", "riscv,sv48")?;
    let intc = f.begin_node("interrupt-controller")?;
    f.property_u32("#interrupt-cells", 1)?;
    f.property_null("interrupt-controller")?;
    f.property_string("compatible", "riscv,cpu-intc")?;
    f.property_phandle(CPU_INTC_PHANDLE)?;
    f.end_node(intc)?;
    f.end_node(cpu)?;
    f.end_node(cpus)
}

fn soc(f: &mut FdtWriter, cfg: &FdtConfig) -> FdtWriterResult<()> {
    let soc = f.begin_node("soc")?;
    f.property_u32("#address-cells", 2)?;
    f.property_u32("#size-cells", 2)?;
    f.property_string("compatible", "simple-bus")?;
    f.property_null("ranges")?;

    let clint = f.begin_node(&format!("clint@{CLINT:x}"))?;
    f.property_string_list("compatible", vec!["sifive,clint0".into(), "riscv,clint0".into()])?;
    f.property_array_u64("reg", &reg(CLINT, CLINT_SIZE))?;
    // Machine software (3) and machine timer (7) interrupts of hart 0.
    f.property_array_u32("interrupts-extended", &[CPU_INTC_PHANDLE, 3, CPU_INTC_PHANDLE, 7])?;
    f.end_node(clint)?;

    let plic = f.begin_node(&format!("plic@{PLIC:x}"))?;
    f.property_string_list(
        "compatible",
        vec!["sifive,plic-1.0.0".into(), "riscv,plic0".into()],
    )?;
    f.property_array_u64("reg", &reg(PLIC, PLIC_SIZE))?;
    f.property_u32("#address-cells", 0)?;
    f.property_u32("#interrupt-cells", 1)?;
    f.property_null("interrupt-controller")?;
    f.property_u32("riscv,ndev", PLIC_SOURCES)?;
    // Context 0: machine external (11); context 1: supervisor external (9).
    f.property_array_u32(
        "interrupts-extended",
        &[CPU_INTC_PHANDLE, 11, CPU_INTC_PHANDLE, 9],
    )?;
    f.property_phandle(PLIC_PHANDLE)?;
    f.end_node(plic)?;

    let uart = f.begin_node(&format!("serial@{UART:x}"))?;
    f.property_string("compatible", "ns16550a")?;
    f.property_array_u64("reg", &reg(UART, 0x100))?;
    f.property_u32("clock-frequency", 0x38_4000)?;
    f.property_u32("interrupt-parent", PLIC_PHANDLE)?;
    f.property_u32("interrupts", UART_IRQ)?;
    f.end_node(uart)?;

    // Linux probes virtio-mmio slots in reverse order of their nodes; QEMU emits them from the
    // highest address down so that the first slot becomes vda/eth0. Do the same.
    for i in (0..cfg.virtio_slots.min(VIRTIO_SLOTS)).rev() {
        let addr = VIRTIO_BASE + i * VIRTIO_STRIDE;
        let v = f.begin_node(&format!("virtio_mmio@{addr:x}"))?;
        f.property_string("compatible", "virtio,mmio")?;
        f.property_array_u64("reg", &reg(addr, VIRTIO_STRIDE))?;
        f.property_u32("interrupt-parent", PLIC_PHANDLE)?;
        f.property_u32("interrupts", VIRTIO_IRQ + i as u32)?;
        f.end_node(v)?;
    }

    let rtc = f.begin_node(&format!("rtc@{RTC:x}"))?;
    f.property_string("compatible", "google,goldfish-rtc")?;
    f.property_array_u64("reg", &reg(RTC, 0x1000))?;
    f.property_u32("interrupt-parent", PLIC_PHANDLE)?;
    f.property_u32("interrupts", RTC_IRQ)?;
    f.end_node(rtc)?;

    let test = f.begin_node(&format!("test@{SYSCON:x}"))?;
    f.property_string_list(
        "compatible",
        vec!["sifive,test1".into(), "sifive,test0".into(), "syscon".into()],
    )?;
    f.property_array_u64("reg", &reg(SYSCON, 0x1000))?;
    f.property_phandle(SYSCON_PHANDLE)?;
    f.end_node(test)?;

    for (name, value) in [("poweroff", 0x5555u32), ("reboot", 0x7777)] {
        let n = f.begin_node(name)?;
        f.property_string("compatible", &format!("syscon-{name}"))?;
        f.property_u32("regmap", SYSCON_PHANDLE)?;
        f.property_u32("offset", 0)?;
        f.property_u32("value", value)?;
        f.end_node(n)?;
    }
    f.end_node(soc)
}
