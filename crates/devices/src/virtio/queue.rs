//! Split virtqueues (virtio 1.2 §2.7) in guest RAM, read and written only through
//! `GuestRam::read`/`write`, so a hostile address is an error, never a panic.
//!
//! Every descriptor a chain names is checked to lie inside RAM when the chain is popped, so
//! devices see either a well-formed [`Chain`] or a [`QueueError`]. Chain walks are bounded by
//! the table they walk (queue size, or the indirect table's entry count), so a looping `next`
//! ends in [`QueueError::WalkChain`].

use memory::GuestRam;

const DESC_F_NEXT: u16 = 1;
const DESC_F_WRITE: u16 = 2;
const DESC_F_INDIRECT: u16 = 4;
const AVAIL_F_NO_INTERRUPT: u16 = 1;
const DESC_SIZE: u64 = 16;
/// `next` is a u16, so an indirect table can name at most this many descriptors.
const MAX_INDIRECT_ENTRIES: u64 = 1 << 16;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueueError {
    #[error("queue size {size} is not a power of two in 1..={max}")]
    ActivateSize { size: u32, max: u16 },
    #[error("virtqueue area at {addr:#x} ({len} bytes) is misaligned or outside guest RAM")]
    ActivateRing { addr: u64, len: u64 },
    #[error("reading the avail ring at {addr:#x} failed: outside guest RAM")]
    ReadAvailRing { addr: u64 },
    #[error("avail idx {avail} is {pending} entries ahead of the device, more than the queue size {size}")]
    PopAvail { avail: u16, pending: u16, size: u16 },
    #[error("avail ring names head descriptor {head}, past the queue size {size}")]
    ReadHead { head: u16, size: u16 },
    #[error("reading descriptor at {addr:#x} failed: outside guest RAM")]
    ReadDescriptor { addr: u64 },
    #[error("descriptor `next` {next} is past the end of its {count}-entry table")]
    FollowNext { next: u16, count: u64 },
    #[error("descriptor chain is longer than its {count}-entry table (a loop?)")]
    WalkChain { count: u64 },
    #[error("indirect descriptor is nested, has NEXT set, or has bad length {len}")]
    ReadIndirectTable { len: u32 },
    #[error("descriptor buffer at {addr:#x} ({len} bytes) is outside guest RAM")]
    MapBuffer { addr: u64, len: u32 },
    #[error("device-readable descriptor follows a device-writable one")]
    OrderBuffers,
    #[error("writing the used ring at {addr:#x} failed: outside guest RAM")]
    WriteUsedRing { addr: u64 },
    #[error("reading a chain buffer at {addr:#x} failed: outside guest RAM")]
    ReadBuffer { addr: u64 },
    #[error("writing a chain buffer at {addr:#x} failed: outside guest RAM")]
    WriteBuffer { addr: u64 },
}

/// One virtqueue's transport registers plus the device's ring positions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queue {
    max_size: u16,
    /// `QueueNum` as written, unvalidated until the queue is made ready.
    pub(crate) num: u32,
    pub(crate) ready: bool,
    pub(crate) desc: u64,
    pub(crate) driver: u64,
    pub(crate) device: u64,
    pub(crate) next_avail: u16,
    pub(crate) next_used: u16,
}

impl Queue {
    pub fn new(max_size: u16) -> Self {
        Self {
            max_size,
            num: 0,
            ready: false,
            desc: 0,
            driver: 0,
            device: 0,
            next_avail: 0,
            next_used: 0,
        }
    }

    pub fn max_size(&self) -> u16 {
        self.max_size
    }

    pub fn ready(&self) -> bool {
        self.ready
    }

    /// The validated size; only meaningful while ready.
    pub fn size(&self) -> u16 {
        self.num as u16
    }

    /// Buffers the device has put in the used ring since activation (wrapping).
    pub fn used_idx(&self) -> u16 {
        self.next_used
    }

    pub fn reset(&mut self) {
        *self = Self::new(self.max_size);
    }

    /// `QueueReady = 1`: checks the size and that the three areas are aligned (§2.7) and in
    /// RAM, then starts the ring from index 0, as a freshly initialised ring requires.
    pub fn activate(&mut self, ram: &GuestRam) -> Result<(), QueueError> {
        if !size_valid(self.num, self.max_size) {
            return Err(QueueError::ActivateSize {
                size: self.num,
                max: self.max_size,
            });
        }
        let n = u64::from(self.num);
        for (addr, len, align) in [
            (self.desc, 16 * n, 16),
            (self.driver, 6 + 2 * n, 2),
            (self.device, 6 + 8 * n, 4),
        ] {
            if !addr.is_multiple_of(align) || !ram.contains(addr, len) {
                return Err(QueueError::ActivateRing { addr, len });
            }
        }
        self.ready = true;
        self.next_avail = 0;
        self.next_used = 0;
        Ok(())
    }

