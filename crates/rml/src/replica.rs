//! One replica's side of an epoch: its runs, cut where output is pending and where faults are
//! injected, what it reports at the epoch's end, and running ahead into the next epoch while
//! the other replicas finish. Everything here runs on the replica's own thread.

use std::time::{Duration, Instant};

use crate::guest::Guest;
use crate::types::{Fault, Output, Stop};

/// A live replica: its machine, the index it was created with (faults name it), and the faults
/// still to inject into it.
pub struct Replica<G> {
    pub guest: G,
    pub id: usize,
    pub(crate) pending_faults: Vec<Fault>,
    /// A run that ends at this instruction count digests the state right away, on the
    /// replica's own thread, so replicas digest in parallel.
    pub(crate) digest_at: Option<u64>,
    pub(crate) digest: Option<[u8; 32]>,
    /// A run stops early at the first multiple of this at which output is pending
    /// ([`Stop::Output`]): [`RmlConfig::epoch`](crate::RmlConfig::epoch), at least 1.
    pub(crate) output_grid: u64,
    /// Host time spent in this slot's runs, as the executor measured it (for statistics).
    pub(crate) busy: Duration,
    /// When the last run passed its last multiple of `output_grid`, after which any output it
    /// has was produced (for the output latency statistic; nothing else reads the host clock).
    pub(crate) stretch_started: Option<Instant>,
    /// Where running ahead stopped early (see [`Replica::run_ahead`]): the next run returns it.
    pub(crate) ahead_stop: Option<Stop>,
    /// Whether the replica is past the end of the last epoch (see [`Replica::run_ahead`]).
    ahead: bool,
    /// Its state digest where that epoch ended, if it was not at a checkpoint (where the
    /// report has one): a vote on that epoch may need it.
    pub(crate) boundary_digest: Option<[u8; 32]>,
    /// The frames its dirty log named at the checkpoint it ran past, until the checkpoint is
    /// taken (or not).
    pub(crate) boundary_dirty: Option<Vec<usize>>,
}

impl<G: Guest> Replica<G> {
    /// Runs to `target`, or to the first multiple of the epoch length at which it has output
    /// pending ([`Stop::Output`]), or an earlier stop; injects pending faults on the way.
    pub fn run(&mut self, target: u64) -> Stop {
        let stop = match self.ahead_stop.take() {
            Some(stop) => stop,
            None => self.run_to(target),
        };
        self.digest = (self.digest_at == Some(self.guest.icount())).then(|| self.guest.digest());
        stop
    }

    pub(crate) fn new(guest: G, id: usize, pending_faults: Vec<Fault>, output_grid: u64) -> Self {
        Replica {
            guest,
            id,
            pending_faults,
            digest_at: None,
            digest: None,
            output_grid,
            busy: Duration::ZERO,
            stretch_started: None,
            ahead_stop: None,
            ahead: false,
            boundary_digest: None,
            boundary_dirty: None,
        }
    }

    /// Forgets any running ahead, for a replica whose guest was just replaced.
    pub(crate) fn reset_ahead(&mut self) {
        self.ahead_stop = None;
        self.ahead = false;
        self.boundary_digest = None;
        self.boundary_dirty = None;
    }

    /// One epoch on the replica's own thread: runs to `target` (or an earlier stop) and reports
    /// what it did there, before any [`run_ahead`](Self::run_ahead) moves it on.
    pub(crate) fn run_epoch(&mut self, target: u64) -> Report {
        self.ahead = false;
        self.boundary_digest = None;
        let stop = self.run(target);
        Report {
            stop,
            icount: self.guest.icount(),
            outputs: self.guest.take_outputs(),
            digest: self.digest.take(),
        }
    }

    /// Whether this replica is past the end of the last epoch (it ran ahead).
    pub fn is_ahead(&self) -> bool {
        self.ahead
    }

