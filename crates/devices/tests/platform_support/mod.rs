//! Shared fixtures for the platform-device tests (CLINT, PLIC, UART, syscon, RTC).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use devices::{ConsoleBackend, DeviceCtx, IoCtx, Mmio, WallClock};
use memory::GuestRam;

/// Guest RAM and the current time, from which each access builds its [`DeviceCtx`].
pub struct Env {
    pub ram: GuestRam,
    pub mtime: u64,
}

impl Env {
    pub fn new() -> Self {
        Self {
            ram: GuestRam::new(0x8000_0000, 0x1000).unwrap(),
            mtime: 0,
        }
    }

    pub fn ctx(&mut self) -> DeviceCtx<'_> {
        let icount = self.mtime.wrapping_mul(riscv::INSNS_PER_TICK);
        let now = IoCtx {
            icount,
            mtime: self.mtime,
        };
        DeviceCtx {
            ram: &mut self.ram,
            now,
        }
    }

    pub fn rd(&mut self, dev: &mut dyn Mmio, offset: u64, size: u8) -> u64 {
        dev.read(offset, size, &mut self.ctx())
            .unwrap_or_else(|| panic!("read {offset:#x}/{size} faulted"))
    }

    pub fn wr(&mut self, dev: &mut dyn Mmio, offset: u64, size: u8, value: u64) {
        assert!(
            dev.write(offset, size, value, &mut self.ctx()),
            "write {offset:#x}/{size} faulted"
        );
    }
}

/// A console that records what the guest sent.
#[derive(Clone, Default)]
pub struct Recorder(pub Arc<Mutex<Vec<u8>>>);

impl Recorder {
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl ConsoleBackend for Recorder {
    fn write(&mut self, bytes: &[u8]) {
        self.0.lock().unwrap().extend_from_slice(bytes);
    }
}

/// A wall clock that returns the values it was given, in order, repeating the last.
pub struct Clock(pub Vec<u64>);

impl WallClock for Clock {
    fn now_ns(&mut self) -> u64 {
        if self.0.len() > 1 {
            self.0.remove(0)
        } else {
            self.0[0]
        }
    }
}

/// xorshift64: the hostile tests' deterministic randomness.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
