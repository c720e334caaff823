//! Running all replicas to the same instruction count: one after another on this thread (for
//! deterministic tests), or in parallel on host threads.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::guest::Guest;
use crate::replica::{Plan, Replica, Report};

pub trait Executor {
    /// Runs every replica through one epoch and returns their reports, in order. Replicas that
    /// finish early may run ahead while the others finish (when `plan.ahead` allows it).
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], plan: Plan) -> Vec<Report>;
}

/// An executor lent to a run, e.g. to keep one set of worker threads over many runs.
impl<X: Executor> Executor for &mut X {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], plan: Plan) -> Vec<Report> {
        (**self).run_all(replicas, plan)
    }
}

/// Runs replicas in turn on the calling thread. To exercise running ahead as the threads do,
/// every replica but the last then runs ahead as far as the plan allows: the most a replica
/// can be ahead with threads.
pub struct Sequential;

impl Executor for Sequential {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], plan: Plan) -> Vec<Report> {
        let reports: Vec<Report> = replicas
            .iter_mut()
            .map(|r| timed(r, |r| r.run_epoch(plan.target)))
            .collect();
        if let (Some(grid), Some((_, first))) = (plan.ahead, replicas.split_last_mut()) {
            for (r, report) in first.iter_mut().zip(&reports) {
                timed(r, |r| r.run_ahead(report, &grid, &|| true));
            }
        }
        reports
    }
}

/// Runs `f` on `r`, adding the host time that took to the replica's account (statistics
/// only; the run itself never sees it).
fn timed<G: Guest, T>(r: &mut Replica<G>, f: impl FnOnce(&mut Replica<G>) -> T) -> T {
    let t0 = Instant::now();
    let out = f(r);
    r.busy += t0.elapsed();
    out
}

/// One replica's part of an epoch on its thread: its run, then running ahead (if the plan
/// allows) until every replica has finished the epoch, counted down in `unfinished`.
fn epoch_then_ahead<G: Guest>(r: &mut Replica<G>, plan: Plan, unfinished: &AtomicUsize) -> Report {
    timed(r, |r| {
        let report = r.run_epoch(plan.target);
        unfinished.fetch_sub(1, Ordering::AcqRel);
        if let Some(grid) = plan.ahead {
            r.run_ahead(&report, &grid, &|| unfinished.load(Ordering::Acquire) > 0);
        }
        report
    })
}

/// Runs replica 0 on the calling thread and every other replica on a worker thread of its
/// own. The workers live as long as the executor: with native code an epoch is only a few
/// milliseconds, and a fresh thread per replica per epoch (created, scheduled onto some core,
/// its caches refilled, joined) cost 2 replicas a few percent over 1. They are not pinned to
/// cores: pinning made the 2-replica runs of `scripts/bench-linux.sh` 4–9% slower, and the
/// scheduler already keeps them apart.
///
/// Handing work over is the other cost: a blocked thread takes ~0.1 ms to wake on this kind of
/// (virtual) host, and with a wake-up to start each replica and one to collect them that was
/// 55–65 ms of a 0.9 s 2-replica run (the int job of `scripts/bench-linux.sh`). Replica 0 needs
/// no hand-over, and when every replica thread can have a core of its own, a thread that waits
/// (a worker for its next job, the caller for the workers' results) first spins for up to
/// `SPIN` before it blocks: 3–6 ms (with the core count asked once, see `spin_for`). With
/// more replica threads than cores spinning would take a core from a replica, so then nobody
/// spins. A replica that finishes an epoch before the others may run ahead instead of waiting
/// (`Replica::run_ahead`), until the count of unfinished replicas reaches zero: then every
/// thread is within one slice (1/64 of an output cut) of handing its result back.
#[derive(Default)]
pub struct Parallel {
    workers: Vec<Worker>,
    /// How long the current workers, and the caller waiting for them, spin.
    spin: Option<Duration>,
}

/// How long a waiting thread spins before it blocks: longer than the coordinator's work
/// between two epochs (a comparison, or a checkpoint of ~1 ms), far shorter than a wait for
/// the host (an idle guest), where blocking is right.
const SPIN: Duration = Duration::from_millis(2);