    /// Whether the driver has made a buffer available that the device has not taken.
    pub fn has_available(&self, ram: &GuestRam) -> Result<bool, QueueError> {
        Ok(self.pending(ram)?.1 > 0)
    }

    /// Takes the next available chain, or `None` when the driver has posted nothing new.
    pub fn pop(&mut self, ram: &GuestRam) -> Result<Option<Chain>, QueueError> {
        let (_, pending) = self.pending(ram)?;
        if pending == 0 {
            return Ok(None);
        }
        let size = self.size();
        let slot = self
            .driver
            .wrapping_add(4 + 2 * u64::from(self.next_avail % size));
        let head = read_u16(ram, slot).ok_or(QueueError::ReadAvailRing { addr: slot })?;
        if head >= size {
            return Err(QueueError::ReadHead { head, size });
        }
        let chain = self.walk(ram, head)?;
        self.next_avail = self.next_avail.wrapping_add(1);
        Ok(Some(chain))
    }

    /// Returns a chain to the driver with `len` bytes written into its writable part.
    pub fn push_used(&mut self, ram: &mut GuestRam, head: u16, len: u32) -> Result<(), QueueError> {
        if !self.ready {
            return Err(QueueError::WriteUsedRing { addr: self.device });
        }
        let slot = self
            .device
            .wrapping_add(4 + 8 * u64::from(self.next_used % self.size()));
        let mut elem = [0; 8];
        elem[..4].copy_from_slice(&u32::from(head).to_le_bytes());
        elem[4..].copy_from_slice(&len.to_le_bytes());
        ram.write(slot, &elem)
            .map_err(|_| QueueError::WriteUsedRing { addr: slot })?;
        self.next_used = self.next_used.wrapping_add(1);
        let idx = self.device.wrapping_add(2);
        ram.write(idx, &self.next_used.to_le_bytes())
            .map_err(|_| QueueError::WriteUsedRing { addr: idx })
    }

    /// The driver's `VIRTQ_AVAIL_F_NO_INTERRUPT` hint (we do not offer EVENT_IDX). An
    /// unreadable ring counts as "interrupt wanted": the error surfaces elsewhere.
    pub fn interrupt_suppressed(&self, ram: &GuestRam) -> bool {
        read_u16(ram, self.driver).is_some_and(|flags| flags & AVAIL_F_NO_INTERRUPT != 0)
    }

    /// `(avail idx, entries pending)`. More pending than the ring holds means the driver's
    /// index is garbage; trusting it would make the device reuse stale ring entries.
    fn pending(&self, ram: &GuestRam) -> Result<(u16, u16), QueueError> {
        if !self.ready {
            return Ok((self.next_avail, 0));
        }
        let addr = self.driver.wrapping_add(2);
        let avail = read_u16(ram, addr).ok_or(QueueError::ReadAvailRing { addr })?;
        let pending = avail.wrapping_sub(self.next_avail);
        if pending > self.size() {
            return Err(QueueError::PopAvail {
                avail,
                pending,
                size: self.size(),
            });
        }
        Ok((avail, pending))
    }

    fn walk(&self, ram: &GuestRam, head: u16) -> Result<Chain, QueueError> {
        let mut chain = Chain {
            head,
            readable: Vec::new(),
            writable: Vec::new(),
        };
        let (mut table, mut count) = (self.desc, u64::from(self.size()));
        let mut indirect = false;
        let mut index = head;
        // Each table allows at most `count` descriptors: any longer chain revisits one.
        let mut budget = count;
        loop {
            if budget == 0 {
                return Err(QueueError::WalkChain { count });
            }
            budget -= 1;
            let addr = table.wrapping_add(DESC_SIZE * u64::from(index));
            let d = read_desc(ram, addr).ok_or(QueueError::ReadDescriptor { addr })?;
            if d.flags & DESC_F_INDIRECT != 0 {
                let entries = u64::from(d.len) / DESC_SIZE;
                let bad_len = d.len == 0
                    || !u64::from(d.len).is_multiple_of(DESC_SIZE)
                    || entries > MAX_INDIRECT_ENTRIES;
                if indirect || d.flags & DESC_F_NEXT != 0 || bad_len {
                    return Err(QueueError::ReadIndirectTable { len: d.len });
                }
                if !ram.contains(d.addr, u64::from(d.len)) {
                    return Err(QueueError::MapBuffer {
                        addr: d.addr,
                        len: d.len,
                    });
                }
                (table, count, budget, index, indirect) = (d.addr, entries, entries, 0, true);
                continue;
            }
            chain.add(ram, d)?;
            if d.flags & DESC_F_NEXT == 0 {
                return Ok(chain);
            }
            if u64::from(d.next) >= count {
                return Err(QueueError::FollowNext { next: d.next, count });
            }
            index = d.next;
        }
    }
}

