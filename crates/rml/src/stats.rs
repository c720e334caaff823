//! Run statistics, written as JSON by `--stats-json`.

use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DivergenceKind {
    /// Replicas produced different outputs (or stopped differently) in an epoch.
    Output,
    /// Outputs agreed but state digests differed at a checkpoint.
    Digest,
}

#[derive(Clone, Debug, Serialize)]
pub struct Divergence {
    /// Instruction count at the end of the epoch where it was detected.
    pub icount: u64,
    pub kind: DivergenceKind,
    /// The replica found faulty, if a majority could tell.
    pub faulty_replica: Option<usize>,
    pub recovered: bool,
    pub recovery_ms: f64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct OutputStats {
    pub console_bytes: u64,
    pub disk_write_bytes: u64,
    pub net_tx_frames: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct MemoryReport {
    pub logical_frames: u64,
    pub unique_frames: u64,
    pub peak_unique_frames: u64,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    pub replicas: usize,
    pub instructions: u64,
    pub checkpoints: u64,
    pub divergences: Vec<Divergence>,
    pub outputs: OutputStats,
    pub memory: MemoryReport,
    pub wall_seconds: f64,
    /// Longest time an output waited between the start of its epoch and its release.
    pub max_output_latency_ms: f64,
    /// Longest pause for checkpoint verification (digests, snapshot, merging).
    pub max_checkpoint_pause_ms: f64,
    pub epochs: u64,
}
