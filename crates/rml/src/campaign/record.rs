//! What a campaign directory stores: the arguments (`campaign.json`) and one line per fault
//! (`results.jsonl`).

use serde::{Deserialize, Serialize};

use super::classify::{Classification, FaultOutcome, Mechanism};
use super::fault::{FaultSpace, Model, Shard};
use crate::types::Fault;

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("line {line}: {err}")]
    ParseResult { line: usize, err: serde_json::Error },
}

/// An input file, identified by its contents: a campaign resumed or merged elsewhere may find
/// the same kernel under another path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    pub path: String,
    pub blake3: String,
}

/// A campaign's arguments: two directories belong to the same campaign when these agree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignConfig {
    pub kernel: InputFile,
    pub initrd: Option<InputFile>,
    pub disk: Option<InputFile>,
    pub bios: Option<InputFile>,
    pub append: String,
    pub memory: u64,
    pub replicas: usize,
    pub checkpoint_interval: Option<u64>,
    pub rtc_epoch: u64,
    /// The guest's entropy seed in every run: a fault run must see the golden run's bytes.
    #[serde(default)]
    pub entropy_seed: u64,
    pub faults: u64,
    pub seed: u64,
    pub model: Model,
    pub shard: Option<Shard>,
}

impl CampaignConfig {
    /// Names of the arguments that differ, with paths compared by content (hash) only.
    pub fn differences(&self, other: &CampaignConfig) -> Vec<&'static str> {
        fn file(f: &Option<InputFile>) -> Option<&str> {
            f.as_ref().map(|f| f.blake3.as_str())
        }
        let checks = [
            ("kernel", self.kernel.blake3 == other.kernel.blake3),
            ("initrd", file(&self.initrd) == file(&other.initrd)),
            ("disk", file(&self.disk) == file(&other.disk)),
            ("bios", file(&self.bios) == file(&other.bios)),
            ("append", self.append == other.append),
            ("memory", self.memory == other.memory),
            ("replicas", self.replicas == other.replicas),
            (
                "checkpoint-interval",
                self.checkpoint_interval == other.checkpoint_interval,
            ),
            ("rtc-epoch", self.rtc_epoch == other.rtc_epoch),
            ("entropy-seed", self.entropy_seed == other.entropy_seed),
            ("faults", self.faults == other.faults),
            ("seed", self.seed == other.seed),
            ("model", self.model == other.model),
            ("shard", self.shard == other.shard),
        ];
        checks
            .iter()
            .filter(|(_, same)| !same)
            .map(|(name, _)| *name)
            .collect()
    }

    /// Where this campaign's faults land, given its golden run's length.
    pub fn space(&self, golden_instructions: u64) -> FaultSpace {
        FaultSpace {
            model: self.model,
            instructions: golden_instructions,
            replicas: self.replicas,
            ram_size: self.memory,
        }
    }
}

/// One line of `results.jsonl`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultResult {
    pub id: u64,
    /// The `--inject` spec, to repeat the run by hand.
    pub fault: String,
    pub replica: usize,
    pub icount: u64,
    pub target: String,
    pub bit: u32,
    pub outcome: FaultOutcome,
    pub mechanism: Option<Mechanism>,
    pub latency_instructions: Option<u64>,
    pub recovery_ms: Option<f64>,
    pub wall_ms: u64,
    pub detail: String,
}

impl FaultResult {
    pub fn new(id: u64, fault: &Fault, c: Classification, wall_ms: u64) -> Self {
        FaultResult {
            id,
            fault: fault.to_string(),
            replica: fault.replica,
            icount: fault.icount,
            target: fault.target.to_string(),
            bit: fault.bit,
            outcome: c.outcome,
            mechanism: c.mechanism,
            latency_instructions: c.latency_instructions,
            recovery_ms: c.recovery_ms,
            wall_ms,
            detail: c.detail,
        }
    }

    /// The model the target belongs to.
    pub fn model(&self) -> Option<Model> {
        self.target.parse().ok().map(Model::of)
    }
}

/// Parses `results.jsonl`. A campaign killed while writing leaves a partial last line: it is
/// dropped, and the returned length (bytes of whole, valid lines) is where to truncate the
/// file before appending. A bad line anywhere else is an error.
pub fn parse_results(text: &str) -> Result<(Vec<FaultResult>, usize), RecordError> {
    let mut results = Vec::new();
    let mut valid = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            valid += line.len();
            continue;
        }
        // A line without its newline was cut short, even if what is there parses (only the
        // last piece of a split can lack it).
        if !line.ends_with('\n') {
            break;
        }
        match serde_json::from_str::<FaultResult>(line) {
            Ok(r) => results.push(r),
            Err(_) if i + 1 == lines.len() => break,
            Err(err) => return Err(RecordError::ParseResult { line: i + 1, err }),
        }
        valid += line.len();
    }
    Ok((results, valid))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(id: u64) -> FaultResult {
        let fault: Fault = format!("replica=0,icount={id},target=x5,bit=3").parse().unwrap();
        let c = Classification {
            outcome: FaultOutcome::Masked,
            mechanism: None,
            latency_instructions: None,
            recovery_ms: None,
            detail: String::new(),
        };
        FaultResult::new(id, &fault, c, 10)
    }

    fn line(id: u64) -> String {
        serde_json::to_string(&result(id)).unwrap() + "\n"
    }

    #[test]
    fn complete_lines_parse() {
        let text = line(0) + &line(1);
        let (r, valid) = parse_results(&text).unwrap();
        assert_eq!(r, [result(0), result(1)]);
        assert_eq!(valid, text.len());
        assert_eq!(r[0].model(), Some(Model::Reg));
    }

    #[test]
    fn a_torn_last_line_is_dropped() {
        let whole = line(0) + &line(1);
        for cut in [1, 10, line(2).len() - 1] {
            let text = whole.clone() + &line(2)[..cut];
            let (r, valid) = parse_results(&text).unwrap();
            assert_eq!(r.len(), 2, "cut {cut}");
            assert_eq!(valid, whole.len());
        }
    }

    #[test]
    fn a_bad_line_in_the_middle_is_an_error() {
        let text = line(0) + "garbage\n" + &line(1);
        assert!(matches!(
            parse_results(&text),
            Err(RecordError::ParseResult { line: 2, .. })
        ));
    }

    #[test]
    fn config_differences_ignore_paths_but_not_contents() {
        let a = CampaignConfig {
            kernel: InputFile {
                path: "/a/Image".into(),
                blake3: "11".into(),
            },
            initrd: None,
            disk: None,
            bios: None,
            append: "console=ttyS0".into(),
            memory: 256 << 20,
            replicas: 2,
            checkpoint_interval: None,
            rtc_epoch: 1,
            entropy_seed: 1,
            faults: 10,
            seed: 1,
            model: Model::Mixed,
            shard: None,
        };
        let mut b = a.clone();
        b.kernel.path = "/b/Image".into();
        assert!(a.differences(&b).is_empty());
        b.kernel.blake3 = "22".into();
        b.seed = 2;
        b.shard = Some("1/2".parse().unwrap());
        assert_eq!(a.differences(&b), ["kernel", "seed", "shard"]);
        let json = serde_json::to_string(&b).unwrap();
        assert!(json.contains(r#""shard":"1/2""#), "{json}");
        assert_eq!(serde_json::from_str::<CampaignConfig>(&json).unwrap(), b);
    }
}
