//! A campaign directory on disk:
//!
//! - `campaign.json`: the arguments ([`CampaignConfig`]); a restart must match them.
//! - `golden.json`: the fault-free run ([`Golden`]).
//! - `results.jsonl`: one [`FaultResult`] per line, appended as runs finish (in completion
//!   order), so an interrupted campaign loses at most the runs in flight.
//! - `summary.json`, `report.html`: written at the end of every session and by `merge`.
//! - `work/`: the files of runs in progress (disk copies, console, stats).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use rml::campaign::{parse_results, report, summarize, CampaignConfig, CampaignData, FaultResult, Golden};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: cannot read: {err}")]
    ReadFile { path: PathBuf, err: io::Error },
    #[error("{path}: cannot write: {err}")]
    WriteFile { path: PathBuf, err: io::Error },
    #[error("{path}: {err}")]
    ParseFile { path: PathBuf, err: String },
    #[error("{0}: not a campaign directory (no campaign.json)")]
    OpenCampaign(PathBuf),
    #[error("{0}: another campaign is running in this directory")]
    LockCampaign(PathBuf),
}

pub struct Store {
    pub root: PathBuf,
}

impl Store {
    pub fn new(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    pub fn work(&self) -> PathBuf {
        self.path("work")
    }

    /// Creates the directory and its `work/`.
    pub fn create(&self) -> Result<(), StoreError> {
        let work = self.work();
        fs::create_dir_all(&work).map_err(|err| StoreError::WriteFile { path: work, err })
    }

    /// Holds the directory for one campaign at a time (two appending to one `results.jsonl`
    /// would run every fault twice) until the returned file is dropped. Also empties `work/`
    /// of what an interrupted session left.
    pub fn lock(&self) -> Result<File, StoreError> {
        let path = self.path(".lock");
        let file = File::create(&path).map_err(|err| StoreError::WriteFile { path, err })?;
        // SAFETY: flock on a descriptor we own; the lock goes with the file.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            return Err(StoreError::LockCampaign(self.root.clone()));
        }
        if let Ok(entries) = fs::read_dir(self.work()) {
            for e in entries.flatten() {
                let _ = fs::remove_file(e.path());
            }
        }
        Ok(file)
    }

    /// Reads `name` as JSON; `None` when it does not exist.
    pub fn read_json<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>, StoreError> {
        let path = self.path(name);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(StoreError::ReadFile { path, err }),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::ParseFile {
                path,
                err: e.to_string(),
            })
    }

    /// Writes `name` whole or not at all (through a temporary file and a rename), so an
    /// interrupted campaign never leaves a torn `golden.json` to resume from.
    pub fn write_file(&self, name: &str, contents: &[u8]) -> Result<(), StoreError> {
        let path = self.path(name);
        let tmp = self.path(&format!(".{name}.tmp"));
        fs::write(&tmp, contents)
            .and_then(|_| fs::rename(&tmp, &path))
            .map_err(|err| StoreError::WriteFile { path, err })
    }

    pub fn write_json<T: Serialize>(&self, name: &str, value: &T) -> Result<(), StoreError> {
        let json = serde_json::to_string_pretty(value).expect("campaign records serialize");
        self.write_file(name, (json + "\n").as_bytes())
    }

    /// The results so far, with a torn last line (from an interrupted campaign) cut off so
    /// appending continues cleanly.
    pub fn read_results(&self) -> Result<Vec<FaultResult>, StoreError> {
        let path = self.path("results.jsonl");
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(StoreError::ReadFile { path, err }),
        };
        let (results, valid) = parse_results(&text).map_err(|e| StoreError::ParseFile {
            path: path.clone(),
            err: e.to_string(),
        })?;
        if valid < text.len() {
            let f = OpenOptions::new().write(true).open(&path);
            f.and_then(|f| f.set_len(valid as u64))
                .map_err(|err| StoreError::WriteFile { path, err })?;
        }
        Ok(results)
    }

    pub fn append_results(&self) -> Result<Results, StoreError> {
        let path = self.path("results.jsonl");
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|err| StoreError::WriteFile {
                path: path.clone(),
                err,
            })?;
        Ok(Results { file, path })
    }

    /// Everything a finished (or partial) campaign directory holds.
    pub fn load(&self) -> Result<CampaignData, StoreError> {
        let config: CampaignConfig = self
            .read_json("campaign.json")?
            .ok_or_else(|| StoreError::OpenCampaign(self.root.clone()))?;
        let golden: Golden = self
            .read_json("golden.json")?
            .ok_or_else(|| StoreError::ReadFile {
                path: self.path("golden.json"),
                err: io::ErrorKind::NotFound.into(),
            })?;
        let results = self.read_results()?;
        Ok(CampaignData {
            config,
            golden,
            results,
        })
    }

    /// `summary.json` (one summary, or a list when comparing campaigns) and `report.html`.
    pub fn write_summary_and_report(&self, campaigns: &[CampaignData]) -> Result<(), StoreError> {
        let summaries: Vec<_> = campaigns
            .iter()
            .map(|c| summarize(&c.config, &c.golden, &c.results))
            .collect();
        match summaries.as_slice() {
            [one] => self.write_json("summary.json", one)?,
            many => self.write_json("summary.json", &many)?,
        }
        self.write_file("report.html", report::html(campaigns).as_bytes())
    }
}

/// `results.jsonl`, open for appending.
pub struct Results {
    file: File,
    path: PathBuf,
}

impl Results {
    /// Appends one line in a single write, so a kill leaves at most one torn line.
    pub fn append(&mut self, r: &FaultResult) -> Result<(), StoreError> {
        let line = serde_json::to_string(r).expect("results serialize") + "\n";
        self.file
            .write_all(line.as_bytes())
            .map_err(|err| StoreError::WriteFile {
                path: self.path.clone(),
                err,
            })
    }
}
