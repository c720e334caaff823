//! Helpers for the Linux guest tests (`tests/linux.rs`): getting the guest, running extravirt
//! (or QEMU) on a script with a timeout, picking the script's output out of the console log,
//! and guards for temporary files and network namespaces.

#![allow(dead_code)]

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

pub use crate::common::{base64, guest_dir, repo};
use crate::common::{report_header, tail};

/// How long one boot may take before the test kills it and fails (a boot is ~2-5 s).
pub const BOOT_TIMEOUT: Duration = Duration::from_secs(120);
/// riscv's COMMAND_LINE_SIZE is 1024 bytes including the final NUL.
pub const CMDLINE_MAX: usize = 1023;
/// The RTC start every test passes, so runs do not depend on the host clock.
pub const RTC_EPOCH: u64 = 1_700_000_000;
/// The entropy seed tests pass by default, so the guest's random bytes repeat from run to run.
pub const ENTROPY_SEED: u64 = 7;
/// Kernel arguments before `ev.cmd`: the same ones `scripts/qemu-run.sh` uses in test mode.
pub const BASE_APPEND: &str = "console=ttyS0 panic=-1 quiet";

pub fn extravirt() -> &'static str {
    env!("CARGO_BIN_EXE_extravirt")
}

/// The guest built by `scripts/build-guest.sh`.
pub struct Guest {
    pub dir: PathBuf,
    pub kernel: PathBuf,
    /// The initramfs the tests boot: `initramfs.cpio` when the build provides it (the same
    /// archive uncompressed, saving the guest ~40M instructions of inflate), else the gzip one.
    pub initrd: PathBuf,
    /// `initramfs.cpio.gz`.
    pub initrd_gz: PathBuf,
}

impl Guest {
    /// Whether [`Guest::initrd`] is the uncompressed archive (`qemu-run.sh -u`).
    pub fn uncompressed(&self) -> bool {
        self.initrd != self.initrd_gz
    }
}

/// Builds the guest once per test process (cached across processes by the script itself).
/// A failing build fails every test that needs it, with the script's output.
pub fn guest() -> &'static Guest {
    static GUEST: OnceLock<Result<Guest, String>> = OnceLock::new();
    let result = GUEST.get_or_init(|| {
        let dir = guest_dir().to_path_buf();
        let cpio = dir.join("initramfs.cpio");
        let initrd_gz = dir.join("initramfs.cpio.gz");
        let g = Guest {
            kernel: dir.join("Image"),
            initrd: if cpio.is_file() { cpio } else { initrd_gz.clone() },
            initrd_gz,
            dir,
        };
        for f in [&g.kernel, &g.initrd, &g.initrd_gz] {
            if !f.is_file() {
                return Err(format!(
                    "scripts/build-guest.sh printed {} but {} is missing",
                    g.dir.display(),
                    f.display()
                ));
            }
        }
        Ok(g)
    });
    match result {
        Ok(g) => g,
        Err(e) => panic!("{e}"),
    }
}

/// The kernel command line that runs `script` in test mode: `BASE_APPEND`, `extra`, then
/// `ev.cmd=` with the script plus a final newline (as `qemu-run.sh` sends it).
pub fn cmdline(script: &str, extra: &str) -> String {
    let mut line = BASE_APPEND.to_string();
    if !extra.is_empty() {
        line.push(' ');
        line.push_str(extra);
    }
    line.push_str(" ev.cmd=");
    line.push_str(&base64(format!("{script}\n").as_bytes()));
    assert!(
        line.len() <= CMDLINE_MAX,
        "test bug: kernel command line is {} bytes, over {CMDLINE_MAX}; shorten the script",
        line.len()
    );
    line
}

/// What a finished (or killed) process left behind.
pub struct Outcome {
    /// How it was started, for failure messages.
    pub command: String,
    /// The exit status; `None` when killed by a signal (e.g. by the timeout).
    pub status: Option<i32>,
    pub timed_out: bool,
    pub elapsed: Duration,
    /// Standard output with carriage returns removed (the guest console sends CR LF).
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Everything about the run, for a failure message (long outputs keep their end).
    pub fn report(&self) -> String {
        let mut r = report_header(&self.command, self.status, self.timed_out, self.elapsed);
        let _ = writeln!(r, "--- stdout (last 6000 bytes)\n{}", tail(&self.stdout, 6000));
        let _ = writeln!(r, "--- stderr (last 3000 bytes)\n{}", tail(&self.stderr, 3000));
        r
    }

