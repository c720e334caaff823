//! virtio-net (device ID 1, virtio 1.2 §5.1) without offloads: queue 0 receives, queue 1
//! transmits, every frame preceded by the 12-byte `virtio_net_hdr_v1`.
//!
//! Without `VIRTIO_NET_F_MRG_RXBUF` each receive buffer holds the header and one whole frame.
//! Received frames are pushed in by the board ([`VirtioMmio::receive`]) at an instruction
//! boundary it chose, so delivery is deterministic; transmission happens inside the guest's
//! `QueueNotify` store.

use memory::GuestRam;

use super::{copy_config, device_id, feature, Chain, Queue, QueueError, VirtioDevice, VirtioMmio};
use crate::snap::{SnapReader, SnapWriter};
use crate::{DeviceCtx, NetBackend, Snapshot, SnapshotError};

const RX: usize = 0;
const TX: usize = 1;
const QUEUE_MAX: u16 = 256;
const HDR_LEN: u64 = 12;
/// Without GSO no legitimate frame exceeds 64 KiB plus an Ethernet and VLAN header; a larger
/// one is dropped rather than buffered.
const MAX_FRAME: u64 = 65536 + 18;
const S_LINK_UP: u16 = 1;

#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error(transparent)]
    Queue(#[from] QueueError),
    #[error("virtio-net transmit chain has {len} readable bytes, too few for the 12-byte header")]
    ReadTxHeader { len: u64 },
    #[error("virtio-net receive chain contains device-readable buffers")]
    FillRxBuffer,
}

/// A virtio network device over a [`NetBackend`].
pub struct Net<B> {
    backend: B,
    mac: [u8; 6],
    link_up: bool,
    tx_dropped: u64,
    rx_dropped: u64,
}

impl<B: NetBackend> Net<B> {
    /// A NIC with the given MAC (offered as `VIRTIO_NET_F_MAC`) and its link up.
    pub fn new(backend: B, mac: [u8; 6]) -> Self {
        Self {
            backend,
            mac,
            link_up: true,
            tx_dropped: 0,
            rx_dropped: 0,
        }
    }

    pub fn backend(&self) -> &B {
        &self.backend
    }

    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    pub fn mac(&self) -> [u8; 6] {
        self.mac
    }

    pub fn link_up(&self) -> bool {
        self.link_up
    }

    /// Frames dropped as `(transmit, receive)`: oversized transmits, and received frames that
    /// did not fit the buffer the driver posted.
    pub fn dropped(&self) -> (u64, u64) {
        (self.tx_dropped, self.rx_dropped)
    }

    /// Takes one receive buffer for `frame`; `Ok(false)` when the driver has none posted.
    fn receive_into(
        &mut self,
        queue: &mut Queue,
        frame: &[u8],
        ram: &mut GuestRam,
    ) -> Result<bool, NetError> {
        let Some(chain) = queue.pop(ram)? else {
            return Ok(false);
        };
        let len = self.fill_rx(&chain, frame, ram)?;
        queue.push_used(ram, chain.head(), len)?;
        Ok(true)
    }

    fn fill_rx(&mut self, chain: &Chain, frame: &[u8], ram: &mut GuestRam) -> Result<u32, NetError> {
        if chain.readable_len() != 0 {
            return Err(NetError::FillRxBuffer);
        }
        let total = HDR_LEN + frame.len() as u64;
        // The buffer is given back empty so the driver can recycle it (Linux counts a
        // length error); keeping it would stall every later frame behind it.
        if chain.writable_len() < total || total > u64::from(u32::MAX) {
            self.rx_dropped += 1;
            return Ok(0);
        }
        // No offloads: flags, gso_type and the offsets stay 0; num_buffers must be 1 when
        // MRG_RXBUF is not negotiated (§5.1.6.4).
        let mut hdr = [0; HDR_LEN as usize];
        hdr[10] = 1;
        chain.write_at(ram, 0, &hdr)?;
        chain.write_at(ram, HDR_LEN, frame)?;
        Ok(total as u32)
    }

    fn transmit(&mut self, chain: &Chain, ram: &GuestRam) -> Result<(), NetError> {
        let len = chain.readable_len();
        if len < HDR_LEN {
            return Err(NetError::ReadTxHeader { len });
        }
        if len - HDR_LEN > MAX_FRAME {
            self.tx_dropped += 1;
            return Ok(());
        }
        let mut frame = vec![0; (len - HDR_LEN) as usize];
        chain.read_at(ram, HDR_LEN, &mut frame)?;
        self.backend.transmit(&frame);
        Ok(())
    }
}

