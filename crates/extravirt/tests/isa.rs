//! Bare-metal ISA conformance suite (tests/isa).
//!
//! Builds every ELF listed in `tests/isa/manifest.txt` with `tests/isa/build.sh`
//! (needs `riscv64-unknown-elf-gcc`; the build fails loudly without it), then
//! runs each one
//!   * under `qemu-system-riscv64 -M spike -bios none -nographic -kernel ELF`
//!     when the manifest says QEMU agrees (`qemu` column = `yes`), and
//!   * under our own runner: `extravirt run --elf ELF --max-instructions 50000000`,
//!
//! and requires both to pass. Failures of one area are collected and reported
//! together (name, env, exit status and output) instead of stopping at the first.
//!
//! Environment knobs:
//!   EXTRAVIRT_ISA_FILTER=substr   only run manifest entries whose name contains substr
//!   EXTRAVIRT_ISA_SKIP_QEMU=1     do not run QEMU (it is required otherwise)
//!   QEMU=path                     QEMU binary (default qemu-system-riscv64)

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

const MAX_INSTRUCTIONS: &str = "50000000";
const QEMU_TIMEOUT: Duration = Duration::from_secs(30);
const EXTRAVIRT_TIMEOUT: Duration = Duration::from_secs(300);

fn isa_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/isa")
}

fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("isa-elfs")
}

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    env: String,
    qemu: bool,
}

impl Entry {
    fn elf(&self) -> PathBuf {
        out_dir().join(&self.env).join(&self.name)
    }
}

fn manifest() -> Vec<Entry> {
    let path = isa_dir().join("manifest.txt");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut entries = Vec::new();
    for (lineno, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cols = line.split_whitespace();
        let (Some(name), Some(env), Some(qemu)) = (cols.next(), cols.next(), cols.next()) else {
            panic!("manifest.txt:{}: expected `name env qemu [reason]`", lineno + 1);
        };
        let qemu = match qemu {
            "yes" => true,
            "no" => {
                assert!(
                    cols.next().is_some(),
                    "manifest.txt:{}: qemu = no needs a reason",
                    lineno + 1
                );
                false
            }
            other => panic!(
                "manifest.txt:{}: qemu column must be yes/no, got {other}",
                lineno + 1
            ),
        };
        entries.push(Entry {
            name: name.to_string(),
            env: env.to_string(),
            qemu,
        });
    }
    entries
}

/// Build the suite once per test process (all #[test]s share it).
fn build() -> &'static Path {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let result = BUILT.get_or_init(|| {
        let out = out_dir();
        let output = Command::new("bash")
            .arg(isa_dir().join("build.sh"))
            .arg(&out)
            .output()
            .map_err(|e| format!("cannot run tests/isa/build.sh: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "tests/isa/build.sh failed ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(out)
    });
    match result {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

struct Outcome {
    /// None when killed by the timeout (or by a signal).
    code: Option<i32>,
    timed_out: bool,
    output: String,
}

impl Outcome {
    fn describe(&self) -> String {
        let status = match (self.timed_out, self.code) {
            (true, _) => "timed out".to_string(),
            (false, Some(c)) => format!("exit {c}"),
            (false, None) => "killed by a signal".to_string(),
        };
        let out = self.output.trim();
        if out.is_empty() {
            status
        } else {
            format!("{status}; output:\n        {}", out.replace('\n', "\n        "))
        }
    }
}

/// Run a command with a wall-clock timeout, capturing stdout and stderr together.
fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> Outcome {
    let mut child = match cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                code: None,
                timed_out: false,
                output: format!("cannot start {cmd:?}: {e}"),
            }
        }
    };
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err_reader = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let mut output = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    output.push_str(&String::from_utf8_lossy(&err_reader.join().unwrap_or_default()));
    Outcome {
        code: status.and_then(|s| s.code()),
        timed_out,
        output,
    }
}

fn run_extravirt(elf: &Path, max_instructions: &str) -> Outcome {
    run_with_timeout(
        Command::new(env!("CARGO_BIN_EXE_extravirt"))
            .arg("run")
            .arg("--elf")
            .arg(elf)
            .arg("--max-instructions")
            .arg(max_instructions),
        EXTRAVIRT_TIMEOUT,
    )
}

fn qemu_enabled() -> bool {
    std::env::var("EXTRAVIRT_ISA_SKIP_QEMU")
        .map(|v| v.is_empty() || v == "0")
        .unwrap_or(true)
}

fn run_qemu(elf: &Path) -> Outcome {
    let qemu = std::env::var("QEMU").unwrap_or_else(|_| "qemu-system-riscv64".to_string());
    run_with_timeout(
        Command::new(qemu)
            .args(["-M", "spike", "-bios", "none", "-nographic", "-kernel"])
            .arg(elf),
        QEMU_TIMEOUT,
    )
}

