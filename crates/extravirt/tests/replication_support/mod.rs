//! Helpers for `tests/replication.rs`: the guest, one replicated run of the test script with a
//! fresh disk and a timeout, its statistics, and the cached fault-free reference run.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

pub use crate::common::{base64, guest_dir};
use crate::common::{report_header, tail};

/// A run is killed, and its test fails, after this long (a 2-replica run takes ~3-7 s).
pub const RUN_TIMEOUT: Duration = Duration::from_secs(180);
/// The RTC start of every run, so nothing depends on the host clock.
pub const RTC_EPOCH: u64 = 1_700_000_000;
/// The guest's entropy seed in every run, so a faulty run's digest can match a fault-free one.
pub const ENTROPY_SEED: u64 = 7;
/// Size of the fresh raw disk image attached to every run.
pub const DISK_BYTES: usize = 4 << 20;
/// Guest RAM (the `--memory` default) in 4 KiB frames.
pub const RAM_FRAMES: u64 = (256 << 20) / 4096;
/// `--epoch-instructions` of every run (the fault positions below are laid out in these
/// epochs): outputs are compared at multiples of this.
pub const EPOCH: u64 = 2_000_000;

/// The guest's job: console output after boot, a CPU-bound userspace phase (busybox awk, about
/// 20M instructions: where the register faults land), a deterministic pattern written to
/// /dev/vda (4 KiB through the page cache, sectors 8-15), then /bin/evtest.
/// A full run is ~110M instructions: ~85M of boot, awk, then ~4.5M to poweroff.
pub const SCRIPT: &str = r#"echo start
awk 'BEGIN{s=0;for(i=1;i<=3000;i++)s=(s*31+i)%1000003;print "sum",s}'
i=0;while [ $i -lt 64 ];do echo "line $i of the disk pattern";i=$((i+1));done>/tmp/p
dd if=/tmp/p of=/dev/vda bs=512 seek=8 conv=fsync 2>/dev/null
sync
/bin/evtest
echo done
"#;

/// Instructions from the end of the awk phase to poweroff are ~4.5M, and awk runs ~20M: a
/// point this far before the end of the fault-free run is in the middle of awk, whatever the
/// length of the boot before it.
pub const AWK_MIDDLE_BEFORE_END: u64 = 15_000_000;

pub struct Guest {
    pub dir: PathBuf,
    pub kernel: PathBuf,
    pub initrd: PathBuf,
}

/// The guest from `scripts/build-guest.sh` (built once per test process, cached by the script).
/// A failing build fails every test with the script's output.
pub fn guest() -> &'static Guest {
    static GUEST: OnceLock<Result<Guest, String>> = OnceLock::new();
    let r = GUEST.get_or_init(|| {
        let dir = guest_dir().to_path_buf();
        let g = Guest {
            kernel: dir.join("Image"),
            initrd: dir.join("initramfs.cpio.gz"),
            dir,
        };
        for f in [&g.kernel, &g.initrd] {
            if !f.is_file() {
                return Err(format!(
                    "scripts/build-guest.sh printed {:?} but {} is missing",
                    g.dir,
                    f.display()
                ));
            }
        }
        Ok(g)
    });
    match r {
        Ok(g) => g,
        Err(e) => panic!("{e}"),
    }
}

/// `quiet`, `panic=-1` (a panic reboots instead of hanging) and the script in test mode.
pub fn append() -> String {
    let line = format!(
        "console=ttyS0 panic=-1 quiet ev.cmd={}",
        base64(SCRIPT.as_bytes())
    );
    assert!(line.len() <= 1023, "test bug: command line over 1023 bytes");
    line
}

/// `--inject` value.
pub fn fault(replica: usize, icount: u64, target: &str, bit: u32) -> String {
    format!("replica={replica},icount={icount},target={target},bit={bit}")
}

/// One divergence from `--stats-json`.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    pub icount: u64,
    pub kind: String,
    pub faulty_replica: Option<u64>,
    pub recovered: bool,
    pub recovery_ms: f64,
}

/// What one `extravirt run` left behind.
pub struct Run {
    pub command: String,
    /// `None` when killed by a signal (the timeout).
    pub status: Option<i32>,
    pub timed_out: bool,
    pub elapsed: Duration,
    /// Raw stdout bytes: exactly what extravirt released to the console.
    pub stdout: Vec<u8>,
    pub stderr: String,
    /// The parsed `--stats-json` file, `Value::Null` if missing or unparsable.
    pub stats: Value,
    /// The disk image after the run.
    pub disk: Vec<u8>,
}

