//! A seeded simulation of the whole replication protocol (in the spirit of TigerBeetle's VOPR):
//! a toy deterministic guest, a scripted host, random epochs, checkpoint intervals, inputs and
//! faults, all derived from one seed, with no threads and no host time. Checkers compare every
//! run against a fault-free golden run. A failing seed is printed; `RML_SIM_SEED=n` replays it.

use std::collections::VecDeque;
use std::time::Duration;

use memory::GuestRam;
use rml::{
    DivergenceKind, Executor, Fault, FaultTarget, Guest, Host, Input, Outcome, Output, Parallel, Rml,
    RmlConfig, Sequential, Stop,
};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A guest whose visible register `a` drives its console output, and whose `hidden` register
/// is only ever seen by the state digest (a latent fault there is caught only at checkpoints).
/// It also stores into and loads from a small RAM, so checkpoints catch up through dirty logs
/// and replicas merge frames, as the real guest's do.
struct Toy {
    icount: u64,
    a: u64,
    hidden: u64,
    ram: GuestRam,
    input: VecDeque<u8>,
    outputs: Vec<Output>,
    final_stop: Option<Stop>,
    power_at: u64,
    idle_every: u64,
    /// Idle points already passed (the guest stops there once, until input arrives).
    idle_done: u64,
    /// `run` panics (see `inject`).
    panics: bool,
    /// It prints nothing more (see `inject`).
    silent: bool,
}

/// The toy's RAM: 16 frames at 0.
const TOY_FRAMES: u64 = 16;

impl Clone for Toy {
    fn clone(&self) -> Toy {
        Toy {
            icount: self.icount,
            a: self.a,
            hidden: self.hidden,
            ram: self.ram.fork(),
            input: self.input.clone(),
            outputs: self.outputs.clone(),
            final_stop: self.final_stop,
            power_at: self.power_at,
            idle_every: self.idle_every,
            idle_done: self.idle_done,
            panics: self.panics,
            silent: self.silent,
        }
    }
}

impl Toy {
    fn new(power_at: u64, idle_every: u64) -> Toy {
        Toy {
            icount: 0,
            a: 1,
            hidden: 7,
            ram: GuestRam::new(0, TOY_FRAMES * 4096).expect("a valid layout"),
            input: VecDeque::new(),
            outputs: Vec::new(),
            final_stop: None,
            power_at,
            idle_every,
            idle_done: 0,
            panics: false,
            silent: false,
        }
    }

    fn step(&mut self) {
        self.icount += 1;
        self.a = self
            .a
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.hidden = self.hidden.rotate_left(1) ^ self.icount;
        // A store every 37 instructions and a load every 53, each at an address from `a`, so
        // that what memory holds reaches the output.
        let addr = |v: u64| ((v >> 20) % (TOY_FRAMES * 4096 - 8)) & !7;
        if self.icount.is_multiple_of(37) {
            let _ = self.ram.write(addr(self.a), &self.a.to_le_bytes());
        }
        if self.icount.is_multiple_of(53) {
            let mut b = [0u8; 8];
            let _ = self.ram.read(addr(self.a.rotate_left(17)), &mut b);
            self.a ^= u64::from_le_bytes(b) >> 1;
        }
        // Quiet from 16000 to 20000 of every 20000, so that epochs also run on to the next
        // checkpoint (the directed tests below fault it between 11000 and 13000).
        if self.icount.is_multiple_of(97) && (self.icount / 4_000) % 5 != 4 && !self.silent {
            Output::push(&mut self.outputs, Output::Console(vec![(self.a >> 56) as u8]));
        }
        if self.icount.is_multiple_of(1000) {
            if let Some(b) = self.input.pop_front() {
                self.a ^= b as u64;
                if !self.silent {
                    self.outputs.push(Output::DiskWrite {
                        sector: b as u64,
                        data: vec![b; 4],
                    });
                }
            }
        }
    }
}

impl Guest for Toy {
    type State = Toy;

    fn icount(&self) -> u64 {
        self.icount
    }

