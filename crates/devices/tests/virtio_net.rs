//! virtio-net: transmit strips the header, receive prepends it, the board learns about buffers.

mod virtio_driver;

use devices::virtio::{status, Net, VirtioMmio};
use devices::DeviceCtx;
use virtio_driver::*;

const MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
const RX: usize = 0;
const TX: usize = 1;

type NetDriver = Driver<Net<FrameSink>>;

fn net() -> NetDriver {
    let mut drv = Driver::new(Net::new(FrameSink::default(), MAC));
    drv.init();
    drv
}

fn receive(drv: &mut NetDriver, frame: &[u8]) -> bool {
    let mut ctx = DeviceCtx {
        ram: &mut drv.ram,
        now: NOW,
    };
    VirtioMmio::receive(&mut drv.dev, frame, &mut ctx)
}

fn post_rx(drv: &mut NetDriver, len: u32) -> u64 {
    let buf = drv.alloc(u64::from(len));
    drv.ram.write(buf, &vec![0xee; len as usize]).unwrap();
    drv.post(RX, &[(buf, len, true)]);
    buf
}

#[test]
fn config_holds_the_mac_and_link_up() {
    let mut drv = net();
    let mac: Vec<u8> = (0..6).map(|i| drv.config(i, 1) as u8).collect();
    assert_eq!(mac, MAC);
    assert_eq!(drv.config(6, 2), 1);
    assert_eq!(
        drv.device_features(),
        VERSION_1 | INDIRECT_DESC | 1 << 5 | 1 << 16
    );
}

#[test]
fn tx_reaches_the_backend_without_the_header() {
    let mut drv = net();
    let hdr = drv.alloc_with(&[0x77; 12]);
    let frame: Vec<u8> = (0..60).collect();
    let body = drv.alloc_with(&frame);
    // Header and frame in separate descriptors, as Linux may post them.
    drv.post(TX, &[(hdr, 12, false), (body, 60, false)]);
    drv.kick(TX as u32);
    assert_eq!(drv.dev.device().backend().frames, [frame]);
    assert_eq!(drv.take_used(TX).map(|(_, len)| len), Some(0));
    assert!(drv.dev.irq());
}

#[test]
fn tx_header_split_from_frame_mid_buffer_is_stripped_exactly() {
    let mut drv = net();
    let mut packet = vec![0; 12];
    packet.extend(b"hello, frame");
    let at = drv.alloc_with(&packet);
    drv.post(TX, &[(at, 5, false), (at + 5, packet.len() as u32 - 5, false)]);
    drv.kick(TX as u32);
    assert_eq!(drv.dev.device().backend().frames, [b"hello, frame".to_vec()]);
}

#[test]
fn rx_fills_a_posted_buffer_with_header_and_frame() {
    let mut drv = net();
    let buf = post_rx(&mut drv, 1526);
    drv.kick(RX as u32);
    let frame: Vec<u8> = (0..100).map(|i| i as u8 ^ 0x5a).collect();
    assert!(receive(&mut drv, &frame));
    assert_eq!(drv.take_used(RX).map(|(_, len)| len), Some(112));
    let mut expected_hdr = [0; 12];
    expected_hdr[10] = 1; // num_buffers
    assert_eq!(drv.mem(buf, 12), expected_hdr);
    assert_eq!(drv.mem(buf + 12, 100), frame);
    assert!(drv.dev.irq());
}

#[test]
fn receive_returns_false_with_no_buffer_posted() {
    let mut drv = net();
    assert!(!receive(&mut drv, &[1; 60]));
    assert!(!drv.dev.irq());
    post_rx(&mut drv, 1526);
    assert!(receive(&mut drv, &[1; 60]));
    assert!(!receive(&mut drv, &[2; 60]), "the one buffer is used up");
}

#[test]
fn receive_returns_false_before_driver_ok() {
    let mut drv = Driver::new(Net::new(FrameSink::default(), MAC));
    assert!(drv.negotiate(VERSION_1));
    drv.setup_queue(0, 16);
    drv.setup_queue(1, 16);
    post_rx(&mut drv, 1526);
    assert!(!receive(&mut drv, &[1; 60]));
    assert!(!drv.dev.rx_buffers_available(&drv.ram));
    drv.driver_ok();
    assert!(drv.dev.rx_buffers_available(&drv.ram));
    assert!(receive(&mut drv, &[1; 60]));
}

#[test]
fn rx_buffers_available_tracks_posted_buffers() {
    let mut drv = net();
    assert!(!drv.dev.rx_buffers_available(&drv.ram));
    post_rx(&mut drv, 1526);
    post_rx(&mut drv, 1526);
    assert!(drv.dev.rx_buffers_available(&drv.ram));
    assert!(receive(&mut drv, &[1; 60]));
    assert!(drv.dev.rx_buffers_available(&drv.ram));
    assert!(receive(&mut drv, &[1; 60]));
    assert!(!drv.dev.rx_buffers_available(&drv.ram));
}

#[test]
fn rx_buffer_too_small_drops_the_frame_and_returns_the_buffer_empty() {
    let mut drv = net();
    let small = post_rx(&mut drv, 40);
    assert!(receive(&mut drv, &[3; 60]));
    assert_eq!(drv.take_used(RX).map(|(_, len)| len), Some(0));
    assert_eq!(drv.mem(small, 40), vec![0xee; 40]);
    assert_eq!(drv.dev.device().dropped(), (0, 1));
    assert!(!drv.needs_reset());
}

#[test]
fn rx_chain_with_a_device_readable_buffer_needs_reset() {
    let mut drv = net();
    let buf = drv.alloc(1526);
    drv.post(RX, &[(buf, 1526, false)]);
    assert!(!receive(&mut drv, &[1; 60]));
    assert!(drv.needs_reset());
    assert!(
        !drv.dev.rx_buffers_available(&drv.ram),
        "a device needing reset takes no frames"
    );
}

#[test]
fn malformed_rx_ring_reads_as_available_so_that_receive_surfaces_the_error() {
    let mut drv = net();
    drv.make_available(RX, 0, 100); // avail idx far beyond the 16-entry ring
    assert!(drv.dev.rx_buffers_available(&drv.ram));
    assert!(!receive(&mut drv, &[1; 60]));
    assert!(drv.needs_reset());
    assert!(!drv.dev.rx_buffers_available(&drv.ram));
}

#[test]
fn tx_chain_shorter_than_the_header_needs_reset() {
    let mut drv = net();
    let hdr = drv.alloc_with(&[0; 8]);
    drv.post(TX, &[(hdr, 8, false)]);
    drv.kick(TX as u32);
    assert!(drv.needs_reset());
    assert!(drv.dev.device().backend().frames.is_empty());
    assert_eq!(drv.status() & status::DRIVER_OK, status::DRIVER_OK);
}

#[test]
fn link_down_clears_the_status_bit_and_raises_a_config_interrupt() {
    let mut drv = net();
    let generation = drv.read(reg::CONFIG_GENERATION);
    drv.dev.set_link_up(false);
    assert_eq!(drv.config(6, 2), 0);
    assert_eq!(drv.read(reg::INTERRUPT_STATUS), 2);
    assert_ne!(drv.read(reg::CONFIG_GENERATION), generation);
    drv.write(reg::INTERRUPT_ACK, 2);
    drv.dev.set_link_up(false);
    assert!(!drv.dev.irq(), "no change, no interrupt");
}