    /// The script's output: the lines after the first `EV-BEGIN` up to the last `EV-EXIT <n>`
    /// (a last line without newline shares its line with the marker), exactly as
    /// `scripts/qemu-run.sh -o` extracts it.
    pub fn script_output(&self) -> String {
        script_output(&self.stdout)
    }

    /// The status in the last `EV-EXIT <n>` marker.
    pub fn ev_exit(&self) -> Option<i32> {
        self.stdout.lines().rev().find_map(|l| {
            let i = l.rfind("EV-EXIT ")?;
            l[i + 8..].trim().parse().ok()
        })
    }

    /// `(instructions, digest)` from each `extravirt: instructions N digest HEX` line.
    pub fn digests(&self) -> Vec<(u64, String)> {
        self.stderr
            .lines()
            .filter_map(|l| {
                let rest = l.strip_prefix("extravirt: instructions ")?;
                let (n, d) = rest.split_once(" digest ")?;
                Some((n.parse().ok()?, d.trim().to_string()))
            })
            .collect()
    }

    /// Panics unless the process exited 0 in time and the script ended with `EV-EXIT 0`.
    pub fn assert_script_passed(&self, what: &str) {
        assert!(
            !self.timed_out && self.status == Some(0) && self.ev_exit() == Some(0),
            "{what}: expected exit status 0 and `EV-EXIT 0`\n{}",
            self.report()
        );
    }
}

pub fn script_output(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let Some(begin) = lines.iter().position(|l| *l == "EV-BEGIN") else {
        return String::new();
    };
    let body = &lines[begin + 1..];
    let Some(end) = body.iter().rposition(|l| {
        l.rfind("EV-EXIT ").is_some_and(|i| {
            let n = &l[i + 8..];
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
        })
    }) else {
        return String::new();
    };
    let mut out = String::new();
    for l in &body[..end] {
        out.push_str(l);
        out.push('\n');
    }
    let last = body[end];
    out.push_str(&last[..last.rfind("EV-EXIT ").unwrap_or(0)]);
    out
}

/// Runs `cmd` with a deadline (see [`crate::common::run_with_timeout`]).
pub fn run_with_timeout(cmd: Command, timeout: Duration) -> Outcome {
    let f = crate::common::run_with_timeout(cmd, timeout);
    Outcome {
        command: f.command,
        status: f.status,
        timed_out: f.timed_out,
        elapsed: f.elapsed,
        stdout: String::from_utf8_lossy(&f.stdout).replace('\r', ""),
        stderr: f.stderr,
    }
}

/// One `extravirt run --kernel ...` of the default guest.
pub struct Vm {
    args: Vec<OsString>,
    append: String,
    netns: Option<String>,
    timeout: Duration,
    entropy_seed: Option<u64>,
}

impl Vm {
    /// Boots the guest in test mode running `script`, with `--rtc-epoch RTC_EPOCH` and
    /// `--entropy-seed ENTROPY_SEED`.
    pub fn script(script: &str) -> Vm {
        Vm::script_with_append(script, "")
    }

    /// As [`Vm::script`], with `extra` kernel arguments before `ev.cmd`.
    pub fn script_with_append(script: &str, extra: &str) -> Vm {
        Vm {
            args: Vec::new(),
            append: cmdline(script, extra),
            netns: None,
            timeout: BOOT_TIMEOUT,
            entropy_seed: Some(ENTROPY_SEED),
        }
    }

    /// Pins the guest's entropy to `seed`, or with `None` leaves it to the host's random source.
    pub fn entropy_seed(mut self, seed: Option<u64>) -> Vm {
        self.entropy_seed = seed;
        self
    }

    pub fn arg(mut self, a: impl Into<OsString>) -> Vm {
        self.args.push(a.into());
        self
    }

    pub fn disk(self, path: &Path) -> Vm {
        self.arg("--disk").arg(path)
    }

    /// Runs extravirt inside network namespace `ns` (`ip netns exec`).
    pub fn in_netns(mut self, ns: &str) -> Vm {
        self.netns = Some(ns.to_string());
        self
    }