    fn mtime(&self) -> u64 {
        self.icount
    }

    fn run(&mut self, target: u64) -> Stop {
        assert!(!self.panics, "the toy replica panics at {}", self.icount);
        if let Some(s) = self.final_stop {
            return s;
        }
        while self.icount < target {
            let idle_point = self.icount / self.idle_every;
            if self.icount.is_multiple_of(self.idle_every) && self.icount > 0 && self.idle_done < idle_point {
                if self.input.is_empty() {
                    return Stop::Idle;
                }
                self.idle_done = idle_point;
            }
            self.step();
            if self.icount == self.power_at {
                self.final_stop = Some(Stop::Poweroff);
                return Stop::Poweroff;
            }
        }
        Stop::Reached
    }

    fn push_input(&mut self, input: &Input) {
        if let Input::Console(b) = input {
            self.input.extend(b);
        }
    }

    fn take_outputs(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.outputs)
    }

    fn outputs_pending(&self) -> bool {
        !self.outputs.is_empty()
    }

    fn digest(&mut self) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        for v in [
            self.icount,
            self.a,
            self.hidden,
            self.idle_done,
            self.silent as u64,
            self.input.len() as u64,
        ] {
            h.update(&v.to_le_bytes());
        }
        h.update(&self.input.iter().copied().collect::<Vec<_>>());
        h.update(self.ram.digest().as_bytes());
        *h.finalize().as_bytes()
    }

    fn checkpoint(&self) -> Toy {
        let mut t = self.clone();
        t.outputs.clear();
        t
    }

    /// As the board does: the RAM catches up through this replica's dirty log.
    fn update_checkpoint(&self, state: &mut Toy) {
        let mut ram = std::mem::replace(&mut state.ram, GuestRam::new(0, 4096).expect("a valid layout"));
        ram.catch_up(&self.ram);
        *state = Toy {
            ram,
            outputs: Vec::new(),
            ..self.clone()
        };
    }

    fn restore(&self, state: &Toy, _replay: bool) -> Toy {
        state.clone()
    }

    fn fork(&self) -> Toy {
        self.checkpoint()
    }

    fn reboot(&self) -> Toy {
        Toy::new(self.power_at, self.idle_every)
    }

    fn inject(&mut self, target: FaultTarget, bit: u32) {
        match target {
            FaultTarget::Mem(_) => self.hidden ^= 1 << bit,
            // Stands in for a bug in the VMM itself: the replica's next run panics.
            FaultTarget::Pc => self.panics = true,
            // Stands in for a fault that leaves the guest running, but silent.
            FaultTarget::F(_) => self.silent = true,
            FaultTarget::X(_) => self.a ^= 1 << bit,
        }
    }

    fn committed(&mut self) {}

    fn memory(&self) -> Option<&GuestRam> {
        Some(&self.ram)
    }

    fn memory_mut(&mut self) -> Option<&mut GuestRam> {
        Some(&mut self.ram)
    }

    fn state_memory(state: &Toy) -> Option<&GuestRam> {
        Some(&state.ram)
    }
}

/// Inputs from a seeded script; time is a counter, so recovery times are deterministic too.
struct SimHost {
    rng: Rng,
    released: Vec<Output>,
    ticks: u64,
}

impl Host for SimHost {
    fn release(&mut self, out: &Output) {
        Output::push(&mut self.released, out.clone());
    }

    fn poll_input(&mut self) -> Vec<Input> {
        self.ticks += 1;
        if self.rng.below(3) == 0 {
            vec![Input::Console(vec![self.rng.next() as u8])]
        } else {
            Vec::new()
        }
    }

    fn wait_input(&mut self, _: Option<Duration>) -> Option<Vec<Input>> {
        self.ticks += 1;
        Some(vec![Input::Console(vec![self.rng.next() as u8, 1])])
    }

    fn elapsed(&self) -> Duration {
        Duration::from_millis(self.ticks)
    }
}

