//! A deterministic RV64IMAFDC hart: decoder, CSRs, traps, Sv39/Sv48 MMU and interpreter.
//!
//! Contract:
//! - **Exact counting.** [`Hart::run`] retires exactly `budget` instructions unless it stops
//!   earlier with an [`Exit`] it reports; the stopping point depends only on architectural state
//!   and the bus's answers, never on caches (TLB, decode cache) or host timing.
//! - **No devices.** Everything outside the hart is reached through [`Bus`]: RAM frames and
//!   device loads/stores. Interrupt lines are set from outside with [`Hart::set_irq_lines`]
//!   between runs. Any device access ends the run after that instruction retires, so the owner
//!   of the bus can update interrupt lines at exactly that instruction boundary.
//! - **Virtual time.** `time`/`mtime` advance one tick per [`INSNS_PER_TICK`] retired
//!   instructions, plus whatever [`Hart::skip_idle`] adds while the hart waits in WFI.
//! - **Caches are invisible.** Decoded instructions and pre-decoded blocks are keyed by the
//!   bytes they came from and compared with RAM before use; frame addresses kept in the TLB
//!   are forgotten at every run and every call that may move frames. Native code for hot
//!   blocks (x86-64) does exactly what the block interpreter does. `Hart::set_blocks(false)`
//!   (one instruction at a time) and `Hart::set_native(None)` give the same results, which
//!   `tests/block_equivalence.rs` checks on random programs.
//! - **Hostile guests are contained.** Bad instructions, wild jumps and page tables pointing
//!   outside RAM produce architectural traps; nothing a guest does panics the interpreter.
//!
//! ```
//! use riscv::{Bus, Exit, Hart, IoCtx, FRAME_SIZE};
//!
//! /// One page of RAM at 0x8000_0000 and nothing else.
//! struct Tiny(Box<[u8; FRAME_SIZE]>);
//! impl Bus for Tiny {
//!     fn ram(&self, pa: u64) -> Option<&[u8; FRAME_SIZE]> {
//!         (pa >> 12 == 0x80000).then_some(&*self.0)
//!     }
//!     fn ram_mut(&mut self, pa: u64) -> Option<&mut [u8; FRAME_SIZE]> {
//!         (pa >> 12 == 0x80000).then_some(&mut *self.0)
//!     }
//!     fn io_load(&mut self, _: u64, _: u8, _: &IoCtx) -> Option<u64> { None }
//!     fn io_store(&mut self, _: u64, _: u8, _: u64, _: &IoCtx) -> bool { false }
//! }
//!
//! let mut ram = Box::new([0u8; FRAME_SIZE]);
//! // addi a0, a0, 1 ; j -4
//! ram[0..8].copy_from_slice(&[0x13, 0x05, 0x15, 0x00, 0x6f, 0xf0, 0xdf, 0xff]);
//! let mut bus = Tiny(ram);
//! let mut hart = Hart::new(0x8000_0000);
//! assert_eq!(hart.run(&mut bus, 1001), Exit::Budget);
//! assert_eq!(hart.x(10), 501);
//! assert_eq!(hart.icount(), 1001);
//! ```

pub mod asm;
mod block;
mod csr;
mod decode;
mod exec;
mod exec_block;
mod fp;
mod hart;
mod jit;
mod mmu;
mod op;
mod state;
mod trap;

pub use decode::{decode16, decode32};
pub use hart::{Exit, Hart, Priv, INSNS_PER_TICK};
pub use op::{Inst, Op};
pub use state::StateError;
pub use trap::{cause, irq};

/// Size of a RAM frame as seen through [`Bus::ram`].
pub const FRAME_SIZE: usize = 4096;

/// What a device sees of the hart when it is accessed: when, in guest time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IoCtx {
    /// Instructions retired before the accessing instruction.
    pub icount: u64,
    /// The hart's `mtime` at the access.
    pub mtime: u64,
}

/// The hart's view of the physical address space.
///
/// `ram`/`ram_mut` return the 4 KiB frame containing `paddr` when it is plain memory; any
/// address for which they return `None` goes to `io_load`/`io_store`. A bus may decline
/// `ram_mut` for a RAM page it wants to watch (the HTIF `tohost` page, say) and serve the stores
/// through `io_store` instead. Instruction fetch only uses `ram`: executing from a device is an
/// access fault.
///
/// Within one [`Hart::run`], a frame reference returned by `ram` or `ram_mut` must stay valid,
/// and remain the frame of that physical page, until the hart's next call of `io_load` or
/// `io_store` that changes [`ram_stamp`](Bus::ram_stamp) (any such call if it is `None`), or
/// of `ram_mut` for that page (the calls that may move or replace frames, e.g. copy-on-write:
/// `ram_mut(pa)` may move the frame of `pa` only). The hart relies on this to keep frame
/// addresses in its TLB for that long.
///
/// Across runs the hart keeps frame addresses, and blocks decoded from RAM, only while
/// `ram_stamp` returns the same `Some` value as when its last run started.
pub trait Bus {
    fn ram(&self, paddr: u64) -> Option<&[u8; FRAME_SIZE]>;
    fn ram_mut(&mut self, paddr: u64) -> Option<&mut [u8; FRAME_SIZE]>;
    /// A device load of `size` bytes (1, 2, 4 or 8); `None` is an access fault.
    fn io_load(&mut self, paddr: u64, size: u8, ctx: &IoCtx) -> Option<u64>;
    /// A device store; `false` is an access fault.
    fn io_store(&mut self, paddr: u64, size: u8, value: u64, ctx: &IoCtx) -> bool;
    /// A value that changes whenever RAM changed other than through `ram_mut` (a device's DMA,
    /// say, even inside `io_store`), a frame moved other than by `ram_mut`, or the bus now
    /// serves another RAM; values never repeat. `None` (the default): the bus cannot tell, and
    /// every run starts by comparing blocks with RAM again and looking frames up again.
    fn ram_stamp(&self) -> Option<(u64, u64)> {
        None
    }
}
