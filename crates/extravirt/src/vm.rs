//! `extravirt run --kernel ...`: boots the `virt` board with one replica and drives it, feeding
//! host input in between runs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, RecvTimeoutError, TryRecvError};
use std::time::Duration;

use machine::virt::{images, layout, Backends, VirtConfig, VirtExit, VirtMachine};

use crate::host::{self, BootClock, FileDisk, RawTerminal, SeededEntropy, StdoutConsole, Tap};

pub const DEFAULT_BIOS: &str = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

/// Instructions per run between looks at host input.
const SLICE: u64 = 1_000_000;
/// The MAC address QEMU gives its first NIC.
const MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
const CTRL_A: u8 = 1;

#[derive(clap::Args)]
pub struct VmArgs {
    /// Linux kernel Image (RISC-V), booted through OpenSBI on the `virt` board.
    #[arg(long)]
    pub kernel: Option<PathBuf>,
    /// Initial ramdisk (cpio, optionally gzip/xz/zstd compressed).
    #[arg(long)]
    pub initrd: Option<PathBuf>,
    /// Kernel command line.
    #[arg(long, default_value = "console=ttyS0")]
    pub append: String,
    /// Raw disk image, attached as virtio-blk (/dev/vda).
    #[arg(long)]
    pub disk: Option<PathBuf>,
    /// Network backend: tap=IFNAME attaches virtio-net to an existing TAP interface.
    #[arg(long)]
    pub net: Option<String>,
    /// Guest RAM, e.g. 256M or 1G.
    #[arg(long, default_value = "256M", value_parser = parse_size)]
    pub memory: u64,
    /// Firmware loaded at the start of RAM (OpenSBI fw_dynamic).
    #[arg(long, default_value = DEFAULT_BIOS)]
    pub bios: PathBuf,
    /// Number of replicas (only 1 until the replication layer lands).
    #[arg(long, default_value_t = 1)]
    pub replicas: u32,
    /// Wall-clock time the RTC starts from, in seconds since the Unix epoch (default: now).
    #[arg(long)]
    pub rtc_epoch: Option<u64>,
    /// Print the retired instruction count and the final machine digest on stderr at exit.
    #[arg(long)]
    pub digest: bool,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let (num, mult) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 1 << 10),
        Some((i, 'm' | 'M')) => (&s[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    let n: u64 = num.parse().map_err(|_| format!("not a size: {s}"))?;
    n.checked_mul(mult).ok_or_else(|| format!("size too large: {s}"))
}

/// Fails with one line naming the file or device and the problem; exit status 2.
fn bad_input(what: &Path, problem: impl std::fmt::Display) -> ExitCode {
    eprintln!("extravirt: {}: {problem}", what.display());
    ExitCode::from(2)
}

struct Inputs {
    stdin: Option<Receiver<Vec<u8>>>,
    frames: Option<Receiver<Vec<u8>>>,
    /// Input the guest has not taken yet (its UART FIFO or RX ring was full).
    console: Vec<u8>,
    pending_frames: Vec<Vec<u8>>,
    escape: bool,
    quit: bool,
}

impl Inputs {
    /// Moves newly arrived host input into the pending queues, handling Ctrl-A x (quit).
    fn drain(&mut self) {
        while let Some(rx) = &self.stdin {
            match rx.try_recv() {
                Ok(bytes) => self.filter_console(&bytes),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => self.stdin = None,
            }
        }
        while let Some(rx) = &self.frames {
            match rx.try_recv() {
                Ok(f) => self.pending_frames.push(f),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => self.frames = None,
            }
        }
    }

    fn filter_console(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match (self.escape, b) {
                (false, CTRL_A) => self.escape = true,
                (false, _) => self.console.push(b),
                (true, b'x') => self.quit = true,
                (true, _) => {
                    self.escape = false;
                    self.console.push(b);
                }
            }
        }
    }

    /// Waits a little for host input, when the guest can do nothing until some arrives.
    fn wait(&mut self) -> bool {
        let Some(rx) = &self.stdin else {
            if self.frames.is_none() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
            return true;
        };
        match rx.recv_timeout(Duration::from_millis(10)) {
            Ok(bytes) => self.filter_console(&bytes),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => self.stdin = None,
        }
        true
    }

    fn deliver(&mut self, m: &mut VirtMachine) {
        if !self.console.is_empty() {
            let n = m.push_console(&self.console);
            self.console.drain(..n);
        }
        while let Some(f) = self.pending_frames.first() {
            if !m.push_frame(f) {
                break;
            }
            self.pending_frames.remove(0);
        }
    }
}