impl Run {
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).replace('\r', "")
    }

    /// Everything about the run, for failure messages (long outputs keep their end).
    pub fn report(&self) -> String {
        let mut r = report_header(&self.command, self.status, self.timed_out, self.elapsed);
        let _ = writeln!(
            r,
            "--- stats\n{}",
            serde_json::to_string(&self.stats).unwrap_or_default()
        );
        let _ = writeln!(
            r,
            "--- stdout (last 3000 bytes)\n{}",
            tail(&self.stdout_text(), 3000)
        );
        let _ = writeln!(r, "--- stderr (last 2000 bytes)\n{}", tail(&self.stderr, 2000));
        r
    }

    /// A number in the stats, by JSON pointer (e.g. "/memory/unique_frames").
    pub fn stat(&self, pointer: &str) -> u64 {
        self.stats
            .pointer(pointer)
            .and_then(Value::as_u64)
            .unwrap_or_else(|| panic!("stats lack {pointer}\n{}", self.report()))
    }

    pub fn stat_f64(&self, pointer: &str) -> f64 {
        self.stats
            .pointer(pointer)
            .and_then(Value::as_f64)
            .unwrap_or_else(|| panic!("stats lack {pointer}\n{}", self.report()))
    }

    pub fn divergences(&self) -> Vec<Divergence> {
        let Some(list) = self.stats.get("divergences").and_then(Value::as_array) else {
            panic!("stats lack divergences\n{}", self.report());
        };
        list.iter()
            .map(|d| Divergence {
                icount: d["icount"].as_u64().expect("divergence icount"),
                kind: d["kind"].as_str().expect("divergence kind").to_string(),
                faulty_replica: d["faulty_replica"].as_u64(),
                recovered: d["recovered"].as_bool().expect("divergence recovered"),
                recovery_ms: d["recovery_ms"].as_f64().expect("divergence recovery_ms"),
            })
            .collect()
    }

    /// The final machine digest from `--digest` (`extravirt: instructions N digest HEX`).
    pub fn digest(&self) -> Option<(u64, String)> {
        self.stderr.lines().find_map(|l| {
            let rest = l.strip_prefix("extravirt: instructions ")?;
            let (n, d) = rest.split_once(" digest ")?;
            Some((n.parse().ok()?, d.trim().to_string()))
        })
    }

    /// The first line of the script's output (`EV-BEGIN` to `EV-EXIT`) that differs from
    /// `other`'s, if any: where a fault became visible. Lines after `EV-EXIT` (the kernel's
    /// timestamped poweroff message) are left out: any change of timing shows there.
    pub fn first_difference(&self, other: &Run) -> Option<String> {
        fn body(t: &str) -> Vec<String> {
            let mut lines: Vec<String> = Vec::new();
            for l in t.lines().skip_while(|l| *l != "EV-BEGIN") {
                lines.push(l.to_string());
                if l.contains("EV-EXIT ") {
                    break;
                }
            }
            lines
        }
        let (mine, theirs) = (body(&self.stdout_text()), body(&other.stdout_text()));
        (0..mine.len().max(theirs.len()))
            .find(|&i| mine.get(i) != theirs.get(i))
            .map(|i| mine.get(i).cloned().unwrap_or_default())
    }

    /// Whether the script ran to its end (`EV-EXIT 0`).
    pub fn script_passed(&self) -> bool {
        self.stdout_text().lines().any(|l| l.ends_with("EV-EXIT 0"))
    }

    /// Panics unless the run powered off in time with status 0 after the whole script.
    pub fn assert_clean_exit(&self, what: &str) {
        assert!(
            !self.timed_out && self.status == Some(0) && self.script_passed(),
            "{what}: expected exit status 0 and `EV-EXIT 0`\n{}",
            self.report()
        );
    }
}

fn unique_dir(tag: &str) -> PathBuf {
    static N: AtomicU32 = AtomicU32::new(0);
    let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "replication-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_dir_all(&p);
    fs::create_dir_all(&p).unwrap_or_else(|e| panic!("creating {}: {e}", p.display()));
    p
}

