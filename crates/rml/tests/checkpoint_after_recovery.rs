//! Regression (found by `extravirt campaign`): when replica 0 is the faulty one and stops early
//! (a crashed kernel waiting in WFI) in the epoch that ends at a checkpoint boundary, the
//! checkpoint must still be taken once the majority has repaired it. Deciding "at checkpoint"
//! from replica 0's instruction count skipped it, and every later epoch was one instruction
//! long (the target is capped at the missed boundary): a livelock that only the wall-clock
//! timeout ended.

use std::time::Duration;

use memory::GuestRam;
use rml::{Fault, FaultTarget, Guest, Host, Input, Outcome, Output, Rml, RmlConfig, Sequential, Stop};

const POWER_AT: u64 = 50_000;

/// Retires instructions, printing one byte every 100; a pc fault leaves it waiting forever
/// for a timer, as a crashed guest does.
#[derive(Clone)]
struct Mini {
    icount: u64,
    stuck: bool,
    outputs: Vec<Output>,
}

impl Guest for Mini {
    type State = Mini;

    fn icount(&self) -> u64 {
        self.icount
    }

    fn mtime(&self) -> u64 {
        self.icount
    }

    fn run(&mut self, target: u64) -> Stop {
        while self.icount < target {
            if self.stuck {
                return Stop::Waiting { deadline: u64::MAX };
            }
            self.icount += 1;
            if self.icount.is_multiple_of(100) {
                Output::push(&mut self.outputs, Output::Console(vec![b'.']));
            }
            if self.icount == POWER_AT {
                return Stop::Poweroff;
            }
        }
        Stop::Reached
    }

    fn push_input(&mut self, _: &Input) {}

    fn take_outputs(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.outputs)
    }

    fn outputs_pending(&self) -> bool {
        !self.outputs.is_empty()
    }

    fn digest(&mut self) -> [u8; 32] {
        let mut d = [0; 32];
        d[..8].copy_from_slice(&self.icount.to_le_bytes());
        d[8] = self.stuck as u8;
        d
    }

    fn checkpoint(&self) -> Mini {
        Mini {
            outputs: Vec::new(),
            ..self.clone()
        }
    }

    fn restore(&self, state: &Mini, _: bool) -> Mini {
        state.clone()
    }

    fn fork(&self) -> Mini {
        self.checkpoint()
    }

    fn reboot(&self) -> Mini {
        unreachable!("the guest never reboots")
    }

    fn inject(&mut self, _: FaultTarget, _: u32) {
        self.stuck = true;
    }

    fn committed(&mut self) {}

    fn memory(&self) -> Option<&GuestRam> {
        None
    }

    fn memory_mut(&mut self) -> Option<&mut GuestRam> {
        None
    }

    fn state_memory(_: &Mini) -> Option<&GuestRam> {
        None
    }
}

/// No input ever; time is a counter.
struct Quiet(u64);

impl Host for Quiet {
    fn release(&mut self, _: &Output) {}

    fn poll_input(&mut self) -> Vec<Input> {
        self.0 += 1;
        Vec::new()
    }

    fn wait_input(&mut self, _: Option<Duration>) -> Option<Vec<Input>> {
        None
    }

    fn elapsed(&self) -> Duration {
        Duration::from_millis(self.0)
    }
}

#[test]
fn a_checkpoint_missed_by_the_faulty_replica_is_still_taken() {
    // Epochs of 1000, checkpoints every 10000; the fault stops replica 0 at 9500, inside the
    // epoch that ends at the first checkpoint.
    let cfg = RmlConfig {
        replicas: 2,
        epoch: 1000,
        max_epoch: u64::MAX,
        checkpoint_interval: 10_000,
        faults: vec![Fault {
            replica: 0,
            icount: 9_500,
            target: FaultTarget::Pc,
            bit: 3,
        }],
        max_instructions: u64::MAX,
    };
    let boot = Mini {
        icount: 0,
        stuck: false,
        outputs: Vec::new(),
    };
    let mut rml = Rml::new(cfg, boot, Quiet(0), Sequential);
    assert_eq!(rml.run(), Outcome::Poweroff);
    let s = &rml.stats;
    assert_eq!(s.divergences.len(), 1, "{s:?}");
    assert_eq!(s.divergences[0].faulty_replica, Some(0));
    assert!(s.divergences[0].recovered);
    assert_eq!(s.checkpoints, 4, "checkpoints at 10k, 20k, 30k and 40k: {s:?}");
    assert_eq!(s.epochs, 50, "one epoch per 1000 instructions: {s:?}");
}