struct Scenario {
    power_at: u64,
    idle_every: u64,
    epoch: u64,
    max_epoch: u64,
    checkpoint_interval: u64,
    host_seed: u64,
}

/// The scenario of the directed tests: 30000 instructions, never idle, epochs of 1000,
/// checkpoints every 5000.
fn directed(host_seed: u64) -> Scenario {
    Scenario {
        power_at: 30_000,
        idle_every: 1 << 40,
        epoch: 1_000,
        max_epoch: u64::MAX,
        checkpoint_interval: 5_000,
        host_seed,
    }
}

type RunResult = (Outcome, Vec<Output>, rml::Stats, Vec<[u8; 32]>);

fn run(s: &Scenario, replicas: usize, faults: Vec<Fault>) -> RunResult {
    run_on(s, replicas, faults, Sequential)
}

fn run_on<X: Executor>(s: &Scenario, replicas: usize, faults: Vec<Fault>, exec: X) -> RunResult {
    let cfg = RmlConfig {
        replicas,
        epoch: s.epoch,
        max_epoch: s.max_epoch,
        checkpoint_interval: s.checkpoint_interval,
        faults,
        max_instructions: u64::MAX,
    };
    let host = SimHost {
        rng: Rng(s.host_seed),
        released: Vec::new(),
        ticks: 0,
    };
    let mut rml = Rml::new(cfg, Toy::new(s.power_at, s.idle_every), host, exec);
    let outcome = rml.run();
    let digests = rml.replicas().iter().map(|r| r.guest.clone().digest()).collect();
    (
        outcome,
        std::mem::take(&mut rml.host.released),
        rml.stats.clone(),
        digests,
    )
}

fn is_prefix(short: &[Output], long: &[Output]) -> bool {
    let flat = |v: &[Output]| -> Vec<String> { v.iter().map(|o| format!("{o:?}")).collect() };
    let (s, l) = (flat(short), flat(long));
    if s.len() > l.len() {
        return false;
    }
    let n = s.len();
    if n == 0 {
        return true;
    }
    s[..n - 1] == l[..n - 1] && {
        // The last console chunk may be cut short.
        match (&short[n - 1], &long[n - 1]) {
            (Output::Console(a), Output::Console(b)) => b.starts_with(a),
            (a, b) => a == b,
        }
    }
}

fn check_seed(seed: u64) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let epoch = 200 + rng.below(3000);
    let s = Scenario {
        power_at: 20_000 + rng.below(60_000),
        idle_every: 3_000 + rng.below(20_000),
        epoch,
        checkpoint_interval: epoch * (1 + rng.below(6)),
        host_seed: rng.next() | 1,
        max_epoch: epoch * (1 + rng.below(4)),
    };
    let replicas = 2 + rng.below(2) as usize;
    let nfaults = rng.below(3) as usize;
    let faults: Vec<Fault> = (0..nfaults)
        .map(|_| {
            let target = if rng.below(2) == 0 {
                FaultTarget::X(10)
            } else {
                FaultTarget::Mem(0)
            };
            Fault {
                replica: rng.below(replicas as u64) as usize,
                icount: rng.below(s.power_at),
                target,
                bit: rng.below(64) as u32,
            }
        })
        .collect();
    let ctx = format!(
        "seed {seed}: replicas {replicas}, faults {faults:?}, epoch {} (at most {}), checkpoints \
         every {}",
        s.epoch, s.max_epoch, s.checkpoint_interval
    );

    let (golden_outcome, golden, golden_stats, _) = run(&s, 1, Vec::new());
    assert_eq!(
        golden_outcome,
        Outcome::Poweroff,
        "{ctx}: the golden run must power off"
    );
    assert!(golden_stats.divergences.is_empty(), "{ctx}");

    let (outcome, released, stats, digests) = run(&s, replicas, faults.clone());
    assert!(
        is_prefix(&released, &golden),
        "{ctx}: released output is not a prefix of the golden output"
    );
    let faulty_replicas: std::collections::BTreeSet<usize> = faults.iter().map(|f| f.replica).collect();
    match outcome {
        Outcome::Poweroff => {
            assert_eq!(
                released, golden,
                "{ctx}: a completed run must release exactly the golden output"
            );
            for d in &stats.divergences {
                assert!(d.recovered, "{ctx}");
                let f = d
                    .faulty_replica
                    .expect("a recovered divergence names the faulty replica");
                assert!(
                    faulty_replicas.contains(&f),
                    "{ctx}: blamed replica {f}, which had no fault"
                );
            }
            assert!(
                digests.windows(2).all(|w| w[0] == w[1]) || stats.divergences.len() < faults.len(),
                "{ctx}: replicas differ at the end although every fault was repaired"
            );
        }
        Outcome::NoMajority { .. } => {
            assert!(
                faulty_replicas.len() >= 2 || replicas == 2 && faults.len() >= 2,
                "{ctx}: a single faulty replica must always be out-voted"
            );
            assert!(stats.divergences.last().is_some_and(|d| !d.recovered), "{ctx}");
        }
        other => panic!("{ctx}: unexpected outcome {other:?}"),
    }
    if faults.is_empty() {
        assert!(stats.divergences.is_empty(), "{ctx}: divergence without a fault");
    }
    // The simulation replays exactly.
    let again = run(&s, replicas, faults);
    assert_eq!(
        (again.0, again.1),
        (outcome, released),
        "{ctx}: the same seed must replay identically"
    );
}

