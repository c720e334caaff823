//! `extravirt campaign` end to end (issue 6) on the Linux test guest: a small seeded campaign
//! protected (2 replicas) and unprotected (1 replica), reruns by id, resuming, sharding and
//! merging. The classification rules themselves are unit-tested in `rml::campaign`.
//!
//! The guest runs a short script (boot, /bin/evtest, a pattern written to /dev/vda, poweroff:
//! ~50M instructions with the uncompressed initramfs). Seed 6 of the mixed model gives the 12
//! faults pc, mem, reg, fpreg, reg, mem, pc, fpreg, reg, pc, pc, mem: four pc flips, which
//! crash whatever they hit, so the unprotected campaign cannot come out clean.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

const FAULTS: u64 = 12;
const SEED: u64 = 6;
/// A whole campaign (golden run plus 12 runs, two at a time) is well under a minute.
const CAMPAIGN_TIMEOUT: Duration = Duration::from_secs(900);

const SCRIPT: &str = "echo start
/bin/evtest
echo campaign pattern > /tmp/p
dd if=/tmp/p of=/dev/vda bs=512 seek=8 conv=sync,fsync 2>/dev/null
echo done
";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Kernel and initramfs from `scripts/build-guest.sh` (cached by the script).
fn guest() -> &'static (PathBuf, PathBuf) {
    static GUEST: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    GUEST.get_or_init(|| {
        let out = Command::new("bash")
            .arg(repo().join("scripts/build-guest.sh"))
            .stdin(Stdio::null())
            .output()
            .expect("running scripts/build-guest.sh");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "scripts/build-guest.sh failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dir = PathBuf::from(stdout.lines().last().unwrap_or("").trim());
        // The uncompressed archive saves the guest ~40M instructions of inflate per run.
        let cpio = dir.join("initramfs.cpio");
        let initrd = if cpio.is_file() {
            cpio
        } else {
            dir.join("initramfs.cpio.gz")
        };
        (dir.join("Image"), initrd)
    })
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("campaign-{name}"));
    let _ = fs::remove_dir_all(&p);
    fs::create_dir_all(&p).expect("creating a scratch directory");
    p
}

/// The disk every campaign of these tests attaches (each run copies it).
fn disk() -> &'static Path {
    static DISK: OnceLock<PathBuf> = OnceLock::new();
    DISK.get_or_init(|| {
        let p = scratch("disk").join("disk.img");
        fs::write(&p, vec![0u8; 1 << 20]).expect("writing the disk image");
        p
    })
}

