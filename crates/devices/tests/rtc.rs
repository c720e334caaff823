//! Goldfish RTC behaviour as Linux's rtc-goldfish driver uses it.

mod platform_support;

use devices::rtc::{Rtc, NS_PER_MTIME_TICK};
use devices::Mmio;
use platform_support::{Clock, Env};

const TIME_LOW: u64 = 0x00;
const TIME_HIGH: u64 = 0x04;
const ALARM_LOW: u64 = 0x08;
const ALARM_HIGH: u64 = 0x0c;
const IRQ_ENABLED: u64 = 0x10;
const CLEAR_ALARM: u64 = 0x14;
const ALARM_STATUS: u64 = 0x18;
const CLEAR_INTERRUPT: u64 = 0x1c;

const BOOT_NS: u64 = 1_700_000_000_000_000_000;

fn rtc_at(boot_ns: u64) -> (Rtc, Env) {
    (Rtc::new(Box::new(Clock(vec![boot_ns]))), Env::new())
}

fn read_time(rtc: &mut Rtc, env: &mut Env) -> u64 {
    let low = env.rd(rtc, TIME_LOW, 4);
    (env.rd(rtc, TIME_HIGH, 4) << 32) | low
}

/// Arms an alarm `delta_ns` after the current RTC time, with the interrupt enabled, as the
/// driver does: high half, low half (which arms), enable.
fn arm(rtc: &mut Rtc, env: &mut Env, delta_ns: u64) {
    let at = rtc.time_ns(env.mtime) + delta_ns;
    env.wr(rtc, ALARM_HIGH, 4, at >> 32);
    env.wr(rtc, ALARM_LOW, 4, at & 0xffff_ffff);
    env.wr(rtc, IRQ_ENABLED, 4, 1);
}

#[test]
fn time_is_boot_clock_plus_guest_time() {
    let (mut rtc, mut env) = rtc_at(BOOT_NS);
    assert_eq!(read_time(&mut rtc, &mut env), BOOT_NS);
    env.mtime = 12_345;
    assert_eq!(
        read_time(&mut rtc, &mut env),
        BOOT_NS + 12_345 * NS_PER_MTIME_TICK
    );
}

#[test]
fn time_low_read_latches_time_high() {
    // 50 ns before the low half wraps.
    let (mut rtc, mut env) = rtc_at(0x1_ffff_ffce);
    assert_eq!(env.rd(&mut rtc, TIME_LOW, 4), 0xffff_ffce);
    env.mtime = 1; // the true time is now 0x2_0000_0032
    assert_eq!(
        env.rd(&mut rtc, TIME_HIGH, 4),
        1,
        "high half as of the TIME_LOW read"
    );
    assert_eq!(read_time(&mut rtc, &mut env), 0x2_0000_0032);
}

#[test]
fn guest_time_writes_move_the_clock() {
    let (mut rtc, mut env) = rtc_at(BOOT_NS);
    let target: u64 = 0x0000_1234_8765_4321;
    env.wr(&mut rtc, TIME_HIGH, 4, target >> 32);
    env.wr(&mut rtc, TIME_LOW, 4, target & 0xffff_ffff);
    assert_eq!(read_time(&mut rtc, &mut env), target);
    env.mtime = 10;
    assert_eq!(read_time(&mut rtc, &mut env), target + 10 * NS_PER_MTIME_TICK);
}

#[test]
fn alarm_fires_when_guest_time_reaches_it() {
    let (mut rtc, mut env) = rtc_at(BOOT_NS);
    env.mtime = 1000;
    arm(&mut rtc, &mut env, 1_050); // 10.5 ticks: fires at the 11th
    assert_eq!(rtc.next_deadline_mtime(), Some(1011));
    assert_eq!(env.rd(&mut rtc, ALARM_STATUS, 4), 1);
    rtc.advance(1010);
    assert!(!rtc.irq());
    rtc.advance(1011);
    assert!(rtc.irq());
    assert_eq!(rtc.next_deadline_mtime(), None);
    assert_eq!(env.rd(&mut rtc, ALARM_STATUS, 4), 0);
    env.wr(&mut rtc, CLEAR_INTERRUPT, 4, 1);
    assert!(!rtc.irq());
}

#[test]
fn a_guest_access_after_the_deadline_fires_the_alarm() {
    let (mut rtc, mut env) = rtc_at(BOOT_NS);
    arm(&mut rtc, &mut env, 500);
    env.mtime = 5;
    assert_eq!(env.rd(&mut rtc, ALARM_STATUS, 4), 0);
    assert!(rtc.irq());
}

#[test]
fn alarm_in_the_past_fires_at_once() {
    let (mut rtc, mut env) = rtc_at(BOOT_NS);
    env.mtime = 100;
    env.wr(&mut rtc, IRQ_ENABLED, 4, 1);
    env.wr(&mut rtc, ALARM_HIGH, 4, BOOT_NS >> 32);
    env.wr(&mut rtc, ALARM_LOW, 4, BOOT_NS & 0xffff_ffff);
    assert!(rtc.irq());
    assert_eq!(rtc.next_deadline_mtime(), None);
}

#[test]
fn the_interrupt_needs_irq_enabled() {
    let (mut rtc, mut env) = rtc_at(BOOT_NS);
    arm(&mut rtc, &mut env, 100);
    env.wr(&mut rtc, IRQ_ENABLED, 4, 0);
    rtc.advance(1);
    assert!(!rtc.irq());
    assert_eq!(env.rd(&mut rtc, IRQ_ENABLED, 4), 0);
    env.wr(&mut rtc, IRQ_ENABLED, 4, 1);
    assert!(rtc.irq(), "the alarm fired while masked and is still pending");
}

#[test]
fn clear_alarm_disarms() {
    let (mut rtc, mut env) = rtc_at(BOOT_NS);
    arm(&mut rtc, &mut env, 100);
    env.wr(&mut rtc, CLEAR_ALARM, 4, 1);
    assert_eq!(rtc.next_deadline_mtime(), None);
    rtc.advance(u64::MAX);
    assert!(!rtc.irq());
}

#[test]
fn alarm_registers_read_back() {
    let (mut rtc, mut env) = rtc_at(0);
    env.wr(&mut rtc, ALARM_HIGH, 4, 0x12);
    env.wr(&mut rtc, ALARM_LOW, 4, 0x3456_789a);
    assert_eq!(env.rd(&mut rtc, ALARM_LOW, 4), 0x3456_789a);
    assert_eq!(env.rd(&mut rtc, ALARM_HIGH, 4), 0x12);
}

#[test]
fn reset_reads_the_wall_clock_again() {
    let mut rtc = Rtc::new(Box::new(Clock(vec![BOOT_NS, 2 * BOOT_NS])));
    let mut env = Env::new();
    env.mtime = 77;
    rtc.reset(77);
    assert_eq!(read_time(&mut rtc, &mut env), 2 * BOOT_NS);
}

#[test]
fn only_aligned_words_inside_the_register_block() {
    let (mut rtc, mut env) = rtc_at(BOOT_NS);
    assert_eq!(rtc.read(TIME_LOW, 8, &mut env.ctx()), None);
    assert_eq!(rtc.read(TIME_LOW + 2, 4, &mut env.ctx()), None);
    assert_eq!(rtc.read(0x24, 4, &mut env.ctx()), None);
    assert_eq!(rtc.read(0x20, 4, &mut env.ctx()), Some(0));
    assert!(!rtc.write(IRQ_ENABLED, 1, 1, &mut env.ctx()));
}