#[test]
fn replicated_runs_match_the_golden_run_for_many_seeds() {
    if let Ok(seed) = std::env::var("RML_SIM_SEED") {
        check_seed(seed.parse().expect("RML_SIM_SEED is a number"));
        return;
    }
    for seed in 1..=300 {
        check_seed(seed);
    }
}

#[test]
fn a_register_fault_is_caught_by_output_comparison_and_repaired() {
    let s = directed(5);
    let (_, golden, _, _) = run(&s, 1, Vec::new());
    let fault = Fault {
        replica: 1,
        icount: 12_345,
        target: FaultTarget::X(10),
        bit: 3,
    };
    let (outcome, released, stats, digests) = run(&s, 2, vec![fault]);
    assert_eq!(outcome, Outcome::Poweroff);
    assert_eq!(released, golden);
    assert_eq!(stats.divergences.len(), 1);
    let d = &stats.divergences[0];
    assert_eq!(
        (d.kind.clone(), d.faulty_replica, d.recovered),
        (DivergenceKind::Output, Some(1), true)
    );
    assert!(
        d.icount >= 12_345 && d.icount <= 13_000,
        "detected within the epoch: {}",
        d.icount
    );
    assert_eq!(digests[0], digests[1]);
}

#[test]
fn a_latent_fault_is_caught_at_the_next_checkpoint() {
    let s = directed(5);
    let (_, golden, _, _) = run(&s, 1, Vec::new());
    let fault = Fault {
        replica: 0,
        icount: 11_000,
        target: FaultTarget::Mem(0),
        bit: 9,
    };
    let (outcome, released, stats, digests) = run(&s, 2, vec![fault]);
    assert_eq!(outcome, Outcome::Poweroff);
    assert_eq!(released, golden);
    let d = &stats.divergences[0];
    assert_eq!(
        (d.kind.clone(), d.faulty_replica, d.icount),
        (DivergenceKind::Digest, Some(0), 15_000)
    );
    assert_eq!(digests[0], digests[1]);
}

