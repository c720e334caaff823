//! A hostile driver: bad addresses, looping chains, bad queue sizes, runaway indices. Each
//! must end in DEVICE_NEEDS_RESET (plus a config interrupt), never a panic or a hang.

mod virtio_driver;

use devices::virtio::{status, Blk, Net, Rng, VirtioDevice};
use devices::DeviceCtx;
use virtio_driver::*;

type BlkDriver = Driver<Blk<MemDisk>>;

fn blk() -> BlkDriver {
    let mut drv = Driver::new(Blk::new(MemDisk::patterned(16), false));
    drv.init();
    drv
}

/// A valid 1-sector read of sector `sector`: (header, data, status) buffers.
fn read_request(drv: &mut BlkDriver, sector: u64) -> [Buf; 3] {
    let mut h = [0; 16];
    h[8..].copy_from_slice(&sector.to_le_bytes());
    let h = drv.alloc_with(&h);
    [
        (h, 16, false),
        (drv.alloc(512), 512, true),
        (drv.alloc_with(&[0xff]), 1, true),
    ]
}

/// The device must have refused the ring: NEEDS_RESET, a config interrupt, nothing used.
fn assert_needs_reset(drv: &mut BlkDriver) {
    assert!(drv.needs_reset(), "status {:#x}", drv.status());
    assert_ne!(drv.read(reg::INTERRUPT_STATUS) & 2, 0, "no config interrupt");
    assert!(drv.dev.fault().is_some());
    assert_eq!(drv.take_used(0), None);
}

/// Writes descriptor 0 with the given fields, makes it available and kicks.
fn kick_desc0(drv: &mut BlkDriver, addr: u64, len: u32, flags: u16, next: u16) {
    drv.write_desc(0, 0, addr, len, flags, next);
    drv.make_available(0, 0, 1);
    drv.kick(0);
}

#[test]
fn descriptor_outside_ram_needs_reset() {
    let mut drv = blk();
    kick_desc0(&mut drv, 0x1000, 16, 0, 0);
    assert_needs_reset(&mut drv);
}

#[test]
fn descriptor_straddling_the_end_of_ram_needs_reset() {
    let mut drv = blk();
    kick_desc0(&mut drv, RAM_BASE + RAM_SIZE - 8, 16, 0, 0);
    assert_needs_reset(&mut drv);
}

#[test]
fn descriptor_address_that_wraps_the_address_space_needs_reset() {
    let mut drv = blk();
    kick_desc0(&mut drv, u64::MAX - 4, 16, 0, 0);
    assert_needs_reset(&mut drv);
}

#[test]
fn chain_whose_next_points_back_needs_reset_every_time_within_a_bounded_loop() {
    // 1000 rounds of a looping chain on the largest queue: if the walk were unbounded this
    // test would never end; bounded, it takes milliseconds.
    let mut drv = Driver::new(Blk::new(MemDisk::patterned(16), false));
    for round in 0..1000u16 {
        drv.init_with(256);
        let h = drv.alloc_with(&[0; 16]);
        let loop_to = round % 2; // 0 -> 0 (self loop) or 0 -> 1 -> 0
        drv.write_desc(0, 0, h, 16, F_NEXT, loop_to);
        drv.write_desc(0, 1, h, 16, F_NEXT, 0);
        drv.make_available(0, 0, 1);
        drv.kick(0);
        assert_needs_reset(&mut drv);
        assert_walk_bounded(&drv);
    }
}

/// The refusal came from the chain-length bound, not from some other check.
fn assert_walk_bounded(drv: &BlkDriver) {
    let fault = drv.dev.fault().unwrap_or_default();
    assert!(fault.contains("chain is longer than"), "{fault}");
}

#[test]
fn indirect_table_that_loops_needs_reset() {
    let mut drv = blk();
    let table = drv.alloc(32);
    let h = drv.alloc_with(&[0; 16]);
    write_raw_desc(&mut drv.ram, table, h, 16, F_NEXT, 1);
    write_raw_desc(&mut drv.ram, table + 16, h, 16, F_NEXT, 0);
    kick_desc0(&mut drv, table, 32, F_INDIRECT, 0);
    assert_needs_reset(&mut drv);
    assert_walk_bounded(&drv);
}

