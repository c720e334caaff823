//! Running all replicas to the same instruction count: one after another on this thread (for
//! deterministic tests), or in parallel on host threads.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;

use crate::coordinator::Replica;
use crate::guest::Guest;
use crate::types::Stop;

pub trait Executor {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], target: u64) -> Vec<Stop>;
}

/// An executor lent to a run, e.g. to keep one set of worker threads over many runs.
impl<X: Executor> Executor for &mut X {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], target: u64) -> Vec<Stop> {
        (**self).run_all(replicas, target)
    }
}

/// Runs replicas in turn on the calling thread.
pub struct Sequential;

impl Executor for Sequential {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], target: u64) -> Vec<Stop> {
        replicas.iter_mut().map(|r| r.run(target)).collect()
    }
}

/// Runs each replica on its own worker thread. The workers live as long as the executor: with
/// native code an epoch is only a few milliseconds, and a fresh thread per replica per epoch
/// (created, scheduled onto some core, its caches refilled, joined) cost 2 replicas a few
/// percent over 1. They are not pinned to cores: pinning made the 2-replica runs of
/// `scripts/bench-linux.sh` 4–9% slower, and the scheduler already keeps them apart.
#[derive(Default)]
pub struct Parallel {
    workers: Vec<Worker>,
}

/// A job for a worker; its borrows are made `'static` by `run_all` (see there).
type Job = Box<dyn FnOnce() + Send + 'static>;

struct Worker {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    fn spawn() -> Worker {
        let (jobs, rx) = mpsc::channel::<Job>();
        let thread = std::thread::spawn(move || {
            while let Ok(job) = rx.recv() {
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

impl Executor for Parallel {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], target: u64) -> Vec<Stop> {
        if replicas.len() == 1 {
            return Sequential.run_all(replicas, target);
        }
        while self.workers.len() < replicas.len() {
            self.workers.push(Worker::spawn());
        }
        let n = replicas.len();
        let (done_tx, done_rx) = mpsc::channel();
        for (i, (r, w)) in replicas.iter_mut().zip(&self.workers).enumerate() {
            let done = done_tx.clone();
            let job: Box<dyn FnOnce() + Send + '_> = Box::new(move || {
                let result = panic::catch_unwind(AssertUnwindSafe(|| r.run(target)));
                // The receiver outlives every job (see below); a failed send cannot happen.
                let _ = done.send((i, result));
            });
            // SAFETY: only the lifetime changes. The job borrows `replicas[i]` (and `target`)
            // from this call, and this call does not return, nor unwind, before every job sent
            // here has finished: each job always sends its result (a panic is caught first),
            // and all `n` results are received below before anything else happens. So no
            // borrow is used after it ends, as with `std::thread::scope`.
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
        let mut results: Vec<Option<std::thread::Result<Stop>>> = (0..n).map(|_| None).collect();
        for _ in 0..n {
            let (i, result) = done_rx.recv().expect("every replica job reports");
            results[i] = Some(result);
        }
        // A replica that panicked is a bug in extravirt, not a guest fault: propagate it, now
        // that no job still borrows anything.
        results
            .into_iter()
            .map(|r| match r {
                Some(Ok(stop)) => stop,
                Some(Err(p)) => panic::resume_unwind(p),
                None => unreachable!("all {n} results were received"),
            })
            .collect()
    }
}
