//! virtio-rng: buffers are filled from the entropy backend, deterministically.

mod virtio_driver;

use devices::virtio::Rng;
use devices::EntropyBackend;
use virtio_driver::*;

/// Fills three buffers of different sizes (one split over two descriptors) and returns
/// their contents in order.
fn run(seed: u64) -> Vec<u8> {
    let mut drv = Driver::new(Rng::new(Seeded(seed)));
    drv.init();
    let a = drv.alloc(16);
    let b = drv.alloc(100);
    let c = drv.alloc(7);
    drv.post(0, &[(a, 16, true)]);
    drv.post(0, &[(b, 60, true), (b + 60, 40, true)]);
    drv.post(0, &[(c, 7, true)]);
    drv.kick(0);
    let lens: Vec<_> = std::iter::from_fn(|| drv.take_used(0))
        .map(|(_, len)| len)
        .collect();
    assert_eq!(lens, [16, 100, 7]);
    [drv.mem(a, 16), drv.mem(b, 100), drv.mem(c, 7)].concat()
}

#[test]
fn buffers_are_filled_from_the_backend_in_order() {
    let mut expected = vec![0; 123];
    Seeded(42).fill(&mut expected);
    assert_eq!(run(42), expected);
}

#[test]
fn same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn device_readable_buffers_are_left_untouched() {
    let mut drv = Driver::new(Rng::new(Seeded(1)));
    drv.init();
    let r = drv.alloc_with(&[0x11; 8]);
    let w = drv.alloc(8);
    drv.post(0, &[(r, 8, false), (w, 8, true)]);
    drv.kick(0);
    assert_eq!(drv.take_used(0).map(|(_, len)| len), Some(8));
    assert_eq!(drv.mem(r, 8), [0x11; 8]);
}

#[test]
fn huge_request_is_capped_at_64_kib() {
    let mut drv = Driver::new(Rng::new(Seeded(1)));
    drv.init();
    let buf = drv.alloc(0x20000);
    drv.post(0, &[(buf, 0x20000, true)]);
    drv.kick(0);
    assert_eq!(drv.take_used(0).map(|(_, len)| len), Some(0x10000));
    assert!(drv.mem(buf + 0x10000, 0x10000).iter().all(|&b| b == 0));
}
