//! What crosses the replication boundary: inputs into replicas, outputs out of them, how a run
//! stopped, and fault specifications.

use std::fmt;
use std::str::FromStr;

/// Host input, delivered to every replica at the same instruction count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Console(Vec<u8>),
    Frame(Vec<u8>),
    /// Real time passed while the guest waited for its next timer: virtual time moves to
    /// `mtime` (never past that timer's deadline).
    Wake {
        mtime: u64,
    },
}

/// Output a replica produced; released to the host only once all live replicas agree on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    Console(Vec<u8>),
    DiskWrite { sector: u64, data: Vec<u8> },
    DiskFlush,
    NetTx(Vec<u8>),
}

impl Output {
    /// Appends `out` to `list`, merging adjacent console bytes so comparisons stay cheap.
    pub fn push(list: &mut Vec<Output>, out: Output) {
        if let (Some(Output::Console(prev)), Output::Console(bytes)) = (list.last_mut(), &out) {
            prev.extend_from_slice(bytes);
            return;
        }
        list.push(out);
    }
}

/// Why a replica's run ended. Part of what replicas must agree on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// It reached the target instruction count.
    Reached,
    /// It stopped before the target, at a multiple of the epoch length, because it had
    /// produced output since the epoch began: output is compared that soon, however long the
    /// epoch was to be.
    Output,
    /// It waits for host input with no timer armed.
    Idle,
    /// It waits for its next timer, due at `mtime` = `deadline`, or for input before that.
    Waiting {
        deadline: u64,
    },
    Poweroff,
    Reboot,
    Fail(u16),
    Crashed {
        pc: u64,
    },
}

impl Stop {
    /// Whether the run is over for good.
    pub fn is_final(self) -> bool {
        matches!(self, Stop::Poweroff | Stop::Fail(_) | Stop::Crashed { .. })
    }

    /// Whether the guest goes on from here by itself (the end was reached, or output stopped
    /// it), with no decision of the RML's in between: where a replica may run ahead from.
    pub fn goes_on(self) -> bool {
        matches!(self, Stop::Reached | Stop::Output)
    }
}

/// What a fault flips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultTarget {
    /// Integer register x1..x31.
    X(u8),
    /// Floating-point register f0..f31.
    F(u8),
    Pc,
    /// A byte of guest-physical memory.
    Mem(u64),
}

/// `--inject replica=R,icount=N,target=T,bit=B`: flip bit B of T in replica R when it has
/// retired exactly N instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub replica: usize,
    pub icount: u64,
    pub target: FaultTarget,
    pub bit: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FaultParseError {
    #[error("missing `{0}=`")]
    ParseMissing(&'static str),
    #[error("bad value for `{key}`: {value}")]
    ParseBadValue { key: String, value: String },
    #[error("unknown key `{0}`")]
    ParseUnknownKey(String),
    #[error("bit {bit} is out of range for {target}")]
    ParseBitRange { bit: u32, target: String },
}

impl FromStr for FaultTarget {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let reg = |rest: &str, lo: u8| rest.parse::<u8>().ok().filter(|&n| n >= lo && n <= 31);
        if s == "pc" {
            return Ok(FaultTarget::Pc);
        }
        if let Some(addr) = s.strip_prefix("mem:") {
            let hex = addr.strip_prefix("0x").ok_or(())?;
            return u64::from_str_radix(hex, 16).map(FaultTarget::Mem).map_err(|_| ());
        }
        if let Some(n) = s.strip_prefix('x').and_then(|r| reg(r, 1)) {
            return Ok(FaultTarget::X(n));
        }
        if let Some(n) = s.strip_prefix('f').and_then(|r| reg(r, 0)) {
            return Ok(FaultTarget::F(n));
        }
        Err(())
    }
}

impl fmt::Display for FaultTarget {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            FaultTarget::X(n) => write!(f, "x{n}"),
            FaultTarget::F(n) => write!(f, "f{n}"),
            FaultTarget::Pc => write!(f, "pc"),
            FaultTarget::Mem(a) => write!(f, "mem:{a:#x}"),
        }
    }
}

impl FaultTarget {
    /// Bits a fault may flip in this target.
    pub fn width(self) -> u32 {
        match self {
            FaultTarget::Mem(_) => 8,
            _ => 64,
        }
    }
}

impl FromStr for Fault {
    type Err = FaultParseError;

    fn from_str(s: &str) -> Result<Self, FaultParseError> {
        let (mut replica, mut icount, mut target, mut bit) = (None, None, None, None);
        for part in s.split(',') {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let bad = || FaultParseError::ParseBadValue {
                key: k.into(),
                value: v.into(),
            };
            match k {
                "replica" => replica = Some(v.parse().map_err(|_| bad())?),
                "icount" => icount = Some(v.parse().map_err(|_| bad())?),
                "target" => target = Some(v.parse::<FaultTarget>().map_err(|_| bad())?),
                "bit" => bit = Some(v.parse().map_err(|_| bad())?),
                _ => return Err(FaultParseError::ParseUnknownKey(k.into())),
            }
        }
        let target: FaultTarget = target.ok_or(FaultParseError::ParseMissing("target"))?;
        let bit: u32 = bit.ok_or(FaultParseError::ParseMissing("bit"))?;
        if bit >= target.width() {
            return Err(FaultParseError::ParseBitRange {
                bit,
                target: target.to_string(),
            });
        }
        Ok(Fault {
            replica: replica.ok_or(FaultParseError::ParseMissing("replica"))?,
            icount: icount.ok_or(FaultParseError::ParseMissing("icount"))?,
            target,
            bit,
        })
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "replica={},icount={},target={},bit={}",
            self.replica, self.icount, self.target, self.bit
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_specs_parse_and_print_back() {
        for s in [
            "replica=1,icount=5000,target=x10,bit=3",
            "replica=0,icount=7,target=mem:0x80001000,bit=7",
        ] {
            assert_eq!(s.parse::<Fault>().unwrap().to_string(), s);
        }
        assert_eq!(
            "replica=0,icount=1,target=f31,bit=63"
                .parse::<Fault>()
                .unwrap()
                .target,
            FaultTarget::F(31)
        );
        assert_eq!(
            "replica=0,icount=1,target=pc,bit=2"
                .parse::<Fault>()
                .unwrap()
                .target,
            FaultTarget::Pc
        );
    }

    #[test]
    fn bad_fault_specs_are_rejected() {
        assert!(
            "replica=0,icount=1,target=x0,bit=1".parse::<Fault>().is_err(),
            "x0 cannot hold a fault"
        );
        assert!("replica=0,icount=1,target=x32,bit=1".parse::<Fault>().is_err());
        assert!("replica=0,icount=1,target=mem:0x10,bit=8"
            .parse::<Fault>()
            .is_err());
        assert!("replica=0,target=x1,bit=1".parse::<Fault>().is_err());
        assert!("replica=0,icount=1,target=x1,bit=1,color=red"
            .parse::<Fault>()
            .is_err());
    }

    #[test]
    fn console_outputs_merge() {
        let mut v = Vec::new();
        Output::push(&mut v, Output::Console(b"a".to_vec()));
        Output::push(&mut v, Output::Console(b"b".to_vec()));
        Output::push(&mut v, Output::DiskFlush);
        Output::push(&mut v, Output::Console(b"c".to_vec()));
        assert_eq!(
            v,
            [
                Output::Console(b"ab".to_vec()),
                Output::DiskFlush,
                Output::Console(b"c".to_vec())
            ]
        );
    }
}
