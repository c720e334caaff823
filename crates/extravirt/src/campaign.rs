//! `extravirt campaign`: fault-injection campaigns over a guest, run as child processes.
//!
//! ```text
//! extravirt campaign --kernel K [--initrd I] [--disk D] [--append A] --faults N --seed S
//!     [--model reg|fpreg|pc|mem|mixed] [--replicas 1|2|3] [--jobs J] [--shard i/n] --out DIR
//! extravirt campaign merge DIR... [--out DIR]
//! extravirt campaign rerun DIR ID [--keep]
//! ```
//!
//! A golden run first, then fault ids `0..N` (those the shard owns, minus those already in
//! `DIR/results.jsonl`), each injecting the fault [`rml::campaign::derive_fault`] gives it.
//! The rules (which fault, which outcome, summary, report) live in `rml::campaign`; this
//! module runs processes and keeps files. Exit status: 0 when every run has a result, 1 when
//! the golden run fails or a file cannot be written, 2 for bad input (including a `DIR` that
//! holds a campaign with other arguments).

mod child;
mod pool;
mod progress;
mod store;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Subcommand;
use rml::campaign::{
    classify, derive_fault, merge, pending_ids, status, CampaignConfig, CampaignData, Exit, FaultOutcome,
    FaultResult, Golden, InputFile, MergeError, Model, Observed, Shard,
};

use child::{ChildError, RunSpec};
use pool::run_parallel;
use progress::Progress;
use store::{Store, StoreError};

/// The golden run of a guest that never powers off should not stall a campaign forever.
const GOLDEN_TIMEOUT: Duration = Duration::from_secs(1800);
/// A run gets this many times the golden run's wall time (runs share the CPU, hangs run twice
/// as long, recovery replays), and at least [`MIN_TIMEOUT`].
const TIMEOUT_FACTOR: u32 = 20;
const MIN_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct CampaignArgs {
    #[command(subcommand)]
    action: Option<Action>,
    #[command(flatten)]
    start: StartArgs,
}

#[derive(Subcommand)]
enum Action {
    /// Combine shards of a campaign, or compare campaigns that differ only in --replicas.
    ///
    /// Shards of one campaign become one result set; campaigns that differ only in --replicas
    /// are kept side by side (protected against unprotected). Writes summary.json and
    /// report.html (and, for a single campaign, campaign.json, golden.json and results.jsonl,
    /// so the result is a campaign directory again) to --out; without --out prints the
    /// summaries.
    Merge {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run fault ID of the campaign in DIR again, alone, and print its result line.
    Rerun {
        dir: PathBuf,
        id: u64,
        /// Keep the run's console, stats, stderr and disk in DIR/work.
        #[arg(long)]
        keep: bool,
    },
}

#[derive(clap::Args)]
struct StartArgs {
    /// Linux kernel Image.
    #[arg(long, required = true)]
    kernel: Option<PathBuf>,
    #[arg(long)]
    initrd: Option<PathBuf>,
    /// Raw disk image; every run works on its own copy in DIR/work.
    #[arg(long)]
    disk: Option<PathBuf>,
    #[arg(long)]
    bios: Option<PathBuf>,
    #[arg(long, default_value = "console=ttyS0")]
    append: String,
    /// Guest RAM (memory faults land anywhere in it), e.g. 256M.
    #[arg(long, default_value = "256M", value_parser = parse_size)]
    memory: u64,
    /// Number of faulty runs.
    #[arg(long, required = true)]
    faults: Option<u64>,
    #[arg(long, required = true)]
    seed: Option<u64>,
    #[arg(long, default_value = "mixed")]
    model: Model,
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=3))]
    replicas: u32,
    /// Passed to every run (default: `extravirt run`'s).
    #[arg(long)]
    checkpoint_interval: Option<u64>,
    /// The RTC start of every run.
    #[arg(long, default_value_t = 1_700_000_000)]
    rtc_epoch: u64,
    /// The guest's entropy seed in every run (`run --entropy-seed`).
    #[arg(long, default_value_t = 1)]
    entropy_seed: u64,
    /// Runs at a time (default: the number of CPUs).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Run only the i-th of n slices of the fault ids (ids with id % n == i - 1).
    #[arg(long)]
    shard: Option<Shard>,
    /// The campaign directory (created; an existing one with the same arguments resumes).
    #[arg(long, required = true)]
    out: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