/// Run every manifest entry selected by `select` under QEMU (when it agrees)
/// and under extravirt; panic with one report listing all failures.
fn run_area(area: &str, select: impl Fn(&Entry) -> bool) {
    build();
    let filter = std::env::var("EXTRAVIRT_ISA_FILTER").unwrap_or_default();
    let entries: Vec<Entry> = manifest()
        .into_iter()
        .filter(|e| select(e) && e.name.contains(filter.as_str()))
        .collect();
    if filter.is_empty() {
        assert!(!entries.is_empty(), "area {area}: no manifest entries selected");
    }
    let with_qemu = qemu_enabled();
    let mut failures = Vec::new();
    for e in &entries {
        let elf = e.elf();
        if e.qemu && with_qemu {
            let o = run_qemu(&elf);
            if o.timed_out || o.code != Some(0) {
                let hint = match o.code {
                    Some(c) if !o.timed_out && c != 0 => format!(" (FAIL test {c} mod 256)"),
                    _ => String::new(),
                };
                failures.push(format!(
                    "  qemu      {}/{}: {}{hint}",
                    e.env,
                    e.name,
                    o.describe()
                ));
            }
        }
        let o = run_extravirt(&elf, MAX_INSTRUCTIONS);
        if o.timed_out || o.code != Some(0) {
            failures.push(format!("  extravirt {}/{}: {}", e.env, e.name, o.describe()));
        }
    }
    if !failures.is_empty() {
        panic!(
            "{area}: {} of {} runs failed ({} ELFs; qemu {}):\n{}\n(ELFs in {}; rebuild by hand with tests/isa/build.sh DIR)",
            failures.len(),
            entries.len() * 2,
            entries.len(),
            if with_qemu { "on" } else { "skipped" },
            failures.join("\n"),
            out_dir().display()
        );
    }
}

fn prefix(e: &Entry, p: &str) -> bool {
    e.name.starts_with(p)
}

#[test]
fn rv64ui_p() {
    run_area("rv64ui (p)", |e| prefix(e, "rv64ui_") && e.env == "p");
}

#[test]
fn rv64ui_v() {
    run_area("rv64ui (v, v48, vs)", |e| prefix(e, "rv64ui_") && e.env != "p");
}

#[test]
fn rv64um() {
    run_area("rv64um", |e| prefix(e, "rv64um_"));
}

#[test]
fn rv64ua() {
    run_area("rv64ua", |e| prefix(e, "rv64ua_"));
}

#[test]
fn rv64uc() {
    run_area("rv64uc", |e| prefix(e, "rv64uc_"));
}

#[test]
fn rv64uf_ud() {
    run_area("rv64uf/rv64ud", |e| prefix(e, "rv64uf_") || prefix(e, "rv64ud_"));
}

#[test]
fn privileged() {
    run_area("privileged", |e| prefix(e, "priv_") || prefix(e, "rv64zicsr_"));
}

#[test]
fn vm() {
    run_area("vm", |e| prefix(e, "vm_"));
}

/// Every source file is in the manifest and every manifest entry has a known
/// env and a source file; every entry belongs to one of the areas above.
#[test]
fn manifest_is_complete() {
    let entries = manifest();
    let src = isa_dir().join("src");
    let mut missing = Vec::new();
    for f in fs::read_dir(&src).unwrap() {
        let name = f.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".S") {
            if !entries.iter().any(|e| e.name == stem) {
                missing.push(stem.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "tests/isa/src files not in manifest.txt: {missing:?}"
    );
    for e in &entries {
        assert!(
            ["p", "v", "v48", "vs"].contains(&e.env.as_str()),
            "{}: unknown env {}",
            e.name,
            e.env
        );
        assert!(
            src.join(format!("{}.S", e.name)).is_file(),
            "{}: no src/{}.S",
            e.name,
            e.name
        );
        let known = [
            "rv64ui_",
            "rv64um_",
            "rv64ua_",
            "rv64uc_",
            "rv64uf_",
            "rv64ud_",
            "rv64zicsr_",
            "priv_",
            "vm_",
        ];
        assert!(
            known.iter().any(|p| e.name.starts_with(p)),
            "{}: not in any test area",
            e.name
        );
    }
}

// ---- runner contract -------------------------------------------------------

fn neg(name: &str) -> PathBuf {
    build().join("neg").join(name)
}

fn assert_exit(what: &str, o: &Outcome, code: i32) {
    assert!(
        !o.timed_out && o.code == Some(code),
        "{what}: expected exit {code}, got {}",
        o.describe()
    );
}

#[test]
fn runner_contract_fail_reports_test_number() {
    let elf = neg("fail_at_test3");
    let o = run_extravirt(&elf, MAX_INSTRUCTIONS);
    assert_exit("extravirt run on fail_at_test3", &o, 1);
    assert!(
        o.output.lines().any(|l| l.trim() == "FAIL: test 3"),
        "extravirt run on fail_at_test3: expected a line `FAIL: test 3`, got:\n{}",
        o.output
    );
    if qemu_enabled() {
        // The same ELF under QEMU's HTIF: exit status = test number.
        assert_exit("qemu on fail_at_test3", &run_qemu(&elf), 3);
    }
}

#[test]
fn runner_contract_elf_without_tohost() {
    let o = run_extravirt(&neg("no_tohost"), MAX_INSTRUCTIONS);
    assert_exit("extravirt run on an ELF without tohost", &o, 2);
    assert!(
        !o.output.trim().is_empty(),
        "exit 2 must come with a one-line reason"
    );
}

#[test]
fn runner_contract_not_an_elf() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("isa-not-an-elf.bin");
    fs::write(&path, b"this is not an ELF file\n").unwrap();
    let o = run_extravirt(&path, MAX_INSTRUCTIONS);
    assert_exit("extravirt run on a non-ELF file", &o, 2);
    assert!(
        !o.output.trim().is_empty(),
        "exit 2 must come with a one-line reason"
    );
}

#[test]
fn runner_contract_budget_exhausted() {
    let o = run_extravirt(&neg("infinite_loop"), "100000");
    assert_exit(
        "extravirt run on an infinite loop with a 100000-instruction budget",
        &o,
        2,
    );
    assert!(
        !o.output.trim().is_empty(),
        "exit 2 must come with a one-line reason"
    );
}