struct Out {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

/// `extravirt campaign ARGS`, killed after [`CAMPAIGN_TIMEOUT`].
fn extravirt_campaign(args: &[String]) -> Out {
    let dir = scratch(&format!("out-{}", rand_suffix()));
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_extravirt"))
        .arg("campaign")
        .args(args)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out).expect("stdout file"))
        .stderr(fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("starting extravirt campaign");
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("waiting for extravirt") {
            break s.code();
        }
        if start.elapsed() > CAMPAIGN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let read = |p: &Path| fs::read_to_string(p).unwrap_or_default();
    let o = Out {
        status,
        stdout: read(&out),
        stderr: read(&err),
    };
    let _ = fs::remove_dir_all(&dir);
    eprintln!(
        "[campaign] {} -> {:?} in {:.1?}",
        args.join(" "),
        o.status,
        start.elapsed()
    );
    o
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The arguments of the test campaign with `replicas` into `dir`, plus `extra`.
fn campaign_args(replicas: u32, dir: &Path, extra: &[&str]) -> Vec<String> {
    campaign_args_seed(replicas, dir, SEED, extra)
}

fn campaign_args_seed(replicas: u32, dir: &Path, seed: u64, extra: &[&str]) -> Vec<String> {
    let (kernel, initrd) = guest();
    let append = format!(
        "console=ttyS0 panic=-1 quiet ev.cmd={}",
        base64(SCRIPT.as_bytes())
    );
    let mut a: Vec<String> = vec![
        "--kernel".into(),
        kernel.display().to_string(),
        "--initrd".into(),
        initrd.display().to_string(),
        "--disk".into(),
        disk().display().to_string(),
        "--append".into(),
        append,
        "--faults".into(),
        FAULTS.to_string(),
        "--seed".into(),
        seed.to_string(),
        "--model".into(),
        "mixed".into(),
        "--replicas".into(),
        replicas.to_string(),
        "--checkpoint-interval".into(),
        "10000000".into(),
        "--jobs".into(),
        "2".into(),
        "--out".into(),
        dir.display().to_string(),
    ];
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn results(dir: &Path) -> Vec<Value> {
    let text = fs::read_to_string(dir.join("results.jsonl")).expect("results.jsonl");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a results line"))
        .collect()
}

fn count(summary: &Value, outcome: &str) -> u64 {
    summary[outcome]
        .as_u64()
        .unwrap_or_else(|| panic!("summary lacks {outcome}: {summary}"))
}

const OUTCOMES: [&str; 6] = ["masked", "recovered", "halted", "escaped", "hang", "error"];

/// Runs the test campaign with `replicas` once per test process and checks what every
/// campaign directory must hold.
fn campaign(replicas: u32) -> &'static Path {
    static DIRS: [OnceLock<PathBuf>; 2] = [OnceLock::new(), OnceLock::new()];
    DIRS[replicas as usize - 1].get_or_init(|| {
        let dir = scratch(&format!("r{replicas}"));
        let out = extravirt_campaign(&campaign_args(replicas, &dir, &[]));
        assert_eq!(
            out.status,
            Some(0),
            "campaign with {replicas} replica(s) failed:\n{}",
            out.stderr
        );
        let summary = json(&dir.join("summary.json"));
        let total: u64 = OUTCOMES.iter().map(|o| count(&summary, o)).sum();
        assert_eq!(
            (summary["faults"].as_u64(), total),
            (Some(FAULTS), FAULTS),
            "{summary}"
        );
        let mut ids: Vec<u64> = results(&dir).iter().map(|r| r["id"].as_u64().unwrap()).collect();
        ids.sort();
        assert_eq!(ids, (0..FAULTS).collect::<Vec<_>>());
        let golden = json(&dir.join("golden.json"));
        assert_eq!(golden["exit"], 0, "{golden}");
        assert!(
            golden["console"].as_str().unwrap().contains("evtest: OK"),
            "{golden}"
        );
        assert!(golden["disk_blake3"].is_string(), "{golden}");
        let report = fs::read_to_string(dir.join("report.html")).expect("report.html");
        // Offline: no scripts and nothing fetched.
        assert!(
            report.contains("<svg")
                && !report.contains("<script")
                && !report.contains("src=")
                && !report.contains("href=")
        );
        dir
    })
}

fn show(dir: &Path) -> String {
    fs::read_to_string(dir.join("results.jsonl")).unwrap_or_default()
}

#[test]
fn protected_campaign_lets_nothing_escape() {
    let dir = campaign(2);
    let s = json(&dir.join("summary.json"));
    assert_eq!(count(&s, "escaped"), 0, "{s}\n{}", show(dir));
    assert_eq!(
        count(&s, "error"),
        0,
        "extravirt failed under a fault\n{}",
        show(dir)
    );
    // Four pc flips land in this campaign; replication must have caught some fault.
    assert!(
        count(&s, "recovered") + count(&s, "halted") > 0,
        "{s}\n{}",
        show(dir)
    );
    for r in results(dir) {
        let detected = matches!(r["outcome"].as_str(), Some("recovered" | "halted"));
        assert_eq!(r["mechanism"].is_string(), detected, "{r}");
        assert_eq!(r["latency_instructions"].is_u64(), detected, "{r}");
    }
}

#[test]
fn unprotected_campaign_suffers_the_faults() {
    let dir = campaign(1);
    let s = json(&dir.join("summary.json"));
    assert!(count(&s, "escaped") + count(&s, "hang") > 0, "{s}\n{}", show(dir));
    assert_eq!(
        count(&s, "recovered") + count(&s, "halted"),
        0,
        "one replica detects nothing\n{s}"
    );
    assert_eq!(count(&s, "error"), 0, "{}", show(dir));
}

/// `campaign rerun DIR ID` prints the result line; everything but timing must match.
fn rerun(dir: &Path, id: u64) -> Value {
    let out = extravirt_campaign(&["rerun".into(), dir.display().to_string(), id.to_string()]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    serde_json::from_str(out.stdout.trim()).unwrap_or_else(|e| panic!("rerun output {e}: {}", out.stdout))
}

fn without_timing(mut v: Value) -> Value {
    for key in ["wall_ms", "recovery_ms", "run_wall_ms"] {
        if let Some(o) = v.as_object_mut() {
            o.remove(key);
        }
    }
    v
}

#[test]
fn rerunning_a_fault_by_id_reproduces_its_outcome() {
    for replicas in [1, 2] {
        let dir = campaign(replicas);
        let recorded = results(dir);
        // The most interesting run: one that was not masked, if any.
        let pick = recorded
            .iter()
            .find(|r| r["outcome"] != "masked")
            .unwrap_or(&recorded[0])
            .clone();
        let again = rerun(dir, pick["id"].as_u64().unwrap());
        assert_eq!(without_timing(again), without_timing(pick));
    }
    let bad = extravirt_campaign(&[
        "rerun".into(),
        campaign(1).display().to_string(),
        FAULTS.to_string(),
    ]);
    assert_eq!(bad.status, Some(2), "{}", bad.stderr);
}

fn copy_dir(from: &Path, to: &Path) {
    for e in fs::read_dir(from).expect("reading a campaign directory") {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_restarted_campaign_resumes_where_it_stopped() {
    let dir = scratch("resume");
    copy_dir(campaign(1), &dir);
    let text = fs::read_to_string(dir.join("results.jsonl")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let last: Value = serde_json::from_str(lines.pop().unwrap()).unwrap();
    // The last line deleted, and the one before torn as by a kill mid-write.
    let torn = lines.pop().unwrap();
    let torn_id = serde_json::from_str::<Value>(torn).unwrap()["id"].clone();
    let kept = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
    fs::write(dir.join("results.jsonl"), kept + &torn[..torn.len() / 2]).unwrap();
    let out = extravirt_campaign(&campaign_args(1, &dir, &[]));
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let ran: Vec<&str> = out.stderr.lines().filter(|l| l.contains(" id ")).collect();
    assert_eq!(
        ran.len(),
        2,
        "only the two missing ids run again:\n{}",
        out.stderr
    );
    for id in [&last["id"], &torn_id] {
        assert!(
            ran.iter().any(|l| l.contains(&format!(" id {id} "))),
            "id {id} not rerun:\n{}",
            out.stderr
        );
    }
    let now = results(&dir);
    assert_eq!(now.len() as u64, FAULTS);
    let again = now.iter().find(|r| r["id"] == last["id"]).unwrap();
    assert_eq!(without_timing(again.clone()), without_timing(last));
    assert_eq!(
        json(&dir.join("golden.json")),
        json(&campaign(1).join("golden.json")),
        "the golden run is reused"
    );

    // Other arguments in the same directory: refused with one line, nothing run.
    let other = extravirt_campaign(&campaign_args_seed(1, &dir, SEED + 1, &[]));
    assert_eq!(other.status, Some(2), "{}", other.stderr);
    assert_eq!(other.stderr.lines().count(), 1, "{}", other.stderr);
    assert!(
        other.stderr.contains("different arguments (seed)"),
        "{}",
        other.stderr
    );
}

/// `summary.json` without host timing.
fn deterministic_summary(dir: &Path) -> Value {
    without_timing(json(&dir.join("summary.json")))
}

#[test]
fn merged_shards_equal_the_unsharded_campaign() {
    let whole = campaign(1);
    let shards: Vec<PathBuf> = (1..=2).map(|i| scratch(&format!("shard{i}"))).collect();
    for (i, dir) in shards.iter().enumerate() {
        let shard = format!("{}/2", i + 1);
        let out = extravirt_campaign(&campaign_args(1, dir, &["--shard", &shard]));
        assert_eq!(out.status, Some(0), "{}", out.stderr);
        assert_eq!(results(dir).len() as u64, FAULTS / 2);
    }
    let merged = scratch("merged");
    let mut args = vec!["merge".to_string()];
    args.extend(shards.iter().map(|d| d.display().to_string()));
    args.extend(["--out".to_string(), merged.display().to_string()]);
    let out = extravirt_campaign(&args);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert_eq!(deterministic_summary(&merged), deterministic_summary(whole));
    let strip = |rs: Vec<Value>| rs.into_iter().map(without_timing).collect::<Vec<_>>();
    let mut expected = strip(results(whole));
    expected.sort_by_key(|r| r["id"].as_u64());
    assert_eq!(strip(results(&merged)), expected);
}

#[test]
fn merge_compares_protected_with_unprotected() {
    let out_dir = scratch("compare");
    let args = vec![
        "merge".to_string(),
        campaign(1).display().to_string(),
        campaign(2).display().to_string(),
        "--out".into(),
        out_dir.display().to_string(),
    ];
    let out = extravirt_campaign(&args);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    let s = json(&out_dir.join("summary.json"));
    let replicas: Vec<u64> = s
        .as_array()
        .expect("one summary per campaign")
        .iter()
        .map(|c| c["replicas"].as_u64().unwrap())
        .collect();
    assert_eq!(replicas, [2, 1]);
    let report = fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(report.contains("2 replicas") && report.contains("1 replica (unprotected)"));
    // Campaigns with other arguments are neither merged nor compared.
    let other = scratch("other");
    copy_dir(campaign(1), &other);
    let cfg = fs::read_to_string(other.join("campaign.json"))
        .unwrap()
        .replace("\"seed\": 6", "\"seed\": 7");
    fs::write(other.join("campaign.json"), cfg).unwrap();
    let bad = extravirt_campaign(&[
        "merge".into(),
        campaign(2).display().to_string(),
        other.display().to_string(),
    ]);
    assert_eq!(bad.status, Some(2), "{}", bad.stderr);
}
