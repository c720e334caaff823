//! 16550A behaviour as Linux's 8250 driver relies on it.

mod platform_support;

use devices::uart::{Uart, UART_FIFO_LEN};
use devices::Mmio;
use platform_support::{Env, Recorder};

const RBR_THR: u64 = 0;
const IER: u64 = 1;
const IIR_FCR: u64 = 2;
const LCR: u64 = 3;
const MCR: u64 = 4;
const LSR: u64 = 5;
const MSR: u64 = 6;
const SCR: u64 = 7;

const IER_ALL: u64 = 0x07;
const IIR_NONE: u64 = 0x01;
const IIR_THRI: u64 = 0x02;
const IIR_RDI: u64 = 0x04;
const IIR_RLSI: u64 = 0x06;
const IIR_CTI: u64 = 0x0c;
const FIFO: u64 = 0xc0;

fn uart() -> (Uart, Recorder, Env) {
    let rec = Recorder::default();
    (Uart::new(Box::new(rec.clone())), rec, Env::new())
}

#[test]
fn thr_writes_reach_the_console_at_once() {
    let (mut u, rec, mut env) = uart();
    for b in b"hi\n" {
        env.wr(&mut u, RBR_THR, 1, *b as u64);
    }
    assert_eq!(rec.take(), b"hi\n");
    assert_eq!(env.rd(&mut u, LSR, 1), 0x60, "THRE and TEMT, no data");
}

#[test]
fn iir_reports_line_status_then_data_then_thre() {
    let (mut u, _rec, mut env) = uart();
    // Loopback with the FIFO off holds one byte, so a second byte overruns.
    env.wr(&mut u, MCR, 1, 0x10);
    env.wr(&mut u, RBR_THR, 1, b'a' as u64);
    env.wr(&mut u, RBR_THR, 1, b'b' as u64);
    env.wr(&mut u, IER, 1, IER_ALL);
    assert!(u.irq());
    assert_eq!(env.rd(&mut u, IIR_FCR, 1), IIR_RLSI);
    assert_eq!(env.rd(&mut u, LSR, 1), 0x63, "DR, OE, THRE, TEMT");
    assert_eq!(
        env.rd(&mut u, IIR_FCR, 1),
        IIR_RDI,
        "reading LSR cleared the overrun"
    );
    assert_eq!(env.rd(&mut u, RBR_THR, 1), b'a' as u64);
    assert_eq!(env.rd(&mut u, IIR_FCR, 1), IIR_THRI);
    assert_eq!(env.rd(&mut u, IIR_FCR, 1), IIR_NONE, "reading IIR cleared THRE");
    assert!(!u.irq());
}

#[test]
fn thre_interrupt_clears_on_iir_read_and_rearms_on_ier_and_thr_writes() {
    let (mut u, _rec, mut env) = uart();
    assert!(!u.irq(), "no THRE interrupt before the driver enables it");
    env.wr(&mut u, IER, 1, 0x02);
    assert!(u.irq());
    assert_eq!(env.rd(&mut u, IIR_FCR, 1), IIR_THRI);
    assert!(!u.irq());
    // Linux's UART_BUG_TXEN probe: IER=THRI, IIR, IER=0, IER=THRI, IIR must show THRI again.
    env.wr(&mut u, IER, 1, 0);
    env.wr(&mut u, IER, 1, 0x02);
    assert_eq!(env.rd(&mut u, IIR_FCR, 1), IIR_THRI);
    assert!(!u.irq());
    env.wr(&mut u, RBR_THR, 1, b'x' as u64);
    assert!(u.irq(), "the byte left at once, so THR is empty again");
    env.wr(&mut u, IER, 1, 0);
    assert!(!u.irq(), "masked by IER");
}

#[test]
fn rx_fifo_takes_sixteen_bytes_then_refuses() {
    let (mut u, _rec, mut env) = uart();
    env.wr(&mut u, IIR_FCR, 1, 0x07);
    assert_eq!(u.rx_space(), UART_FIFO_LEN);
    for i in 0..UART_FIFO_LEN as u8 {
        assert!(u.receive(i));
    }
    assert_eq!(u.rx_space(), 0);
    assert!(!u.receive(99));
    assert_eq!(env.rd(&mut u, LSR, 1) & 0x03, 0x01, "data ready, no overrun");
    for i in 0..UART_FIFO_LEN as u64 {
        assert_eq!(env.rd(&mut u, RBR_THR, 1), i);
    }
    assert_eq!(env.rd(&mut u, LSR, 1) & 0x01, 0);
    assert_eq!(u.rx_space(), UART_FIFO_LEN);
}

#[test]
fn without_fifo_the_receiver_holds_one_byte() {
    let (mut u, _rec, _env) = uart();
    assert_eq!(u.rx_space(), 1);
    assert!(u.receive(1));
    assert!(!u.receive(2));
}

