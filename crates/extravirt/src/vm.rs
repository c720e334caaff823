//! `extravirt run --kernel ...`: boots the `virt` board with one replica and drives it, feeding
//! host input in between runs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use machine::virt::{images, layout, VirtConfig};
use rml::virt::{SharedDisk, VirtContext, VirtGuest};
use rml::{Fault, FaultTarget, Outcome, Parallel, Rml, RmlConfig};

use crate::host::{open_disk, RawTerminal, Tap, VmHost};

pub const DEFAULT_BIOS: &str = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

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
    /// Number of replicas, 1 to 3.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=3))]
    pub replicas: u32,
    /// Instructions between verified checkpoints. 20M keeps recovery replays under about half
    /// a second and the replicas' extra memory low, for a checkpoint pause of about a ms.
    #[arg(long, default_value_t = 20_000_000)]
    pub checkpoint_interval: u64,
    /// The longest an output waits for comparison, in instructions: an epoch ends at the first
    /// multiple of this at which the guest has output pending (4M: 5–20 ms of guest work), and
    /// otherwise runs on to the next checkpoint, or for at most --max-epoch-instructions.
    #[arg(long, default_value_t = 4_000_000)]
    pub epoch_instructions: u64,
    /// The longest epoch without output: how long host input may wait while the guest
    /// computes without printing (20M: 20–100 ms). Every epoch end is a barrier where the
    /// faster replica waits for the slower.
    #[arg(long, default_value_t = 20_000_000)]
    pub max_epoch_instructions: u64,
    /// Flip a bit in one replica: replica=R,icount=N,target=x1..x31|f0..f31|pc|mem:0xADDR,bit=B.
    #[arg(long)]
    pub inject: Vec<Fault>,
    /// Write run statistics as JSON to this file at exit.
    #[arg(long)]
    pub stats_json: Option<PathBuf>,
    /// Wall-clock time the RTC starts from, in seconds since the Unix epoch (default: now).
    #[arg(long)]
    pub rtc_epoch: Option<u64>,
    /// Pins the guest's entropy (virtio-rng) to a stream derived from this number, for a
    /// repeatable run (default: a key from the host's random source, new each run).
    #[arg(long)]
    pub entropy_seed: Option<u64>,
    /// Execute one instruction at a time instead of pre-decoded blocks: several times slower,
    /// identical results (a check on the fast path).
    #[arg(long)]
    pub single_step: bool,
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
    let bytes = n
        .checked_mul(mult)
        .ok_or_else(|| format!("size too large: {s}"))?;
    // The board's own limits, checked here so the message names what the user typed.
    if !bytes.is_multiple_of(2 << 20) || !(32 << 20..=64 << 30).contains(&bytes) {
        return Err(format!("{s} is not a multiple of 2M between 32M and 64G"));
    }
    Ok(bytes)
}

/// Fails with one line naming the file or device and the problem; exit status 2.
fn bad_input(what: &Path, problem: impl std::fmt::Display) -> ExitCode {
    eprintln!("extravirt: {}: {problem}", what.display());
    ExitCode::from(2)
}

struct Loaded {
    config: VirtConfig,
    disk: Option<PathBuf>,
    tap: Option<String>,
}

