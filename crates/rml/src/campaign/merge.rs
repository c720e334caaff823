//! `extravirt campaign merge`: shard directories of one campaign become one result set, and
//! campaigns that differ only in their replica count are kept side by side for comparison
//! (protected against unprotected).

use super::classify::Golden;
use super::record::{CampaignConfig, FaultResult};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MergeError {
    #[error("nothing to merge")]
    MergeEmpty,
    #[error("{a} and {b} cannot be merged or compared: they differ in {fields}")]
    MergeMismatch { a: String, b: String, fields: String },
    #[error("{a} and {b} are shards of one campaign but their golden runs differ ({what})")]
    MergeGolden {
        a: String,
        b: String,
        what: &'static str,
    },
}

/// A campaign directory's contents.
#[derive(Clone, Debug, PartialEq)]
pub struct CampaignData {
    pub config: CampaignConfig,
    pub golden: Golden,
    pub results: Vec<FaultResult>,
}

/// Merges `parts` (each with a name for messages, e.g. its directory) into one campaign per
/// replica count, most replicas first. Results are sorted by id; an id present in several
/// parts (overlapping shards, a shard merged with its own merge) counts once.
pub fn merge(parts: Vec<(String, CampaignData)>) -> Result<Vec<CampaignData>, MergeError> {
    let mut groups: Vec<(String, CampaignData)> = Vec::new();
    for (name, part) in parts {
        let mut unsharded = part.config.clone();
        unsharded.shard = None;
        let mut placed = false;
        for (first, group) in &mut groups {
            let diff = without(unsharded.differences(&group.config), &["shard"]);
            if diff.is_empty() {
                check_golden(first, &group.golden, &name, &part.golden)?;
                group.results.extend(part.results.iter().cloned());
                placed = true;
                break;
            }
            if !without(diff.clone(), &["replicas"]).is_empty() {
                return Err(MergeError::MergeMismatch {
                    a: first.clone(),
                    b: name,
                    fields: diff.join(", "),
                });
            }
        }
        if !placed {
            let data = CampaignData {
                config: unsharded,
                ..part
            };
            groups.push((name, data));
        }
    }
    if groups.is_empty() {
        return Err(MergeError::MergeEmpty);
    }
    let mut merged: Vec<CampaignData> = groups.into_iter().map(|(_, g)| g).collect();
    for g in &mut merged {
        g.results.sort_by_key(|r| r.id);
        g.results.dedup_by_key(|r| r.id);
    }
    merged.sort_by_key(|g| std::cmp::Reverse(g.config.replicas));
    Ok(merged)
}

fn without(mut fields: Vec<&'static str>, ignore: &[&str]) -> Vec<&'static str> {
    fields.retain(|f| !ignore.contains(f));
    fields
}

/// Shards run their own golden runs; a deterministic VMM makes them equal but for wall time.
fn check_golden(a: &str, ga: &Golden, b: &str, gb: &Golden) -> Result<(), MergeError> {
    let what = if ga.exit != gb.exit {
        "exit status"
    } else if ga.instructions != gb.instructions {
        "instruction count"
    } else if ga.console != gb.console {
        "console output"
    } else if ga.disk_blake3 != gb.disk_blake3 {
        "disk image"
    } else if ga.net_tx_frames != gb.net_tx_frames {
        "frames sent"
    } else {
        return Ok(());
    };
    Err(MergeError::MergeGolden {
        a: a.into(),
        b: b.into(),
        what,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::classify::{Classification, FaultOutcome};
    use crate::types::Fault;

    fn part(replicas: usize, shard: Option<&str>, ids: &[u64]) -> CampaignData {
        let mut config: CampaignConfig = serde_json::from_str(
            r#"{"kernel":{"path":"K","blake3":"00"},"initrd":null,"disk":null,"bios":null,
            "append":"","memory":268435456,"replicas":2,"checkpoint_interval":null,
            "rtc_epoch":0,"faults":4,"seed":3,"model":"mixed","shard":null}"#,
        )
        .unwrap();
        config.replicas = replicas;
        config.shard = shard.map(|s| s.parse().unwrap());
        let fault: Fault = "replica=0,icount=5,target=pc,bit=1".parse().unwrap();
        let results = ids
            .iter()
            .map(|&id| {
                let c = Classification {
                    outcome: FaultOutcome::Masked,
                    mechanism: None,
                    latency_instructions: None,
                    recovery_ms: None,
                    detail: String::new(),
                };
                FaultResult::new(id, &fault, c, 1)
            })
            .collect();
        let golden = Golden {
            replicas,
            exit: 0,
            instructions: 100,
            console: b"ok".to_vec(),
            disk_blake3: None,
            net_tx_frames: 0,
            wall_seconds: 1.0,
        };
        CampaignData {
            config,
            golden,
            results,
        }
    }

    fn named(parts: Vec<CampaignData>) -> Vec<(String, CampaignData)> {
        parts
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("d{i}"), p))
            .collect()
    }

    #[test]
    fn shards_merge_into_the_unsharded_campaign() {
        let m = merge(named(vec![
            part(2, Some("2/2"), &[1, 3]),
            part(2, Some("1/2"), &[0, 2]),
        ]))
        .unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0], part(2, None, &[0, 1, 2, 3]));
    }

    #[test]
    fn replica_counts_stay_apart_most_first() {
        let m = merge(named(vec![
            part(1, None, &[0]),
            part(2, Some("1/2"), &[0]),
            part(2, Some("2/2"), &[1]),
        ]))
        .unwrap();
        assert_eq!(m.iter().map(|g| g.config.replicas).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(m[0].results.len(), 2);
    }

    #[test]
    fn duplicate_ids_count_once() {
        let m = merge(named(vec![part(2, None, &[0, 1]), part(2, Some("1/2"), &[0])])).unwrap();
        assert_eq!(m[0].results.len(), 2);
    }

    #[test]
    fn different_campaigns_and_goldens_are_refused() {
        let mut other = part(2, None, &[0]);
        other.config.seed = 9;
        assert!(matches!(
            merge(named(vec![part(2, None, &[1]), other])),
            Err(MergeError::MergeMismatch { fields, .. }) if fields == "seed"
        ));
        let mut g = part(2, Some("2/2"), &[1]);
        g.golden.instructions = 101;
        assert!(matches!(
            merge(named(vec![part(2, Some("1/2"), &[0]), g])),
            Err(MergeError::MergeGolden {
                what: "instruction count",
                ..
            })
        ));
        assert_eq!(merge(vec![]), Err(MergeError::MergeEmpty));
    }
}
