//! The outcome of one fault-injection run, judged only by what left the VMM (console bytes,
//! the disk image, transmitted frames, how and when the run ended) against the golden run,
//! plus the VMM's own statistics for how a fault was caught.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultOutcome {
    /// No divergence and the same outputs as the golden run.
    Masked,
    /// A divergence was detected and repaired; the outputs equal the golden run's.
    Recovered,
    /// No majority: the run stopped, having released only a prefix of the golden output.
    Halted,
    /// Something released differs from the golden run: the silent corruption replication
    /// exists to prevent.
    Escaped,
    /// The instruction budget (twice the golden run) ran out.
    Hang,
    /// extravirt itself failed (bad input, panic, killed, timed out): says nothing about the
    /// fault.
    Error,
}

impl FaultOutcome {
    pub const ALL: [FaultOutcome; 6] = [
        FaultOutcome::Masked,
        FaultOutcome::Recovered,
        FaultOutcome::Halted,
        FaultOutcome::Escaped,
        FaultOutcome::Hang,
        FaultOutcome::Error,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FaultOutcome::Masked => "masked",
            FaultOutcome::Recovered => "recovered",
            FaultOutcome::Halted => "halted",
            FaultOutcome::Escaped => "escaped",
            FaultOutcome::Hang => "hang",
            FaultOutcome::Error => "error",
        }
    }
}

/// How a divergence was detected (the `kind` of a divergence in `--stats-json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mechanism {
    Output,
    Digest,
}

/// Exit status of `extravirt run` (see the README).
pub mod status {
    pub const POWEROFF: i32 = 0;
    pub const GUEST_FAILURE: i32 = 1;
    pub const NO_MAJORITY: i32 = 3;
    pub const BUDGET_EXHAUSTED: i32 = 4;
}

/// The fault-free run every faulty run is compared with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Golden {
    pub replicas: usize,
    /// Exit status: 0 (poweroff) or 1 (the guest reported failure or crashed).
    pub exit: i32,
    pub instructions: u64,
    /// Released console bytes, one char per byte (U+0000..U+00FF) so any bytes survive JSON
    /// while text stays readable.
    #[serde(with = "latin1")]
    pub console: Vec<u8>,
    /// BLAKE3 of the disk image after the run, hex; `None` without a disk.
    pub disk_blake3: Option<String>,
    pub net_tx_frames: u64,
    pub wall_seconds: f64,
}

mod latin1 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&bytes.iter().map(|&b| char::from(b)).collect::<String>())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        text.chars()
            .map(|c| u8::try_from(c).map_err(|_| serde::de::Error::custom(format!("{c:?} is not a byte"))))
            .collect()
    }
}

/// The part of `extravirt run --stats-json` a campaign reads.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct RunStats {
    pub instructions: u64,
    pub divergences: Vec<DivergenceRecord>,
    pub outputs: OutputRecord,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DivergenceRecord {
    pub icount: u64,
    pub kind: Mechanism,
    pub faulty_replica: Option<usize>,
    pub recovered: bool,
    pub recovery_ms: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct OutputRecord {
    pub net_tx_frames: u64,
}

/// How the `extravirt run` child process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
    TimedOut,
    SpawnFailed(String),
}

/// What one run left behind.
#[derive(Clone, Copy, Debug)]
pub struct Observed<'a> {
    pub exit: &'a Exit,
    pub console: &'a [u8],
    pub disk_blake3: Option<&'a str>,
    /// `None` when the stats file is missing or unreadable.
    pub stats: Option<&'a RunStats>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    pub outcome: FaultOutcome,
    /// How the first divergence was detected, if one was.
    pub mechanism: Option<Mechanism>,
    /// Instructions from the fault to the end of the epoch (or checkpoint) where it was seen.
    pub latency_instructions: Option<u64>,
    /// Time spent deciding and repairing the first divergence.
    pub recovery_ms: Option<f64>,
    /// Why, in a few words: what differed, or what failed.
    pub detail: String,
}

