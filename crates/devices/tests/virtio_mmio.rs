//! The virtio-mmio transport: identification, feature negotiation, queue setup, interrupts
//! and reset.

mod virtio_driver;

use devices::virtio::{status, Blk, Rng};
use virtio_driver::*;

fn rng() -> Driver<Rng<Seeded>> {
    Driver::new(Rng::new(Seeded(1)))
}

/// Posts and kicks one 16-byte entropy request on queue 0.
fn request_entropy(drv: &mut Driver<Rng<Seeded>>) {
    let buf = drv.alloc(16);
    drv.post(0, &[(buf, 16, true)]);
    drv.kick(0);
}

#[test]
fn identification_registers_read_magic_version_2_device_and_vendor() {
    let mut drv = Driver::new(Blk::new(MemDisk::patterned(8), false));
    assert_eq!(drv.read(reg::MAGIC), 0x7472_6976);
    assert_eq!(drv.read(reg::VERSION), 2);
    assert_eq!(drv.read(reg::DEVICE_ID), 2);
    assert_eq!(drv.read(reg::VENDOR_ID), 0x554d_4551);
    assert_eq!(rng().read(reg::DEVICE_ID), 4);
}

#[test]
fn version_1_and_indirect_descriptors_are_always_offered() {
    let features = rng().device_features();
    assert_eq!(features, VERSION_1 | INDIRECT_DESC);
}

#[test]
fn features_ok_is_refused_without_version_1() {
    let mut drv = rng();
    assert!(!drv.negotiate(INDIRECT_DESC));
    assert!(drv.negotiate(VERSION_1));
}

#[test]
fn features_ok_is_refused_for_a_feature_not_offered() {
    let mut drv = rng();
    assert!(!drv.negotiate(VERSION_1 | 1 << 29)); // EVENT_IDX: not offered
}

#[test]
fn driver_features_are_frozen_once_features_ok_is_set() {
    let mut drv = rng();
    assert!(drv.negotiate(VERSION_1));
    drv.write(reg::DRIVER_FEATURES_SEL, 0);
    drv.write(reg::DRIVER_FEATURES, 1 << 28);
    assert_eq!(drv.dev.driver_features(), VERSION_1);
}

#[test]
fn queue_num_max_reports_each_queue_and_zero_past_the_last() {
    let mut drv = rng();
    drv.write(reg::QUEUE_SEL, 0);
    assert_eq!(drv.read(reg::QUEUE_NUM_MAX), 64);
    drv.write(reg::QUEUE_SEL, 1);
    assert_eq!(drv.read(reg::QUEUE_NUM_MAX), 0);
}

#[test]
fn queue_ready_reads_back_and_queue_registers_are_frozen_while_ready() {
    let mut drv = rng();
    drv.init();
    assert_eq!(drv.read(reg::QUEUE_READY), 1);
    // Moving the rings under a live queue must not take effect.
    drv.write(reg::QUEUE_DESC_LOW, 0x1230);
    request_entropy(&mut drv);
    assert!(drv.take_used(0).is_some());
    drv.write(reg::QUEUE_READY, 0);
    assert_eq!(drv.read(reg::QUEUE_READY), 0);
}

#[test]
fn used_buffer_sets_interrupt_status_and_ack_clears_it() {
    let mut drv = rng();
    drv.init();
    assert!(!drv.dev.irq());
    request_entropy(&mut drv);
    assert_eq!(drv.read(reg::INTERRUPT_STATUS), 1);
    assert!(drv.dev.irq());
    drv.write(reg::INTERRUPT_ACK, 1);
    assert_eq!(drv.read(reg::INTERRUPT_STATUS), 0);
    assert!(!drv.dev.irq());
}

#[test]
fn no_interrupt_flag_suppresses_the_used_buffer_interrupt() {
    let mut drv = rng();
    drv.init();
    let avail = drv.vqs[0].avail;
    drv.ram.write(avail, &1u16.to_le_bytes()).unwrap();
    request_entropy(&mut drv);
    assert!(drv.take_used(0).is_some());
    assert!(!drv.dev.irq());
}

