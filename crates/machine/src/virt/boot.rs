//! The reset ROM and OpenSBI's `fw_dynamic` handoff, as QEMU's `virt` lays them out.
//!
//! At reset the hart runs six instructions at 0x1000 that load `a0` = hart id, `a1` = FDT
//! address, `a2` = the `fw_dynamic_info` block, and jump to the firmware. The block tells
//! OpenSBI where the kernel is and to enter it in S-mode.

use super::layout::RESET_ROM;

const FW_DYNAMIC_INFO_MAGIC: u64 = 0x4942_534f; // "OSBI"
const FW_DYNAMIC_INFO_VERSION: u64 = 2;
const NEXT_MODE_S: u64 = 1;

/// The reset ROM image: code, then the firmware and FDT addresses, then `fw_dynamic_info`.
pub fn reset_rom(firmware: u64, fdt: u64, kernel: u64) -> Vec<u8> {
    let code: [u32; 6] = [
        0x0000_0297, // auipc t0, 0
        0x0282_8613, // addi  a2, t0, 40   (fw_dynamic_info)
        0xf140_2573, // csrr  a0, mhartid
        0x0202_b583, // ld    a1, 32(t0)   (fdt)
        0x0182_b283, // ld    t0, 24(t0)   (firmware)
        0x0002_8067, // jr    t0
    ];
    let mut rom: Vec<u8> = code.iter().flat_map(|w| w.to_le_bytes()).collect();
    let words = [
        firmware,
        fdt,
        FW_DYNAMIC_INFO_MAGIC,
        FW_DYNAMIC_INFO_VERSION,
        kernel,
        NEXT_MODE_S,
        0, // options
        0, // boot hart
    ];
    rom.extend(words.iter().flat_map(|w| w.to_le_bytes()));
    rom
}

/// The address the hart starts at.
pub const RESET_PC: u64 = RESET_ROM;

#[cfg(test)]
mod tests {
    use super::*;
    use riscv::{decode32, Op};

    #[test]
    fn reset_rom_points_a2_at_the_fw_dynamic_block() {
        let rom = reset_rom(0x8000_0000, 0x8fe0_0000, 0x8020_0000);
        let word = |i: usize| u64::from_le_bytes(rom[i..i + 8].try_into().unwrap());
        // addi a2, t0, 40: the block starts at byte 40.
        assert!(matches!(
            decode32(0x0282_8613).op,
            Op::AluImm {
                imm: 40,
                rd: 12,
                rs1: 5,
                ..
            }
        ));
        assert_eq!(word(24), 0x8000_0000);
        assert_eq!(word(32), 0x8fe0_0000);
        assert_eq!(word(40), FW_DYNAMIC_INFO_MAGIC);
        assert_eq!(word(56), 0x8020_0000);
        assert_eq!(word(64), NEXT_MODE_S);
    }
}