#[test]
fn nested_indirect_table_needs_reset() {
    let mut drv = blk();
    let h = drv.alloc_with(&[0; 16]);
    let inner = drv.alloc(16);
    let outer = drv.alloc(16);
    write_raw_desc(&mut drv.ram, inner, h, 16, 0, 0);
    write_raw_desc(&mut drv.ram, outer, inner, 16, F_INDIRECT, 0);
    kick_desc0(&mut drv, outer, 16, F_INDIRECT, 0);
    assert_needs_reset(&mut drv);
}

#[test]
fn indirect_descriptor_with_next_or_a_bad_length_needs_reset() {
    for (len, flags) in [
        (16, F_INDIRECT | F_NEXT),
        (0, F_INDIRECT),
        (24, F_INDIRECT),
        (0xffff_fff0, F_INDIRECT),
    ] {
        let mut drv = blk();
        let table = drv.alloc(16);
        kick_desc0(&mut drv, table, len, flags, 1);
        assert_needs_reset(&mut drv);
    }
}

#[test]
fn next_index_past_the_queue_size_needs_reset() {
    let mut drv = blk();
    let h = drv.alloc_with(&[0; 16]);
    kick_desc0(&mut drv, h, 16, F_NEXT, 16);
    assert_needs_reset(&mut drv);
}

#[test]
fn avail_ring_head_past_the_queue_size_needs_reset() {
    let mut drv = blk();
    drv.make_available(0, 16, 1);
    drv.kick(0);
    assert_needs_reset(&mut drv);
}

#[test]
fn avail_idx_jumping_by_more_than_the_queue_size_needs_reset() {
    for bump in [17, 0x8000, 0xffff] {
        let mut drv = blk();
        let req = read_request(&mut drv, 0);
        drv.post(0, &req);
        drv.make_available(0, 0, bump - 1);
        drv.kick(0);
        assert_needs_reset(&mut drv);
    }
}

#[test]
fn readable_buffer_after_a_writable_one_needs_reset() {
    let mut drv = blk();
    let [h, data, status] = read_request(&mut drv, 0);
    drv.post(0, &[data, h, status]);
    drv.kick(0);
    assert_needs_reset(&mut drv);
}

#[test]
fn blk_request_without_status_byte_or_full_header_needs_reset() {
    let mut drv = blk();
    let [h, data, _] = read_request(&mut drv, 0);
    drv.post(0, &[h, (data.0, 512, false)]);
    drv.kick(0);
    assert_needs_reset(&mut drv);

    let mut drv = blk();
    let [h, _, status] = read_request(&mut drv, 0);
    drv.post(0, &[(h.0, 8, false), status]);
    drv.kick(0);
    assert_needs_reset(&mut drv);
}

#[test]
fn invalid_queue_sizes_leave_the_queue_not_ready_and_need_reset() {
    for size in [0, 3, 100, 512, 0x1_0000] {
        let mut drv = Driver::new(Blk::new(MemDisk::patterned(16), false));
        assert!(drv.negotiate(VERSION_1));
        drv.setup_queue(0, size);
        assert_eq!(drv.read(reg::QUEUE_READY), 0, "size {size}");
        assert_needs_reset(&mut drv);
    }
}

#[test]
fn rings_outside_ram_or_misaligned_leave_the_queue_not_ready_and_need_reset() {
    let rings = [
        (0x1000, RAM_BASE + 0x1000, RAM_BASE + 0x2000),
        (RAM_BASE, RAM_BASE + RAM_SIZE - 4, RAM_BASE + 0x2000),
        (RAM_BASE, RAM_BASE + 0x1000, u64::MAX - 8),
        (RAM_BASE + 8, RAM_BASE + 0x1000, RAM_BASE + 0x2000),
        (RAM_BASE, RAM_BASE + 0x1001, RAM_BASE + 0x2000),
        (RAM_BASE, RAM_BASE + 0x1000, RAM_BASE + 0x2002),
    ];
    for (desc, avail, used) in rings {
        let mut drv = Driver::new(Blk::new(MemDisk::patterned(16), false));
        assert!(drv.negotiate(VERSION_1));
        drv.write(reg::QUEUE_SEL, 0);
        drv.write(reg::QUEUE_NUM, 16);
        drv.set_queue_addresses(desc, avail, used);
        drv.write(reg::QUEUE_READY, 1);
        assert_eq!(drv.read(reg::QUEUE_READY), 0, "{desc:#x} {avail:#x} {used:#x}");
        assert!(drv.needs_reset());
    }
}

