//! What the RML needs from a replica's machine, and from the host.
//!
//! The coordinator is generic over both, so that a seeded simulation can drive it with a toy
//! guest and a scripted host, and the real VMM with the `virt` board and stdio/disk/TAP.

use std::time::Duration;

use memory::GuestRam;

use crate::types::{FaultTarget, Input, Output, Stop};

/// One replica's deterministic machine.
pub trait Guest: Send + Sized {
    /// A copy-on-write snapshot of the guest state (a verified checkpoint).
    type State: Send + Sync;

    /// Instructions retired since boot.
    fn icount(&self) -> u64;
    /// Guest time, in 100 ns ticks of the 10 MHz timebase.
    fn mtime(&self) -> u64;
    /// Runs until `icount() == target` or an earlier stop. Queued input is delivered at
    /// instruction counts that depend only on the guest state.
    fn run(&mut self, target: u64) -> Stop;
    /// Queues host input; it enters the guest during following runs.
    fn push_input(&mut self, input: &Input);
    /// Outputs produced since the last call, in order.
    fn take_outputs(&mut self) -> Vec<Output>;
    /// Whether `take_outputs` would return anything.
    fn outputs_pending(&self) -> bool;
    /// A digest of everything guest-visible, including queued input.
    fn digest(&mut self) -> [u8; 32];
    fn checkpoint(&self) -> Self::State;
    /// Makes `state` what [`checkpoint`](Self::checkpoint) would return now. `state` is the
    /// previous verified checkpoint, taken when this replica's memory dirty log was last
    /// cleared, or of a replica identical to it then; a guest with memory can then copy only
    /// what was written since.
    fn update_checkpoint(&self, state: &mut Self::State) {
        *state = self.checkpoint();
    }
    /// A new replica in `state`. With `replay`, its disk reads must see the disk as it was at
    /// that checkpoint (plus its own writes), not as released outputs changed it since.
    fn restore(&self, state: &Self::State, replay: bool) -> Self;
    /// A new replica in this one's current state. Call only after outputs were committed.
    fn fork(&self) -> Self;
    /// A new replica booting from scratch, for a guest-requested reboot.
    fn reboot(&self) -> Self;
    fn inject(&mut self, target: FaultTarget, bit: u32);
    /// The outputs of the last [`take_outputs`](Self::take_outputs) were released: forget
    /// anything kept only until then. A replica that ran ahead may hold newer outputs, and
    /// must keep what they need.
    fn committed(&mut self);
    /// This replica's state just became the verified checkpoint.
    fn checkpoint_verified(&mut self) {}
    fn memory(&self) -> Option<&GuestRam>;
    fn memory_mut(&mut self) -> Option<&mut GuestRam>;
    /// The RAM a checkpoint holds, for memory accounting.
    fn state_memory(state: &Self::State) -> Option<&GuestRam>;
}

/// The outside world: where verified outputs go and where input comes from.
pub trait Host {
    fn release(&mut self, out: &Output);
    /// Input that arrived since the last call, without waiting.
    fn poll_input(&mut self) -> Vec<Input>;
    /// Waits for input while every replica is idle: at most `timeout` (when the guest waits for
    /// a timer that far away), else a little. `None` when no input can ever come; an empty list
    /// when the time ran out.
    fn wait_input(&mut self, timeout: Option<Duration>) -> Option<Vec<Input>>;
    /// The user asked to stop (Ctrl-A x).
    fn quit_requested(&self) -> bool {
        false
    }
    /// Time since the run started; only used for reporting (recovery time, wall time).
    fn elapsed(&self) -> Duration;
}
