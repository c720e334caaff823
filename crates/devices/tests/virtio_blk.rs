//! virtio-blk against an in-memory disk: reads, writes, flush, GET_ID and error statuses.

mod virtio_driver;

use devices::virtio::Blk;
use virtio_driver::*;

const T_IN: u32 = 0;
const T_OUT: u32 = 1;
const T_FLUSH: u32 = 4;
const T_GET_ID: u32 = 8;
const S_OK: u8 = 0;
const S_IOERR: u8 = 1;
const S_UNSUPP: u8 = 2;

type BlkDriver = Driver<Blk<MemDisk>>;

fn blk(sectors: u64) -> BlkDriver {
    let mut drv = Driver::new(Blk::new(MemDisk::patterned(sectors), false));
    drv.init();
    drv
}

fn header(drv: &mut BlkDriver, kind: u32, sector: u64) -> u64 {
    let mut h = [0; 16];
    h[..4].copy_from_slice(&kind.to_le_bytes());
    h[8..].copy_from_slice(&sector.to_le_bytes());
    drv.alloc_with(&h)
}

/// Runs one request whose device-writable data area is `read_len` bytes; returns the status,
/// the used length and the data read.
fn device_writes(drv: &mut BlkDriver, kind: u32, sector: u64, read_len: u32) -> (u8, u32, Vec<u8>) {
    let h = header(drv, kind, sector);
    let data = drv.alloc(u64::from(read_len));
    let status = drv.alloc_with(&[0xff]);
    let mut bufs = vec![(h, 16, false)];
    if read_len > 0 {
        bufs.push((data, read_len, true));
    }
    bufs.push((status, 1, true));
    let head = drv.post(0, &bufs);
    drv.kick(0);
    let (id, len) = drv.take_used(0).expect("request not completed");
    assert_eq!(id, u32::from(head));
    (drv.mem(status, 1)[0], len, drv.mem(data, read_len as usize))
}

/// Runs one request carrying `payload` to the device; returns the status and used length.
fn device_reads(drv: &mut BlkDriver, kind: u32, sector: u64, payload: &[u8]) -> (u8, u32) {
    let h = header(drv, kind, sector);
    let data = drv.alloc_with(payload);
    let status = drv.alloc_with(&[0xff]);
    let mut bufs = vec![(h, 16, false)];
    if !payload.is_empty() {
        bufs.push((data, payload.len() as u32, false));
    }
    bufs.push((status, 1, true));
    drv.post(0, &bufs);
    drv.kick(0);
    let (_, len) = drv.take_used(0).expect("request not completed");
    (drv.mem(status, 1)[0], len)
}

#[test]
fn config_reports_capacity_and_seg_max() {
    let mut drv = blk(100);
    assert_eq!(drv.config(0, 8), 100);
    assert_eq!(drv.config(0, 4), 100);
    assert_eq!(drv.config(4, 4), 0);
    assert_eq!(drv.config(12, 4), 254);
}

#[test]
fn features_offer_flush_and_seg_max_and_ro_only_when_read_only() {
    let rw = Driver::new(Blk::new(MemDisk::patterned(1), false)).device_features();
    let ro = Driver::new(Blk::new(MemDisk::patterned(1), true)).device_features();
    assert_eq!(rw, VERSION_1 | INDIRECT_DESC | 1 << 9 | 1 << 2);
    assert_eq!(ro, rw | 1 << 5);
}

#[test]
fn read_returns_backend_sectors_and_used_length_counts_data_and_status() {
    let mut drv = blk(16);
    let (status, len, data) = device_writes(&mut drv, T_IN, 3, 1024);
    assert_eq!(status, S_OK);
    assert_eq!(len, 1025);
    assert!(data[..512].iter().all(|&b| b == 3));
    assert!(data[512..].iter().all(|&b| b == 4));
}

#[test]
fn write_reaches_the_backend() {
    let mut drv = blk(16);
    let (status, len) = device_reads(&mut drv, T_OUT, 2, &[0xab; 512]);
    assert_eq!((status, len), (S_OK, 1));
    let disk = &drv.dev.device().backend().data;
    assert!(disk[1024..1536].iter().all(|&b| b == 0xab));
    assert!(disk[1536..2048].iter().all(|&b| b == 3));
}

#[test]
fn flush_calls_the_backend() {
    let mut drv = blk(16);
    assert_eq!(device_reads(&mut drv, T_FLUSH, 0, &[]), (S_OK, 1));
    assert_eq!(drv.dev.device().backend().flushes, 1);
}

