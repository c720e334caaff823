//! Running all replicas to the same instruction count: one after another on this thread (for
//! deterministic tests), or in parallel on host threads.

use crate::coordinator::Replica;
use crate::guest::Guest;
use crate::types::Stop;

pub trait Executor {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], target: u64) -> Vec<Stop>;
}

/// Runs replicas in turn on the calling thread.
pub struct Sequential;

impl Executor for Sequential {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], target: u64) -> Vec<Stop> {
        replicas.iter_mut().map(|r| r.run(target)).collect()
    }
}

/// Runs each replica on its own scoped thread. Threads live for one epoch, so no replica
/// outlives a comparison. They are not pinned to cores: with 2 replicas on 2 cores, pinning
/// made the 2-replica runs of `scripts/bench-linux.sh` 4–9% slower (each epoch's new thread
/// had to migrate to its core), and the scheduler already keeps them apart.
pub struct Parallel;

impl Executor for Parallel {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], target: u64) -> Vec<Stop> {
        if replicas.len() == 1 {
            return Sequential.run_all(replicas, target);
        }
        std::thread::scope(|s| {
            let handles: Vec<_> = replicas
                .iter_mut()
                .map(|r| s.spawn(move || r.run(target)))
                .collect();
            // A replica thread that panicked is a bug in extravirt, not a guest fault: propagate.
            handles
                .into_iter()
                .map(|h| h.join().expect("replica thread panicked"))
                .collect()
        })
    }
}