impl<B: NetBackend> VirtioDevice for Net<B> {
    type Error = NetError;

    fn device_id(&self) -> u32 {
        device_id::NET
    }

    fn device_features(&self) -> u64 {
        1 << feature::NET_MAC | 1 << feature::NET_STATUS
    }

    fn queue_max_sizes(&self) -> &'static [u16] {
        &[QUEUE_MAX, QUEUE_MAX]
    }

    /// `mac` at 0x0, `status` at 0x6.
    fn read_config(&self, offset: u64, data: &mut [u8]) {
        let mut config = [0; 8];
        config[..6].copy_from_slice(&self.mac);
        let status = if self.link_up { S_LINK_UP } else { 0 };
        config[6..8].copy_from_slice(&status.to_le_bytes());
        copy_config(&config, offset, data);
    }

    /// Only transmit kicks do anything: a receive kick just means buffers were posted, and
    /// the board learns that from [`VirtioMmio::rx_buffers_available`].
    fn process(&mut self, index: usize, queue: &mut Queue, ram: &mut GuestRam) -> Result<(), NetError> {
        if index != TX {
            return Ok(());
        }
        while let Some(chain) = queue.pop(ram)? {
            self.transmit(&chain, ram)?;
            queue.push_used(ram, chain.head(), 0)?;
        }
        Ok(())
    }
}

/// Board-facing network input.
impl<B: NetBackend> VirtioMmio<Net<B>> {
    /// Delivers `frame` (without FCS) into the next posted receive buffer and raises the
    /// used-buffer interrupt (unless the driver suppressed it). Returns `false` if the frame
    /// was not taken: no buffer posted, the driver not ready (`DRIVER_OK` missing, receive
    /// queue not ready) or the device in `DEVICE_NEEDS_RESET`. The board keeps such a frame
    /// and retries later (e.g. after the guest's next receive-queue kick), or drops it.
    /// Returns `true` also when the posted buffer was too small: the frame is then dropped
    /// and counted in [`Net::dropped`], since retrying could not help.
    pub fn receive(&mut self, frame: &[u8], ctx: &mut DeviceCtx) -> bool {
        if !self.live() {
            return false;
        }
        let Some(queue) = self.queues.get_mut(RX).filter(|q| q.ready()) else {
            return false;
        };
        let before = queue.used_idx();
        let result = self.device.receive_into(queue, frame, ctx.ram);
        self.signal_used(RX, before, ctx.ram);
        result.unwrap_or_else(|e| {
            self.fail(&e);
            false
        })
    }

    /// Whether [`receive`](Self::receive) would find a buffer. A malformed receive ring
    /// reads as `true`, so that the board's next `receive` surfaces the error as
    /// `DEVICE_NEEDS_RESET` instead of the board waiting for buffers forever.
    pub fn rx_buffers_available(&self, ram: &GuestRam) -> bool {
        self.live() && self.queues[RX].ready() && self.queues[RX].has_available(ram).unwrap_or(true)
    }

    /// Changes the link status bit (offered as `VIRTIO_NET_F_STATUS`) and signals a
    /// configuration change. Frames are still delivered while the link is down; the board
    /// decides whether to push any.
    pub fn set_link_up(&mut self, up: bool) {
        if self.device.link_up != up {
            self.device.link_up = up;
            self.config_changed();
        }
    }
}

const TAG: &[u8; 4] = b"VNT1";

impl<B: NetBackend> Snapshot for Net<B> {
    fn save(&self, out: &mut Vec<u8>) {
        let mut w = SnapWriter::new(out);
        w.tag(TAG);
        w.bytes(&self.mac);
        w.bool(self.link_up);
        w.u64(self.tx_dropped);
        w.u64(self.rx_dropped);
    }

    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError> {
        let mut r = SnapReader::new(data);
        r.tag(TAG)?;
        let (mac, link_up, tx_dropped, rx_dropped) = (r.array()?, r.bool()?, r.u64()?, r.u64()?);
        r.finish()?;
        (self.mac, self.link_up, self.tx_dropped, self.rx_dropped) = (mac, link_up, tx_dropped, rx_dropped);
        Ok(())
    }
}
