//! The boards extravirt runs: for now the bare-metal HTIF board of the spike-compatible runner.
//!
//! A board owns a hart and its RAM, loads images, and turns the hart's [`riscv::Exit`]s into
//! board-level outcomes. Everything here is deterministic: the same image and budget give the
//! same instruction count and the same final state on every run and host.

pub mod bare;
pub mod elf;
pub mod virt;