/// Classifies a run with a fault injected at `fault_icount`.
pub fn classify(golden: &Golden, fault_icount: u64, run: Observed) -> Classification {
    let verdict = |outcome, detail: String| Classification {
        outcome,
        mechanism: None,
        latency_instructions: None,
        recovery_ms: None,
        detail,
    };
    let code = match run.exit {
        Exit::Code(c) => *c,
        Exit::Signal(s) => return verdict(FaultOutcome::Error, format!("killed by signal {s}")),
        Exit::TimedOut => return verdict(FaultOutcome::Error, "timed out".into()),
        Exit::SpawnFailed(e) => return verdict(FaultOutcome::Error, format!("cannot start: {e}")),
    };
    // 2 is bad input, 101 a Rust panic; neither says anything about the guest.
    let known = [
        status::POWEROFF,
        status::GUEST_FAILURE,
        status::NO_MAJORITY,
        status::BUDGET_EXHAUSTED,
    ];
    if !known.contains(&code) {
        return verdict(FaultOutcome::Error, format!("exit status {code}"));
    }
    let Some(stats) = run.stats else {
        return verdict(
            FaultOutcome::Error,
            format!("exit status {code} without statistics"),
        );
    };
    let (outcome, detail) = judge(golden, code, run, stats);
    let first = stats.divergences.first();
    Classification {
        outcome,
        mechanism: first.map(|d| d.kind),
        latency_instructions: first.map(|d| d.icount.saturating_sub(fault_icount)),
        recovery_ms: first.map(|d| d.recovery_ms),
        detail,
    }
}