    /// After an epoch that ended where the guest goes on by itself (`report`: the end was
    /// reached, or output stopped it), runs on into the next epoch, which ends where `grid`
    /// says, while `keep_going` says the other replicas are still in the epoch just ended:
    /// the time a barrier would have spent waiting goes into the next epoch instead. It runs
    /// in slices of `output_grid / 64` instructions, asking between them, and stops where the
    /// next epoch's run would: at that epoch's end, at a multiple of `output_grid` with output
    /// pending, or at an earlier stop (kept in `ahead_stop`). Where it pauses is invisible to
    /// the guest. First it keeps what the coordinator may need from the epoch's end: its
    /// digest (the report has one at a checkpoint), and at a checkpoint the frames its dirty
    /// log named, as the log restarts there (given back if the checkpoint is not taken).
    pub(crate) fn run_ahead(&mut self, report: &Report, grid: &EpochGrid, keep_going: &dyn Fn() -> bool) {
        let Some(next) = grid.end(report.icount).filter(|&n| n > report.icount) else {
            return;
        };
        if !report.stop.goes_on() || !keep_going() {
            return;
        }
        // The report carries a digest exactly when the epoch ended at a checkpoint.
        if report.digest.is_some() {
            let dirty = self
                .guest
                .memory_mut()
                .map(|m| m.take_dirty())
                .unwrap_or_default();
            self.boundary_dirty = Some(dirty);
        } else {
            self.boundary_digest = Some(self.guest.digest());
        }
        self.ahead = true;
        let slice = (self.output_grid / 64).max(1);
        while keep_going() {
            let now = self.guest.icount();
            if now >= next {
                break;
            }
            let end = ((now / slice + 1) * slice).min(next);
            let stop = self.run_to(end);
            if stop != Stop::Reached || self.guest.icount() != end {
                self.ahead_stop = Some(stop);
                break;
            }
            // An unsliced run checks for output at this cut too (`run_to` only checks cuts
            // strictly inside its run).
            if end < next && end.is_multiple_of(self.output_grid) && self.guest.outputs_pending() {
                self.ahead_stop = Some(Stop::Output);
                break;
            }
        }
    }

    /// Runs to `target` through the output cuts, dropping the outputs: a replay up to a point
    /// whose outputs were released already.
    pub(crate) fn run_through(&mut self, target: u64) -> Stop {
        loop {
            match self.run(target) {
                Stop::Output => drop(self.guest.take_outputs()),
                stop => return stop,
            }
        }
    }

    /// Runs to `target`, stopping at each pending fault's instruction count to inject it, and
    /// at the first multiple of `output_grid` at which output is pending.
    fn run_to(&mut self, target: u64) -> Stop {
        self.stretch_started = Some(Instant::now());
        loop {
            let now = self.guest.icount();
            let fault = self
                .pending_faults
                .iter()
                .map(|f| f.icount)
                .filter(|&i| i >= now && i < target)
                .min();
            let cut = Some((now / self.output_grid + 1) * self.output_grid).filter(|&i| i < target);
            let Some(at) = fault.into_iter().chain(cut).min() else {
                return self.guest.run(target);
            };
            let stop = self.guest.run(at);
            if self.guest.icount() != at {
                return stop;
            }
            if fault == Some(at) {
                for f in self.pending_faults.iter().filter(|f| f.icount == at) {
                    self.guest.inject(f.target, f.bit);
                }
                self.pending_faults.retain(|f| f.icount != at);
            }
            if cut == Some(at) && stop == Stop::Reached {
                if self.guest.outputs_pending() {
                    return Stop::Output;
                }
                self.stretch_started = Some(Instant::now());
            }
        }
    }
}

/// What a replica did in one epoch; replicas agree when these are equal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub(crate) stop: Stop,
    pub(crate) icount: u64,
    pub(crate) outputs: Vec<Output>,
    pub(crate) digest: Option<[u8; 32]>,
}

/// Where an epoch ends, and whether the replicas that finish it first may run on into the
/// next one meanwhile (see `Replica::run_ahead`).
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// The instruction count every replica runs to, unless it stops earlier.
    pub target: u64,
    /// Where epochs end, when running ahead is allowed (no input is waiting to enter).
    pub ahead: Option<EpochGrid>,
}

/// Where epochs end (see [`RmlConfig`](crate::RmlConfig)): one rule for the coordinator
/// planning an epoch and for a replica running ahead into the next.
#[derive(Clone, Copy, Debug)]
pub struct EpochGrid {
    /// Output cuts are multiples of this (at least 1).
    pub output: u64,
    /// The longest epoch without output.
    pub max_epoch: u64,
    /// Checkpoints are multiples of this (at least 1).
    pub checkpoint_interval: u64,
    /// No epoch ends past this instruction count (the instruction budget).
    pub budget_end: u64,
}

impl EpochGrid {
    /// The first checkpoint after `at`.
    pub fn checkpoint_after(&self, at: u64) -> u64 {
        (at / self.checkpoint_interval + 1) * self.checkpoint_interval
    }

    /// Where an epoch starting at `start` ends unless a replica stops earlier: an epoch with
    /// output ends early, at a multiple of `output` (see `Replica::run_to`); one without runs
    /// to the checkpoint, at most `max_epoch`, ending on the output grid too. `None` once the
    /// budget is spent.
    pub fn end(&self, start: u64) -> Option<u64> {
        if start >= self.budget_end {
            return None;
        }
        let longest = start.saturating_add(self.max_epoch.max(self.output)) / self.output * self.output;
        Some(self.checkpoint_after(start).min(longest).min(self.budget_end))
    }
}
