//! Execution of F and D instructions (filled in with the `fpu` crate).

use crate::hart::Hart;
use crate::op::Inst;
use crate::trap::Trap;
use crate::Bus;

impl Hart {
    pub(crate) fn execute_fp<B: Bus>(&mut self, _bus: &mut B, inst: Inst) -> Result<(), Trap> {
        Err(Trap::illegal(inst.raw))
    }
}