fn load(args: &VmArgs) -> Result<Loaded, ExitCode> {
    if let Some(f) = args.inject.iter().find(|f| f.replica >= args.replicas as usize) {
        eprintln!(
            "extravirt: --inject {f}: there are only {} replicas",
            args.replicas
        );
        return Err(ExitCode::from(2));
    }
    let ram = layout::DRAM..layout::DRAM + args.memory;
    let outside = |f: &&Fault| matches!(f.target, FaultTarget::Mem(a) if !ram.contains(&a));
    if let Some(f) = args.inject.iter().find(outside) {
        eprintln!(
            "extravirt: --inject {f}: the address is outside guest RAM ({:#x}..{:#x})",
            ram.start, ram.end
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
        single_step: args.single_step,
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

/// What [`context`] opens for a run: the replicas' shared context and the host ends.
struct Opened {
    ctx: VirtContext,
    disk: Option<Arc<SharedDisk>>,
    tap: Option<Tap>,
}

/// The entropy key: pinned by `--entropy-seed`, else 32 bytes of the host's random source.
fn entropy(seed: Option<u64>) -> Result<[u8; 32], ExitCode> {
    if let Some(seed) = seed {
        return Ok(rml::virt::entropy_key(seed));
    }
    let source = Path::new("/dev/urandom");
    let mut key = [0; 32];
    std::fs::File::open(source)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut key))
        .map_err(|e| bad_input(source, e))?;
    Ok(key)
}

/// Takes the loaded images over: a copy would keep the kernel and initrd in host memory twice
/// for the whole run.
fn context(l: Loaded, epoch_ns: u64, entropy_key: [u8; 32]) -> Result<Opened, ExitCode> {
    let disk = match &l.disk {
        Some(p) => {
            let file = open_disk(p).map_err(|e| bad_input(p, e))?;
            Some(Arc::new(SharedDisk::new(file).map_err(|e| bad_input(p, e))?))
        }
        None => None,
    };
    let tap = match &l.tap {
        Some(name) => Some(Tap::open(name).map_err(|e| bad_input(Path::new(name), e))?),
        None => None,
    };
    let ctx = VirtContext {
        config: l.config,
        disk: disk.clone(),
        net: tap.is_some(),
        entropy_key,
        boot_time_ns: epoch_ns,
    };
    Ok(Opened { ctx, disk, tap })
}

pub fn run(args: &VmArgs, max_instructions: u64) -> ExitCode {
    let loaded = match load(args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let epoch_ns = args.rtc_epoch.map(|s| s * 1_000_000_000).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    let key = match entropy(args.entropy_seed) {
        Ok(k) => k,
        Err(code) => return code,
    };
    let Opened { ctx, disk, tap } = match context(loaded, epoch_ns, key) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let boot = match VirtGuest::boot(Arc::new(ctx)) {
        Ok(g) => g,
        Err(e) => return fail(&e),
    };
    let _raw = RawTerminal::enable();
    let host = match VmHost::new(disk, tap) {
        Ok(h) => h,
        Err(e) => return fail(&e),
    };
    let cfg = RmlConfig {
        replicas: args.replicas as usize,
        epoch: args.epoch_instructions.max(1),
        max_epoch: args.max_epoch_instructions.max(1),
        checkpoint_interval: args.checkpoint_interval.max(1),
        faults: args.inject.clone(),
        max_instructions,
    };
    let mut rml = Rml::new(cfg, boot, host, Parallel::default());
    let outcome = rml.run();
    drop(_raw);
    for f in rml.unapplied_faults() {
        eprintln!(
            "extravirt: --inject {f} was never applied: the run ended at instruction {}",
            rml.stats.instructions
        );
    }
    if args.digest {
        let g = &rml.replicas()[0].guest;
        let d: String = g.machine().digest().iter().map(|b| format!("{b:02x}")).collect();
        eprintln!("extravirt: instructions {} digest {d}", rml.stats.instructions);
    }
    if let Some(path) = &args.stats_json {
        let json = serde_json::to_string_pretty(&rml.stats).unwrap_or_default();
        if let Err(e) = std::fs::write(path, json + "\n") {
            eprintln!("extravirt: {}: cannot write stats: {e}", path.display());
        }
    }
    match outcome {
        Outcome::Poweroff | Outcome::Quit => ExitCode::SUCCESS,
        Outcome::BudgetExhausted => {
            eprintln!("extravirt: instruction budget of {max_instructions} exhausted");
            ExitCode::from(4)
        }
        Outcome::Fail(code) => {
            eprintln!("extravirt: guest reported failure (code {code})");
            ExitCode::from(1)
        }
        Outcome::Crashed { pc } => {
            eprintln!("extravirt: guest crashed: the hart traps forever at pc {pc:#x}");
            ExitCode::from(1)
        }
        Outcome::NoMajority { icount } => {
            eprintln!(
                "extravirt: replicas diverged at instruction {icount} and no majority agrees; \
                 stopped without releasing unverified output"
            );
            for d in &rml.stats.divergences {
                eprintln!(
                    "extravirt:   divergence {:?} at {} (faulty replica {:?})",
                    d.kind, d.icount, d.faulty_replica
                );
            }
            ExitCode::from(3)
        }
    }
}
