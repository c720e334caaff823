//! Running all replicas to the same instruction count: one after another on this thread (for
//! deterministic tests), or in parallel on host threads pinned to distinct cores.

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

/// Runs each replica on its own scoped thread, pinned to core `i` when there are at least as
/// many cores as replicas. Threads live for one epoch, so no replica outlives a comparison.
pub struct Parallel {
    pin: bool,
}

impl Parallel {
    pub fn new(replicas: usize) -> Parallel {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Parallel {
            pin: cores >= replicas,
        }
    }
}

fn pin_to_core(core: usize) {
    // SAFETY: cpu_set_t is plain data; CPU_SET writes inside it; sched_setaffinity(0, ...)
    // applies to the calling thread only and reads the set we pass.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(core, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

impl Executor for Parallel {
    fn run_all<G: Guest>(&mut self, replicas: &mut [Replica<G>], target: u64) -> Vec<Stop> {
        if replicas.len() == 1 {
            return Sequential.run_all(replicas, target);
        }
        let pin = self.pin;
        std::thread::scope(|s| {
            let handles: Vec<_> = replicas
                .iter_mut()
                .enumerate()
                .map(|(i, r)| {
                    s.spawn(move || {
                        if pin {
                            pin_to_core(i);
                        }
                        r.run(target)
                    })
                })
                .collect();
            // A replica thread that panicked is a bug in extravirt, not a guest fault: propagate.
            handles
                .into_iter()
                .map(|h| h.join().expect("replica thread panicked"))
                .collect()
        })
    }
}
