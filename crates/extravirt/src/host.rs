//! Host-side backends for one machine: the console on stdio, a raw disk image file, a TAP
//! device, seeded entropy and a wall clock read once.
//!
//! These are the only places extravirt touches the host on the guest's behalf. Input that
//! arrives asynchronously (stdin bytes, TAP frames) is read by threads into channels; the run
//! loop drains the channels between runs, so the guest sees it at an instruction boundary.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::sync::mpsc::{channel, Receiver};

use devices::{BlockBackend, ConsoleBackend, EntropyBackend, NetBackend, WallClock};

/// Guest console output to our stdout.
pub struct StdoutConsole;

impl ConsoleBackend for StdoutConsole {
    fn write(&mut self, bytes: &[u8]) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(bytes);
        let _ = out.flush();
    }
}

/// A raw disk image, read and written in place.
pub struct FileDisk {
    file: File,
    sectors: u64,
}

impl FileDisk {
    pub fn open(path: &Path) -> Result<FileDisk, String> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| format!("cannot open: {e}"))?;
        let len = file.metadata().map_err(|e| format!("cannot stat: {e}"))?.len();
        if len == 0 || len % 512 != 0 {
            return Err(format!(
                "disk image size {len} is not a positive multiple of 512 bytes"
            ));
        }
        Ok(FileDisk {
            file,
            sectors: len / 512,
        })
    }
}

impl BlockBackend for FileDisk {
    fn capacity_sectors(&self) -> u64 {
        self.sectors
    }

    fn read(&mut self, sector: u64, buf: &mut [u8]) -> std::io::Result<()> {
        self.file.seek(SeekFrom::Start(sector * 512))?;
        self.file.read_exact(buf)
    }

    fn write(&mut self, sector: u64, data: &[u8]) -> std::io::Result<()> {
        self.file.seek(SeekFrom::Start(sector * 512))?;
        self.file.write_all(data)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.sync_data()
    }
}

/// SplitMix64: deterministic entropy from a seed (host entropy will come through the RML log).
pub struct SeededEntropy(pub u64);

impl EntropyBackend for SeededEntropy {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }
}

/// The wall-clock time at boot, fixed for the run: the RTC adds guest time to it.
pub struct BootClock(pub u64);

impl WallClock for BootClock {
    fn now_ns(&mut self) -> u64 {
        self.0
    }
}

/// Reads stdin into a channel; the stream ends when stdin does.
pub fn stdin_reader() -> Receiver<Vec<u8>> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        let mut stdin = std::io::stdin().lock();
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    rx
}

/// A TAP network device: frames the guest sends are written to it, frames read from it are
/// queued for the guest.
pub struct Tap {
    file: File,
}

const IFF_TAP: libc::c_short = 0x0002;
const IFF_NO_PI: libc::c_short = 0x1000;
const TUNSETIFF: libc::c_ulong = 0x4004_54ca;

impl Tap {
    /// Attaches to the TAP interface `name` (it must exist, or we must be allowed to create it).
    pub fn open(name: &str) -> Result<(Tap, Receiver<Vec<u8>>), String> {
        if name.is_empty() || name.len() >= libc::IFNAMSIZ {
            return Err("interface name must be 1 to 15 bytes".into());
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/net/tun")
            .map_err(|e| format!("cannot open /dev/net/tun: {e}"))?;
        // SAFETY: ifreq is plain old data, valid when zeroed.
        let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
        for (dst, src) in req.ifr_name.iter_mut().zip(name.bytes()) {
            *dst = src as libc::c_char;
        }
        req.ifr_ifru.ifru_flags = IFF_TAP | IFF_NO_PI;
        // SAFETY: TUNSETIFF reads and writes one `struct ifreq`, which `req` is, and the fd is
        // an open /dev/net/tun that outlives the call.
        let rc = unsafe { libc::ioctl(file.as_raw_fd(), TUNSETIFF, &mut req as *mut libc::ifreq) };
        if rc < 0 {
            return Err(format!(
                "cannot attach to TAP device: {}",
                std::io::Error::last_os_error()
            ));
        }
        let mut reader = file
            .try_clone()
            .map_err(|e| format!("cannot duplicate TAP fd: {e}"))?;
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Ok((Tap { file }, rx))
    }
}

impl NetBackend for Tap {
    fn transmit(&mut self, frame: &[u8]) {
        // A TAP write takes one whole frame; a failure (interface down) drops it, as a wire would.
        let _ = self.file.write(frame);
    }
}

/// Puts the terminal in raw mode while alive, if stdin is a terminal; restores it on drop.
pub struct RawTerminal {
    saved: Option<libc::termios>,
}

impl RawTerminal {
    pub fn enable() -> RawTerminal {
        let fd = libc::STDIN_FILENO;
        // SAFETY: isatty only inspects the fd.
        if unsafe { libc::isatty(fd) } != 1 {
            return RawTerminal { saved: None };
        }
        // SAFETY: termios is plain old data; tcgetattr fills it for a valid terminal fd.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: as above.
        if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
            return RawTerminal { saved: None };
        }
        let saved = t;
        // SAFETY: cfmakeraw only edits the struct we own.
        unsafe { libc::cfmakeraw(&mut t) };
        // SAFETY: a valid terminal fd and a fully initialised termios.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &t) };
        RawTerminal { saved: Some(saved) }
    }
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        if let Some(t) = self.saved {
            // SAFETY: restores the attributes read from the same fd in `enable`.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &t) };
        }
    }
}
