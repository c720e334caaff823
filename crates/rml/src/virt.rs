//! The `virt` board as a replica: its backends capture outputs for comparison instead of
//! touching the host, and read the single shared disk image.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex, MutexGuard};

use devices::{BlockBackend, ConsoleBackend, EntropyBackend, NetBackend, WallClock};
use machine::virt::{Backends, MachineState, VirtConfig, VirtError, VirtExit, VirtMachine};
use memory::GuestRam;

use crate::guest::Guest;
use crate::types::{FaultTarget, Input, Output, Stop};

const SECTOR: usize = 512;
/// Host input is offered to the guest at multiples of this many instructions.
const INPUT_GRID: u64 = 100_000;
/// The MAC address QEMU gives its first NIC.
pub const MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock means another replica thread panicked, which is already fatal.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The one disk image behind every replica. Replicas only read it; released writes go to it
/// once. Sectors overwritten since the last verified checkpoint keep their old contents, so a
/// replica replaying from that checkpoint sees the disk as it was then.
pub struct SharedDisk {
    file: Mutex<File>,
    sectors: u64,
    preimages: Mutex<HashMap<u64, [u8; SECTOR]>>,
    /// Sectors read this epoch: each is read from the file once and fed to every replica.
    read_cache: Mutex<HashMap<u64, [u8; SECTOR]>>,
}

impl SharedDisk {
    pub fn new(file: File) -> std::io::Result<SharedDisk> {
        let len = file.metadata()?.len();
        Ok(SharedDisk {
            file: Mutex::new(file),
            sectors: len / SECTOR as u64,
            preimages: Mutex::default(),
            read_cache: Mutex::default(),
        })
    }

    fn read_file(&self, sector: u64) -> std::io::Result<[u8; SECTOR]> {
        if let Some(s) = lock(&self.read_cache).get(&sector) {
            return Ok(*s);
        }
        let mut buf = [0u8; SECTOR];
        let mut f = lock(&self.file);
        f.seek(SeekFrom::Start(sector * SECTOR as u64))?;
        f.read_exact(&mut buf)?;
        lock(&self.read_cache).insert(sector, buf);
        Ok(buf)
    }

    /// Writes a released sector range, keeping what it overwrites for replays.
    pub fn commit_write(&self, sector: u64, data: &[u8]) -> std::io::Result<()> {
        for i in 0..data.len().div_ceil(SECTOR) {
            let s = sector + i as u64;
            if !lock(&self.preimages).contains_key(&s) {
                let old = self.read_file(s)?;
                lock(&self.preimages).insert(s, old);
            }
            lock(&self.read_cache).remove(&s);
        }
        let mut f = lock(&self.file);
        f.seek(SeekFrom::Start(sector * SECTOR as u64))?;
        f.write_all(data)
    }

    pub fn commit_flush(&self) -> std::io::Result<()> {
        lock(&self.file).sync_data()
    }

    fn end_epoch(&self) {
        lock(&self.read_cache).clear();
    }

    fn checkpoint_verified(&self) {
        lock(&self.preimages).clear();
    }
}

/// What every replica of one VM shares: the boot configuration and the disk.
pub struct VirtContext {
    pub config: VirtConfig,
    pub disk: Option<Arc<SharedDisk>>,
    pub net: bool,
    /// The key of the guest's entropy stream: an input read once at start (from the host's
    /// random source, or [`entropy_key`] of a seed that pins it), the same in every replica.
    pub entropy_key: [u8; 32],
    pub boot_time_ns: u64,
}

/// The entropy key a run pinned to `seed` uses: a repeatable run gives the guest the same
/// random bytes, and different seeds give unrelated streams.
pub fn entropy_key(seed: u64) -> [u8; 32] {
    blake3::derive_key("extravirt 2026-11-28 guest entropy seed", &seed.to_le_bytes())
}

type Outputs = Arc<Mutex<Vec<Output>>>;

struct CaptureConsole(Outputs);

impl ConsoleBackend for CaptureConsole {
    fn write(&mut self, bytes: &[u8]) {
        Output::push(&mut lock(&self.0), Output::Console(bytes.to_vec()));
    }
}

struct CaptureNet(Outputs);

impl NetBackend for CaptureNet {
    fn transmit(&mut self, frame: &[u8]) {
        lock(&self.0).push(Output::NetTx(frame.to_vec()));
    }
}

/// A replica's disk writes that the shared image does not have yet: those since its last
/// report, and those it reported that are still awaiting release. A replica that ran ahead
/// into the next epoch holds both when the earlier ones are released.
#[derive(Default)]
struct Overlay {
    unreported: BTreeMap<u64, [u8; SECTOR]>,
    reported: BTreeMap<u64, [u8; SECTOR]>,
}

