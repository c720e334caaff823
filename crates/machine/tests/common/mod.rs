//! Backends for board tests: they swallow output, serve a disk from memory and answer every
//! request for entropy or time with constants.

use devices::{BlockBackend, ConsoleBackend, EntropyBackend, NetBackend, WallClock};
use machine::virt::Backends;

struct Null;

impl ConsoleBackend for Null {
    fn write(&mut self, _: &[u8]) {}
}

impl NetBackend for Null {
    fn transmit(&mut self, _: &[u8]) {}
}

impl EntropyBackend for Null {
    fn fill(&mut self, buf: &mut [u8]) {
        buf.fill(0x5a);
    }
}

impl WallClock for Null {
    fn now_ns(&mut self) -> u64 {
        0
    }
}

struct MemDisk(Vec<u8>);

impl BlockBackend for MemDisk {
    fn capacity_sectors(&self) -> u64 {
        self.0.len() as u64 / 512
    }
    fn read(&mut self, sector: u64, buf: &mut [u8]) -> std::io::Result<()> {
        let start = sector as usize * 512;
        buf.copy_from_slice(&self.0[start..start + buf.len()]);
        Ok(())
    }
    fn write(&mut self, sector: u64, data: &[u8]) -> std::io::Result<()> {
        let start = sector as usize * 512;
        self.0[start..start + data.len()].copy_from_slice(data);
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every device present, talking to the backends above.
pub fn backends() -> Backends {
    Backends {
        console: Box::new(Null),
        disk: Some(Box::new(MemDisk(vec![0; 1 << 20]))),
        net: Some((Box::new(Null), [2, 0, 0, 0, 0, 1])),
        entropy: Box::new(Null),
        clock: Box::new(Null),
    }
}