#[test]
fn a_replica_that_ran_ahead_is_not_the_clone_that_repairs_the_other() {
    // The sequential executor lets replica 0 run ahead from the checkpoint at 20000 (the toy is
    // quiet from 16000) to the next output cut, 21000. Replica 1's latent fault shows at 20000;
    // replica 0 is right there, but gets a fault at 20500, while ahead. Repairing replica 1
    // from replica 0 as it is would copy that fault and then release what both agree on.
    let s = directed(5);
    let (_, golden, _, _) = run(&s, 1, Vec::new());
    let faults = vec![
        Fault {
            replica: 1,
            icount: 18_000,
            target: FaultTarget::Mem(0),
            bit: 3,
        },
        Fault {
            replica: 0,
            icount: 20_500,
            target: FaultTarget::X(10),
            bit: 5,
        },
    ];
    let (outcome, released, stats, digests) = run(&s, 2, faults);
    assert_eq!((outcome, released == golden), (Outcome::Poweroff, true));
    let seen: Vec<_> = stats
        .divergences
        .iter()
        .map(|d| (d.icount, d.faulty_replica, d.recovered))
        .collect();
    assert_eq!(seen, vec![(20_000, Some(1), true), (21_000, Some(0), true)]);
    assert_eq!(digests[0], digests[1]);
}

#[test]
fn the_memory_peak_counts_the_replay_that_decides_a_divergence() {
    // Each toy RAM has TOY_FRAMES frames; two replicas and the checkpoint hold at most three
    // times that (plus the zero frame). Only the replay's own copies can take it past.
    let s = directed(5);
    let fault = Fault {
        replica: 0,
        icount: 11_000,
        target: FaultTarget::Mem(0),
        bit: 9,
    };
    let (outcome, _, stats, _) = run(&s, 2, vec![fault]);
    assert_eq!((outcome, stats.divergences.len()), (Outcome::Poweroff, 1));
    assert!(
        stats.memory.peak_unique_frames > 3 * TOY_FRAMES + 1,
        "peak {} frames",
        stats.memory.peak_unique_frames
    );
}

#[test]
fn faults_in_both_replicas_stop_without_releasing_unverified_output() {
    let s = directed(5);
    let (_, golden, _, _) = run(&s, 1, Vec::new());
    let faults = vec![
        Fault {
            replica: 0,
            icount: 11_000,
            target: FaultTarget::X(10),
            bit: 1,
        },
        Fault {
            replica: 1,
            icount: 11_500,
            target: FaultTarget::X(10),
            bit: 2,
        },
    ];
    let (outcome, released, _, _) = run(&s, 2, faults);
    assert_eq!(outcome, Outcome::NoMajority { icount: 12_000 });
    assert!(is_prefix(&released, &golden));
    assert!(released.len() < golden.len() || released != golden);
}

#[test]
fn three_replicas_outvote_a_fault_without_replaying() {
    let s = directed(9);
    let (_, golden, _, _) = run(&s, 1, Vec::new());
    let fault = Fault {
        replica: 2,
        icount: 20_001,
        target: FaultTarget::X(10),
        bit: 60,
    };
    let (outcome, released, stats, _) = run(&s, 3, vec![fault]);
    assert_eq!((outcome, released == golden), (Outcome::Poweroff, true));
    assert_eq!(stats.divergences[0].faulty_replica, Some(2));
}

#[test]
fn replica_worker_threads_give_the_same_run_as_one_thread() {
    // The same scenarios, faulty or not, with 2 and 3 replicas: outcome, released output,
    // divergences and final digests do not depend on the executor. One `Parallel` serves every
    // run, as its workers outlive a run.
    let s = Scenario {
        power_at: 30_000,
        idle_every: 97,
        epoch: 1_000,
        max_epoch: u64::MAX,
        checkpoint_interval: 5_000,
        host_seed: 9,
    };
    let fault = Fault {
        replica: 1,
        icount: 12_345,
        target: FaultTarget::X(10),
        bit: 3,
    };
    let mut parallel = Parallel::default();
    for replicas in [2, 3] {
        for faults in [Vec::new(), vec![fault]] {
            let one = run(&s, replicas, faults.clone());
            let many = run_on(&s, replicas, faults.clone(), &mut parallel);
            assert_eq!(one.0, many.0, "{replicas} replicas, {faults:?}");
            assert_eq!(one.1, many.1, "{replicas} replicas, {faults:?}");
            // Divergences as the guest saw them (recovery times are host time).
            let seen = |d: &rml::Stats| {
                let v: Vec<_> = d
                    .divergences
                    .iter()
                    .map(|d| (d.icount, d.kind.clone(), d.faulty_replica, d.recovered))
                    .collect();
                v
            };
            assert_eq!(seen(&one.2), seen(&many.2), "{replicas} replicas, {faults:?}");
            assert_eq!(one.3, many.3, "{replicas} replicas, {faults:?}");
        }
    }
}

