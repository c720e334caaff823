//! The replication protocol, as a deterministic loop over epochs.
//!
//! Each epoch: the host input that arrived is logged and delivered to every replica at the
//! epoch's first instruction; all replicas run to the same instruction count; their outputs
//! (and stop reasons, and at checkpoint boundaries their state digests) are compared. Agreement
//! releases the outputs once. Disagreement is a divergence: with three replicas the majority
//! wins at once; with two, a third replica is rebuilt from the last verified checkpoint and
//! replays the input log to the same point, and the majority of the three wins. The faulty
//! replica is replaced by a copy-on-write clone of a good one. Without a majority nothing more
//! is released and the run ends.

use std::time::Duration;

use crate::exec::Executor;
use crate::guest::{Guest, Host};
use crate::replica::{EpochGrid, Plan, Replica, Report};
use crate::stats::{Divergence, DivergenceKind, Stats};
use crate::types::{Fault, Input, Output, Stop};

/// Protocol settings.
#[derive(Clone, Debug)]
pub struct RmlConfig {
    pub replicas: usize,
    /// The longest an output waits for comparison, in instructions: an epoch ends at the
    /// first multiple of this at which a replica has output pending, else at the next
    /// checkpoint or after `max_epoch` (or at an earlier stop: idle, waiting, power-off).
    pub epoch: u64,
    /// The longest epoch without output, in instructions (rounded down to a multiple of
    /// `epoch`): how long host input may wait while the guest computes without printing.
    pub max_epoch: u64,
    /// Instructions between verified checkpoints: also the most a recovery replays.
    pub checkpoint_interval: u64,
    pub faults: Vec<Fault>,
    /// Stop with [`Outcome::BudgetExhausted`] once this many instructions retired in all.
    pub max_instructions: u64,
}

impl RmlConfig {
    /// The multiples of `epoch` where a run with output stops (an `epoch` of 0 counts as 1).
    fn output_grid(&self) -> u64 {
        self.epoch.max(1)
    }
}

/// How a replicated run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Poweroff,
    Fail(u16),
    Crashed {
        pc: u64,
    },
    /// Replicas disagreed and no majority could be formed: nothing unverified was released.
    NoMajority {
        icount: u64,
    },
    /// Every replica is idle and no input can ever arrive, or the user quit.
    Quit,
    /// `max_instructions` retired without the guest powering off.
    BudgetExhausted,
}

struct Checkpoint<S> {
    state: S,
}

pub struct Rml<G: Guest, H: Host, X: Executor> {
    cfg: RmlConfig,
    replicas: Vec<Replica<G>>,
    checkpoint: Checkpoint<G::State>,
    /// Inputs delivered since the checkpoint, with the instruction count they entered at.
    log: Vec<(u64, Input)>,
    pub host: H,
    exec: X,
    pub stats: Stats,
    /// Instructions retired in earlier boots (a reboot restarts the count).
    icount_base: u64,
    /// Where the last epoch ended, as the trusted report says (replicas that ran ahead are
    /// past it).
    at: u64,
    /// Host input polled while replicas may be past `at`: it enters at the next epoch start
    /// where none can be (see [`Rml::epoch`]).
    held_input: Vec<Input>,
    /// The last epoch let replicas run ahead and ended plainly at a checkpoint.
    maybe_ahead: bool,
}

/// `mtime` ticks are 100 ns (the 10 MHz timebase).
fn ticks_to_duration(ticks: u64) -> Duration {
    Duration::from_nanos(ticks.saturating_mul(100))
}

fn duration_to_ticks(d: Duration) -> u64 {
    (d.as_nanos() / 100).min(u64::MAX as u128) as u64
}

/// How often (in epochs) memory sharing is sampled between checkpoints; sampling walks every
/// frame of every replica, so not every epoch.
const MEMORY_SAMPLE_EPOCHS: u64 = 8;