impl Overlay {
    fn get(&self, sector: u64) -> Option<[u8; SECTOR]> {
        self.unreported
            .get(&sector)
            .or_else(|| self.reported.get(&sector))
            .copied()
    }

    fn insert(&mut self, sector: u64, data: [u8; SECTOR]) {
        self.unreported.insert(sector, data);
    }

    /// The writes so far were reported (their outputs taken).
    fn reported(&mut self) {
        let newer = std::mem::take(&mut self.unreported);
        self.reported.extend(newer);
    }

    /// The reported writes are in the shared image now.
    fn released(&mut self) {
        self.reported.clear();
    }
}

/// A replica's view of the disk: its own unreleased writes, then (when replaying) the
/// pre-images of sectors released since the checkpoint, then the shared image.
struct OverlayDisk {
    shared: Arc<SharedDisk>,
    overlay: Arc<Mutex<Overlay>>,
    out: Outputs,
    replay: bool,
}

impl BlockBackend for OverlayDisk {
    fn capacity_sectors(&self) -> u64 {
        self.shared.sectors
    }

    fn read(&mut self, sector: u64, buf: &mut [u8]) -> std::io::Result<()> {
        for (i, chunk) in buf.chunks_mut(SECTOR).enumerate() {
            let s = sector + i as u64;
            let own = lock(&self.overlay).get(s);
            let old = if self.replay {
                lock(&self.shared.preimages).get(&s).copied()
            } else {
                None
            };
            let data = match own.or(old) {
                Some(d) => d,
                None => self.shared.read_file(s)?,
            };
            chunk.copy_from_slice(&data[..chunk.len()]);
        }
        Ok(())
    }

    fn write(&mut self, sector: u64, data: &[u8]) -> std::io::Result<()> {
        let mut overlay = lock(&self.overlay);
        for (i, chunk) in data.chunks(SECTOR).enumerate() {
            let mut s = [0u8; SECTOR];
            s[..chunk.len()].copy_from_slice(chunk);
            overlay.insert(sector + i as u64, s);
        }
        lock(&self.out).push(Output::DiskWrite {
            sector,
            data: data.to_vec(),
        });
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        lock(&self.out).push(Output::DiskFlush);
        Ok(())
    }
}

/// The guest's entropy: BLAKE3's extendable output under the run's key, read from a byte
/// position the replica owns, so forks, checkpoints and replays carry where the stream is.
/// Keyed BLAKE3 is a PRF: the guest's bytes reveal nothing of the key or of bytes yet to come.
struct SharedEntropy {
    key: [u8; 32],
    position: Arc<Mutex<u64>>,
}

impl EntropyBackend for SharedEntropy {
    fn fill(&mut self, buf: &mut [u8]) {
        let mut position = lock(&self.position);
        let mut stream = blake3::Hasher::new_keyed(&self.key).finalize_xof();
        stream.set_position(*position);
        stream.fill(buf);
        *position += buf.len() as u64;
    }
}

struct FixedClock(u64);

impl WallClock for FixedClock {
    fn now_ns(&mut self) -> u64 {
        self.0
    }
}

/// One replica of a `virt` VM.
pub struct VirtGuest {
    m: VirtMachine,
    ctx: Arc<VirtContext>,
    outputs: Outputs,
    overlay: Arc<Mutex<Overlay>>,
    entropy: Arc<Mutex<u64>>,
    console_in: VecDeque<u8>,
    frames_in: VecDeque<Vec<u8>>,
    /// Input was queued since it was last offered: offer it where the next run starts, which
    /// is where the RML delivered (and logged) it. Otherwise input is offered on the grid
    /// only, so where a run happens to start or stop makes no difference to the guest.
    input_fresh: bool,
    /// Poweroff, failure and crashes are final: later runs report them again.
    final_stop: Option<Stop>,
}

/// A verified checkpoint of a [`VirtGuest`].
pub struct VirtState {
    machine: MachineState,
    console_in: VecDeque<u8>,
    frames_in: VecDeque<Vec<u8>>,
    entropy: u64,
}

impl VirtGuest {
    /// A replica at power-on.
    pub fn boot(ctx: Arc<VirtContext>) -> Result<VirtGuest, VirtError> {
        let time = ctx.boot_time_ns;
        Self::boot_at(ctx, time, 0)
    }

    /// A replica at power-on with the RTC at `time_ns` and the entropy stream at `entropy`.
    fn boot_at(ctx: Arc<VirtContext>, time_ns: u64, entropy: u64) -> Result<VirtGuest, VirtError> {
        let (backends, parts) = Self::backends(&ctx, entropy, time_ns, false);
        let mut m = VirtMachine::new(&ctx.config, backends)?;
        m.set_idle_pacing(true);
        Ok(Self::assemble(m, ctx, parts, VecDeque::new(), VecDeque::new()))
    }