#[test]
fn a_replica_that_panics_panics_the_run_and_the_worker_threads_stay_usable() {
    // Replica 0 runs on the calling thread, replica 1 on a worker: either panic must reach the
    // caller only after the other replica's run ended (the executor lends them borrowed state),
    // and must leave the executor able to run again.
    let s = Scenario {
        power_at: 20_000,
        idle_every: 97,
        epoch: 1_000,
        max_epoch: u64::MAX,
        checkpoint_interval: 5_000,
        host_seed: 3,
    };
    let golden = run(&s, 2, Vec::new());
    let mut parallel = Parallel::default();
    for replica in [0, 1] {
        let fault = Fault {
            replica,
            icount: 2_500,
            target: FaultTarget::Pc,
            bit: 0,
        };
        let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_on(&s, 2, vec![fault], &mut parallel)
        }));
        assert!(crashed.is_err(), "replica {replica}'s panic was lost");
        let again = run_on(&s, 2, Vec::new(), &mut parallel);
        assert_eq!((again.0, again.1 == golden.1), (Outcome::Poweroff, true));
    }
}

/// A host that never has input; released output is kept.
struct Silent(Vec<Output>);

impl Host for Silent {
    fn release(&mut self, out: &Output) {
        Output::push(&mut self.0, out.clone());
    }

    fn poll_input(&mut self) -> Vec<Input> {
        Vec::new()
    }

    fn wait_input(&mut self, _: Option<Duration>) -> Option<Vec<Input>> {
        None
    }

    fn elapsed(&self) -> Duration {
        Duration::ZERO
    }
}

#[test]
fn an_epoch_runs_to_the_checkpoint_or_its_longest_unless_output_ends_it_at_the_next_multiple() {
    // The toy prints every 97 instructions but from 16000 to 20000 and from 36000 to the
    // power-off at 40000: 16 epochs of 1000, one from 16000 to 21000 (the first multiple of
    // 1000 after it prints at 20079), 15 of 1000, and one from 36000 to 40000. At most 2000
    // long, each silent stretch takes two more.
    for (max_epoch, epochs) in [(u64::MAX, 33), (2_000, 36)] {
        for replicas in [1, 2] {
            let cfg = RmlConfig {
                replicas,
                epoch: 1_000,
                max_epoch,
                checkpoint_interval: 40_000,
                faults: Vec::new(),
                max_instructions: u64::MAX,
            };
            let mut rml = Rml::new(cfg, Toy::new(40_000, 1 << 40), Silent(Vec::new()), Sequential);
            assert_eq!(rml.run(), Outcome::Poweroff);
            assert_eq!(
                rml.stats.epochs, epochs,
                "{replicas} replicas, at most {max_epoch}"
            );
            assert!(rml.host.0.iter().any(|o| matches!(o, Output::Console(_))));
        }
    }
}

#[test]
fn a_replica_silenced_by_its_fault_is_caught_where_the_others_stopped_with_output() {
    let s = directed(5);
    let (_, golden, _, _) = run(&s, 1, Vec::new());
    // At an epoch's start, so that the faulty replica has no output at all in that epoch.
    let fault = Fault {
        replica: 1,
        icount: 12_000,
        target: FaultTarget::F(0),
        bit: 0,
    };
    let (outcome, released, stats, digests) = run(&s, 2, vec![fault]);
    assert_eq!((outcome, released == golden), (Outcome::Poweroff, true));
    let d = &stats.divergences;
    // Replica 0 stops at 13000 with its output; the silent one runs on to the checkpoint at
    // 15000.
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        (d[0].icount, d[0].faulty_replica, d[0].recovered),
        (13_000, Some(1), true)
    );
    assert_eq!(digests[0], digests[1]);
}
