//! Fork, copy-on-write, merging, accounting and the epoch.

use super::*;

#[test]
fn fork_isolates_writes_by_the_child_from_the_parent() {
    let mut parent = ram(4);
    parent.write(BASE, b"parent").unwrap();
    let mut child = parent.fork();
    child.write(BASE, b"CHILD!").unwrap();
    child.write(BASE + 3 * FRAME, b"new").unwrap();
    assert_eq!(parent.frame(0)[..6], *b"parent");
    assert!(parent.frame(3).iter().all(|&b| b == 0));
    assert_eq!(child.frame(0)[..6], *b"CHILD!");
}

#[test]
fn fork_isolates_writes_by_the_parent_from_the_child() {
    let mut parent = ram(4);
    parent.write(BASE, b"before").unwrap();
    let child = parent.fork();
    parent.write(BASE, b"after!").unwrap();
    parent.frame_mut(2)[7] = 9;
    assert_eq!(child.frame(0)[..6], *b"before");
    assert_eq!(child.frame(2)[7], 0);
}

#[test]
fn fork_copies_no_frames() {
    let mut parent = ram(64);
    for i in 0..10 {
        parent.write(BASE + i * 5 * FRAME, &[i as u8 + 1]).unwrap();
    }
    let before = unique(&[&parent]);
    let child = parent.fork();
    assert_eq!(before, 11);
    assert_eq!(unique(&[&parent, &child]), before);
    assert!((0..64).all(|i| shares(&parent, &child, i)));
    assert_eq!(child.private_frames(), 0);
}

#[test]
fn write_to_a_shared_frame_copies_exactly_that_frame() {
    let mut parent = ram(8);
    for i in 0..8 {
        parent.write(BASE + i * FRAME, &[1]).unwrap();
    }
    let mut child = parent.fork();
    child.write(BASE + 3 * FRAME + 17, &[2]).unwrap();
    assert_eq!(unique(&[&parent, &child]), 9);
    assert!((0..8).all(|i| shares(&parent, &child, i) == (i != 3)));
    assert_eq!((parent.private_frames(), child.private_frames()), (1, 1));
    assert_eq!(child.frame(3)[0], 1, "copy must keep the rest of the frame");
}

#[test]
fn write_to_an_exclusive_frame_does_not_copy() {
    let mut ram = ram(2);
    ram.write(BASE, &[1]).unwrap();
    let before = Arc::as_ptr(&ram.frames[0]);
    ram.write(BASE + 1, &[2]).unwrap();
    assert_eq!(Arc::as_ptr(&ram.frames[0]), before);
}

/// Two RAMs of 6 frames: 0, 1 and 3 written identically, 2 differing in its last byte, 4 a
/// private copy of zeros in `a` against the shared zero frame in `b`, 5 untouched.
fn merge_candidates() -> (GuestRam, GuestRam) {
    let mut a = ram(6);
    let mut b = ram(6);
    for i in 0..4 {
        a.write(BASE + i * FRAME, &[i as u8 + 1]).unwrap();
        b.write(BASE + i * FRAME, &[i as u8 + 1]).unwrap();
    }
    b.write(BASE + 2 * FRAME + 4095, &[1]).unwrap();
    a.write(BASE + 4 * FRAME, &[0]).unwrap();
    (a, b)
}

fn check_merge_of_candidates(mut a: GuestRam, b: GuestRam) {
    assert_eq!(unique(&[&a, &b]), 10);
    let merged = a.merge_identical(&b, 0..6);
    assert_eq!(merged, 4, "frames 0, 1, 3 and 4");
    assert!([0, 1, 3, 4, 5].iter().all(|&i| shares(&a, &b, i)));
    assert!(!shares(&a, &b, 2));
    assert_eq!(a.frame(2)[4095], 0);
    assert_eq!(unique(&[&a, &b]), 6);
    assert_eq!(a.merge_identical(&b, 0..6), 0, "already shared");
}

#[test]
fn merge_shares_identical_frames_and_never_differing_ones() {
    let (a, b) = merge_candidates();
    check_merge_of_candidates(a, b);
}

#[test]
fn merge_after_digests_decides_by_the_cached_hashes_alike() {
    let (a, b) = merge_candidates();
    // Caches every frame's hash in both RAMs, as the replicas' digests do at a checkpoint.
    a.digest();
    b.digest();
    check_merge_of_candidates(a, b);
}

#[test]
fn merge_with_one_hash_cached_compares_bytes() {
    let (a, b) = merge_candidates();
    a.digest();
    check_merge_of_candidates(a, b);
}

