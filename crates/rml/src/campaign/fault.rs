//! Which fault each run of a campaign injects, and which runs a shard owns.
//!
//! Fault `id` is drawn from a SplitMix64 stream seeded by the campaign seed and the id alone
//! (not from one stream over all ids), so fault 217 is the same whether it runs first, last,
//! alone in a rerun, or in another shard.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::types::{Fault, FaultTarget};

/// Guest-physical start of RAM on the `virt` board.
pub const RAM_BASE: u64 = 0x8000_0000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FaultPlanError {
    #[error("unknown fault model `{0}` (expected reg, fpreg, pc, mem or mixed)")]
    ParseModel(String),
    #[error("bad shard `{0}` (expected i/n with 1 <= i <= n)")]
    ParseShard(String),
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and good enough to spread faults
/// uniformly (the guest's entropy, which must be unpredictable, uses keyed BLAKE3 instead).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, n)` (0 when `n` is 0). Multiply-high instead of `%`: the bias is below
    /// n / 2^64, far under anything a campaign of thousands of runs could see.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// What a campaign's faults flip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// Integer registers x1..x31.
    Reg,
    /// Floating-point registers f0..f31.
    Fpreg,
    Pc,
    /// One byte of guest RAM.
    Mem,
    /// Each fault picks one of the four models above first.
    Mixed,
}

impl Model {
    pub const SINGLE: [Model; 4] = [Model::Reg, Model::Fpreg, Model::Pc, Model::Mem];

    /// The model a target belongs to (for breakdowns of mixed campaigns).
    pub fn of(target: FaultTarget) -> Model {
        match target {
            FaultTarget::X(_) => Model::Reg,
            FaultTarget::F(_) => Model::Fpreg,
            FaultTarget::Pc => Model::Pc,
            FaultTarget::Mem(_) => Model::Mem,
        }
    }
}

impl FromStr for Model {
    type Err = FaultPlanError;

    fn from_str(s: &str) -> Result<Self, FaultPlanError> {
        match s {
            "reg" => Ok(Model::Reg),
            "fpreg" => Ok(Model::Fpreg),
            "pc" => Ok(Model::Pc),
            "mem" => Ok(Model::Mem),
            "mixed" => Ok(Model::Mixed),
            _ => Err(FaultPlanError::ParseModel(s.into())),
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Model::Reg => "reg",
            Model::Fpreg => "fpreg",
            Model::Pc => "pc",
            Model::Mem => "mem",
            Model::Mixed => "mixed",
        })
    }
}

/// Where faults may land.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultSpace {
    pub model: Model,
    /// The golden run's length: faults land in `[0, instructions)`.
    pub instructions: u64,
    pub replicas: usize,
    /// Guest RAM in bytes, from [`RAM_BASE`].
    pub ram_size: u64,
}

/// Fault `id` of the campaign with this `seed`.
pub fn derive_fault(seed: u64, id: u64, space: &FaultSpace) -> Fault {
    // Spreading the id over all 64 bits keeps campaigns with nearby seeds from sharing faults
    // (plain `seed ^ id` would give seeds 0 and 1 the same faults, pairwise swapped).
    let mut rng = SplitMix64::new(seed ^ id.wrapping_mul(0xd134_2543_de82_ef95));
    let model = match space.model {
        Model::Mixed => Model::SINGLE[rng.below(4) as usize],
        m => m,
    };
    let target = match model {
        Model::Reg => FaultTarget::X(1 + rng.below(31) as u8),
        Model::Fpreg => FaultTarget::F(rng.below(32) as u8),
        Model::Pc => FaultTarget::Pc,
        Model::Mem | Model::Mixed => FaultTarget::Mem(RAM_BASE + rng.below(space.ram_size)),
    };
    let icount = rng.below(space.instructions);
    let bit = rng.below(u64::from(target.width())) as u32;
    let replica = rng.below(space.replicas.max(1) as u64) as usize;
    Fault {
        replica,
        icount,
        target,
        bit,
    }
}

/// `--shard i/n`: the i-th (1-based) of n disjoint slices of the fault ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Ids are dealt round-robin, so every shard gets a fair share of any id range.
    pub fn owns(self, id: u64) -> bool {
        id % self.count == self.index - 1
    }
}

impl FromStr for Shard {
    type Err = FaultPlanError;

