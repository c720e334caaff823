//! One `extravirt run` of a campaign, as a child process of this binary: a crash, hang or
//! memory blow-up of the VMM under a fault must not take the campaign with it.

use std::fs::{self, File};
use std::io;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rml::campaign::{CampaignConfig, Exit, RunStats};
use rml::Fault;

#[derive(Debug, thiserror::Error)]
pub enum ChildError {
    #[error("cannot find this executable: {0}")]
    LocateExe(io::Error),
    #[error("{path}: cannot copy the disk image: {err}")]
    CopyDisk { path: PathBuf, err: io::Error },
    #[error("{path}: cannot create: {err}")]
    CreateOutput { path: PathBuf, err: io::Error },
    #[error("{path}: cannot read: {err}")]
    ReadOutput { path: PathBuf, err: io::Error },
    #[error("cannot wait for a run: {0}")]
    WaitChild(io::Error),
}

/// One run to make.
pub struct RunSpec<'a> {
    pub config: &'a CampaignConfig,
    pub fault: Option<Fault>,
    pub max_instructions: Option<u64>,
    pub timeout: Duration,
    /// Directory for the run's files (disk copy, console, stats, stderr).
    pub work: &'a Path,
    /// File name stem, unique among runs at the same time.
    pub name: String,
    /// Leave the run's files in `work` (they are deleted otherwise).
    pub keep: bool,
}

/// What a run left behind.
pub struct ChildRun {
    pub exit: Exit,
    pub console: Vec<u8>,
    pub stats: Option<RunStats>,
    pub disk_blake3: Option<String>,
    pub wall: Duration,
    /// The last line extravirt wrote on stderr (the reason of a failure).
    pub last_error: String,
    pub command: Vec<String>,
}

/// BLAKE3 of a file, hex.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    io::copy(&mut File::open(path)?, &mut hasher)?;
    Ok(hasher.finalize().to_hex().to_string())
}

fn arguments(spec: &RunSpec, disk: Option<&Path>, stats: &Path) -> Vec<String> {
    let c = spec.config;
    let mut a: Vec<String> = vec!["run".into(), "--kernel".into(), c.kernel.path.clone()];
    let mut opt = |flag: &str, value: Option<String>| {
        if let Some(v) = value {
            a.push(flag.into());
            a.push(v);
        }
    };
    opt("--initrd", c.initrd.as_ref().map(|f| f.path.clone()));
    opt("--disk", disk.map(|d| d.display().to_string()));
    opt("--bios", c.bios.as_ref().map(|f| f.path.clone()));
    opt("--append", Some(c.append.clone()));
    opt("--memory", Some(c.memory.to_string()));
    opt("--replicas", Some(c.replicas.to_string()));
    opt("--rtc-epoch", Some(c.rtc_epoch.to_string()));
    opt("--entropy-seed", Some(c.entropy_seed.to_string()));
    opt(
        "--checkpoint-interval",
        c.checkpoint_interval.map(|i| i.to_string()),
    );
    opt("--inject", spec.fault.map(|f| f.to_string()));
    opt("--stats-json", Some(stats.display().to_string()));
    opt("--max-instructions", spec.max_instructions.map(|n| n.to_string()));
    a
}

/// Runs `spec` to its end or its timeout. Errors are the host's (files), not the run's.
pub fn run(spec: &RunSpec) -> Result<ChildRun, ChildError> {
    let exe = std::env::current_exe().map_err(ChildError::LocateExe)?;
    let path = |ext: &str| spec.work.join(format!("{}.{ext}", spec.name));
    let (console_path, stats_path, stderr_path) = (path("console"), path("stats.json"), path("stderr"));
    let disk = match &spec.config.disk {
        Some(d) => {
            let copy = path("disk");
            // Every run writes its own copy; std::fs::copy clones extents where the file
            // system can, so large images cost little.
            fs::copy(&d.path, &copy).map_err(|err| ChildError::CopyDisk {
                path: d.path.clone().into(),
                err,
            })?;
            Some(copy)
        }
        None => None,
    };
    let _ = fs::remove_file(&stats_path);
    let create =
        |p: &PathBuf| File::create(p).map_err(|err| ChildError::CreateOutput { path: p.clone(), err });
    let command = arguments(spec, disk.as_deref(), &stats_path);
    let mut cmd = Command::new(&exe);
    cmd.args(&command)
        .stdin(Stdio::null())
        .stdout(create(&console_path)?)
        .stderr(create(&stderr_path)?);
    // SAFETY: prctl is async-signal-safe and touches no memory of ours. The run dies with the
    // thread that started it, so an interrupted campaign leaves no runs behind.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let started = Instant::now();
    let exit = match cmd.spawn() {
        Err(e) => Exit::SpawnFailed(e.to_string()),
        Ok(mut child) => loop {
            if let Some(status) = child.try_wait().map_err(ChildError::WaitChild)? {
                break match (status.code(), status.signal()) {
                    (Some(c), _) => Exit::Code(c),
                    (None, s) => Exit::Signal(s.unwrap_or(0)),
                };
            }
            if started.elapsed() > spec.timeout {
                let _ = child.kill();
                let _ = child.wait();
                break Exit::TimedOut;
            }
            std::thread::sleep(Duration::from_millis(20));
        },
    };
    let wall = started.elapsed();
    let read = |p: &PathBuf| fs::read(p).map_err(|err| ChildError::ReadOutput { path: p.clone(), err });
    let console = read(&console_path)?;
    let stderr = String::from_utf8_lossy(&read(&stderr_path)?).into_owned();
    let stats = fs::read(&stats_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let disk_blake3 = match &disk {
        Some(d) => Some(hash_file(d).map_err(|err| ChildError::ReadOutput { path: d.clone(), err })?),
        None => None,
    };
    if !spec.keep {
        for p in [
            Some(&console_path),
            Some(&stats_path),
            Some(&stderr_path),
            disk.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            let _ = fs::remove_file(p);
        }
    }
    Ok(ChildRun {
        exit,
        console,
        stats,
        disk_blake3,
        wall,
        last_error: stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string(),
        command: std::iter::once(exe.display().to_string())
            .chain(command)
            .collect(),
    })
}

/// `args` as one shell command line, quoted where needed.
pub fn shell_line(args: &[String]) -> String {
    let quote = |a: &String| {
        if !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,".contains(c))
        {
            a.clone()
        } else {
            format!("'{}'", a.replace('\'', r"'\''"))
        }
    };
    args.iter().map(quote).collect::<Vec<_>>().join(" ")
}