#[test]
fn merge_skips_indices_outside_either_ram() {
    let mut a = ram(2);
    let mut b = ram(4);
    a.write(BASE, &[1]).unwrap();
    b.write(BASE, &[1]).unwrap();
    b.write(BASE + 3 * FRAME, &[1]).unwrap();
    assert_eq!(a.merge_identical(&b, [3, 99, 0]), 1);
    assert!(shares(&a, &b, 0));
}

#[test]
fn merged_ram_stays_isolated_from_the_frame_it_now_shares() {
    let mut a = ram(1);
    let mut b = ram(1);
    a.write(BASE, b"same").unwrap();
    b.write(BASE, b"same").unwrap();
    assert_eq!(a.merge_identical(&b, [0]), 1);
    a.write(BASE, b"diff").unwrap();
    assert_eq!(b.frame(0)[..4], *b"same");
}

#[test]
fn stats_over_one_two_and_three_rams() {
    let mut a = ram(4);
    a.write(BASE, &[1]).unwrap();
    a.write(BASE + FRAME, &[1]).unwrap();
    let stats = GuestRam::stats(&[&a]);
    assert_eq!((stats.logical_frames, stats.unique_frames), (4, 3)); // zero + 2 written
    assert_eq!(stats.logical_bytes(), 4 * FRAME);
    assert_eq!(stats.unique_bytes(), 3 * FRAME);

    let mut b = a.fork();
    assert_eq!(GuestRam::stats(&[&a, &b]).logical_frames, 8);
    assert_eq!(unique(&[&a, &b]), 3);
    b.write(BASE + 2 * FRAME, &[1]).unwrap();
    assert_eq!(unique(&[&a, &b]), 4);

    let c = ram(2); // independent RAM: still the same zero frame
    let stats = GuestRam::stats(&[&a, &b, &c]);
    assert_eq!((stats.logical_frames, stats.unique_frames), (10, 4));
    assert_eq!(
        GuestRam::<crate::DirtyBitmap>::stats(&[]),
        crate::MemoryStats::default()
    );
}

#[test]
fn stats_count_every_distinct_allocation_once_across_chunks_and_ram_sizes() {
    // Three RAMs of 300, 300 and 200 frames: forked from one another, then written, some
    // frames merged back, at seeded places across the 64-frame chunks the count goes by.
    // Checked against a plain count of distinct allocations.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: u64| xorshift(&mut seed) % n;
    let mut a = ram(300);
    for _ in 0..100 {
        a.write(BASE + next(300) * FRAME, &[1]).unwrap();
    }
    let check = |rams: &[&GuestRam], what: &str| {
        let stats = GuestRam::stats(rams);
        assert_eq!(stats.unique_frames, distinct_allocations(rams), "{what}");
        let logical: usize = rams.iter().map(|r| r.frame_count()).sum();
        assert_eq!(stats.logical_frames, logical, "{what}");
    };
    let mut b = a.fork();
    check(&[&a, &b], "a fork: every chunk the same in both");
    let mut c = ram(200);
    for round in 0..6 {
        for _ in 0..40 {
            b.write(BASE + next(300) * FRAME, &[round]).unwrap();
            c.write(BASE + next(200) * FRAME, &[round]).unwrap();
            a.write(BASE + next(300) * FRAME, &[round]).unwrap();
        }
        b.merge_identical(&a, 0..300);
        c.merge_identical(&a, 0..200);
        check(&[&a, &b, &c], &format!("round {round}"));
    }
}

#[test]
fn private_frames_counts_frames_no_other_ram_holds() {
    let mut a = ram(4);
    a.write(BASE, &[1]).unwrap();
    a.write(BASE + FRAME, &[1]).unwrap();
    assert_eq!(a.private_frames(), 2);
    let mut b = a.fork();
    assert_eq!(a.private_frames(), 0);
    b.write(BASE, &[2]).unwrap();
    assert_eq!((a.private_frames(), b.private_frames()), (1, 1));
    drop(b);
    assert_eq!(a.private_frames(), 2);
}

#[test]
fn epoch_changes_when_handed_out_frames_may_lose_exclusivity_or_tracking() {
    let mut a = ram(2);
    let mut b = ram(2);
    a.write(BASE, &[1]).unwrap();
    b.write(BASE, &[1]).unwrap();
    a.digest();
    b.digest();

    let e = a.epoch();
    let child = a.fork();
    assert_ne!(a.epoch(), e, "fork shares the parent's frames");
    assert_ne!(child.epoch(), a.epoch());

    let (ea, eb) = (a.epoch(), b.epoch());
    assert_eq!(a.merge_identical(&b, [1]), 0);
    assert_eq!(
        (a.epoch(), b.epoch()),
        (ea, eb),
        "nothing merged, nothing changes"
    );
    assert_eq!(a.merge_identical(&b, [0]), 1);
    assert_ne!(a.epoch(), ea, "a's frame was replaced");
    assert_ne!(b.epoch(), eb, "b's frame became shared");

    let e = a.epoch();
    a.clear_dirty();
    assert_ne!(a.epoch(), e, "dirty marks dropped");
}

