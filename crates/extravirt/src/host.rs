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
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender, TryRecvError};
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

/// Host input as it arrives, from the reader threads.
pub enum HostEvent {
    Console(Vec<u8>),
    Frame(Vec<u8>),
}

/// Reads stdin into the host event channel; the thread ends with stdin.
pub fn stdin_reader(tx: Sender<HostEvent>) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        let mut stdin = std::io::stdin().lock();
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 || tx.send(HostEvent::Console(buf[..n].to_vec())).is_err() {
                break;
            }
        }
    });
}

/// A TAP network device: verified frames the guest sends are written to it; frames read from
/// it become host input.
pub struct Tap {
    file: File,
}

const IFF_TAP: libc::c_short = 0x0002;
const IFF_NO_PI: libc::c_short = 0x1000;
const TUNSETIFF: libc::c_ulong = 0x4004_54ca;

impl Tap {
    /// Attaches to the TAP interface `name` (it must exist, or we must be allowed to create it).
    pub fn open(name: &str) -> Result<Tap, String> {
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
        Ok(Tap { file })
    }

    /// Starts the thread that reads frames from the device into `tx`.
    fn start_reader(&self, tx: Sender<HostEvent>) -> Result<(), String> {
        let mut reader = self
            .file
            .try_clone()
            .map_err(|e| format!("cannot duplicate TAP fd: {e}"))?;
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(HostEvent::Frame(buf[..n].to_vec())).is_err() {
                    break;
                }
            }
        });
        Ok(())
    }

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
    /// Everything the reader threads deliver; disconnected once no reader is left.
    events: Receiver<HostEvent>,
    closed: bool,
    escape: bool,
    quit: bool,
    disk_error_reported: bool,
    start: Instant,
}

impl VmHost {
    pub fn new(disk: Option<Arc<SharedDisk>>, tap: Option<Tap>) -> Result<VmHost, String> {
        let (tx, events) = channel();
        stdin_reader(tx.clone());
        if let Some(t) = &tap {
            t.start_reader(tx)?;
        }
        Ok(VmHost {
            disk,
            tap,
            events,
            closed: false,
            escape: false,
            quit: false,
            disk_error_reported: false,
            start: Instant::now(),
        })
    }

    fn accept(&mut self, ev: HostEvent, out: &mut Vec<Input>) {
        match ev {
            HostEvent::Console(bytes) => self.filter_console(&bytes, out),
            HostEvent::Frame(f) => out.push(Input::Frame(f)),
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
        loop {
            match self.events.try_recv() {
                Ok(ev) => self.accept(ev, &mut out),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.closed = true;
                    break;
                }
            }
        }
        out
    }

    fn wait_input(&mut self, timeout: Option<Duration>) -> Option<Vec<Input>> {
        let mut out = self.poll_input();
        if !out.is_empty() {
            return Some(out);
        }
        if self.closed {
            return None;
        }
        // With no timer armed there is no deadline: look again every so often for Ctrl-A x.
        match self
            .events
            .recv_timeout(timeout.unwrap_or(Duration::from_millis(100)))
        {
            Ok(ev) => self.accept(ev, &mut out),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                return None;
            }
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