#[test]
fn needs_reset_stops_all_processing_until_the_driver_resets() {
    let mut drv = blk();
    kick_desc0(&mut drv, 0x1000, 16, 0, 0);
    assert!(drv.needs_reset());
    // Even a well-formed request is not served now, and writing status keeps the bit.
    drv.vqs[0].next_desc = 1;
    let req = read_request(&mut drv, 1);
    drv.post(0, &req);
    drv.kick(0);
    assert_eq!(drv.take_used(0), None);
    drv.driver_ok();
    assert!(drv.needs_reset());

    drv.init();
    assert_eq!(drv.status() & status::DEVICE_NEEDS_RESET, 0);
    assert_eq!(drv.dev.fault(), None);
    let req = read_request(&mut drv, 1);
    drv.post(0, &req);
    drv.kick(0);
    assert_eq!(drv.take_used(0).map(|(_, len)| len), Some(513));
}

/// An address near RAM: mostly inside, sometimes just past the end, sometimes anywhere.
fn random_addr(rng: &mut Seeded) -> u64 {
    match rng.next() % 8 {
        0 => rng.next(),
        1 => RAM_BASE + RAM_SIZE - rng.next() % 64,
        _ => RAM_BASE + rng.next() % RAM_SIZE,
    }
}

/// Random descriptor tables, rings, indices and register writes; `extra` adds a
/// device-specific step. Nothing may panic and every call must return; the final check
/// only makes sure the fuzzing reached both the served and the refused paths.
fn fuzz<D: VirtioDevice>(make: impl Fn() -> D, seed: u64, extra: impl Fn(&mut Driver<D>, &mut Seeded)) {
    let mut rng = Seeded(seed);
    let (mut served, mut refused) = (0, 0);
    for _ in 0..200 {
        let mut drv = Driver::new(make());
        drv.init_with(8);
        for _ in 0..20 {
            let q = (rng.next() % drv.vqs.len() as u64) as usize;
            for i in 0..8 {
                let (addr, len) = (
                    random_addr(&mut rng),
                    [1, 16, 512, 0x3000][rng.next() as usize % 4],
                );
                // Mostly plausible chains (NEXT to the following entry, readable then
                // writable), so requests get served as well as refused.
                let flags = [
                    0,
                    F_NEXT,
                    F_WRITE,
                    F_NEXT | F_WRITE,
                    F_NEXT,
                    rng.next() as u16 % 8,
                ];
                let next = if rng.next().is_multiple_of(4) {
                    rng.next() as u16 % 10
                } else {
                    i + 1
                };
                drv.write_desc(q, i, addr, len, flags[rng.next() as usize % 6], next);
            }
            drv.make_available(q, (rng.next() % 9) as u16, (rng.next() % 10) as u16);
            match rng.next() % 10 {
                0 => drv.write((rng.next() % 0x40) * 4, rng.next() as u32),
                1 => drv.init_with(8),
                2 => extra(&mut drv, &mut rng),
                _ => drv.kick((rng.next() % 3) as u32),
            }
            served += drv
                .vqs
                .iter()
                .filter(|vq| drv.mem(vq.used + 2, 2) != [0, 0])
                .count();
            refused += usize::from(drv.dev.fault().is_some());
        }
    }
    assert!(served > 0 && refused > 0, "served {served}, refused {refused}");
}

#[test]
fn random_rings_never_panic_blk() {
    fuzz(|| Blk::new(MemDisk::patterned(64), false), 1, |_, _| {});
}

#[test]
fn random_rings_never_panic_net() {
    let receive = |drv: &mut Driver<Net<FrameSink>>, rng: &mut Seeded| {
        let frame = vec![0x42; (rng.next() % 2000) as usize];
        let mut ctx = DeviceCtx {
            ram: &mut drv.ram,
            now: NOW,
        };
        drv.dev.receive(&frame, &mut ctx);
        drv.dev.rx_buffers_available(&drv.ram);
    };
    fuzz(|| Net::new(FrameSink::default(), [2, 0, 0, 0, 0, 1]), 2, receive);
}

#[test]
fn random_rings_never_panic_rng() {
    fuzz(|| Rng::new(Seeded(3)), 3, |_, _| {});
}