    fn backends(ctx: &VirtContext, entropy: u64, time_ns: u64, replay: bool) -> (Backends, Parts) {
        let parts = Parts {
            outputs: Outputs::default(),
            overlay: Arc::default(),
            entropy: Arc::new(Mutex::new(entropy)),
        };
        let disk = ctx.disk.as_ref().map(|shared| {
            Box::new(OverlayDisk {
                shared: shared.clone(),
                overlay: parts.overlay.clone(),
                out: parts.outputs.clone(),
                replay,
            }) as Box<dyn BlockBackend + Send>
        });
        let net = ctx.net.then(|| {
            (
                Box::new(CaptureNet(parts.outputs.clone())) as Box<dyn NetBackend + Send>,
                MAC,
            )
        });
        let backends = Backends {
            console: Box::new(CaptureConsole(parts.outputs.clone())),
            disk,
            net,
            entropy: Box::new(SharedEntropy {
                key: ctx.entropy_key,
                position: parts.entropy.clone(),
            }),
            clock: Box::new(FixedClock(time_ns)),
        };
        (backends, parts)
    }

    fn assemble(
        m: VirtMachine,
        ctx: Arc<VirtContext>,
        parts: Parts,
        console_in: VecDeque<u8>,
        frames_in: VecDeque<Vec<u8>>,
    ) -> VirtGuest {
        VirtGuest {
            m,
            ctx,
            outputs: parts.outputs,
            overlay: parts.overlay,
            entropy: parts.entropy,
            console_in,
            frames_in,
            input_fresh: false,
            final_stop: None,
        }
    }

    pub fn machine(&self) -> &VirtMachine {
        &self.m
    }

    fn offer_input(&mut self) {
        if !self.console_in.is_empty() {
            let bytes: Vec<u8> = self.console_in.iter().copied().collect();
            let n = self.m.push_console(&bytes);
            self.console_in.drain(..n);
        }
        while let Some(f) = self.frames_in.front() {
            if !self.m.push_frame(f) {
                break;
            }
            self.frames_in.pop_front();
        }
    }
}

struct Parts {
    outputs: Outputs,
    overlay: Arc<Mutex<Overlay>>,
    entropy: Arc<Mutex<u64>>,
}

impl Guest for VirtGuest {
    type State = VirtState;

    fn icount(&self) -> u64 {
        self.m.hart.icount()
    }

    fn mtime(&self) -> u64 {
        self.m.hart.mtime()
    }

    fn run(&mut self, target: u64) -> Stop {
        if let Some(s) = self.final_stop {
            return s;
        }
        loop {
            let now = self.icount();
            if now >= target {
                return Stop::Reached;
            }
            if self.input_fresh || now.is_multiple_of(INPUT_GRID) {
                self.offer_input();
                self.input_fresh = false;
            }
            // Queued input waits for the guest to make room; with none queued (the queue only
            // fills at epoch starts) nothing needs offering until the target.
            let step = if self.console_in.is_empty() && self.frames_in.is_empty() {
                target - now
            } else {
                ((now / INPUT_GRID + 1) * INPUT_GRID).min(target) - now
            };
            let stop = match self.m.run(step) {
                VirtExit::Budget => continue,
                VirtExit::Idle => return Stop::Idle,
                VirtExit::Waiting { deadline } => return Stop::Waiting { deadline },
                VirtExit::Reboot => return Stop::Reboot,
                VirtExit::Poweroff => Stop::Poweroff,
                VirtExit::Fail(c) => Stop::Fail(c),
                VirtExit::Crashed { pc } => Stop::Crashed { pc },
            };
            self.final_stop = Some(stop);
            return stop;
        }
    }

    fn push_input(&mut self, input: &Input) {
        match input {
            Input::Console(b) => {
                self.console_in.extend(b);
                self.input_fresh = true;
            }
            Input::Frame(f) => {
                self.frames_in.push_back(f.clone());
                self.input_fresh = true;
            }
            Input::Wake { mtime } => self.m.wake(*mtime),
        }
    }

    fn take_outputs(&mut self) -> Vec<Output> {
        // The disk writes among them go with them: `committed` releases exactly these.
        lock(&self.overlay).reported();
        std::mem::take(&mut *lock(&self.outputs))
    }

    fn outputs_pending(&self) -> bool {
        !lock(&self.outputs).is_empty()
    }