#[test]
fn stamp_changes_on_every_write_not_made_through_frame_mut_and_with_the_epoch() {
    let mut a = ram(2);
    let s = a.stamp();
    a.frame_mut(0)[0] = 1;
    assert_eq!(a.stamp(), s, "the hart's own write: it knows of it");
    a.write(BASE + 1, &[2]).unwrap();
    assert_ne!(a.stamp(), s, "a device's write");
    let s = a.stamp();
    a.write(BASE + 1, &[3]).unwrap();
    assert_ne!(a.stamp(), s, "every write, even to a frame already writable");
    let s = a.stamp();
    let child = a.fork();
    assert_ne!(a.stamp(), s, "fork");
    assert_ne!(child.stamp(), a.stamp(), "no two RAMs show the same stamp");
    let s = a.stamp();
    a.clear_dirty();
    assert_ne!(a.stamp(), s, "any change of the epoch");
}

#[test]
fn epoch_changes_when_a_written_frame_gets_its_hash_cached() {
    let mut ram = ram(2);
    let e = ram.epoch();
    ram.digest();
    assert_eq!(ram.epoch(), e, "zero frame hash is precomputed");
    ram.frame_mut(1)[0] = 1;
    assert_eq!(ram.epoch(), e, "frame_mut itself never changes the epoch");
    ram.digest();
    assert_ne!(
        ram.epoch(),
        e,
        "frame 1 was hashed after being handed out for writing"
    );
    let e = ram.epoch();
    ram.digest();
    ram.frame_hash(1);
    assert_eq!(ram.epoch(), e, "cached hashes are reused");
    ram.frame_mut(1)[0] = 2;
    ram.frame_hash(1);
    assert_ne!(ram.epoch(), e, "frame_hash caches like digest");
}

#[test]
fn epoch_is_unchanged_by_plain_access() {
    let mut ram = ram(2);
    let e = ram.epoch();
    ram.write(BASE, &[1]).unwrap();
    ram.frame_mut(1)[0] = 1;
    let mut buf = [0; 4];
    ram.read(BASE, &mut buf).unwrap();
    let _ = (
        ram.frame(0),
        GuestRam::stats(&[&ram]),
        ram.private_frames(),
        ram.dirty_frames().count(),
    );
    assert_eq!(ram.epoch(), e);
}

#[test]
fn repeated_writes_in_one_epoch_stay_private_dirty_and_unhashed() {
    // The second `frame_mut` of a frame in an epoch takes the fast path; every operation that
    // changes the epoch must send the next write back through the copy-on-write bookkeeping.
    let mut a = ram(2);
    a.frame_mut(0)[0] = 1;
    a.frame_mut(0)[1] = 2;
    let hashed = a.frame_hash(0);
    a.frame_mut(0)[2] = 3;
    a.frame_mut(0)[3] = 4;
    assert_ne!(
        a.frame_hash(0),
        hashed,
        "a write after hashing drops the cached hash"
    );

    a.clear_dirty();
    a.frame_mut(0)[4] = 5;
    a.frame_mut(0)[4] = 6;
    assert!(a.is_dirty(0), "a write after clear_dirty is tracked");

    let child = a.fork();
    a.frame_mut(0)[5] = 7;
    a.frame_mut(0)[6] = 8;
    assert_eq!(
        child.frame(0)[..7],
        [1, 2, 3, 4, 6, 0, 0],
        "the fork keeps its copy"
    );

    let mut other = ram(2);
    other.write(BASE, &a.frame(0)[..]).unwrap();
    assert_eq!(other.merge_identical(&a, [0]), 1);
    a.frame_mut(0)[7] = 9;
    a.frame_mut(0)[8] = 9;
    assert_eq!(
        other.frame(0)[7..9],
        [0, 0],
        "the RAM merged with it keeps its copy"
    );
    assert_eq!(a.frame(0)[..9], [1, 2, 3, 4, 6, 7, 8, 9, 9]);
}

#[test]
fn written_this_epoch_marks_frames_written_since_the_epoch_changed() {
    let mut a = ram(3);
    a.frame_mut(1)[0] = 1;
    assert!(a.written_this_epoch(1));
    assert!(!a.written_this_epoch(0) && !a.written_this_epoch(2));
    a.clear_dirty();
    assert!(!a.written_this_epoch(1), "a new epoch starts cold");
    a.frame_mut(2)[0] = 1;
    assert!(a.written_this_epoch(2) && !a.written_this_epoch(1));
}