    pub fn command(&self) -> Command {
        let g = guest();
        let mut cmd = match &self.netns {
            Some(ns) => {
                let mut c = Command::new("ip");
                c.args(["netns", "exec", ns.as_str()]).arg(extravirt());
                c
            }
            None => Command::new(extravirt()),
        };
        cmd.arg("run")
            .arg("--kernel")
            .arg(&g.kernel)
            .arg("--initrd")
            .arg(&g.initrd)
            .arg("--append")
            .arg(&self.append)
            .arg("--rtc-epoch")
            .arg(RTC_EPOCH.to_string());
        if let Some(seed) = self.entropy_seed {
            cmd.arg("--entropy-seed").arg(seed.to_string());
        }
        cmd.args(&self.args);
        cmd
    }

    pub fn run(&self) -> Outcome {
        run_with_timeout(self.command(), self.timeout)
    }
}

/// Runs `script` under QEMU through `scripts/qemu-run.sh -o` (only the script's output on
/// stdout), with the same guest and `extra_args` (e.g. `-d disk.img`).
pub fn qemu_script(script: &str, extra_args: &[&str]) -> Outcome {
    let g = guest();
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("scripts/qemu-run.sh"))
        .args(["-o", "-t", "120", "-g"])
        .arg(&g.dir)
        .args(g.uncompressed().then_some("-u"))
        .args(["-c", script])
        .args(extra_args);
    run_with_timeout(cmd, Duration::from_secs(180))
}

/// Fails the test unless `bin` is on PATH, installing Debian package `pkg` first if needed.
pub fn require_tool(bin: &str, pkg: &str) {
    let found = || {
        Command::new("sh")
            .args(["-c", &format!("command -v {bin}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if found() {
        return;
    }
    let out = Command::new("sh")
        .args([
            "-c",
            &format!(
                "export DEBIAN_FRONTEND=noninteractive; \
                 apt-get install -y -qq {pkg} || (apt-get update -qq && apt-get install -y -qq {pkg})"
            ),
        ])
        .stdin(Stdio::null())
        .output();
    assert!(
        found(),
        "{bin} is needed and installing Debian package {pkg} failed: {:?}",
        out.map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
    );
}

/// Runs a host command that must succeed; returns its stdout.
pub fn host(cmd: &mut Command) -> String {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}{}x{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A directory under the target's temporary directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join(unique(&format!("linux-{tag}-")));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap_or_else(|e| panic!("creating {}: {e}", p.display()));
        TempDir(p)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A network namespace holding one TAP interface with an address, deleted (with everything in
/// it) on drop, whether the test passed or panicked.
pub struct NetNs {
    pub name: String,
}

impl NetNs {
    /// Creates the namespace, and in it `tap` (mode tap) with `addr` (CIDR), up.
    /// Fails the test with a clear message when the host does not allow it.
    pub fn with_tap(tap: &str, addr: &str) -> NetNs {
        let name = unique("evtest");
        let add = Command::new("ip")
            .args(["netns", "add", &name])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run `ip` (iproute2): {e}"));
        assert!(
            add.status.success(),
            "cannot create a network namespace with `ip netns add {name}` ({}): {}\
             this test needs CAP_NET_ADMIN (run it as root) and /dev/net/tun",
            add.status,
            String::from_utf8_lossy(&add.stderr)
        );
        let ns = NetNs { name };
        for args in [
            vec!["link", "set", "lo", "up"],
            vec!["tuntap", "add", "dev", tap, "mode", "tap"],
            vec!["addr", "add", addr, "dev", tap],
            vec!["link", "set", tap, "up"],
        ] {
            host(Command::new("ip").arg("-n").arg(&ns.name).args(&args));
        }
        ns
    }

    /// `ip -n NS ARGS...`, which must succeed; its stdout.
    pub fn ip(&self, args: &[&str]) -> String {
        host(Command::new("ip").arg("-n").arg(&self.name).args(args))
    }
}

impl Drop for NetNs {
    fn drop(&mut self) {
        let out = Command::new("ip")
            .args(["netns", "del", &self.name])
            .stdin(Stdio::null())
            .output();
        if !matches!(&out, Ok(o) if o.status.success()) {
            eprintln!(
                "warning: could not delete network namespace {}: {out:?}",
                self.name
            );
        }
    }
}
