//! The power control register at 0x0010_0000, QEMU's `sifive_test` device, which Linux drives
//! through `syscon-poweroff`/`syscon-reboot` and OpenSBI through its `sifive,test` driver.
//!
//! A store to offset 0 whose low 16 bits are 0x5555 (pass), 0x7777 (reset) or 0x3333 (fail,
//! exit code in bits 16..32) latches a [`PowerRequest`] for the board to take. The device never
//! stops anything itself: the board decides when to look ([`Syscon::take_request`]), which keeps
//! the request at a deterministic instruction boundary.
//!
//! Like QEMU: 2- and 4-byte accesses only (1 and 8 fault), reads return 0, other values and
//! offsets are ignored. A later request replaces one the board has not taken yet.

use crate::snap::{SnapReader, SnapWriter};
use crate::{DeviceCtx, Mmio, Snapshot, SnapshotError};

pub const SYSCON_BASE: u64 = 0x0010_0000;
pub const SYSCON_SIZE: u64 = 0x1000;

const FINISHER_FAIL: u64 = 0x3333;
const FINISHER_PASS: u64 = 0x5555;
const FINISHER_RESET: u64 = 0x7777;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowerRequest {
    Poweroff,
    Reboot,
    /// The guest failed with this exit code.
    Fail(u16),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Syscon {
    request: Option<PowerRequest>,
}

impl Syscon {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn reset(&mut self) {
        self.request = None;
    }

    /// The latest request the guest made, once.
    pub fn take_request(&mut self) -> Option<PowerRequest> {
        self.request.take()
    }
}

fn valid(offset: u64, size: u8) -> bool {
    matches!(size, 2 | 4) && offset < SYSCON_SIZE && offset.is_multiple_of(size as u64)
}

impl Mmio for Syscon {
    fn size(&self) -> u64 {
        SYSCON_SIZE
    }

    fn read(&mut self, offset: u64, size: u8, _ctx: &mut DeviceCtx) -> Option<u64> {
        valid(offset, size).then_some(0)
    }

    fn write(&mut self, offset: u64, size: u8, value: u64, _ctx: &mut DeviceCtx) -> bool {
        if !valid(offset, size) {
            return false;
        }
        if offset == 0 {
            let request = match value & 0xffff {
                FINISHER_PASS => Some(PowerRequest::Poweroff),
                FINISHER_RESET => Some(PowerRequest::Reboot),
                FINISHER_FAIL => Some(PowerRequest::Fail((value >> 16) as u16)),
                _ => None,
            };
            self.request = request.or(self.request);
        }
        true
    }
}

const TAG: &[u8; 4] = b"SYS1";

impl Snapshot for Syscon {
    fn save(&self, out: &mut Vec<u8>) {
        let mut w = SnapWriter::new(out);
        w.tag(TAG);
        let (kind, code) = match self.request {
            None => (0, 0),
            Some(PowerRequest::Poweroff) => (1, 0),
            Some(PowerRequest::Reboot) => (2, 0),
            Some(PowerRequest::Fail(code)) => (3, code),
        };
        w.u8(kind);
        w.u16(code);
    }

    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError> {
        let mut r = SnapReader::new(data);
        r.tag(TAG)?;
        let kind = r.u8()?;
        let code = r.u16()?;
        r.finish()?;
        self.request = match (kind, code) {
            (0, 0) => None,
            (1, 0) => Some(PowerRequest::Poweroff),
            (2, 0) => Some(PowerRequest::Reboot),
            (3, code) => Some(PowerRequest::Fail(code)),
            _ => return Err(SnapshotError::RestoreMalformed("unknown syscon request")),
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IoCtx;
    use memory::GuestRam;

    fn write(s: &mut Syscon, offset: u64, size: u8, value: u64) -> bool {
        let mut ram = GuestRam::new(0x8000_0000, 0x1000).unwrap();
        let mut ctx = DeviceCtx {
            ram: &mut ram,
            now: IoCtx { icount: 0, mtime: 0 },
        };
        s.write(offset, size, value, &mut ctx)
    }

    #[test]
    fn finisher_codes_become_requests() {
        let mut s = Syscon::new();
        assert_eq!(s.take_request(), None);
        assert!(write(&mut s, 0, 4, 0x5555));
        assert_eq!(s.take_request(), Some(PowerRequest::Poweroff));
        assert_eq!(s.take_request(), None);
        assert!(write(&mut s, 0, 4, 0x7777));
        assert_eq!(s.take_request(), Some(PowerRequest::Reboot));
        assert!(write(&mut s, 0, 4, (42 << 16) | 0x3333));
        assert_eq!(s.take_request(), Some(PowerRequest::Fail(42)));
        assert!(write(&mut s, 0, 2, 0x5555));
        assert_eq!(s.take_request(), Some(PowerRequest::Poweroff));
    }

    #[test]
    fn other_values_offsets_and_sizes_do_nothing() {
        let mut s = Syscon::new();
        assert!(write(&mut s, 0, 4, 0x1234));
        assert!(write(&mut s, 4, 4, 0x5555));
        assert!(!write(&mut s, 0, 1, 0x55));
        assert!(!write(&mut s, 0, 8, 0x5555));
        assert_eq!(s.take_request(), None);
    }

    #[test]
    fn an_untaken_request_survives_unrelated_writes() {
        let mut s = Syscon::new();
        assert!(write(&mut s, 0, 4, 0x7777));
        assert!(write(&mut s, 0, 4, 0));
        assert_eq!(s.take_request(), Some(PowerRequest::Reboot));
    }
}