fn size_valid(num: u32, max: u16) -> bool {
    num.is_power_of_two() && num <= u32::from(max)
}

#[derive(Clone, Copy)]
struct Desc {
    addr: u64,
    len: u32,
    flags: u16,
    next: u16,
}

fn read_desc(ram: &GuestRam, addr: u64) -> Option<Desc> {
    let mut b = [0; 16];
    ram.read(addr, &mut b).ok()?;
    Some(Desc {
        addr: u64::from_le_bytes(b[0..8].try_into().unwrap()),
        len: u32::from_le_bytes(b[8..12].try_into().unwrap()),
        flags: u16::from_le_bytes([b[12], b[13]]),
        next: u16::from_le_bytes([b[14], b[15]]),
    })
}

fn read_u16(ram: &GuestRam, addr: u64) -> Option<u16> {
    let mut b = [0; 2];
    ram.read(addr, &mut b).ok()?;
    Some(u16::from_le_bytes(b))
}

/// A popped descriptor chain: its device-readable buffers, then its device-writable ones,
/// each list addressed as one contiguous byte stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    head: u16,
    readable: Vec<(u64, u32)>,
    writable: Vec<(u64, u32)>,
}

impl Chain {
    pub fn head(&self) -> u16 {
        self.head
    }

    pub fn readable_len(&self) -> u64 {
        self.readable.iter().map(|&(_, len)| u64::from(len)).sum()
    }

    pub fn writable_len(&self) -> u64 {
        self.writable.iter().map(|&(_, len)| u64::from(len)).sum()
    }

    /// Reads the readable stream from `offset`; returns how many bytes were available.
    pub fn read_at(&self, ram: &GuestRam, offset: u64, buf: &mut [u8]) -> Result<usize, QueueError> {
        let mut done = 0;
        for (addr, piece) in pieces(&self.readable, offset, buf.len()) {
            let dst = &mut buf[done..done + piece];
            ram.read(addr, dst).map_err(|_| QueueError::ReadBuffer { addr })?;
            done += piece;
        }
        Ok(done)
    }

    /// Writes into the writable stream at `offset`; returns how many bytes fitted.
    pub fn write_at(&self, ram: &mut GuestRam, offset: u64, data: &[u8]) -> Result<usize, QueueError> {
        let mut done = 0;
        for (addr, piece) in pieces(&self.writable, offset, data.len()) {
            ram.write(addr, &data[done..done + piece])
                .map_err(|_| QueueError::WriteBuffer { addr })?;
            done += piece;
        }
        Ok(done)
    }

    fn add(&mut self, ram: &GuestRam, d: Desc) -> Result<(), QueueError> {
        // Zero-length buffers carry nothing; skipping them spares a pointless address check.
        if d.len == 0 {
            return Ok(());
        }
        if !ram.contains(d.addr, u64::from(d.len)) {
            return Err(QueueError::MapBuffer {
                addr: d.addr,
                len: d.len,
            });
        }
        if d.flags & DESC_F_WRITE != 0 {
            self.writable.push((d.addr, d.len));
        } else if self.writable.is_empty() {
            self.readable.push((d.addr, d.len));
        } else {
            return Err(QueueError::OrderBuffers);
        }
        Ok(())
    }
}

/// `(guest address, length)` pieces of the stream `bufs` covering `[offset, offset + len)`,
/// clipped at the stream's end.
fn pieces(bufs: &[(u64, u32)], mut offset: u64, len: usize) -> impl Iterator<Item = (u64, usize)> + '_ {
    let mut left = len as u64;
    bufs.iter().filter_map(move |&(addr, blen)| {
        let blen = u64::from(blen);
        if offset >= blen {
            offset -= blen;
            return None;
        }
        if left == 0 {
            return None;
        }
        let n = (blen - offset).min(left);
        let piece = (addr + offset, n as usize);
        offset = 0;
        left -= n;
        Some(piece)
    })
}
