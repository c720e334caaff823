//! virtio-rng (device ID 4, virtio 1.2 §5.4): one request queue whose writable buffers are
//! filled from an [`EntropyBackend`].

use memory::GuestRam;

use super::{device_id, Queue, QueueError, VirtioDevice};
use crate::snap::{SnapReader, SnapWriter};
use crate::{EntropyBackend, Snapshot, SnapshotError};

const QUEUE_MAX: u16 = 64;
/// Bytes served per request. The spec lets the device fill less than offered (the used
/// length says how much); the cap keeps a chain of huge buffers from costing seconds.
const MAX_FILL: u64 = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum RngError {
    #[error(transparent)]
    Queue(#[from] QueueError),
}

/// A virtio entropy device.
pub struct Rng<E> {
    backend: E,
}

impl<E: EntropyBackend> Rng<E> {
    pub fn new(backend: E) -> Self {
        Self { backend }
    }

    pub fn backend(&self) -> &E {
        &self.backend
    }

    pub fn backend_mut(&mut self) -> &mut E {
        &mut self.backend
    }
}

impl<E: EntropyBackend> VirtioDevice for Rng<E> {
    type Error = RngError;

    fn device_id(&self) -> u32 {
        device_id::ENTROPY
    }

    fn device_features(&self) -> u64 {
        0
    }

    fn queue_max_sizes(&self) -> &'static [u16] {
        &[QUEUE_MAX]
    }

    fn read_config(&self, _offset: u64, data: &mut [u8]) {
        data.fill(0);
    }

    fn process(&mut self, _index: usize, queue: &mut Queue, ram: &mut GuestRam) -> Result<(), RngError> {
        while let Some(chain) = queue.pop(ram)? {
            let mut buf = vec![0; chain.writable_len().min(MAX_FILL) as usize];
            self.backend.fill(&mut buf);
            chain.write_at(ram, 0, &buf)?;
            queue.push_used(ram, chain.head(), buf.len() as u32)?;
        }
        Ok(())
    }
}

const TAG: &[u8; 4] = b"VRN1";

/// No state of its own: the tag only guards against restoring another device's bytes.
impl<E: EntropyBackend> Snapshot for Rng<E> {
    fn save(&self, out: &mut Vec<u8>) {
        SnapWriter::new(out).tag(TAG);
    }

    fn restore(&mut self, data: &[u8]) -> Result<(), SnapshotError> {
        let mut r = SnapReader::new(data);
        r.tag(TAG)?;
        r.finish()
    }
}
