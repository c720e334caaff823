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
    /// Instruction count at the end of the epoch where it was detected: where the first
    /// replica stopped for the comparison that found it.
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
    /// The most unique frames at any sample, a recovery's replay replica included.
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
    /// Longest time an output may have waited for release: from the last multiple of the epoch
    /// length its replicas passed before it was produced (the earliest replica's time) to its
    /// release.
    pub max_output_latency_ms: f64,
    /// Longest pause for checkpoint verification (digests, snapshot, merging).
    pub max_checkpoint_pause_ms: f64,
    pub epochs: u64,
    pub time: TimeStats,
}

/// Where `wall_seconds` went, in host time. Measured only: nothing the protocol decides
/// depends on it. The rest of the wall time is the coordinator's work between epochs.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TimeStats {
    /// From the start of each epoch's runs until the last replica's run ended, summed.
    pub epochs_seconds: f64,
    /// Each replica's own run time, summed over epochs, by replica slot (a repaired replica's
    /// time goes on in its slot). `epochs_seconds` minus the largest of these is what waiting
    /// for the slower replica and handing runs over to worker threads cost.
    pub replica_seconds: Vec<f64>,
    /// Waiting for host input or for the time an idle guest waits for to pass.
    pub host_wait_seconds: f64,
}