/// Runs `cmd` with a deadline (see [`crate::common::run_with_timeout`]).
/// Returns (status, timed_out, elapsed, stdout, stderr).
pub fn run_with_timeout(cmd: Command, timeout: Duration) -> (Option<i32>, bool, Duration, Vec<u8>, String) {
    let f = crate::common::run_with_timeout(cmd, timeout);
    (f.status, f.timed_out, f.elapsed, f.stdout, f.stderr)
}

/// `extravirt run` of the test script with `replicas` replicas, a fresh zeroed 4 MiB disk,
/// `--rtc-epoch`, `--digest`, `--stats-json`, and `extra` arguments.
pub fn run(replicas: u32, extra: &[String]) -> Run {
    run_with_limit(replicas, extra, RUN_TIMEOUT)
}

/// [`run`] with another timeout.
pub fn run_with_limit(replicas: u32, extra: &[String], timeout: Duration) -> Run {
    let g = guest();
    let dir = unique_dir(&format!("r{replicas}"));
    let disk = dir.join("disk.img");
    let stats = dir.join("stats.json");
    fs::write(&disk, vec![0u8; DISK_BYTES]).expect("writing the disk image");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_extravirt"));
    cmd.arg("run")
        .arg("--replicas")
        .arg(replicas.to_string())
        .arg("--kernel")
        .arg(&g.kernel)
        .arg("--initrd")
        .arg(&g.initrd)
        .arg("--append")
        .arg(append())
        .arg("--rtc-epoch")
        .arg(RTC_EPOCH.to_string())
        .arg("--entropy-seed")
        .arg(ENTROPY_SEED.to_string())
        .arg("--digest")
        .arg("--stats-json")
        .arg(&stats)
        .arg("--disk")
        .arg(&disk)
        .args(extra);
    if !extra.iter().any(|a| a == "--epoch-instructions") {
        cmd.arg("--epoch-instructions").arg(EPOCH.to_string());
    }
    // The command without the long ev.cmd, for messages.
    let command = format!(
        "extravirt run --replicas {replicas} ... --disk <fresh 4 MiB> {}",
        extra.join(" ")
    );
    let (status, timed_out, elapsed, stdout, stderr) = run_with_timeout(cmd, timeout);
    // Shown with --nocapture (and for a failing test): where the time goes.
    eprintln!("[replication] {command}: status {status:?} in {elapsed:.1?}");
    let stats = fs::read_to_string(&stats)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null);
    let disk = fs::read(&disk).unwrap_or_default();
    let _ = fs::remove_dir_all(&dir);
    Run {
        command,
        status,
        timed_out,
        elapsed,
        stdout,
        stderr,
        stats,
        disk,
    }
}

/// The fault-free single-replica run: the reference every other run is compared with.
/// Checked once (clean exit, the script's expected output, the pattern on the disk).
pub fn fault_free() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let r = run(1, &[]);
        r.assert_clean_exit("fault-free reference run (1 replica)");
        let text = r.stdout_text();
        let body: Vec<&str> = text
            .lines()
            .skip_while(|l| *l != "EV-BEGIN")
            .take_while(|l| !l.contains("EV-EXIT"))
            .collect();
        assert!(
            body.len() == 8
                && body[1] == "start"
                && body[2].starts_with("sum ")
                && body[6] == "evtest: OK"
                && body[7] == "done",
            "the test script's output is not as expected: {body:?}\n{}",
            r.report()
        );
        let pattern = &r.disk[8 * 512..8 * 512 + 34];
        assert_eq!(
            pattern,
            b"line 0 of the disk pattern\nline 1 ",
            "the pattern is not on the disk\n{}",
            r.report()
        );
        assert!(r.digest().is_some(), "no --digest line\n{}", r.report());
        r
    })
}

/// Where userspace (busybox awk) is running in every run of the script: the start of the epoch
/// `AWK_MIDDLE_BEFORE_END` before the end of the fault-free run. Faults at `base + k` for
/// `k < EPOCH` are in one epoch and in the middle of awk.
pub fn awk_epoch() -> u64 {
    let total = fault_free().stat("/instructions");
    assert!(
        total > 60_000_000,
        "fault-free run is only {total} instructions\n{}",
        fault_free().report()
    );
    (total - AWK_MIDDLE_BEFORE_END) / EPOCH * EPOCH
}