#[test]
fn get_id_returns_the_serial_nul_padded_to_20_bytes() {
    let mut drv = Driver::new(Blk::new(MemDisk::patterned(1), false).with_serial(b"disk-0"));
    drv.init();
    let (status, len, id) = device_writes(&mut drv, T_GET_ID, 0, 20);
    assert_eq!((status, len), (S_OK, 21));
    assert_eq!(&id, b"disk-0\0\0\0\0\0\0\0\0\0\0\0\0\0\0");
}

#[test]
fn read_past_the_last_sector_is_ioerr() {
    let mut drv = blk(16);
    assert_eq!(device_writes(&mut drv, T_IN, 15, 1024).0, S_IOERR);
    assert_eq!(device_writes(&mut drv, T_IN, u64::MAX, 512).0, S_IOERR);
    assert_eq!(device_writes(&mut drv, T_IN, 15, 512).0, S_OK);
}

#[test]
fn write_past_the_last_sector_is_ioerr_and_leaves_the_disk_alone() {
    let mut drv = blk(4);
    assert_eq!(device_reads(&mut drv, T_OUT, 3, &[0xab; 1024]).0, S_IOERR);
    assert!(drv.dev.device().backend().data[1536..].iter().all(|&b| b == 3));
}

#[test]
fn data_length_not_a_multiple_of_512_is_ioerr() {
    let mut drv = blk(16);
    assert_eq!(device_writes(&mut drv, T_IN, 0, 100).0, S_IOERR);
    assert_eq!(device_reads(&mut drv, T_OUT, 0, &[1; 513]).0, S_IOERR);
}

#[test]
fn write_to_a_read_only_disk_is_ioerr() {
    let mut drv = Driver::new(Blk::new(MemDisk::patterned(4), true));
    drv.init();
    assert_eq!(device_reads(&mut drv, T_OUT, 0, &[9; 512]).0, S_IOERR);
    assert!(drv.dev.device().backend().data[..512].iter().all(|&b| b == 0));
    assert_eq!(device_writes(&mut drv, T_IN, 0, 512).0, S_OK);
}

#[test]
fn backend_failure_is_ioerr() {
    let mut drv = blk(4);
    drv.dev.device_mut().backend_mut().fail = true;
    assert_eq!(device_writes(&mut drv, T_IN, 0, 512).0, S_IOERR);
    assert_eq!(device_reads(&mut drv, T_OUT, 0, &[1; 512]).0, S_IOERR);
    assert_eq!(device_reads(&mut drv, T_FLUSH, 0, &[]).0, S_IOERR);
}

#[test]
fn unknown_request_type_is_unsupp() {
    let mut drv = blk(4);
    assert_eq!(device_reads(&mut drv, 11, 0, &[]).0, S_UNSUPP); // DISCARD: not offered
}

#[test]
fn request_through_an_indirect_table_with_a_split_header_is_served() {
    let mut drv = blk(8);
    // Header split 4 + 12 bytes, data split 512 + 512: no framing assumptions (§2.6.4).
    let h = header(&mut drv, T_IN, 5);
    let data = drv.alloc(1024);
    let status = drv.alloc_with(&[0xff]);
    let bufs = [
        (h, 4, false),
        (h + 4, 12, false),
        (data, 512, true),
        (data + 512, 512, true),
        (status, 1, true),
    ];
    drv.post_indirect(0, &bufs);
    drv.kick(0);
    assert_eq!(drv.take_used(0).map(|(_, len)| len), Some(1025));
    assert_eq!(drv.mem(status, 1)[0], S_OK);
    assert!(drv.mem(data, 512).iter().all(|&b| b == 5));
    assert!(drv.mem(data + 512, 512).iter().all(|&b| b == 6));
}

#[test]
fn large_read_crosses_the_bounce_buffer_chunks() {
    let mut drv = blk(300);
    let (status, len, data) = device_writes(&mut drv, T_IN, 10, 200 * 512);
    assert_eq!((status, len), (S_OK, 200 * 512 + 1));
    assert!(data
        .chunks(512)
        .enumerate()
        .all(|(i, s)| s.iter().all(|&b| b == (10 + i) as u8)));
}

#[test]
fn several_requests_in_one_kick_all_complete_in_order() {
    let mut drv = blk(8);
    let mut statuses = Vec::new();
    for sector in 0..3 {
        let h = header(&mut drv, T_IN, sector);
        let data = drv.alloc(512);
        let status = drv.alloc_with(&[0xff]);
        drv.post(0, &[(h, 16, false), (data, 512, true), (status, 1, true)]);
        statuses.push(status);
    }
    drv.kick(0);
    let heads: Vec<_> = std::iter::from_fn(|| drv.take_used(0))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(heads, [0, 3, 6]);
    assert!(statuses.iter().all(|&s| drv.mem(s, 1)[0] == S_OK));
}