    fn from_str(s: &str) -> Result<Self, FaultPlanError> {
        let bad = || FaultPlanError::ParseShard(s.into());
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (i.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl TryFrom<String> for Shard {
    type Error = FaultPlanError;

    fn try_from(s: String) -> Result<Self, FaultPlanError> {
        s.parse()
    }
}

impl From<Shard> for String {
    fn from(s: Shard) -> String {
        s.to_string()
    }
}

/// The ids a campaign of `faults` runs still has to run: those its shard owns, minus `done`.
pub fn pending_ids(faults: u64, shard: Option<Shard>, done: &std::collections::HashSet<u64>) -> Vec<u64> {
    (0..faults)
        .filter(|&id| shard.is_none_or(|s| s.owns(id)))
        .filter(|id| !done.contains(id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space(model: Model) -> FaultSpace {
        FaultSpace {
            model,
            instructions: 90_000_000,
            replicas: 2,
            ram_size: 256 << 20,
        }
    }

    #[test]
    fn splitmix_matches_the_reference_stream() {
        // First outputs of SplitMix64 seeded with 0 (from the reference C implementation).
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut r = SplitMix64::new(42);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let x = r.below(7);
            assert!(x < 7);
            seen[x as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn a_fault_depends_on_seed_and_id_only() {
        let s = space(Model::Mixed);
        let all: Vec<Fault> = (0..50).map(|id| derive_fault(7, id, &s)).collect();
        for id in (0..50).rev() {
            assert_eq!(derive_fault(7, id, &s), all[id as usize]);
        }
        assert_ne!(derive_fault(7, 3, &s), derive_fault(8, 3, &s));
        assert_ne!(
            derive_fault(0, 0, &s),
            derive_fault(1, 1, &s),
            "seed ^ id must not collide"
        );
    }

    #[test]
    fn faults_stay_inside_their_model() {
        for model in [Model::Reg, Model::Fpreg, Model::Pc, Model::Mem, Model::Mixed] {
            let s = space(model);
            let mut models = std::collections::HashSet::new();
            for id in 0..400 {
                let f = derive_fault(99, id, &s);
                assert!(f.icount < s.instructions);
                assert!(f.replica < s.replicas);
                assert!(f.bit < f.target.width());
                // Every derived fault must be one `--inject` accepts and prints back the same.
                assert_eq!(f.to_string().parse::<Fault>().unwrap(), f);
                match f.target {
                    FaultTarget::X(n) => assert!((1..=31).contains(&n)),
                    FaultTarget::F(n) => assert!(n <= 31),
                    FaultTarget::Pc => {}
                    FaultTarget::Mem(a) => assert!((RAM_BASE..RAM_BASE + s.ram_size).contains(&a)),
                }
                models.insert(Model::of(f.target));
            }
            let expected: Vec<Model> = if model == Model::Mixed {
                Model::SINGLE.to_vec()
            } else {
                vec![model]
            };
            assert_eq!(models, expected.into_iter().collect(), "{model}");
        }
    }

    #[test]
    fn fault_fields_are_roughly_uniform() {
        let s = space(Model::Reg);
        let n = 31 * 200;
        let mut regs = [0u32; 32];
        let mut bits = [0u32; 64];
        let mut replicas = [0u32; 2];
        let mut late = 0;
        for id in 0..n {
            let f = derive_fault(1, id, &s);
            if let FaultTarget::X(r) = f.target {
                regs[r as usize] += 1;
            }
            bits[f.bit as usize] += 1;
            replicas[f.replica] += 1;
            late += u32::from(f.icount >= s.instructions / 2);
        }
        assert_eq!(regs[0], 0);
        assert!(regs[1..].iter().all(|&c| (120..=280).contains(&c)), "{regs:?}");
        assert!(bits.iter().all(|&c| (50..=160).contains(&c)), "{bits:?}");
        assert!(
            replicas.iter().all(|&c| (2800..=3400).contains(&c)),
            "{replicas:?}"
        );
        assert!((2800..=3400).contains(&late), "{late}");
    }

    #[test]
    fn shards_partition_the_ids() {
        let none = std::collections::HashSet::new();
        let shards: Vec<Shard> = ["1/3", "2/3", "3/3"].iter().map(|s| s.parse().unwrap()).collect();
        let mut all: Vec<u64> = shards
            .iter()
            .flat_map(|&s| pending_ids(10, Some(s), &none))
            .collect();
        all.sort();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(pending_ids(10, Some(shards[1]), &none), [1, 4, 7]);
        assert_eq!(pending_ids(4, None, &[0, 2].into_iter().collect()), [1, 3]);
        for bad in ["0/2", "3/2", "1", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert_eq!("2/5".parse::<Shard>().unwrap().to_string(), "2/5");
    }

    #[test]
    fn models_parse_and_print_back() {
        for m in [Model::Reg, Model::Fpreg, Model::Pc, Model::Mem, Model::Mixed] {
            assert_eq!(m.to_string().parse::<Model>(), Ok(m));
        }
        assert!("registers".parse::<Model>().is_err());
    }
}