fn judge(golden: &Golden, code: i32, run: Observed, stats: &RunStats) -> (FaultOutcome, String) {
    let escaped = |why: String| (FaultOutcome::Escaped, why);
    // Whatever the ending, nothing released may differ from what the golden run released by
    // then: that is checked first, so a corrupt run that then hangs or halts still escapes.
    if !golden.console.starts_with(run.console) {
        let at = golden
            .console
            .iter()
            .zip(run.console)
            .take_while(|(a, b)| a == b)
            .count();
        return escaped(format!("console differs from golden at byte {at}"));
    }
    if stats.outputs.net_tx_frames > golden.net_tx_frames {
        return escaped(format!(
            "{} frames sent, golden {}",
            stats.outputs.net_tx_frames, golden.net_tx_frames
        ));
    }
    // A halted run released verified disk writes only, but whether they are a prefix of the
    // golden writes cannot be told from the final image, so its disk is not compared.
    match code {
        status::NO_MAJORITY => return (FaultOutcome::Halted, "no majority".into()),
        status::BUDGET_EXHAUSTED => {
            return (
                FaultOutcome::Hang,
                format!("no poweroff after {} instructions", stats.instructions),
            )
        }
        _ => {}
    }
    if code != golden.exit {
        return escaped(format!("exit status {code}, golden {}", golden.exit));
    }
    if run.console.len() != golden.console.len() {
        return escaped(format!(
            "console ends at byte {} of {}",
            run.console.len(),
            golden.console.len()
        ));
    }
    if run.disk_blake3 != golden.disk_blake3.as_deref() {
        return escaped("disk image differs".into());
    }
    if stats.outputs.net_tx_frames != golden.net_tx_frames {
        return escaped(format!(
            "{} frames sent, golden {}",
            stats.outputs.net_tx_frames, golden.net_tx_frames
        ));
    }
    // Same outputs but a different end point: the machine ran differently, and stopping at
    // another time is observable from outside.
    if stats.instructions != golden.instructions {
        return escaped(format!(
            "ended at instruction {}, golden {}",
            stats.instructions, golden.instructions
        ));
    }
    match stats.divergences.len() {
        0 => (FaultOutcome::Masked, String::new()),
        n => (FaultOutcome::Recovered, format!("{n} divergence(s) repaired")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn golden() -> Golden {
        Golden {
            replicas: 2,
            exit: 0,
            instructions: 1000,
            console: b"boot\r\nEV-EXIT 0\r\n".to_vec(),
            disk_blake3: Some("aa".into()),
            net_tx_frames: 0,
            wall_seconds: 1.0,
        }
    }

    fn stats(instructions: u64, divergences: &[(u64, Mechanism, bool)]) -> RunStats {
        RunStats {
            instructions,
            divergences: divergences
                .iter()
                .map(|&(icount, kind, recovered)| DivergenceRecord {
                    icount,
                    kind,
                    faulty_replica: recovered.then_some(1),
                    recovered,
                    recovery_ms: 12.5,
                })
                .collect(),
            outputs: OutputRecord::default(),
        }
    }

    fn run(exit: Exit, console: &[u8], disk: Option<&str>, stats: Option<&RunStats>) -> Classification {
        classify(
            &golden(),
            400,
            Observed {
                exit: &exit,
                console,
                disk_blake3: disk,
                stats,
            },
        )
    }

    const FULL: &[u8] = b"boot\r\nEV-EXIT 0\r\n";

    #[test]
    fn identical_run_without_divergence_is_masked() {
        let c = run(Exit::Code(0), FULL, Some("aa"), Some(&stats(1000, &[])));
        assert_eq!(c.outcome, FaultOutcome::Masked);
        assert_eq!(
            (c.mechanism, c.latency_instructions, c.recovery_ms),
            (None, None, None)
        );
    }

    #[test]
    fn repaired_divergence_is_recovered_with_latency() {
        let s = stats(1000, &[(900, Mechanism::Digest, true)]);
        let c = run(Exit::Code(0), FULL, Some("aa"), Some(&s));
        assert_eq!(c.outcome, FaultOutcome::Recovered);
        assert_eq!(c.mechanism, Some(Mechanism::Digest));
        assert_eq!(c.latency_instructions, Some(500));
        assert_eq!(c.recovery_ms, Some(12.5));
    }

    #[test]
    fn no_majority_with_a_prefix_is_halted() {
        let s = stats(600, &[(600, Mechanism::Output, false)]);
        let c = run(Exit::Code(3), b"boo", Some("bb"), Some(&s));
        assert_eq!(c.outcome, FaultOutcome::Halted);
        assert_eq!(c.mechanism, Some(Mechanism::Output));
        assert_eq!(c.latency_instructions, Some(200));
    }

    #[test]
    fn anything_released_that_differs_escapes() {
        let s = stats(1000, &[]);
        let cases: [(Exit, &[u8], Option<&str>, RunStats); 7] = [
            (Exit::Code(0), b"boot\r\nEV-EXIT 1\r\n", Some("aa"), s.clone()),
            (Exit::Code(0), FULL, Some("cc"), s.clone()),
            (Exit::Code(0), FULL, None, s.clone()),
            (Exit::Code(0), b"boot\r\n", Some("aa"), s.clone()),
            (Exit::Code(1), FULL, Some("aa"), s.clone()),
            (Exit::Code(0), FULL, Some("aa"), stats(1200, &[])),
            // Wrong output before the end beats halting or hanging.
            (Exit::Code(3), b"bX", Some("aa"), s.clone()),
        ];
        for (exit, console, disk, st) in cases {
            let c = run(exit.clone(), console, disk, Some(&st));
            assert_eq!(
                c.outcome,
                FaultOutcome::Escaped,
                "{exit:?} {console:?} {disk:?}: {c:?}"
            );
            assert!(!c.detail.is_empty());
        }
        let mut frames = stats(1000, &[]);
        frames.outputs.net_tx_frames = 1;
        assert_eq!(
            run(Exit::Code(0), FULL, Some("aa"), Some(&frames)).outcome,
            FaultOutcome::Escaped
        );
        let c = run(Exit::Code(4), b"bX", Some("aa"), Some(&s));
        assert_eq!(c.outcome, FaultOutcome::Escaped);
    }

    #[test]
    fn budget_exhausted_with_a_prefix_is_a_hang() {
        let c = run(Exit::Code(4), b"boot\r\n", Some("aa"), Some(&stats(2000, &[])));
        assert_eq!(c.outcome, FaultOutcome::Hang);
    }

    #[test]
    fn failures_of_extravirt_are_errors() {
        let s = stats(1000, &[]);
        for exit in [
            Exit::Code(2),
            Exit::Code(101),
            Exit::Signal(9),
            Exit::TimedOut,
            Exit::SpawnFailed("no such file".into()),
        ] {
            assert_eq!(
                run(exit.clone(), FULL, Some("aa"), Some(&s)).outcome,
                FaultOutcome::Error,
                "{exit:?}"
            );
        }
        assert_eq!(
            run(Exit::Code(0), FULL, Some("aa"), None).outcome,
            FaultOutcome::Error
        );
    }

    #[test]
    fn golden_console_survives_json_byte_for_byte() {
        let mut g = golden();
        g.console = (0..=255).collect();
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(serde_json::from_str::<Golden>(&json).unwrap(), g);
    }

    #[test]
    fn stats_json_of_extravirt_run_parses() {
        let json = r#"{"replicas":2,"instructions":5,"checkpoints":0,"divergences":[{"icount":4,
            "kind":"output","faulty_replica":null,"recovered":false,"recovery_ms":1.5}],
            "outputs":{"console_bytes":3,"disk_write_bytes":0,"net_tx_frames":0},"epochs":1}"#;
        let s: RunStats = serde_json::from_str(json).unwrap();
        assert_eq!(s.divergences[0].kind, Mechanism::Output);
        assert_eq!(s.divergences[0].faulty_replica, None);
    }
}