/// How often (in epochs) frames the replicas wrote identically are shared again between
/// checkpoints, so two replicas cost little more memory than one.
const MERGE_EPOCHS: u64 = 4;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl<G: Guest, H: Host, X: Executor> Rml<G, H, X> {
    /// Starts from `boot`: every replica is a copy-on-write fork of it, and its state is the
    /// first verified checkpoint.
    pub fn new(cfg: RmlConfig, boot: G, host: H, exec: X) -> Self {
        let replicas = (0..cfg.replicas)
            .map(|id| {
                let faults = cfg.faults.iter().filter(|f| f.replica == id).copied().collect();
                Replica::new(boot.fork(), id, faults, cfg.output_grid())
            })
            .collect();
        let at = boot.icount();
        let checkpoint = Checkpoint {
            state: boot.checkpoint(),
        };
        let stats = Stats {
            replicas: cfg.replicas,
            ..Stats::default()
        };
        Rml {
            cfg,
            replicas,
            checkpoint,
            log: Vec::new(),
            host,
            exec,
            stats,
            icount_base: 0,
            at,
            held_input: Vec::new(),
            maybe_ahead: false,
        }
    }

    /// Runs the replicated VM until it powers off, fails, loses its majority, or quits.
    pub fn run(&mut self) -> Outcome {
        let outcome = loop {
            if let Some(o) = self.epoch() {
                break o;
            }
        };
        self.stats.instructions = self.icount_base + self.at;
        self.update_memory_stats();
        self.stats.wall_seconds = self.host.elapsed().as_secs_f64();
        self.stats.time.replica_seconds = self.replicas.iter().map(|r| r.busy.as_secs_f64()).collect();
        outcome
    }

    fn now(&self) -> u64 {
        self.at
    }

    /// One epoch; `Some` when the run is over.
    fn epoch(&mut self) -> Option<Outcome> {
        if self.host.quit_requested() {
            return Some(Outcome::Quit);
        }
        let start = self.now();
        // Input enters every replica at the epoch's first instruction, which a replica that
        // ran ahead has passed: after an epoch that let them, input waits one more epoch, and
        // that epoch lets none run ahead. The rule depends on reports only, not on which
        // replica actually ran ahead, so a run is the same on any executor.
        let polled = self.host.poll_input();
        self.held_input.extend(polled);
        if !self.maybe_ahead {
            self.deliver_held(start);
        }
        let grid = self.grid();
        // A checkpoint that could not be taken (the epoch ended early) moves to the next
        // multiple of the interval instead of stalling the run.
        let next_checkpoint = grid.checkpoint_after(start);
        let Some(target) = grid.end(start) else {
            return Some(Outcome::BudgetExhausted);
        };
        for r in &mut self.replicas {
            r.digest_at = Some(next_checkpoint);
        }
        // Replicas may run ahead into the next epoch only with no input waiting to enter
        // there. The plan (and so where input enters) is the same for one replica, which has
        // no one to run ahead of: the replica count stays invisible to the guest.
        let ahead = self.held_input.is_empty().then_some(grid);
        let runs_started = self.host.elapsed();
        let mut reports = self.exec.run_all(&mut self.replicas, Plan { target, ahead });
        self.stats.time.epochs_seconds += self.host.elapsed().saturating_sub(runs_started).as_secs_f64();
        // The digests went into the reports (`Replica::run_epoch`).
        for r in &mut self.replicas {
            r.digest_at = None;
        }
        let at_checkpoint = reports.iter().any(|r| r.icount == next_checkpoint);
        self.stats.epochs += 1;
        // Frames diverge between checkpoints; sample sharing now and then to see the peak,
        // before any merge. At a checkpoint the sample and the merge of everything come with it.
        if self.stats.epochs.is_multiple_of(MEMORY_SAMPLE_EPOCHS) && !at_checkpoint {
            self.update_memory_stats();
        }
        if self.stats.epochs.is_multiple_of(MERGE_EPOCHS) && !at_checkpoint {
            self.merge_replicas(false);
        }
        let (good, replayed) = match self.vote(&mut reports, start, target) {
            Ok(verdict) => verdict,
            Err(o) => return Some(o),
        };
        let report = &reports[good];
        self.at = report.icount;
        self.maybe_ahead = ahead.is_some() && report.stop.goes_on();
        for out in &report.outputs {
            self.release(out);
        }
        // Output was produced after the last multiple of `cfg.epoch` a replica passed (or the
        // epoch would have ended there), so it waited no longer than since then.
        let produced_after = self.replicas.iter().filter_map(|r| r.stretch_started).min();
        if let Some(t) = produced_after.filter(|_| !report.outputs.is_empty()) {
            self.stats.max_output_latency_ms = self.stats.max_output_latency_ms.max(ms(t.elapsed()));
        }
        for r in &mut self.replicas {
            r.guest.committed();
        }
        let (stop, icount) = (report.stop, report.icount);
        self.repair_minority(good, &reports, replayed, (start, target));
        // The trusted report says whether the epoch ended at the checkpoint: replica 0 may be
        // the faulty one that stopped short of it, and a missed checkpoint would cap every
        // later epoch at one instruction.
        if icount == next_checkpoint && !stop.is_final() {
            self.verified_checkpoint();
        } else {
            self.give_back_boundary_dirty();
        }
        self.after_stop(stop)
    }

    /// For a checkpoint that was not taken after all: replicas that ran past it restarted
    /// their dirty logs there, and get back the marks that the next checkpoint's update needs.
    fn give_back_boundary_dirty(&mut self) {
        for r in &mut self.replicas {
            if let Some(dirty) = r.boundary_dirty.take() {
                if let Some(m) = r.guest.memory_mut() {
                    m.mark_dirty(&dirty);
                }
            }
        }
    }

    /// Where epochs end in this boot (see [`EpochGrid::end`]).
    fn grid(&self) -> EpochGrid {
        EpochGrid {
            output: self.cfg.output_grid(),
            max_epoch: self.cfg.max_epoch,
            checkpoint_interval: self.cfg.checkpoint_interval.max(1),
            budget_end: self.cfg.max_instructions.saturating_sub(self.icount_base),
        }
    }

    fn deliver(&mut self, at: u64, input: Input) {
        for r in &mut self.replicas {
            r.guest.push_input(&input);
        }
        self.log.push((at, input));
    }

    fn release(&mut self, out: &Output) {
        match out {
            Output::Console(b) => self.stats.outputs.console_bytes += b.len() as u64,
            Output::DiskWrite { data, .. } => self.stats.outputs.disk_write_bytes += data.len() as u64,
            Output::NetTx(_) => self.stats.outputs.net_tx_frames += 1,
            Output::DiskFlush => {}
        }
        self.host.release(out);
    }

    /// Decides which replica's report to trust, also returning the replay it took to decide, if
    /// any (it ends where the epoch did, so a repair can clone it); records any divergence.
    ///
    /// On a divergence every report is completed with a state digest before voting, the
    /// replay's too: a replica that agrees on outputs but carries a latent fault must not win
    /// and be cloned over the others.
    fn vote(
        &mut self,
        reports: &mut [Report],
        start: u64,
        target: u64,
    ) -> Result<(usize, Option<Replica<G>>), Outcome> {
        if reports.iter().all(|r| r == &reports[0]) {
            return Ok((0, None));
        }
        let t0 = self.host.elapsed();
        let same_behaviour = |r: &Report| r.outputs == reports[0].outputs && r.stop == reports[0].stop;
        let kind = if reports.iter().all(same_behaviour) {
            DivergenceKind::Digest
        } else {
            DivergenceKind::Output
        };
        for (r, replica) in reports.iter_mut().zip(&mut self.replicas) {
            // One that ran ahead took its digest where the epoch ended.
            let digest = replica.boundary_digest;
            r.digest
                .get_or_insert_with(|| digest.unwrap_or_else(|| replica.guest.digest()));
        }
        self.update_memory_stats();
        // Where the comparison happened: the earliest stop. A replica gone silent by its fault
        // runs on past the point where the others stopped with their output.
        let icount = reports.iter().map(|r| r.icount).min().unwrap_or(start);
        let mut candidates: Vec<Report> = reports.to_vec();
        let mut replayed = None;
        if self.replicas.len() < 3 {
            let (third, report) = self.replay(start, target);
            self.sample_memory(Some(&third));
            candidates.push(report);
            replayed = Some(third);
        }
        // A majority of at least two always includes a live replica.
        let winner = majority(&candidates).map(|g| candidates[g].clone());
        let good = winner.and_then(|w| reports.iter().position(|r| *r == w));
        let recovery_ms = ms(self.host.elapsed().saturating_sub(t0));
        let faulty = good.and_then(|g| reports.iter().position(|r| *r != reports[g]));
        self.stats.divergences.push(Divergence {
            icount: self.icount_base + icount,
            kind,
            faulty_replica: faulty.map(|i| self.replicas[i].id),
            recovered: good.is_some(),
            recovery_ms,
        });
        match good {
            Some(good) => Ok((good, replayed)),
            None => Err(Outcome::NoMajority {
                icount: self.icount_base + icount,
            }),
        }
    }

    /// A fresh replica from the checkpoint, replaying the log and then this epoch to `target`,
    /// and its report there.
    fn replay(&mut self, epoch_start: u64, target: u64) -> (Replica<G>, Report) {
        let guest = self.replicas[0].guest.restore(&self.checkpoint.state, true);
        // Its runs stop where the live replicas' did, so its last one ends where theirs did.
        let mut third = Replica::new(guest, usize::MAX, Vec::new(), self.cfg.output_grid());
        for (at, input) in &self.log {
            if *at > third.guest.icount() {
                third.run_through(*at);
            }
            third.guest.push_input(input);
        }
        if epoch_start > third.guest.icount() {
            third.run_through(epoch_start);
        }
        // Outputs before this epoch were verified and released already.
        third.guest.take_outputs();
        let stop = third.run(target);
        let report = Report {
            stop,
            icount: third.guest.icount(),
            outputs: third.guest.take_outputs(),
            digest: Some(third.guest.digest()),
        };
        (third, report)
    }

    /// Replaces every replica whose report differs from the good one by a clone of a good
    /// replica where the epoch `(start, target)` ended: one that did not run ahead, or else
    /// the vote's replay (which agreed with the good one), or else a new replay.
    fn repair_minority(
        &mut self,
        good: usize,
        reports: &[Report],
        replayed: Option<Replica<G>>,
        (start, target): (u64, u64),
    ) {
        if reports.iter().all(|r| *r == reports[good]) {
            return;
        }
        let source =
            (0..self.replicas.len()).find(|&i| reports[i] == reports[good] && !self.replicas[i].is_ahead());
        let replayed = match source {
            Some(_) => None,
            None => replayed.or_else(|| Some(self.replay(start, target).0)),
        };
        let source = match (&replayed, source) {
            (Some(third), _) => &third.guest,
            (None, Some(i)) => &self.replicas[i].guest,
            (None, None) => return,
        };
        let clones: Vec<(usize, G)> = (0..reports.len())
            .filter(|&i| reports[i] != reports[good])
            .map(|i| (i, source.fork()))
            .collect();
        for (i, guest) in clones {
            let r = &mut self.replicas[i];
            r.guest = guest;
            r.reset_ahead();
            r.pending_faults.retain(|f| f.icount >= reports[good].icount);
        }
    }

    /// All replicas agreed on their state digest: it becomes the checkpoint, the log before it
    /// goes, and frames that are identical across replicas are shared again.
    /// Makes every frame written since the last checkpoint that is byte-identical in replica 0
    /// and another replica one shared allocation again. Identical bytes need no verification to
    /// be shared: any later write copies the frame first.
    /// Shares frames that are identical across replicas. Between checkpoints (`hot_too` false)
    /// frames written since the last merge are left alone: they are likely written again soon,
    /// and sharing them would cost both replicas a copy.
    fn merge_replicas(&mut self, hot_too: bool) {
        self.merge_into(0, hot_too);
    }

    /// [`merge_replicas`](Self::merge_replicas) with replica `primary`'s frames. Sharing
    /// identical bytes is safe whatever the other replica did since, even if it ran ahead.
    fn merge_into(&mut self, primary: usize, hot_too: bool) {
        let (a, rest) = split_one(&mut self.replicas, primary);
        let Some(a) = a.guest.memory() else { return };
        for r in rest {
            if let Some(b) = r.guest.memory_mut() {
                let dirty: Vec<usize> = a
                    .dirty_frames()
                    .chain(b.dirty_frames())
                    .filter(|&i| hot_too || !(a.written_this_epoch(i) || b.written_this_epoch(i)))
                    .collect();
                b.merge_identical(a, dirty);
            }
        }
    }

    fn verified_checkpoint(&mut self) {
        let t0 = self.host.elapsed();
        self.update_memory_stats();
        // The checkpoint is taken from a replica where the epoch ended: the last to finish
        // never runs ahead, and a repaired one is a clone of such a replica.
        let Some(p) = self.replicas.iter().position(|r| !r.is_ahead()) else {
            self.give_back_boundary_dirty();
            return;
        };
        self.merge_into(p, true);
        let (primary, rest) = split_one(&mut self.replicas, p);
        let primary = &mut primary.guest;
        // Before the dirty logs are cleared: the update copies what they name.
        primary.update_checkpoint(&mut self.checkpoint.state);
        for r in rest {
            // One that ran ahead restarted its log at this checkpoint already.
            if r.boundary_dirty.take().is_none() {
                if let Some(b) = r.guest.memory_mut() {
                    b.clear_dirty();
                }
            }
        }
        if let Some(a) = primary.memory_mut() {
            a.clear_dirty();
        }
        primary.checkpoint_verified();
        self.log.clear();
        self.stats.checkpoints += 1;
        let pause = self.host.elapsed().saturating_sub(t0);
        self.stats.max_checkpoint_pause_ms = self.stats.max_checkpoint_pause_ms.max(ms(pause));
    }

    fn after_stop(&mut self, stop: Stop) -> Option<Outcome> {
        match stop {
            Stop::Reached | Stop::Output => None,
            Stop::Poweroff => Some(Outcome::Poweroff),
            Stop::Fail(c) => Some(Outcome::Fail(c)),
            Stop::Crashed { pc } => Some(Outcome::Crashed { pc }),
            Stop::Reboot => {
                // The guest restarts from scratch in every replica, from a new first checkpoint.
                self.icount_base += self.now();
                let boot = self.replicas[0].guest.reboot();
                for r in &mut self.replicas {
                    r.guest = boot.fork();
                    r.pending_faults.clear();
                    r.reset_ahead();
                }
                self.at = boot.icount();
                self.checkpoint = Checkpoint {
                    state: boot.checkpoint(),
                };
                self.log.clear();
                None
            }
            Stop::Idle => {
                let at = self.now();
                self.deliver_held(at);
                let t0 = self.host.elapsed();
                let inputs = self.host.wait_input(None);
                self.count_host_wait(t0);
                let Some(inputs) = inputs else {
                    return Some(Outcome::Quit);
                };
                for input in inputs {
                    self.deliver(at, input);
                }
                None
            }
            Stop::Waiting { deadline } => {
                // Let the time the guest waits for pass for real, unless input comes first; the
                // guest's clock then moves by the time that did pass. Either way the decision
                // enters the log, so a replay repeats it.
                let at = self.now();
                self.deliver_held(at);
                let now_mtime = self.replicas[0].guest.mtime();
                let wait = ticks_to_duration(deadline.saturating_sub(now_mtime));
                let t0 = self.host.elapsed();
                let inputs = self.host.wait_input(Some(wait)).unwrap_or_default();
                let waited = duration_to_ticks(self.host.elapsed().saturating_sub(t0));
                self.count_host_wait(t0);
                let mtime = if inputs.is_empty() {
                    deadline
                } else {
                    (now_mtime + waited).min(deadline)
                };
                self.deliver(at, Input::Wake { mtime });
                for input in inputs {
                    self.deliver(at, input);
                }
                None
            }
        }
    }

    /// Delivers input held back while replicas may have been ahead, before anything newer;
    /// only where every replica is at `at` (after an idle or waiting stop nobody runs ahead).
    fn deliver_held(&mut self, at: u64) {
        for input in std::mem::take(&mut self.held_input) {
            self.deliver(at, input);
        }
    }

    fn count_host_wait(&mut self, since: Duration) {
        self.stats.time.host_wait_seconds += self.host.elapsed().saturating_sub(since).as_secs_f64();
    }

    fn update_memory_stats(&mut self) {
        self.sample_memory(None);
    }

    /// Samples memory sharing over the replicas, the checkpoint and `replay` (a recovery's
    /// third replica, which holds memory too while it exists), for the peak.
    fn sample_memory(&mut self, replay: Option<&Replica<G>>) {
        let mut rams: Vec<&memory::GuestRam> =
            self.replicas.iter().filter_map(|r| r.guest.memory()).collect();
        if rams.is_empty() {
            return;
        }
        let logical: u64 = rams.iter().map(|r| r.frame_count() as u64).sum();
        rams.extend(self.checkpoint_memory());
        rams.extend(replay.and_then(|r| r.guest.memory()));
        let unique = memory::GuestRam::stats(&rams).unique_frames as u64;
        let m = &mut self.stats.memory;
        m.logical_frames = logical;
        m.unique_frames = unique;
        m.peak_unique_frames = m.peak_unique_frames.max(unique);
    }

    fn checkpoint_memory(&self) -> Option<&memory::GuestRam> {
        G::state_memory(&self.checkpoint.state)
    }

    /// Faults that were never injected because the run ended (or the replica's run stopped)
    /// before their instruction count.
    pub fn unapplied_faults(&self) -> Vec<Fault> {
        self.replicas
            .iter()
            .flat_map(|r| r.pending_faults.iter().copied())
            .collect()
    }

    /// The replicas, for checks in tests.
    pub fn replicas(&self) -> &[Replica<G>] {
        &self.replicas
    }
}

/// Replica `i`, and all the others.
fn split_one<T>(v: &mut [T], i: usize) -> (&mut T, impl Iterator<Item = &mut T>) {
    let (before, rest) = v.split_at_mut(i);
    let (one, after) = rest.split_first_mut().expect("index within the replicas");
    (one, before.iter_mut().chain(after.iter_mut()))
}

/// The index of a report that more than half of `reports` equal, if any.
fn majority(reports: &[Report]) -> Option<usize> {
    (0..reports.len()).find(|&i| 2 * reports.iter().filter(|r| **r == reports[i]).count() > reports.len())
}