#[test]
fn stats_count_distinct_allocations_like_a_sort_would() {
    // The per-index count relies on an allocation never sitting at two indices; check it against
    // plain pointer sorting over random forks, writes, merges and restores of three RAMs.
    let mut rams = [ram(8), ram(8), ram(8)];
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for step in 0..2000 {
        xorshift(&mut x);
        let (i, j, f) = (
            (x % 3) as usize,
            ((x >> 8) % 3) as usize,
            ((x >> 16) % 8) as usize,
        );
        match (x >> 24) % 8 {
            0 => rams[j] = rams[i].fork(),
            1..=4 => rams[i].frame_mut(f)[(x >> 32) as usize % FRAME_SIZE] = (x >> 40) as u8 & 1,
            5 | 6 if i != j => {
                let [a, b, c] = &mut rams;
                let (me, other): (&mut GuestRam, &GuestRam) = match (i, j) {
                    (0, 1) => (a, b),
                    (0, _) => (a, c),
                    (1, 0) => (b, a),
                    (1, _) => (b, c),
                    (2, 0) => (c, a),
                    _ => (c, b),
                };
                me.merge_identical(other, 0..8);
            }
            _ => {
                let mut bytes = Vec::new();
                rams[i].save(&mut bytes).unwrap();
                rams[i] = GuestRam::restore(&mut bytes.as_slice()).unwrap();
            }
        }
        let all = [&rams[0], &rams[1], &rams[2]];
        assert_eq!(
            GuestRam::stats(&all).unique_frames,
            distinct_allocations(&all),
            "step {step}"
        );
    }
}

/// A RAM of 300 frames (three digest chunks) with a checkpoint forked from it and digested
/// right after its dirty log was cleared, then written at frames in two of the chunks.
fn written_since_checkpoint() -> (GuestRam, GuestRam) {
    let mut live = ram(300);
    live.write(BASE + 5 * FRAME, b"before").unwrap();
    live.clear_dirty();
    let checkpoint = live.fork();
    checkpoint.digest();
    for idx in [5, 6, 140, 141] {
        live.write(BASE + idx * FRAME, b"after").unwrap();
    }
    (live, checkpoint)
}

#[test]
fn catch_up_makes_a_checkpoint_equal_to_a_fresh_fork() {
    let (live, mut checkpoint) = written_since_checkpoint();
    checkpoint.catch_up(&live);
    assert!((0..300).all(|i| shares(&live, &checkpoint, i)));
    assert_eq!(checkpoint.digest(), live.fork().digest());
    // Restoring recomputes every hash and checks it against the saved (cached) digest.
    let mut bytes = Vec::new();
    checkpoint.save(&mut bytes).unwrap();
    assert_eq!(
        GuestRam::restore(&mut bytes.as_slice()).unwrap().digest(),
        live.digest()
    );
    assert_eq!(checkpoint.dirty_frames().count(), 0, "its own marks stay");
}

#[test]
fn writes_after_catch_up_leave_the_checkpoint_alone() {
    let (mut live, mut checkpoint) = written_since_checkpoint();
    checkpoint.catch_up(&live);
    // Frame 5 was made writable in the live RAM's current epoch before it became shared.
    live.frame_mut(5)[..3].copy_from_slice(b"new");
    live.write(BASE + 140 * FRAME, b"newer").unwrap();
    assert_eq!(checkpoint.frame(5)[..5], *b"after");
    assert_eq!(checkpoint.frame(140)[..5], *b"after");
}

#[test]
fn catch_up_with_another_layout_forks_it_whole() {
    let (live, _) = written_since_checkpoint();
    let mut other = ram(4);
    other.catch_up(&live);
    assert_eq!(other.frame_count(), 300);
    assert_eq!(other.digest(), live.digest());
}

#[test]
fn take_dirty_returns_the_marks_and_restarts_the_log_and_mark_dirty_gives_them_back() {
    let mut ram = ram(8);
    ram.write(BASE + FRAME, b"a").unwrap();
    ram.write(BASE + 5 * FRAME, b"b").unwrap();
    let epoch = ram.epoch();
    let before = ram.take_dirty();
    assert_eq!(before, vec![1, 5]);
    assert_eq!(ram.dirty_frames().count(), 0);
    // Writable references from before must not write unmarked.
    assert_ne!(ram.epoch(), epoch);
    ram.write(BASE + 2 * FRAME, b"c").unwrap();
    assert_eq!(ram.dirty_frames().collect::<Vec<_>>(), vec![2]);
    ram.mark_dirty(&before);
    ram.mark_dirty(&[8, 1000]);
    assert_eq!(ram.dirty_frames().collect::<Vec<_>>(), vec![1, 2, 5]);
}
