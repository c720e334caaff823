//! The host side of a replicated VM: verified outputs go to stdout, the disk image and the
//! TAP device; input comes from stdin and the TAP device.
//!
//! These are the only places extravirt touches the host on the guest's behalf. Input that
//! arrives asynchronously is read by threads into channels; the RML drains them between epochs
//! and logs what it delivers.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rml::virt::SharedDisk;
use rml::{Host, Input, Output};

/// Opens a raw disk image for the replicas' shared disk, checking it can serve whole sectors.
pub fn open_disk(path: &Path) -> Result<File, String> {
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
    Ok(file)
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

impl Tap {
    fn send(&mut self, frame: &[u8]) {
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

const CTRL_A: u8 = 1;

/// stdio, the shared disk and the TAP device, as the RML's [`rml::Host`].
pub struct VmHost {
    disk: Option<Arc<SharedDisk>>,
    tap: Option<Tap>,
    stdin: Option<Receiver<Vec<u8>>>,
    frames: Option<Receiver<Vec<u8>>>,
    escape: bool,
    quit: bool,
    disk_error_reported: bool,
    start: Instant,
}

impl VmHost {
    pub fn new(disk: Option<Arc<SharedDisk>>, tap: Option<(Tap, Receiver<Vec<u8>>)>) -> VmHost {
        let (tap, frames) = tap.map_or((None, None), |(t, r)| (Some(t), Some(r)));
        VmHost {
            disk,
            tap,
            stdin: Some(stdin_reader()),
            frames,
            escape: false,
            quit: false,
            disk_error_reported: false,
            start: Instant::now(),
        }
    }

    /// Strips the Ctrl-A escape: Ctrl-A x quits, Ctrl-A anything else passes the byte on.
    fn filter_console(&mut self, bytes: &[u8], out: &mut Vec<Input>) {
        let mut kept = Vec::with_capacity(bytes.len());
        for &b in bytes {
            match (self.escape, b) {
                (false, CTRL_A) => self.escape = true,
                (false, _) => kept.push(b),
                (true, b'x') => self.quit = true,
                (true, _) => {
                    self.escape = false;
                    kept.push(b);
                }
            }
        }
        if !kept.is_empty() {
            out.push(Input::Console(kept));
        }
    }

    fn disk_result(&mut self, r: std::io::Result<()>) {
        if let Err(e) = r {
            if !self.disk_error_reported {
                eprintln!("extravirt: disk image: write failed: {e}");
                self.disk_error_reported = true;
            }
        }
    }
}

impl Host for VmHost {
    fn release(&mut self, out: &Output) {
        match out {
            Output::Console(bytes) => {
                let mut o = std::io::stdout().lock();
                let _ = o.write_all(bytes);
                let _ = o.flush();
            }
            Output::DiskWrite { sector, data } => {
                if let Some(d) = self.disk.clone() {
                    self.disk_result(d.commit_write(*sector, data));
                }
            }
            Output::DiskFlush => {
                if let Some(d) = self.disk.clone() {
                    self.disk_result(d.commit_flush());
                }
            }
            Output::NetTx(frame) => {
                if let Some(t) = &mut self.tap {
                    t.send(frame);
                }
            }
        }
    }

    fn poll_input(&mut self) -> Vec<Input> {
        let mut out = Vec::new();
        while let Some(rx) = &self.stdin {
            match rx.try_recv() {
                Ok(bytes) => self.filter_console(&bytes, &mut out),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => self.stdin = None,
            }
        }
        while let Some(rx) = &self.frames {
            match rx.try_recv() {
                Ok(f) => out.push(Input::Frame(f)),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => self.frames = None,
            }
        }
        out
    }

    fn wait_input(&mut self) -> Option<Vec<Input>> {
        if self.stdin.is_none() && self.frames.is_none() {
            return None;
        }
        let mut out = Vec::new();
        match &self.stdin {
            Some(rx) => match rx.recv_timeout(Duration::from_millis(10)) {
                Ok(bytes) => self.filter_console(&bytes, &mut out),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => self.stdin = None,
            },
            None => std::thread::sleep(Duration::from_millis(10)),
        }
        out.extend(self.poll_input());
        Some(out)
    }

    fn quit_requested(&self) -> bool {
        self.quit
    }

    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}