/// Receives from `rx`, spinning for up to `spin` first.
fn recv_spinning<T>(rx: &mpsc::Receiver<T>, spin: Option<Duration>) -> Result<T, mpsc::RecvError> {
    if let Some(spin) = spin {
        let t0 = Instant::now();
        loop {
            for _ in 0..64 {
                match rx.try_recv() {
                    Ok(v) => return Ok(v),
                    Err(mpsc::TryRecvError::Disconnected) => return Err(mpsc::RecvError),
                    Err(mpsc::TryRecvError::Empty) => std::hint::spin_loop(),
                }
            }
            if t0.elapsed() >= spin {
                break;
            }
        }
    }
    rx.recv()
}

/// A job for a worker; its borrows are made `'static` by `run_all` (see there).
type Job = Box<dyn FnOnce() + Send + 'static>;

struct Worker {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    fn spawn(spin: Option<Duration>) -> Worker {
        let (jobs, rx) = mpsc::channel::<Job>();
        let thread = std::thread::spawn(move || {
            while let Ok(job) = recv_spinning(&rx, spin) {
                job();
            }
        });
        Worker {
            jobs: Some(jobs),
            thread: Some(thread),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the channel ends the worker's loop.
        self.jobs.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Whether `threads` threads can each spin on a core of their own. (Asked only when workers
/// start: `available_parallelism` reads cgroup files, ~60 µs.)
fn spin_for(threads: usize) -> Option<Duration> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (threads <= cores).then_some(SPIN)
}

impl Executor for Parallel {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], plan: Plan) -> Vec<Report> {
        let Some((first, others)) = replicas.split_first_mut() else {
            return Vec::new();
        };
        if others.is_empty() {
            return vec![timed(first, |r| r.run_epoch(plan.target))];
        }
        if self.workers.len() < others.len() {
            // A new worker set, all spinning or none.
            self.spin = spin_for(others.len() + 1);
            let spin = self.spin;
            self.workers = (0..others.len()).map(|_| Worker::spawn(spin)).collect();
        }
        let spin = self.spin;
        let n = others.len();
        let unfinished = AtomicUsize::new(n + 1);
        let unfinished = &unfinished;
        let (done_tx, done_rx) = mpsc::channel();
        for (i, (r, w)) in others.iter_mut().zip(&self.workers).enumerate() {
            let done = done_tx.clone();
            let job: Box<dyn FnOnce() + Send + '_> = Box::new(move || {
                let result = panic::catch_unwind(AssertUnwindSafe(|| epoch_then_ahead(r, plan, unfinished)));
                // The receiver outlives every job (see below); a failed send cannot happen.
                let _ = done.send((i, result));
            });
            // SAFETY: only the lifetime changes. The job borrows `replicas[i + 1]` (and
            // `unfinished`) from this call, and this call does not return, nor unwind, before
            // every job sent here has finished: each job always sends its result (a panic is
            // caught first), replica 0's run below cannot unwind past the receiving either,
            // and all `n` results are received before anything else happens. So no borrow is
            // used after it ends, as with `std::thread::scope`.
            let job = unsafe { std::mem::transmute::<Box<dyn FnOnce() + Send + '_>, Job>(job) };
            // A worker that is gone (it cannot be: jobs never unwind) would leave its job to
            // this thread, which keeps the promise above; panicking here would break it.
            match w.jobs.as_ref() {
                Some(tx) => {
                    if let Err(mpsc::SendError(job)) = tx.send(job) {
                        job();
                    }
                }
                None => job(),
            }
        }
        drop(done_tx);
        let first_result =
            panic::catch_unwind(AssertUnwindSafe(|| epoch_then_ahead(first, plan, unfinished)));
        let mut results: Vec<Option<std::thread::Result<Report>>> = (0..n).map(|_| None).collect();
        for _ in 0..n {
            let (i, result) = recv_spinning(&done_rx, spin).expect("every replica job reports");
            results[i] = Some(result);
        }
        // A replica that panicked is a bug in extravirt, not a guest fault: propagate it, now
        // that no job still borrows anything.
        std::iter::once(Some(first_result))
            .chain(results)
            .map(|r| match r {
                Some(Ok(report)) => report,
                Some(Err(p)) => panic::resume_unwind(p),
                None => unreachable!("all {n} results were received"),
            })
            .collect()
    }
}
