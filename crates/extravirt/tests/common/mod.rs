//! Helpers shared by the integration tests that run extravirt (or QEMU) as a child process.

#![allow(dead_code)]

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
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
