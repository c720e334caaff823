//! Fault-injection campaigns: the pure half of `extravirt campaign`.
//!
//! A campaign runs the guest once without faults (the golden run), then N times with one
//! single-bit fault each, and classifies every run by what left the VMM compared with the
//! golden run. Everything here is a pure function of its inputs, so the driver (processes,
//! files, progress) stays thin and the rules can be tested without booting anything:
//!
//! - [`fault`]: fault `id` of a campaign is a function of (seed, id) alone, so a run can be
//!   repeated by id and shards need no coordination.
//! - [`classify`](mod@classify): the outcome of one run (masked, recovered, halted, escaped, hang, error).
//! - [`record`]: the campaign's arguments and one result line, as stored in the campaign
//!   directory; [`merge`](fn@merge) combines shard directories.
//! - [`summary`] and [`report`]: counts and distributions, and a self-contained HTML page.

pub mod classify;
pub mod fault;
pub mod merge;
pub mod record;
pub mod report;
pub mod summary;
mod svg;

pub use classify::{
    classify, status, Classification, Exit, FaultOutcome, Golden, Mechanism, Observed, RunStats,
};
pub use fault::{derive_fault, pending_ids, FaultPlanError, FaultSpace, Model, Shard, SplitMix64, RAM_BASE};
pub use merge::{merge, CampaignData, MergeError};
pub use record::{parse_results, CampaignConfig, FaultResult, InputFile, RecordError};
pub use summary::{summarize, Dist, Summary};
