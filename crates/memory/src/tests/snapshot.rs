//! Snapshot save and restore.

use super::*;
use crate::MemoryError;

/// Header (8 magic + 4 version + 8 base + 8 size) and trailer (8 end marker + 32 digest).
const OVERHEAD: usize = 28 + 40;

fn saved(ram: &GuestRam) -> Vec<u8> {
    let mut bytes = Vec::new();
    ram.save(&mut bytes).unwrap();
    bytes
}

fn sample() -> GuestRam {
    let mut ram = ram(16);
    ram.write(BASE + 5, b"first frame").unwrap();
    ram.write(BASE + 9 * FRAME - 3, b"straddles 8 and 9").unwrap();
    ram.write(BASE + 15 * FRAME + 4000, &[0xee; 96]).unwrap();
    ram.write(BASE + 12 * FRAME, &[0; 32]).unwrap(); // written, but still all zero
    ram
}

#[test]
fn snapshot_round_trip_reproduces_bytes_and_digest() {
    let ram = sample();
    let bytes = saved(&ram);
    let restored = GuestRam::restore(&mut bytes.as_slice()).unwrap();
    assert_eq!(saved(&restored), bytes);
    assert_eq!(restored.digest(), ram.digest());
    assert_eq!((restored.base(), restored.size()), (ram.base(), ram.size()));
    assert_eq!(restored.dirty_frames().count(), 0);
}

#[test]
fn snapshot_stores_only_non_zero_frames() {
    let bytes = saved(&sample());
    assert_eq!(bytes.len(), OVERHEAD + 4 * (8 + FRAME_SIZE)); // frames 0, 8, 9, 15
    assert_eq!(saved(&GuestRam::new(0, 1 << 30).unwrap()).len(), OVERHEAD);
}

#[test]
fn restore_maps_zero_frames_to_the_shared_zero_frame() {
    let restored = GuestRam::restore(&mut saved(&sample()).as_slice()).unwrap();
    assert_eq!(GuestRam::stats(&[&restored, &ram(1)]).unique_frames, 5);
}

#[test]
fn restore_consumes_exactly_the_saved_bytes() {
    let mut bytes = saved(&sample());
    bytes.extend_from_slice(b"next");
    let mut rest = bytes.as_slice();
    GuestRam::restore(&mut rest).unwrap();
    assert_eq!(rest, b"next");
}

#[test]
fn restore_rejects_bad_magic_and_version() {
    let mut bytes = saved(&sample());
    bytes[0] ^= 1;
    assert!(matches!(
        GuestRam::restore(&mut bytes.as_slice()),
        Err(MemoryError::SnapshotFormat { .. })
    ));
    let mut bytes = saved(&sample());
    bytes[8] = 2;
    assert!(matches!(
        GuestRam::restore(&mut bytes.as_slice()),
        Err(MemoryError::SnapshotFormat { .. })
    ));
}

#[test]
fn restore_rejects_truncation() {
    let bytes = saved(&sample());
    for len in [0, 10, 40, bytes.len() - 1] {
        let got = GuestRam::restore(&mut &bytes[..len]);
        assert!(
            matches!(got, Err(MemoryError::SnapshotIo(_))),
            "truncated to {len}"
        );
    }
}

#[test]
fn restore_rejects_corrupted_contents() {
    let mut bytes = saved(&sample());
    bytes[28 + 8 + 100] ^= 0x40; // a byte inside frame 0's data
    let got = GuestRam::restore(&mut bytes.as_slice());
    assert!(matches!(got, Err(MemoryError::SnapshotFormat { reason }) if reason.contains("digest")));
}

#[test]
fn restore_rejects_bad_layout_and_frame_indices() {
    let mut bytes = saved(&sample());
    bytes[20..28].copy_from_slice(&(FRAME + 1).to_le_bytes());
    assert!(matches!(
        GuestRam::restore(&mut bytes.as_slice()),
        Err(MemoryError::BadSize { .. })
    ));

    // A valid but absurd layout (8 EiB, a 16 PiB frame table) must fail cleanly, not abort.
    let mut bytes = saved(&sample());
    bytes[12..20].copy_from_slice(&0u64.to_le_bytes());
    bytes[20..28].copy_from_slice(&(1u64 << 63).to_le_bytes());
    assert!(matches!(
        GuestRam::restore(&mut bytes.as_slice()),
        Err(MemoryError::BadSize { .. })
    ));

    let mut bytes = saved(&sample());
    bytes[28..36].copy_from_slice(&16u64.to_le_bytes()); // first record past the last frame
    assert!(matches!(
        GuestRam::restore(&mut bytes.as_slice()),
        Err(MemoryError::SnapshotFormat { .. })
    ));

    let mut bytes = saved(&sample());
    let second = 28 + 8 + FRAME_SIZE;
    bytes[second..second + 8].copy_from_slice(&0u64.to_le_bytes()); // frame 0 again
    assert!(matches!(
        GuestRam::restore(&mut bytes.as_slice()),
        Err(MemoryError::SnapshotFormat { .. })
    ));
}

#[test]
fn restore_rejects_an_explicitly_stored_zero_frame() {
    let mut bytes = saved(&sample());
    bytes[28 + 8..28 + 8 + FRAME_SIZE].fill(0);
    let got = GuestRam::restore(&mut bytes.as_slice());
    assert!(matches!(got, Err(MemoryError::SnapshotFormat { reason }) if reason.contains("zero")));
}

#[test]
fn untracked_ram_round_trips_too() {
    let mut ram = GuestRam::<()>::new_with_log(0, 2 * FRAME).unwrap();
    ram.write(FRAME, b"x").unwrap();
    let mut bytes = Vec::new();
    ram.save(&mut bytes).unwrap();
    let restored = GuestRam::<()>::restore_with_log(&mut bytes.as_slice()).unwrap();
    assert_eq!(restored.digest(), ram.digest());
}
