//! `summary.json`: outcome counts and the distributions of detection latency and recovery
//! time over a campaign's results.

use serde::{Deserialize, Serialize};

use super::classify::{FaultOutcome, Golden, Mechanism};
use super::fault::Model;
use super::record::{CampaignConfig, FaultResult};

/// A distribution's shape; quantiles are nearest-rank.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dist {
    pub count: u64,
    pub min: f64,
    pub median: f64,
    pub mean: f64,
    pub p90: f64,
    pub max: f64,
}

impl Dist {
    pub fn of(mut values: Vec<f64>) -> Option<Dist> {
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let rank = |q: f64| values[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
        Some(Dist {
            count: n as u64,
            min: values[0],
            median: rank(0.5),
            mean: values.iter().sum::<f64>() / n as f64,
            p90: rank(0.9),
            max: values[n - 1],
        })
    }
}

/// Counts of detections by mechanism.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detections {
    pub output: u64,
    pub digest: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub replicas: usize,
    pub model: Model,
    pub seed: u64,
    /// Faults the campaign's arguments ask for (all shards).
    pub planned: u64,
    pub golden_instructions: u64,
    /// Runs with a result; the outcome counts below add up to this.
    pub faults: u64,
    pub masked: u64,
    pub recovered: u64,
    pub halted: u64,
    pub escaped: u64,
    pub hang: u64,
    pub error: u64,
    pub detected_by: Detections,
    pub latency_instructions: Option<Dist>,
    /// Host timing, so it differs between runs of the same campaign (unlike everything above).
    pub recovery_ms: Option<Dist>,
    pub run_wall_ms: Option<Dist>,
}

impl Summary {
    pub fn count(&self, outcome: FaultOutcome) -> u64 {
        match outcome {
            FaultOutcome::Masked => self.masked,
            FaultOutcome::Recovered => self.recovered,
            FaultOutcome::Halted => self.halted,
            FaultOutcome::Escaped => self.escaped,
            FaultOutcome::Hang => self.hang,
            FaultOutcome::Error => self.error,
        }
    }
}

pub fn summarize(config: &CampaignConfig, golden: &Golden, results: &[FaultResult]) -> Summary {
    let count = |o: FaultOutcome| results.iter().filter(|r| r.outcome == o).count() as u64;
    let detected = |m: Mechanism| results.iter().filter(|r| r.mechanism == Some(m)).count() as u64;
    Summary {
        replicas: config.replicas,
        model: config.model,
        seed: config.seed,
        planned: config.faults,
        golden_instructions: golden.instructions,
        faults: results.len() as u64,
        masked: count(FaultOutcome::Masked),
        recovered: count(FaultOutcome::Recovered),
        halted: count(FaultOutcome::Halted),
        escaped: count(FaultOutcome::Escaped),
        hang: count(FaultOutcome::Hang),
        error: count(FaultOutcome::Error),
        detected_by: Detections {
            output: detected(Mechanism::Output),
            digest: detected(Mechanism::Digest),
        },
        latency_instructions: Dist::of(
            results
                .iter()
                .filter_map(|r| r.latency_instructions)
                .map(|l| l as f64)
                .collect(),
        ),
        recovery_ms: Dist::of(results.iter().filter_map(|r| r.recovery_ms).collect()),
        run_wall_ms: Dist::of(results.iter().map(|r| r.wall_ms as f64).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::classify::Classification;
    use crate::types::Fault;

    #[test]
    fn dist_uses_nearest_rank() {
        let d = Dist::of((1..=10).map(f64::from).collect()).unwrap();
        assert_eq!(
            (d.count, d.min, d.median, d.p90, d.max),
            (10, 1.0, 5.0, 9.0, 10.0)
        );
        assert_eq!(d.mean, 5.5);
        let one = Dist::of(vec![3.0]).unwrap();
        assert_eq!((one.median, one.p90), (3.0, 3.0));
        assert!(Dist::of(vec![]).is_none());
    }

    #[test]
    fn counts_add_up() {
        let outcomes = [
            (FaultOutcome::Masked, None),
            (FaultOutcome::Recovered, Some(Mechanism::Output)),
            (FaultOutcome::Recovered, Some(Mechanism::Digest)),
            (FaultOutcome::Halted, Some(Mechanism::Output)),
            (FaultOutcome::Escaped, None),
        ];
        let fault: Fault = "replica=0,icount=5,target=pc,bit=1".parse().unwrap();
        let results: Vec<FaultResult> = outcomes
            .iter()
            .enumerate()
            .map(|(i, &(outcome, mechanism))| {
                let c = Classification {
                    outcome,
                    mechanism,
                    latency_instructions: mechanism.map(|_| 100 * i as u64),
                    recovery_ms: mechanism.map(|_| 2.0),
                    detail: String::new(),
                };
                FaultResult::new(i as u64, &fault, c, 1000)
            })
            .collect();
        let config: CampaignConfig = serde_json::from_str(
            r#"{"kernel":{"path":"K","blake3":"00"},"initrd":null,"disk":null,"bios":null,
            "append":"","memory":268435456,"replicas":2,"checkpoint_interval":null,
            "rtc_epoch":0,"faults":8,"seed":3,"model":"pc","shard":null}"#,
        )
        .unwrap();
        let golden = Golden {
            replicas: 2,
            exit: 0,
            instructions: 77,
            console: vec![],
            disk_blake3: None,
            net_tx_frames: 0,
            wall_seconds: 1.0,
        };
        let s = summarize(&config, &golden, &results);
        assert_eq!(s.faults, 5);
        assert_eq!(s.planned, 8);
        let by_outcome: u64 = FaultOutcome::ALL.iter().map(|&o| s.count(o)).sum();
        assert_eq!(by_outcome, s.faults);
        assert_eq!((s.masked, s.recovered, s.halted, s.escaped), (1, 2, 1, 1));
        assert_eq!(s.detected_by, Detections { output: 2, digest: 1 });
        assert_eq!(s.latency_instructions.unwrap().count, 3);
        assert_eq!(s.golden_instructions, 77);
    }
}