#[test]
fn rx_interrupt_is_timeout_below_trigger_level_and_data_at_it() {
    let (mut u, _rec, mut env) = uart();
    env.wr(&mut u, IIR_FCR, 1, 0x81); // FIFO on, trigger at 8 bytes
    env.wr(&mut u, IER, 1, 0x01);
    assert!(!u.irq());
    assert!(u.receive(b'a'));
    assert!(u.irq());
    assert_eq!(env.rd(&mut u, IIR_FCR, 1), FIFO | IIR_CTI);
    for _ in 1..8 {
        assert!(u.receive(b'b'));
    }
    assert_eq!(env.rd(&mut u, IIR_FCR, 1), FIFO | IIR_RDI);
    for _ in 0..8 {
        env.rd(&mut u, RBR_THR, 1);
    }
    assert_eq!(env.rd(&mut u, IIR_FCR, 1), FIFO | IIR_NONE);
}

#[test]
fn fcr_receiver_reset_flushes_the_fifo() {
    let (mut u, _rec, mut env) = uart();
    env.wr(&mut u, IIR_FCR, 1, 0x01);
    assert!(u.receive(1) && u.receive(2));
    env.wr(&mut u, IIR_FCR, 1, 0x03);
    assert_eq!(env.rd(&mut u, LSR, 1) & 0x01, 0);
    assert!(u.receive(3));
    // Turning the FIFO off flushes it too.
    env.wr(&mut u, IIR_FCR, 1, 0x00);
    assert_eq!(u.rx_space(), 1);
    assert_eq!(env.rd(&mut u, IIR_FCR, 1) & FIFO, 0);
}

#[test]
fn dlab_switches_offsets_zero_and_one_to_the_divisor_latches() {
    let (mut u, rec, mut env) = uart();
    env.wr(&mut u, IER, 1, 0x05);
    env.wr(&mut u, LCR, 1, 0x83);
    assert_eq!(env.rd(&mut u, RBR_THR, 1), 0x0c, "QEMU's reset divisor, low byte");
    assert_eq!(env.rd(&mut u, IER, 1), 0x00, "high byte");
    env.wr(&mut u, RBR_THR, 1, 0x34);
    env.wr(&mut u, IER, 1, 0x12);
    assert_eq!(env.rd(&mut u, RBR_THR, 1), 0x34);
    assert_eq!(env.rd(&mut u, IER, 1), 0x12);
    assert!(rec.take().is_empty(), "a DLL write is not a transmit");
    env.wr(&mut u, LCR, 1, 0x03);
    assert_eq!(env.rd(&mut u, IER, 1), 0x05);
    assert_eq!(env.rd(&mut u, LCR, 1), 0x03);
}

#[test]
fn loopback_returns_transmitted_bytes_and_mirrors_modem_lines() {
    let (mut u, rec, mut env) = uart();
    assert_eq!(env.rd(&mut u, MSR, 1), 0xb0);
    env.wr(&mut u, MCR, 1, 0x1f);
    assert_eq!(env.rd(&mut u, MSR, 1), 0xf0);
    assert_eq!(u.rx_space(), 0, "host input is disconnected");
    assert!(!u.receive(b'z'));
    env.wr(&mut u, RBR_THR, 1, b'q' as u64);
    assert!(rec.take().is_empty());
    assert_eq!(env.rd(&mut u, RBR_THR, 1), b'q' as u64);
}

#[test]
fn scratch_register_holds_a_byte() {
    let (mut u, _rec, mut env) = uart();
    env.wr(&mut u, SCR, 1, 0x1a5);
    assert_eq!(env.rd(&mut u, SCR, 1), 0xa5);
}

#[test]
fn wide_aligned_accesses_work_and_the_rest_of_the_page_faults() {
    let (mut u, rec, mut env) = uart();
    env.wr(&mut u, RBR_THR, 8, 0x4142);
    assert_eq!(rec.take(), b"B");
    assert_eq!(env.rd(&mut u, MCR, 4), 0x08, "4-byte read of MCR (OUT2 at reset)");
    assert_eq!(u.read(LSR, 4, &mut env.ctx()), None, "misaligned");
    assert_eq!(u.read(8, 1, &mut env.ctx()), None);
    assert!(!u.write(0xff, 1, 0, &mut env.ctx()));
}

#[test]
fn reset_restores_power_on_registers_and_keeps_the_console() {
    let (mut u, rec, mut env) = uart();
    env.wr(&mut u, IER, 1, 0x0f);
    env.wr(&mut u, LCR, 1, 0x03);
    assert!(u.receive(1));
    u.reset();
    assert_eq!(env.rd(&mut u, IER, 1), 0);
    assert_eq!(env.rd(&mut u, LCR, 1), 0);
    assert_eq!(env.rd(&mut u, MCR, 1), 0x08);
    assert_eq!(env.rd(&mut u, LSR, 1), 0x60);
    env.wr(&mut u, RBR_THR, 1, b'!' as u64);
    assert_eq!(rec.take(), b"!");
}