    fn digest(&mut self) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        h.update(&self.m.digest());
        h.update(&lock(&self.entropy).to_le_bytes());
        h.update(&(self.console_in.len() as u64).to_le_bytes());
        h.update(&self.console_in.iter().copied().collect::<Vec<u8>>());
        for f in &self.frames_in {
            h.update(&(f.len() as u64).to_le_bytes());
            h.update(f);
        }
        *h.finalize().as_bytes()
    }

    fn checkpoint(&self) -> VirtState {
        VirtState {
            machine: self.m.checkpoint(),
            console_in: self.console_in.clone(),
            frames_in: self.frames_in.clone(),
            entropy: *lock(&self.entropy),
        }
    }

    fn update_checkpoint(&self, state: &mut VirtState) {
        self.m.update_checkpoint(&mut state.machine);
        state.console_in.clone_from(&self.console_in);
        state.frames_in.clone_from(&self.frames_in);
        state.entropy = *lock(&self.entropy);
    }

    fn restore(&self, state: &VirtState, replay: bool) -> VirtGuest {
        // The RTC's time is in its saved device state; the clock only seeds a fresh RTC.
        let (backends, parts) = Self::backends(&self.ctx, state.entropy, self.ctx.boot_time_ns, replay);
        let mut m = VirtMachine::from_state(&self.ctx.config, backends, &state.machine)
            .expect("a state taken from this board restores onto it");
        m.set_idle_pacing(true);
        Self::assemble(
            m,
            self.ctx.clone(),
            parts,
            state.console_in.clone(),
            state.frames_in.clone(),
        )
    }

    fn fork(&self) -> VirtGuest {
        let mut g = self.restore(&self.checkpoint(), false);
        g.final_stop = self.final_stop;
        g
    }

    /// The wall clock goes on from where the RTC is, and the entropy stream from where it is,
    /// as on a real machine, rather than repeating the first boot.
    fn reboot(&self) -> VirtGuest {
        let entropy = *lock(&self.entropy);
        Self::boot_at(self.ctx.clone(), self.m.rtc_time_ns(), entropy)
            .expect("the configuration booted before")
    }

    fn inject(&mut self, target: FaultTarget, bit: u32) {
        let h = &mut self.m.hart;
        match target {
            FaultTarget::X(r) => h.set_x(r as usize, h.x(r as usize) ^ (1 << bit)),
            FaultTarget::F(r) => h.set_f(r as usize, h.f(r as usize) ^ (1 << bit)),
            FaultTarget::Pc => h.set_pc(h.pc() ^ (1 << bit)),
            FaultTarget::Mem(addr) => {
                let mut b = [0u8];
                if self.m.ram.read(addr, &mut b).is_ok() {
                    let _ = self.m.ram.write(addr, &[b[0] ^ (1 << bit)]);
                }
            }
        }
    }

    fn committed(&mut self) {
        lock(&self.overlay).released();
        if let Some(d) = &self.ctx.disk {
            d.end_epoch();
        }
    }

    fn checkpoint_verified(&mut self) {
        if let Some(d) = &self.ctx.disk {
            d.checkpoint_verified();
        }
    }

    fn memory(&self) -> Option<&GuestRam> {
        Some(&self.m.ram)
    }

    fn memory_mut(&mut self) -> Option<&mut GuestRam> {
        Some(&mut self.m.ram)
    }

    fn state_memory(state: &VirtState) -> Option<&GuestRam> {
        Some(&state.machine.ram)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sector(b: u8) -> [u8; SECTOR] {
        [b; SECTOR]
    }

    #[test]
    fn released_writes_leave_the_overlay_and_writes_since_the_report_stay() {
        let mut o = Overlay::default();
        o.insert(1, sector(1));
        o.insert(2, sector(2));
        o.reported();
        // Running ahead: a rewrite and a new write after the report.
        o.insert(1, sector(10));
        o.insert(3, sector(3));
        assert_eq!(o.get(2), Some(sector(2)));
        assert_eq!(o.get(1), Some(sector(10)));
        o.released();
        assert_eq!(
            (o.get(1), o.get(2), o.get(3)),
            (Some(sector(10)), None, Some(sector(3)))
        );
        o.reported();
        o.released();
        assert_eq!((o.get(1), o.get(3)), (None, None));
    }

    #[test]
    fn entropy_continues_from_its_position_and_depends_on_the_key() {
        let source = |key, at| SharedEntropy {
            key,
            position: Arc::new(Mutex::new(at)),
        };
        let key = entropy_key(7);
        let mut whole = [0u8; 48];
        source(key, 0).fill(&mut whole);
        // However the guest splits its requests, and from wherever a checkpoint resumes it.
        let mut split = source(key, 0);
        let (mut a, mut b) = ([0u8; 5], [0u8; 43]);
        split.fill(&mut a);
        split.fill(&mut b);
        assert_eq!((&whole[..5], &whole[5..]), (&a[..], &b[..]));
        assert_eq!(*lock(&split.position), 48);
        let mut resumed = [0u8; 16];
        source(key, 32).fill(&mut resumed);
        assert_eq!(resumed, whole[32..]);
        let mut other = [0u8; 48];
        source(entropy_key(8), 0).fill(&mut other);
        assert_ne!(other, whole);
    }
}