enum CampaignError {
    #[error("{path}: {err}")]
    ReadInput { path: PathBuf, err: std::io::Error },
    #[error("{dir}: holds a campaign with different arguments ({fields}); use another --out")]
    ResumeCampaign { dir: PathBuf, fields: String },
    #[error("{0}: changed or vanished since the campaign started")]
    CheckInputs(String),
    #[error("golden run: {0}")]
    GoldenRun(String),
    #[error("fault {id} does not exist: the campaign has {faults} faults")]
    RerunFault { id: u64, faults: u64 },
    #[error("{0}")]
    MergeCampaigns(#[from] MergeError),
    #[error("merge --out {0}: is one of the directories merged")]
    MergeInPlace(PathBuf),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Child(#[from] ChildError),
}

impl CampaignError {
    fn status(&self) -> u8 {
        match self {
            CampaignError::ReadInput { .. }
            | CampaignError::ResumeCampaign { .. }
            | CampaignError::RerunFault { .. }
            | CampaignError::CheckInputs(_)
            | CampaignError::MergeCampaigns(_)
            | CampaignError::MergeInPlace(_)
            | CampaignError::Store(StoreError::OpenCampaign(_) | StoreError::LockCampaign(_)) => 2,
            _ => 1,
        }
    }
}

fn parse_size(s: &str) -> Result<u64, String> {
    let (num, shift) = match s.as_bytes().last() {
        Some(b'k' | b'K') => (&s[..s.len() - 1], 10),
        Some(b'm' | b'M') => (&s[..s.len() - 1], 20),
        Some(b'g' | b'G') => (&s[..s.len() - 1], 30),
        _ => (s, 0),
    };
    let n: u64 = num.parse().map_err(|_| format!("not a size: {s}"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("size too large: {s}"))
}

pub fn main(args: &CampaignArgs) -> ExitCode {
    let result = match &args.action {
        None => start(&args.start),
        Some(Action::Merge { dirs, out }) => merge_dirs(dirs, out.as_deref()),
        Some(Action::Rerun { dir, id, keep }) => rerun(dir, *id, *keep),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("extravirt: campaign: {e}");
            ExitCode::from(e.status())
        }
    }
}

/// An input file named by its absolute path (runs start elsewhere) and its contents.
fn input(path: &Path) -> Result<InputFile, CampaignError> {
    let err = |err| CampaignError::ReadInput {
        path: path.to_path_buf(),
        err,
    };
    let abs = path.canonicalize().map_err(err)?;
    Ok(InputFile {
        blake3: child::hash_file(&abs).map_err(err)?,
        path: abs.display().to_string(),
    })
}

fn config(a: &StartArgs) -> Result<CampaignConfig, CampaignError> {
    let opt = |p: &Option<PathBuf>| p.as_deref().map(input).transpose();
    Ok(CampaignConfig {
        kernel: input(a.kernel.as_deref().expect("clap requires --kernel"))?,
        initrd: opt(&a.initrd)?,
        disk: opt(&a.disk)?,
        bios: opt(&a.bios)?,
        append: a.append.clone(),
        memory: a.memory,
        replicas: a.replicas as usize,
        checkpoint_interval: a.checkpoint_interval,
        rtc_epoch: a.rtc_epoch,
        entropy_seed: a.entropy_seed,
        faults: a.faults.expect("clap requires --faults"),
        seed: a.seed.expect("clap requires --seed"),
        model: a.model,
        shard: a.shard,
    })
}

/// The inputs must still be what the campaign started with: a kernel rebuilt or deleted under
/// a running campaign would otherwise turn every later run into an `error`.
fn check_inputs(config: &CampaignConfig) -> Result<(), CampaignError> {
    let files = [
        Some(&config.kernel),
        config.initrd.as_ref(),
        config.disk.as_ref(),
        config.bios.as_ref(),
    ];
    for f in files.into_iter().flatten() {
        let now = input(Path::new(&f.path)).map(|i| i.blake3);
        if now.as_ref().ok() != Some(&f.blake3) {
            return Err(CampaignError::CheckInputs(f.path.clone()));
        }
    }
    Ok(())
}

fn run_timeout(golden: &Golden) -> Duration {
    Duration::from_secs_f64(golden.wall_seconds * f64::from(TIMEOUT_FACTOR)).max(MIN_TIMEOUT)
}

/// The fault-free run, from `golden.json` when an earlier session made it.
fn golden_run(store: &Store, config: &CampaignConfig) -> Result<Golden, CampaignError> {
    if let Some(g) = store.read_json::<Golden>("golden.json")? {
        return Ok(g);
    }
    let spec = RunSpec {
        config,
        fault: None,
        max_instructions: None,
        timeout: GOLDEN_TIMEOUT,
        work: &store.work(),
        name: "golden".into(),
        keep: false,
    };
    eprintln!("extravirt: campaign: golden run (no fault)");
    let run = child::run(&spec)?;
    // Only a run that ended the way guests end can be compared with: a golden run that
    // hangs or loses its majority is no reference.
    let (exit, stats) = match (&run.exit, run.stats) {
        (Exit::Code(c @ (status::POWEROFF | status::GUEST_FAILURE)), Some(s)) => (*c, s),
        (exit, _) => return Err(CampaignError::GoldenRun(format!("{exit:?}: {}", run.last_error))),
    };
    let golden = Golden {
        replicas: config.replicas,
        exit,
        instructions: stats.instructions,
        console: run.console,
        disk_blake3: run.disk_blake3,
        net_tx_frames: stats.outputs.net_tx_frames,
        wall_seconds: run.wall.as_secs_f64(),
    };
    store.write_json("golden.json", &golden)?;
    Ok(golden)
}

/// Runs fault `id` and classifies it.
fn fault_run(
    store: &Store,
    data: (&CampaignConfig, &Golden),
    id: u64,
    name: String,
    keep: bool,
) -> Result<FaultResult, ChildError> {
    let (config, golden) = data;
    let fault = derive_fault(config.seed, id, &config.space(golden.instructions));
    let work = store.work();
    let spec = RunSpec {
        config,
        fault: Some(fault),
        max_instructions: Some(2 * golden.instructions),
        timeout: run_timeout(golden),
        work: &work,
        name,
        keep,
    };
    let run = child::run(&spec)?;
    if keep {
        eprintln!("extravirt: campaign: ran {}", child::shell_line(&run.command));
    }
    let observed = Observed {
        exit: &run.exit,
        console: &run.console,
        disk_blake3: run.disk_blake3.as_deref(),
        stats: run.stats.as_ref(),
    };
    let mut c = classify(golden, fault.icount, observed);
    if c.outcome == FaultOutcome::Error && !run.last_error.is_empty() {
        c.detail = format!("{}: {}", c.detail, run.last_error);
    }
    Ok(FaultResult::new(id, &fault, c, run.wall.as_millis() as u64))
}

fn start(a: &StartArgs) -> Result<(), CampaignError> {
    let config = config(a)?;
    let store = Store::new(a.out.as_deref().expect("clap requires --out"));
    if let Some(old) = store.read_json::<CampaignConfig>("campaign.json")? {
        let fields = old.differences(&config);
        if !fields.is_empty() {
            return Err(CampaignError::ResumeCampaign {
                dir: store.root.clone(),
                fields: fields.join(", "),
            });
        }
    }
    store.create()?;
    let _lock = store.lock()?;
    store.write_json("campaign.json", &config)?;
    let golden = golden_run(&store, &config)?;
    let mut results = store.read_results()?;
    let done = results.iter().map(|r| r.id).collect();
    let ids = pending_ids(config.faults, config.shard, &done);
    let jobs = a
        .jobs
        .map(|j| j as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut progress = Progress::new(ids.len(), &results);
    progress.start();
    let mut out = store.append_results()?;
    let mut failure = None;
    let mut record = |r: Result<FaultResult, ChildError>| -> Result<(), CampaignError> {
        let r = r?;
        // A run that failed may have failed because the inputs went away; then it, and every
        // run after it, would say nothing about its fault.
        if r.outcome == FaultOutcome::Error {
            check_inputs(&config)?;
        }
        out.append(&r)?;
        progress.record(&r);
        results.push(r);
        Ok(())
    };
    let work = |id| fault_run(&store, (&config, &golden), id, format!("f{id}"), false);
    run_parallel(&ids, jobs, work, |r| match record(r) {
        Ok(()) => true,
        Err(e) => {
            failure.get_or_insert(e);
            false
        }
    });
    progress.finish();
    if let Some(e) = failure {
        return Err(e);
    }
    results.sort_by_key(|r| r.id);
    store.write_summary_and_report(&[CampaignData {
        config,
        golden,
        results,
    }])?;
    eprintln!(
        "extravirt: campaign: wrote {}",
        store.path("summary.json").display()
    );
    Ok(())
}

fn rerun(dir: &Path, id: u64, keep: bool) -> Result<(), CampaignError> {
    let store = Store::new(dir);
    let data = store.load()?;
    if id >= data.config.faults {
        return Err(CampaignError::RerunFault {
            id,
            faults: data.config.faults,
        });
    }
    check_inputs(&data.config)?;
    store.create()?;
    let r = fault_run(
        &store,
        (&data.config, &data.golden),
        id,
        format!("rerun-{id}"),
        keep,
    )?;
    println!("{}", serde_json::to_string(&r).expect("results serialize"));
    if let Some(old) = data.results.iter().find(|o| o.id == id) {
        let same = if old.outcome == r.outcome {
            "the same"
        } else {
            "DIFFERENT"
        };
        eprintln!(
            "extravirt: campaign: recorded outcome {}: {same}",
            old.outcome.name()
        );
    }
    Ok(())
}

fn merge_dirs(dirs: &[PathBuf], out: Option<&Path>) -> Result<(), CampaignError> {
    let mut parts = Vec::new();
    for d in dirs {
        parts.push((d.display().to_string(), Store::new(d).load()?));
    }
    let merged = merge(parts)?;
    for m in &merged {
        let missing = m.config.faults - m.results.len() as u64;
        if missing > 0 {
            eprintln!(
                "extravirt: campaign merge: {} replica(s): {missing} of {} faults have no result",
                m.config.replicas, m.config.faults
            );
        }
    }
    let Some(out) = out else {
        for m in &merged {
            let s = rml::campaign::summarize(&m.config, &m.golden, &m.results);
            println!(
                "{}",
                serde_json::to_string_pretty(&s).expect("summaries serialize")
            );
        }
        return Ok(());
    };
    let canon = |p: &Path| p.canonicalize().ok();
    if canon(out).is_some() && dirs.iter().any(|d| canon(d) == canon(out)) {
        return Err(CampaignError::MergeInPlace(out.to_path_buf()));
    }
    let store = Store::new(out);
    store.create()?;
    if let [one] = merged.as_slice() {
        // One campaign: the directory is a complete campaign of its own (rerun, merge again).
        store.write_json("campaign.json", &one.config)?;
        store.write_json("golden.json", &one.golden)?;
        let lines: String = one
            .results
            .iter()
            .map(|r| serde_json::to_string(r).expect("results serialize") + "\n")
            .collect();
        store.write_file("results.jsonl", lines.as_bytes())?;
    }
    store.write_summary_and_report(&merged)?;
    eprintln!(
        "extravirt: campaign merge: wrote {}",
        store.path("report.html").display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_like_run_memory() {
        assert_eq!(parse_size("256M"), Ok(256 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("M").is_err() && parse_size("99999999999999G").is_err());
    }

    #[test]
    fn command_lines_quote_what_the_shell_would_split() {
        let args = ["run", "--append", "console=ttyS0 quiet", "it's"].map(String::from);
        assert_eq!(
            child::shell_line(&args),
            r#"run --append 'console=ttyS0 quiet' 'it'\''s'"#
        );
    }
}
