//! Helpers shared by the integration tests that run extravirt (or QEMU) as a child process.

#![allow(dead_code)]

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

/// How a child process ended.
pub struct Finished {
    /// How it was started, for failure messages.
    pub command: String,
    /// The exit status; `None` when killed by a signal (e.g. by the timeout).
    pub status: Option<i32>,
    pub timed_out: bool,
    pub elapsed: Duration,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs `cmd` (stdin from /dev/null) in its own process group, killing the whole group when
/// `timeout` passes, so a hang fails the test instead of blocking the suite.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Finished {
    let command = format!("{cmd:?}");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command}: {e}"));
    let pgid = child.id() as libc::pid_t;
    let reader = |mut r: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let out = reader(Box::new(child.stdout.take().expect("piped stdout")));
    let err = reader(Box::new(child.stderr.take().expect("piped stderr")));
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait().expect("waiting for the child") {
            break s;
        }
        if start.elapsed() > timeout {
            timed_out = true;
            // The whole group, so a script's children (QEMU under qemu-run.sh) go too. The child
            // is not reaped yet, so the group id cannot have been reused.
            // SAFETY: kill(2) on the process group we created for this child only.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
            break child.wait().expect("waiting for the killed child");
        }
        thread::sleep(Duration::from_millis(20));
    };
    Finished {
        command,
        status: status.code(),
        timed_out,
        elapsed: start.elapsed(),
        stdout: out.join().unwrap_or_default(),
        stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
    }
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// The guest directory `scripts/build-guest.sh` prints, built once per test process (the script
/// caches across processes). A failing build fails every test that needs it, with its output.
pub fn guest_dir() -> &'static Path {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let result = DIR.get_or_init(|| {
        let script = repo().join("scripts/build-guest.sh");
        let out = Command::new("bash")
            .arg(&script)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!(
                "scripts/build-guest.sh failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(PathBuf::from(stdout.lines().last().unwrap_or("").trim()))
    });
    match result {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

/// Standard base64 with padding (what `base64 -w0` prints).
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The last `max` bytes of `s` (from a character boundary), for failure messages.
pub fn tail(s: &str, max: usize) -> &str {
    let mut cut = s.len().saturating_sub(max);
    while !s.is_char_boundary(cut) {
        cut += 1;
    }
    &s[cut..]
}

/// The `command:` and `status:` lines that open every run report.
pub fn report_header(command: &str, status: Option<i32>, timed_out: bool, elapsed: Duration) -> String {
    let killed = if timed_out {
        " (killed by the test's timeout)"
    } else {
        ""
    };
    format!("command: {command}\nstatus: {status:?}{killed} after {elapsed:.1?}\n")
}
