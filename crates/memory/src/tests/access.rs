//! Layout validation, addressing, reads and writes, dirty tracking.

use super::*;
use crate::MemoryError;

#[test]
fn new_rejects_unaligned_base() {
    assert!(matches!(GuestRam::new(BASE + 1, FRAME), Err(MemoryError::BadBase { base }) if base == BASE + 1));
}

#[test]
fn new_rejects_zero_and_partial_frame_sizes() {
    for size in [0, 1, FRAME - 1, FRAME + 1] {
        assert!(matches!(GuestRam::new(BASE, size), Err(MemoryError::BadSize { size: s }) if s == size));
    }
}

#[test]
fn new_rejects_ranges_past_the_top_of_the_address_space() {
    let base = u64::MAX - FRAME + 1; // last frame: its end, 2^64, is not representable
    assert!(matches!(
        GuestRam::new(base, FRAME),
        Err(MemoryError::AddressOverflow { .. })
    ));
    assert!(GuestRam::new(base - FRAME, FRAME).is_ok());
}

#[test]
fn new_ram_reports_layout_and_reads_zero() {
    let ram = ram(3);
    assert_eq!((ram.base(), ram.size(), ram.frame_count()), (BASE, 3 * FRAME, 3));
    assert!(ram.frame(2).iter().all(|&b| b == 0));
    let mut buf = [0xff; 64];
    ram.read(BASE + 100, &mut buf).unwrap();
    assert_eq!(buf, [0; 64]);
}

#[test]
fn large_ram_costs_one_shared_zero_frame() {
    let a = GuestRam::new(0, 256 << 20).unwrap();
    let b = GuestRam::new(1 << 40, FRAME).unwrap();
    assert_eq!(a.frame_count(), 65536);
    assert_eq!(unique(&[&a, &b]), 1);
    assert_eq!(a.private_frames(), 0);
}

#[test]
fn frame_index_maps_addresses_inside_and_rejects_outside() {
    let ram = ram(2);
    assert_eq!(ram.frame_index(BASE), Some(0));
    assert_eq!(ram.frame_index(BASE + FRAME - 1), Some(0));
    assert_eq!(ram.frame_index(BASE + FRAME), Some(1));
    assert_eq!(ram.frame_index(BASE + 2 * FRAME - 1), Some(1));
    assert_eq!(ram.frame_index(BASE + 2 * FRAME), None);
    assert_eq!(ram.frame_index(BASE - 1), None);
}

#[test]
fn contains_checks_both_ends_without_overflow() {
    let ram = ram(2);
    let end = BASE + 2 * FRAME;
    assert!(ram.contains(BASE, 2 * FRAME));
    assert!(ram.contains(end - 8, 8));
    assert!(ram.contains(end, 0));
    assert!(!ram.contains(end - 7, 8));
    assert!(!ram.contains(BASE - 1, 1));
    assert!(!ram.contains(BASE, 2 * FRAME + 1));
    assert!(!ram.contains(end - 8, u64::MAX));
    assert!(!ram.contains(u64::MAX, 2));
}

#[test]
fn reads_and_writes_span_frame_boundaries() {
    let mut ram = ram(4);
    let data: Vec<u8> = (0..2 * FRAME_SIZE + 10).map(|i| (i % 251) as u8).collect();
    let gpa = BASE + FRAME - 5;
    ram.write(gpa, &data).unwrap();

    let mut back = vec![0; data.len()];
    ram.read(gpa, &mut back).unwrap();
    assert_eq!(back, data);
    assert_eq!(ram.frame(0)[FRAME_SIZE - 5..], data[..5]);
    assert_eq!(ram.frame(1)[..], data[5..5 + FRAME_SIZE]);
    assert_eq!(ram.frame(3)[..5], data[5 + 2 * FRAME_SIZE..]);
    assert_eq!(ram.frame(3)[5], 0);
    assert_eq!(ram.frame(0)[FRAME_SIZE - 6], 0);
}

#[test]
fn out_of_range_accesses_fail_without_side_effects() {
    let mut ram = ram(2);
    let end = BASE + 2 * FRAME;
    let err = ram.write(end - 4, &[1; 8]).unwrap_err();
    assert!(matches!(err, MemoryError::OutOfRange { gpa, len: 8 } if gpa == end - 4));
    assert!(ram.frame(1).iter().all(|&b| b == 0), "partial write leaked");
    assert_eq!(ram.dirty_frames().count(), 0);

    let mut buf = [7; 8];
    assert!(matches!(
        ram.read(BASE - 4, &mut buf),
        Err(MemoryError::OutOfRange { .. })
    ));
    assert!(matches!(
        ram.read(u64::MAX, &mut buf),
        Err(MemoryError::OutOfRange { .. })
    ));
    assert_eq!(buf, [7; 8]);
}

#[test]
fn empty_access_at_the_end_is_allowed() {
    let mut ram = ram(1);
    ram.write(BASE + FRAME, &[]).unwrap();
    ram.read(BASE + FRAME, &mut []).unwrap();
    assert!(ram.write(BASE + FRAME + 1, &[]).is_err());
}

#[test]
fn dirty_tracking_marks_only_written_frames_in_order() {
    let mut ram = ram(200);
    ram.write(BASE + 150 * FRAME, &[1]).unwrap();
    ram.write(BASE + 3 * FRAME - 1, &[1, 2]).unwrap(); // frames 2 and 3
    ram.frame_mut(70);
    let mut buf = [0; 16];
    ram.read(BASE + 100 * FRAME, &mut buf).unwrap();
    let _ = ram.frame(99);
    assert_eq!(ram.dirty_frames().collect::<Vec<_>>(), [2, 3, 70, 150]);
    assert!(ram.is_dirty(70) && !ram.is_dirty(71));
    assert_eq!(ram.dirty_log().count(), 4);
}

#[test]
fn clear_dirty_starts_a_new_interval() {
    let mut ram = ram(8);
    ram.write(BASE, &[1]).unwrap();
    ram.clear_dirty();
    assert_eq!(ram.dirty_frames().count(), 0);
    ram.write(BASE + 5 * FRAME, &[1]).unwrap();
    assert_eq!(ram.dirty_frames().collect::<Vec<_>>(), [5]);
}

#[test]
fn fork_inherits_dirty_marks_then_tracks_independently() {
    let mut a = ram(8);
    a.write(BASE, &[1]).unwrap();
    let mut b = a.fork();
    b.write(BASE + 4 * FRAME, &[1]).unwrap();
    assert_eq!(a.dirty_frames().collect::<Vec<_>>(), [0]);
    assert_eq!(b.dirty_frames().collect::<Vec<_>>(), [0, 4]);
}

#[test]
fn untracked_ram_works_but_reports_nothing_dirty() {
    let mut ram = GuestRam::<()>::new_with_log(BASE, 2 * FRAME).unwrap();
    ram.write(BASE, b"abc").unwrap();
    assert_eq!(ram.frame(0)[..3], *b"abc");
    assert_eq!(ram.dirty_frames().count(), 0);
}
