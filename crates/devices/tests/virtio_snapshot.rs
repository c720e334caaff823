//! Snapshots of each virtio device: save → restore → save is byte-identical, a restored copy
//! continues exactly like the original, and bad snapshot bytes are refused, not a panic.

mod virtio_driver;

use devices::virtio::{Blk, Net, Rng};
use devices::{DeviceCtx, EntropyBackend, Snapshot, SnapshotError};
use virtio_driver::*;

/// One read request on the block queue.
fn blk_step(drv: &mut Driver<Blk<MemDisk>>) {
    let mut h = [0; 16];
    h[8] = 1;
    let h = drv.alloc_with(&h);
    let data = drv.alloc(512);
    let status = drv.alloc(1);
    drv.post(0, &[(h, 16, false), (data, 512, true), (status, 1, true)]);
    drv.kick(0);
}

/// One transmit, one receive and a link flap.
fn net_step(drv: &mut Driver<Net<FrameSink>>) {
    let packet = drv.alloc_with(&[7; 72]);
    drv.post(1, &[(packet, 72, false)]);
    drv.kick(1);
    let buf = drv.alloc(1526);
    drv.post(0, &[(buf, 1526, true)]);
    let mut ctx = DeviceCtx {
        ram: &mut drv.ram,
        now: NOW,
    };
    assert!(drv.dev.receive(&[9; 64], &mut ctx));
    let up = drv.dev.device().link_up();
    drv.dev.set_link_up(!up);
}

/// One entropy request.
fn rng_step(drv: &mut Driver<Rng<Seeded>>) {
    let buf = drv.alloc(32);
    drv.post(0, &[(buf, 32, true)]);
    drv.kick(0);
}

macro_rules! snapshot_tests {
    ($module:ident, $device:ty, $make:expr, $step:ident, $resumed:expr) => {
        mod $module {
            use super::*;

            /// A driven device: initialised, one step done, its interrupt left pending.
            fn driven() -> Driver<$device> {
                let mut drv = Driver::new($make);
                drv.init();
                $step(&mut drv);
                assert!(drv.dev.irq() && !drv.needs_reset());
                drv
            }

            #[test]
            fn save_restore_save_gives_identical_bytes() {
                let drv = driven();
                let copy = drv.restored_copy($make);
                assert_eq!(copy.snapshot(), drv.snapshot());
                assert!(copy.dev.irq());
            }

            #[test]
            fn restored_copy_continues_like_the_original() {
                let mut drv = driven();
                // Backends are not in the snapshot: the copy gets one in the original's state.
                let mut copy = drv.restored_copy($resumed);
                $step(&mut drv);
                $step(&mut copy);
                assert_eq!(copy.snapshot(), drv.snapshot());
                assert_eq!(copy.ram.digest(), drv.ram.digest());
                assert_eq!(copy.vqs[0].last_used, 0);
                assert!(copy.take_used(0).is_some() && copy.take_used(0).is_some());
            }

            #[test]
            fn fresh_device_snapshot_differs_from_a_driven_one() {
                let fresh = Driver::new($make);
                assert_ne!(fresh.snapshot(), driven().snapshot());
            }

            #[test]
            fn truncated_or_extended_snapshots_are_refused_and_change_nothing() {
                let drv = driven();
                let snap = drv.snapshot();
                let mut target = Driver::new($make);
                let before = target.snapshot();
                for len in 0..snap.len() {
                    assert!(
                        target.dev.restore(&snap[..len]).is_err(),
                        "prefix of {len} bytes accepted"
                    );
                }
                let mut longer = snap.clone();
                longer.push(0);
                assert!(matches!(
                    target.dev.restore(&longer),
                    Err(SnapshotError::RestoreMalformed(_))
                ));
                assert_eq!(target.snapshot(), before);
            }
        }
    };
}

snapshot_tests!(blk, Blk<MemDisk>, blk_device(), blk_step, blk_device());
snapshot_tests!(net, Net<FrameSink>, net_device(), net_step, net_device());
snapshot_tests!(rng, Rng<Seeded>, Rng::new(Seeded(5)), rng_step, {
    let mut seeded = Seeded(5);
    seeded.fill(&mut [0; 32]);
    Rng::new(seeded)
});

fn blk_device() -> Blk<MemDisk> {
    Blk::new(MemDisk::patterned(8), false).with_serial(b"snap")
}

fn net_device() -> Net<FrameSink> {
    Net::new(FrameSink::default(), [2, 4, 6, 8, 10, 12])
}

#[test]
fn one_devices_snapshot_is_refused_by_another() {
    let mut blk = Driver::new(Blk::new(MemDisk::patterned(8), false));
    let rng = Driver::new(Rng::new(Seeded(1)));
    assert!(blk.dev.restore(&rng.snapshot()).is_err());
}

#[test]
fn blk_snapshot_is_refused_over_a_disk_of_another_capacity() {
    let small = Driver::new(Blk::new(MemDisk::patterned(8), false));
    let mut big = Driver::new(Blk::new(MemDisk::patterned(9), false));
    assert!(big.dev.restore(&small.snapshot()).is_err());
}

#[test]
fn ready_queue_with_an_invalid_size_is_refused() {
    let mut drv = Driver::new(Rng::new(Seeded(1)));
    drv.init();
    let mut snap = drv.snapshot();
    // Tag, device id, 4 selectors/status, driver features, isr, generation, queue count:
    // then queue 0's `num`.
    let num_at = 4 + 4 + 16 + 8 + 4 + 4 + 2;
    assert_eq!(snap[num_at..num_at + 4], 16u32.to_le_bytes());
    snap[num_at..num_at + 4].copy_from_slice(&12u32.to_le_bytes());
    assert!(matches!(
        drv.dev.restore(&snap),
        Err(SnapshotError::RestoreMalformed(_))
    ));
}

#[test]
fn random_bytes_never_panic_restore() {
    let mut drv = Driver::new(Net::new(FrameSink::default(), [0; 6]));
    let good = drv.snapshot();
    let mut rng = Seeded(9);
    for _ in 0..2000 {
        let mut bytes = good.clone();
        let at = rng.next() as usize % bytes.len();
        bytes[at] = rng.next() as u8;
        let _ = drv.dev.restore(&bytes);
    }
}
