//! A fixed number of worker threads over a list of ids, with results handed back to the
//! calling thread in completion order (it owns the results file and the progress display).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// Runs `work` over `ids` on `jobs` threads, handing each result to `done` on this thread;
/// once `done` returns false no further runs start (those in flight are still handed over).
pub fn run_parallel<R: Send>(
    ids: &[u64],
    jobs: usize,
    work: impl Fn(u64) -> R + Sync,
    mut done: impl FnMut(R) -> bool,
) {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|s| {
        for _ in 0..jobs.min(ids.len()) {
            let tx = tx.clone();
            let (next, stop, work) = (&next, &stop, &work);
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let Some(&id) = ids.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    if tx.send(work(id)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for r in rx {
            if !done(r) {
                stop.store(true, Ordering::Relaxed);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::time::Duration;

    use super::*;

    #[test]
    fn parallel_runs_hand_over_every_result_once() {
        let ids: Vec<u64> = (0..20).collect();
        let mut got = Vec::new();
        run_parallel(
            &ids,
            3,
            |id| id * 2,
            |r| {
                got.push(r);
                true
            },
        );
        got.sort();
        assert_eq!(got, ids.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn parallel_runs_stop_starting_after_a_failure() {
        // 1000 runs of 1 ms on 2 threads take 0.5 s; stopping must cut that short (by how
        // much depends on the scheduler, so the bound is loose).
        let ids: Vec<u64> = (0..1000).collect();
        let started = Mutex::new(0);
        let mut handed = 0;
        let work = |id| {
            *started.lock().unwrap() += 1;
            std::thread::sleep(Duration::from_millis(1));
            id
        };
        run_parallel(&ids, 2, work, |_| {
            handed += 1;
            false
        });
        let started = *started.lock().unwrap();
        assert_eq!(handed, started, "runs in flight are still handed over");
        assert!(started < 500, "{started} runs started after the first failure");
    }
}