struct Loaded {
    config: VirtConfig,
    disk: Option<PathBuf>,
    tap: Option<String>,
}

fn load(args: &VmArgs) -> Result<Loaded, ExitCode> {
    if args.replicas != 1 {
        eprintln!(
            "extravirt: --replicas {}: only 1 replica is supported until replication lands",
            args.replicas
        );
        return Err(ExitCode::from(2));
    }
    let max_fw = layout::KERNEL_ADDR - layout::FIRMWARE_ADDR;
    let firmware = images::read_firmware(&args.bios, max_fw).map_err(|e| fail(&e))?;
    let kernel_path = args.kernel.as_deref().unwrap_or(Path::new(""));
    let kernel = images::read_kernel(kernel_path).map_err(|e| fail(&e))?;
    let initrd = match &args.initrd {
        Some(p) => Some(images::read_initrd(p).map_err(|e| fail(&e))?),
        None => None,
    };
    let tap = match &args.net {
        None => None,
        Some(spec) => match spec.strip_prefix("tap=") {
            Some(name) => Some(name.to_string()),
            None => {
                return Err(bad_input(
                    Path::new("--net"),
                    format!("{spec}: expected tap=IFNAME"),
                ))
            }
        },
    };
    let config = VirtConfig {
        ram_size: args.memory,
        firmware,
        kernel,
        initrd,
        cmdline: args.append.clone(),
    };
    Ok(Loaded {
        config,
        disk: args.disk.clone(),
        tap,
    })
}

fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("extravirt: {e}");
    ExitCode::from(2)
}

fn backends(l: &Loaded, epoch_ns: u64) -> Result<(Backends, Option<Receiver<Vec<u8>>>), ExitCode> {
    let disk = match &l.disk {
        Some(p) => Some(Box::new(FileDisk::open(p).map_err(|e| bad_input(p, e))?) as _),
        None => None,
    };
    let (net, frames) = match &l.tap {
        Some(name) => {
            let (tap, rx) = Tap::open(name).map_err(|e| bad_input(Path::new(name), e))?;
            (Some((Box::new(tap) as _, MAC)), Some(rx))
        }
        None => (None, None),
    };
    let b = Backends {
        console: Box::new(StdoutConsole),
        disk,
        net,
        entropy: Box::new(SeededEntropy(0x6578_7472_6176_6972)),
        clock: Box::new(BootClock(epoch_ns)),
    };
    Ok((b, frames))
}

pub fn run(args: &VmArgs) -> ExitCode {
    let loaded = match load(args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let epoch_ns = args.rtc_epoch.map(|s| s * 1_000_000_000).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let _raw = RawTerminal::enable();
    let mut inputs = Inputs {
        stdin: Some(host::stdin_reader()),
        frames: None,
        console: Vec::new(),
        pending_frames: Vec::new(),
        escape: false,
        quit: false,
    };
    loop {
        let (b, frames) = match backends(&loaded, epoch_ns) {
            Ok(x) => x,
            Err(code) => return code,
        };
        inputs.frames = frames;
        let mut m = match VirtMachine::new(&loaded.config, b) {
            Ok(m) => m,
            Err(e) => return fail(&e),
        };
        let exit = drive(&mut m, &mut inputs);
        if args.digest {
            let d: String = m.digest().iter().map(|b| format!("{b:02x}")).collect();
            eprintln!("extravirt: instructions {} digest {d}", m.hart.icount());
        }
        match exit {
            VirtExit::Reboot => continue,
            VirtExit::Poweroff => return ExitCode::SUCCESS,
            VirtExit::Fail(code) => {
                eprintln!("extravirt: guest reported failure (code {code})");
                return ExitCode::from(1);
            }
            VirtExit::Crashed { pc } => {
                eprintln!("extravirt: guest crashed: the hart traps forever at pc {pc:#x}");
                return ExitCode::from(1);
            }
            VirtExit::Idle | VirtExit::Budget => {
                eprintln!("extravirt: quit");
                return ExitCode::SUCCESS;
            }
        }
    }
}

/// Runs until the guest powers off, reboots or dies, or the user quits (reported as `Budget`).
fn drive(m: &mut VirtMachine, inputs: &mut Inputs) -> VirtExit {
    loop {
        inputs.drain();
        if inputs.quit {
            return VirtExit::Budget;
        }
        inputs.deliver(m);
        match m.run(SLICE) {
            VirtExit::Budget => {}
            VirtExit::Idle => {
                if !inputs.wait() && inputs.console.is_empty() && inputs.pending_frames.is_empty() {
                    return VirtExit::Idle;
                }
            }
            other => return other,
        }
    }
}
