//! The replication management layer: runs a VM as 1–3 replicas in parallel, compares every
//! output before it leaves, verifies checkpoints, and repairs a diverging replica.
//!
//! Contract:
//! - **Determinism through the log.** Host input enters replicas only through
//!   [`Rml`]'s input log, at an instruction count the RML chose (an epoch's first instruction),
//!   identical in every replica and recorded until the next verified checkpoint.
//! - **Output commit.** Outputs are compared per epoch; only outputs all live replicas agree on
//!   (or, after a divergence, the majority's) are released, exactly once. Unverified output
//!   never reaches the host. An epoch with output ends at the next multiple of
//!   [`RmlConfig::epoch`] instructions, so an output waits at most that long plus the
//!   comparison; an epoch without output runs on to the next checkpoint, for at most
//!   [`RmlConfig::max_epoch`].
//! - **Verified checkpoints.** Every `checkpoint_interval` instructions all replicas stop at the
//!   same count and their digests (hart, devices, RAM) are compared; the agreed state becomes
//!   the checkpoint, the log before it is dropped, and identical frames are merged.
//! - **Recovery.** A divergence is voted on (with two replicas, a third replays the log from
//!   the checkpoint); the faulty replica is replaced by a clone of a good one. No majority: the
//!   run stops with [`Outcome::NoMajority`].
//! - The protocol ([`Rml`]) is generic over the machine ([`Guest`]), the outside world
//!   ([`Host`]) and the way replicas run ([`Executor`]), so a seeded simulation can drive it
//!   with no threads and no host time.

pub mod campaign;
mod coordinator;
mod exec;
mod guest;
mod replica;
mod stats;
mod types;
pub mod virt;

pub use coordinator::{Outcome, Rml, RmlConfig};
pub use exec::{Executor, Parallel, Sequential};
pub use guest::{Guest, Host};
pub use replica::{EpochGrid, Plan, Replica, Report};
pub use stats::{Divergence, DivergenceKind, Stats, TimeStats};
pub use types::{Fault, FaultParseError, FaultTarget, Input, Output, Stop};