#[test]
fn config_changed_raises_config_interrupt_and_bumps_generation() {
    let mut drv = rng();
    let generation = drv.read(reg::CONFIG_GENERATION);
    drv.dev.config_changed();
    assert_eq!(drv.read(reg::CONFIG_GENERATION), generation.wrapping_add(1));
    assert_eq!(drv.read(reg::INTERRUPT_STATUS), 2);
    drv.write(reg::INTERRUPT_ACK, 2);
    assert!(!drv.dev.irq());
}

#[test]
fn notify_before_driver_ok_is_served_when_driver_ok_is_set() {
    let mut drv = rng();
    assert!(drv.negotiate(VERSION_1));
    drv.setup_queue(0, 8);
    request_entropy(&mut drv);
    assert_eq!(drv.take_used(0), None, "no buffer use before DRIVER_OK");
    drv.driver_ok();
    assert_eq!(drv.take_used(0).map(|(_, len)| len), Some(16));
}

#[test]
fn driver_ok_without_features_ok_uses_no_buffers() {
    let mut drv = rng();
    assert!(!drv.negotiate(0));
    drv.setup_queue(0, 8);
    drv.driver_ok();
    request_entropy(&mut drv);
    assert_eq!(drv.take_used(0), None);
}

#[test]
fn reset_via_status_zero_clears_queues_features_and_interrupts() {
    let mut drv = rng();
    drv.init();
    request_entropy(&mut drv);
    assert!(drv.dev.irq());
    drv.write(reg::STATUS, 0);
    assert_eq!(drv.status(), 0);
    assert!(!drv.dev.irq());
    assert_eq!(drv.dev.driver_features(), 0);
    drv.write(reg::QUEUE_SEL, 0);
    assert_eq!(drv.read(reg::QUEUE_READY), 0);
    // The old ring is gone: a kick after reset uses nothing.
    let used_before = drv.mem(drv.vqs[0].used + 2, 2);
    request_entropy(&mut drv);
    assert_eq!(drv.mem(drv.vqs[0].used + 2, 2), used_before);
}

#[test]
fn register_accesses_that_are_not_aligned_words_fault() {
    let mut drv = rng();
    assert_eq!(drv.read_sized(reg::MAGIC, 1), None);
    assert_eq!(drv.read_sized(reg::MAGIC + 2, 4), None);
    assert_eq!(drv.read_sized(reg::MAGIC, 8), None);
    assert!(!drv.write_sized(reg::STATUS, 2, 1));
    assert_eq!(drv.status(), 0);
    assert_eq!(drv.read_sized(0xffe, 4), None, "config access past the window");
    assert_eq!(drv.read_sized(0x1000, 1), None);
}

#[test]
fn writes_to_read_only_registers_are_ignored() {
    let mut drv = rng();
    drv.write(reg::MAGIC, 0);
    drv.write(reg::INTERRUPT_STATUS, 3);
    assert_eq!(drv.read(reg::MAGIC), 0x7472_6976);
    assert!(!drv.dev.irq());
}

#[test]
fn driver_cannot_set_needs_reset_itself() {
    let mut drv = rng();
    drv.write(reg::STATUS, status::ACKNOWLEDGE | status::DEVICE_NEEDS_RESET);
    assert_eq!(drv.status(), status::ACKNOWLEDGE);
}

#[test]
fn boxed_backends_and_slot_trait_objects_work_for_a_board() {
    use devices::virtio::{Net, VirtioMmio, VirtioSlot};
    use devices::{BlockBackend, NetBackend};
    let disk: Box<dyn BlockBackend + Send> = Box::new(MemDisk::patterned(4));
    let sink: Box<dyn NetBackend + Send> = Box::new(FrameSink::default());
    let mut slots: Vec<Box<dyn VirtioSlot + Send>> = vec![
        Box::new(VirtioMmio::new(Blk::new(disk, false))),
        Box::new(VirtioMmio::new(Net::new(sink, [0; 6]))),
    ];
    assert_eq!(slots.iter().map(|s| s.device_id()).collect::<Vec<_>>(), [2, 1]);
    slots[1].config_changed();
    assert!(!slots[0].irq() && slots[1].irq());
    let mut drv = Driver::new(Blk::new(
        Box::new(MemDisk::patterned(4)) as Box<dyn BlockBackend + Send>,
        false,
    ));
    assert_eq!(drv.config(0, 8), 4);
    assert!(format!("{:?}", drv.dev).contains("device_id: 2"));
}
