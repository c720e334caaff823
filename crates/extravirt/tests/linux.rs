//! The Linux guest on the `virt` board (issue 4): OpenSBI + Linux 6.1 + busybox, built by
//! `scripts/build-guest.sh` (cached; a failed build fails these tests with its output), booted
//! by `extravirt run --kernel` in test mode (`ev.cmd=BASE64`, see guest/README.md).
//!
//! Every boot runs under a timeout (`linux_support::BOOT_TIMEOUT`) so a hang fails the test.
//! Needs: QEMU (`guest_output_matches_qemu`), e2fsprogs (installed with apt-get when missing),
//! and root for the network namespace of the TAP tests (they fail, never skip, without it).

mod common;
mod linux_support;

use std::fs;
use std::process::Command;

use linux_support::{
    extravirt, guest, host, qemu_script, repo, require_tool, run_with_timeout, NetNs, TempDir, Vm, RTC_EPOCH,
};

/// Lines of `output`, for comparisons that print well on failure.
fn lines(output: &str) -> Vec<&str> {
    output.lines().collect()
}

#[test]
fn boots_to_init_and_runs_busybox_commands() {
    let script = r#"echo hello from busybox
uname -m
echo "ls: $(ls / | tr '\n' ' ')"
grep -m1 '^isa' /proc/cpuinfo | tr -d '\t '
printf 'pear\napple\nfig\n' | sort
printf 'one two\nthree\n' | wc
printf extravirt | sha256sum
echo $((6 * 7)) $((1 << 40)) $((-17 / 5)) $((-17 % 5)) $((0x10 | 3))
seq 1 100 | awk '{ s += $1 } END { print "sum", s }'
awk 'BEGIN { printf "sqrt2 %.9f\n", sqrt(2) }'
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo loop $i"#;
    let out = Vm::script(script).run();
    out.assert_script_passed("busybox script");
    let got = out.script_output();
    let got = lines(&got);
    let ls = got.get(2).copied().unwrap_or("");
    for dir in ["bin", "dev", "etc", "init", "proc", "root", "sys", "tmp"] {
        assert!(
            ls.split_whitespace().any(|e| e == dir),
            "`ls /` lacks {dir}: {ls:?}\n{}",
            out.report()
        );
    }
    let mut expected = vec!["hello from busybox", "riscv64", ls];
    expected.extend([
        "isa:rv64imafdc",
        "apple",
        "fig",
        "pear",
        "        2         3        14",
        "83431952ce722b8f0e0f93279e822cfc6c848ccc2c01bba8601a9a832e8ca9d7  -",
        "42 1099511627776 -3 -2 19",
        "sum 5050",
        "sqrt2 1.414213562",
        "loop 5",
    ]);
    assert_eq!(got, expected, "\n{}", out.report());
}

/// The lines `guest/hello.c` documents under "Expected output" in its header comment.
fn evtest_expected_output() -> Vec<String> {
    let src = fs::read_to_string(repo().join("guest/hello.c")).expect("reading guest/hello.c");
    let block: Vec<String> = src
        .lines()
        .skip_while(|l| !l.contains("Expected output"))
        .skip(1)
        .take_while(|l| l.trim() != "*" && !l.contains("*/"))
        .map(|l| l.trim_start().trim_start_matches('*').trim().to_string())
        .collect();
    assert!(
        block.len() >= 3 && block.iter().all(|l| l.starts_with("evtest: ")),
        "cannot find the expected output block in guest/hello.c's header: {block:?}"
    );
    block
}

#[test]
fn runs_a_compiled_c_program() {
    let expected = evtest_expected_output();
    let out = Vm::script("/bin/evtest; echo \"evtest exit $?\"").run();
    out.assert_script_passed("/bin/evtest");
    let got = out.script_output();
    let mut want: Vec<&str> = expected.iter().map(String::as_str).collect();
    want.push("evtest exit 0");
    assert_eq!(lines(&got), want, "\n{}", out.report());
}

/// Sector where the guest writes a raw pattern, past the 4 MiB ext2 file system.
const RAW_SECTOR: u64 = 12288; // 6 MiB
/// Sector where the host writes a line for the guest to read on the second boot.
const HOST_SECTOR: u64 = 14336; // 7 MiB

/// What `seq 1 N` prints.
fn seq(n: u32) -> String {
    (1..=n).map(|i| format!("{i}\n")).collect()
}

#[test]
fn disk_write_survives_and_is_visible_to_the_host() {
    require_tool("mkfs.ext2", "e2fsprogs");
    require_tool("debugfs", "e2fsprogs");
    let tmp = TempDir::new("disk");
    let img = tmp.path("disk.img");
    // 8 MiB device; an ext2 file system on its first 4 MiB, raw sectors after that.
    fs::write(&img, vec![0u8; 8 << 20]).unwrap();
    host(
        Command::new("mkfs.ext2")
            .args(["-F", "-q", "-b", "1024"])
            .arg(&img)
            .arg("4096"),
    );

    let write_script = format!(
        "set -e
mount -t ext2 /dev/vda /mnt
echo 'written by the guest' > /mnt/guest.txt
seq 1 5000 > /mnt/seq.txt
umount /mnt
seq 1 1000 | dd of=/dev/vda bs=512 seek={RAW_SECTOR} conv=fsync 2>/dev/null
sync
echo run 1 wrote"
    );
    let out = Vm::script(&write_script).disk(&img).run();
    out.assert_script_passed("first boot (writes)");
    assert_eq!(out.script_output(), "run 1 wrote\n", "\n{}", out.report());

    // The host sees the raw bytes at their offset...
    let bytes = fs::read(&img).unwrap();
    let pattern = seq(1000);
    let at = (RAW_SECTOR * 512) as usize;
    assert!(
        bytes[at..at + pattern.len()] == *pattern.as_bytes(),
        "the image does not hold `seq 1 1000` at sector {RAW_SECTOR}: found {:?}...",
        String::from_utf8_lossy(&bytes[at..at + 64])
    );
    // ...a consistent file system, and the files' contents.
    host(Command::new("e2fsck").args(["-f", "-n"]).arg(&img));
    let cat = |f: &str| {
        host(
            Command::new("debugfs")
                .args(["-R", &format!("cat /{f}")])
                .arg(&img),
        )
    };
    assert_eq!(cat("guest.txt"), "written by the guest\n");
    assert!(
        cat("seq.txt") == seq(5000),
        "/seq.txt in the image is not `seq 1 5000`"
    );

    // The host writes a line of its own for the second boot.
    let mut bytes = bytes;
    let line = b"written by the host\n";
    let at = (HOST_SECTOR * 512) as usize;
    bytes[at..at + line.len()].copy_from_slice(line);
    fs::write(&img, &bytes).unwrap();

    let read_script = format!(
        "set -e
mount -t ext2 -o ro /dev/vda /mnt
cat /mnt/guest.txt
awk '{{ s += $1 }} END {{ print NR, s }}' /mnt/seq.txt
umount /mnt
seq 1 1000 > /tmp/p
dd if=/dev/vda bs=512 skip={RAW_SECTOR} count=8 2>/dev/null | head -c $(wc -c < /tmp/p) | cmp - /tmp/p
echo raw pattern ok
dd if=/dev/vda bs=512 skip={HOST_SECTOR} count=1 2>/dev/null | head -n 1"
    );
    let out = Vm::script(&read_script).disk(&img).run();
    out.assert_script_passed("second boot (reads)");
    assert_eq!(
        lines(&out.script_output()),
        [
            "written by the guest",
            "5000 12502500",
            "raw pattern ok",
            "written by the host"
        ],
        "\n{}",
        out.report()
    );
}

const TAP: &str = "evtap0";

/// The guest pings the host end of a TAP interface in a private network namespace.
///
/// Between pings the guest idles; the host's ARP and ICMP replies must reach it before its
/// timeouts, so idle guest time must not run ahead of the host (it did before the board paced
/// idle time with wall time: 0 replies, ARP resolved too late).
#[test]
fn pings_a_tap_peer_in_a_network_namespace() {
    let ns = NetNs::with_tap(TAP, "10.0.2.2/24");
    let out = Vm::script_with_append("ping -c 3 -W 2 10.0.2.2", "ev.ip=10.0.2.15/24")
        .arg("--net")
        .arg(format!("tap={TAP}"))
        .in_netns(&ns.name)
        .run();
    let stats = ns.ip(&["-s", "link", "show", TAP]);
    assert!(
        out.script_output()
            .contains("3 packets transmitted, 3 packets received"),
        "expected 3 replies\n{}--- host side of the TAP\n{stats}",
        out.report()
    );
    out.assert_script_passed("ping");
}

/// The same exchange with the guest kept busy by a shell loop, so the host's frames arrive
/// while the hart is running rather than waiting in WFI: TAP -> virtio-net RX and virtio-net
/// TX -> TAP, ARP and ICMP, with the host's kernel as the peer.
#[test]
fn pings_a_tap_peer_while_the_guest_stays_busy() {
    let ns = NetNs::with_tap(TAP, "10.0.2.2/24");
    let script = "(while :; do :; done) &
ping -c 3 -i 0.05 -W 2 10.0.2.2; s=$?
kill $!
exit $s";
    let out = Vm::script_with_append(script, "ev.ip=10.0.2.15/24")
        .arg("--net")
        .arg(format!("tap={TAP}"))
        .in_netns(&ns.name)
        .run();
    let stats = ns.ip(&["-s", "link", "show", TAP]);
    assert!(
        out.script_output()
            .contains("3 packets transmitted, 3 packets received, 0% packet loss"),
        "expected 3 replies\n{}--- host side of the TAP\n{stats}",
        out.report()
    );
    out.assert_script_passed("ping");
}

#[test]
fn guest_output_matches_qemu() {
    // Nothing timing-dependent: no dates, uptime, kernel timestamps or RNG output. /proc/cpuinfo
    // is limited to the isa line (QEMU 7.2 reports sv57 and its own marchid/mimpid) and memory
    // sizes are left out (the firmware's reservations differ).
    let script = r#"uname -a
uname -m
grep -m1 '^isa' /proc/cpuinfo
grep -c '^processor' /proc/cpuinfo
ls /
ls /bin | wc -l
printf extravirt | sha256sum
seq 1 1000 | awk '{ s += $1 * $1 } END { print s }'
awk 'BEGIN { for (i = 1; i <= 5; i++) printf "%.12f ", log(i) + sqrt(i) / 3; print "" }'
echo $((0x7fffffffffffffff + 1)) $((-7 / 2)) $((-7 % 2)) $((3 ** 4))
printf 'zeta\nalpha\nMu\nbeta\n' | sort
cat /sys/block/vda/size
sha256sum /dev/vda
dd if=/dev/vda bs=512 skip=3 count=1 2>/dev/null | od -A d -t x1 | head -n 3
/bin/evtest; echo "evtest $?"
cat /sys/firmware/devicetree/base/model; echo"#;
    let tmp = TempDir::new("diff");
    // 1 MiB of a fixed pattern, one copy per emulator (QEMU locks its image).
    let data: Vec<u8> = (0..1u32 << 20).map(|i| (i.wrapping_mul(7) % 251) as u8).collect();
    let (ev_img, qemu_img) = (tmp.path("ev.img"), tmp.path("qemu.img"));
    fs::write(&ev_img, &data).unwrap();
    fs::write(&qemu_img, &data).unwrap();

    let qemu = qemu_script(script, &["-d", qemu_img.to_str().unwrap()]);
    assert!(
        !qemu.timed_out && qemu.status == Some(0),
        "the reference run under QEMU failed\n{}",
        qemu.report()
    );
    let ev = Vm::script(script).disk(&ev_img).run();
    ev.assert_script_passed("extravirt");
    let (want, got) = (qemu.stdout.clone(), ev.script_output());
    assert!(
        want.contains("evtest: OK") && want.contains("2048\n"),
        "QEMU's output misses lines the script prints:\n{want}"
    );
    assert_eq!(
        lines(&got),
        lines(&want),
        "userspace output differs (left: extravirt, right: QEMU)\n{}",
        ev.report()
    );
}

#[test]
fn guest_random_bytes_are_new_each_run_unless_the_entropy_seed_pins_them() {
    // virtio-rng's bytes (and the kernel's pool, which it seeds) must not repeat across VMs
    // and boots, as under QEMU, whose virtio-rng reads the host's random source. Pinned,
    // they repeat exactly; both replicas of a run always agree (no divergence, exit 0).
    let script = "od -A n -t x1 -N 16 /dev/hwrng
head -c 16 /dev/urandom | od -A n -t x1";
    let qemu = || {
        let o = qemu_script(script, &["-r"]);
        assert!(
            !o.timed_out && o.status == Some(0),
            "the reference run under QEMU failed\n{}",
            o.report()
        );
        o.stdout.lines().map(str::to_string).collect::<Vec<_>>()
    };
    let ev = |seed: Option<u64>| {
        let o = Vm::script(script).entropy_seed(seed).run();
        o.assert_script_passed(&format!("entropy seed {seed:?}"));
        o.script_output().lines().map(str::to_string).collect::<Vec<_>>()
    };
    let (q1, q2) = (qemu(), qemu());
    assert_eq!(q1.len(), 2, "QEMU printed {q1:?}");
    assert!(
        q1[0] != q2[0] && q1[1] != q2[1],
        "QEMU repeated its random bytes: {q1:?}"
    );
    let (a, b) = (ev(None), ev(None));
    assert_eq!(a.len(), 2, "extravirt printed {a:?}");
    assert!(
        a[0] != b[0] && a[1] != b[1],
        "two unpinned runs gave the guest the same random bytes: {a:?}"
    );
    let (c, d, e) = (ev(Some(7)), ev(Some(7)), ev(Some(8)));
    assert_eq!(c, d, "the same --entropy-seed gave different bytes");
    assert!(
        c[0] != e[0] && c[1] != e[1],
        "seeds 7 and 8 gave the same bytes: {c:?}"
    );
    assert!(!a.contains(&c[0]), "an unpinned run gave seed 7's bytes");
}

#[test]
fn single_step_and_pre_decoded_blocks_end_in_the_same_state() {
    // Boot, a C program with integer and FP work, a shell pipeline, and poweroff: the whole
    // run through the block fast path must retire the same instructions into the same state
    // as one instruction at a time.
    let script = "/bin/evtest
/bin/evtest fp 2000
seq 1 300 | sort -r | head -n 2";
    let a = Vm::script(script).arg("--digest").run();
    let b = Vm::script(script).arg("--digest").arg("--single-step").run();
    a.assert_script_passed("with blocks");
    b.assert_script_passed("single-step");
    let (da, db) = (a.digests(), b.digests());
    assert_eq!(da.len(), 1, "expected one digest line\n{}", a.report());
    assert_eq!(
        da, db,
        "instruction count / digest differ between blocks and single-step"
    );
    assert!(
        a.stdout == b.stdout,
        "stdout differs\n--- blocks\n{}\n--- single-step\n{}",
        a.stdout,
        b.stdout
    );
}

#[test]
fn same_inputs_give_same_instruction_count_and_digest() {
    // Timing- and entropy-dependent output on purpose: all of it is a function of the inputs.
    let script = "date -u +%s
cat /proc/uptime
head -c 16 /dev/urandom | od -A n -t x1
/bin/evtest
dmesg | tail -n 2";
    let run = || Vm::script(script).arg("--digest").run();
    let (a, b) = (run(), run());
    a.assert_script_passed("first run");
    b.assert_script_passed("second run");
    let (da, db) = (a.digests(), b.digests());
    assert_eq!(da.len(), 1, "expected one digest line\n{}", a.report());
    assert!(da[0].0 > 10_000_000, "implausible instruction count {}", da[0].0);
    assert_eq!(da, db, "instruction count / digest differ between identical runs");
    assert!(
        a.stdout == b.stdout,
        "stdout differs between identical runs\n--- first\n{}\n--- second\n{}",
        a.stdout,
        b.stdout
    );
    // The RTC starts at --rtc-epoch and advances with guest time only.
    let date: u64 = a
        .script_output()
        .lines()
        .next()
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    assert!(
        (RTC_EPOCH..RTC_EPOCH + 60).contains(&date),
        "guest date {date} is not within a minute after --rtc-epoch {RTC_EPOCH}\n{}",
        a.report()
    );
}

/// Runs extravirt with `args` and checks the bad-input contract: exit status 2, nothing on
/// stdout, exactly one line on stderr, naming `needle`. Returns a description of what is wrong.
fn check_bad_input(case: &str, args: &[&std::ffi::OsStr], needle: &str) -> Option<String> {
    let mut cmd = Command::new(extravirt());
    cmd.args(args);
    let out = run_with_timeout(cmd, std::time::Duration::from_secs(60));
    let stderr_lines: Vec<&str> = out.stderr.lines().collect();
    let ok = out.status == Some(2)
        && out.stdout.is_empty()
        && stderr_lines.len() == 1
        && stderr_lines[0].contains(needle);
    (!ok).then(|| {
        format!(
            "{case}: expected exit 2, empty stdout and one stderr line naming {needle:?}\n{}",
            out.report()
        )
    })
}

#[test]
fn bad_input_gets_one_line_and_exit_2() {
    let g = guest();
    let tmp = TempDir::new("bad");
    let half = tmp.path("half.cpio.gz");
    let gz = fs::read(&g.initrd_gz).unwrap();
    fs::write(&half, &gz[..gz.len() / 2]).unwrap();
    let odd = tmp.path("odd.img");
    fs::write(&odd, vec![0u8; 1000]).unwrap();
    let missing = tmp.path("no-such-Image");
    let long_if = "evtap-twenty-chars-x"; // 20 bytes: longer than IFNAMSIZ allows
    assert_eq!(long_if.len(), 20);

    let kernel = g.kernel.as_os_str();
    let initrd = g.initrd.as_os_str();
    let s = |x: &'static str| std::ffi::OsStr::new(x);
    let cases: Vec<(&str, Vec<&std::ffi::OsStr>, &str)> = vec![
        (
            "missing kernel",
            vec![
                s("run"),
                s("--kernel"),
                missing.as_os_str(),
                s("--initrd"),
                initrd,
            ],
            missing.to_str().unwrap(),
        ),
        (
            "kernel that is not a RISC-V Image",
            vec![s("run"), s("--kernel"), s("/bin/ls"), s("--initrd"), initrd],
            "/bin/ls",
        ),
        (
            "truncated initrd",
            vec![s("run"), s("--kernel"), kernel, s("--initrd"), half.as_os_str()],
            half.to_str().unwrap(),
        ),
        (
            "missing bios",
            vec![
                s("run"),
                s("--kernel"),
                kernel,
                s("--initrd"),
                initrd,
                s("--bios"),
                s("/nonexistent"),
            ],
            "/nonexistent",
        ),
        (
            "disk size not a multiple of 512",
            vec![
                s("run"),
                s("--kernel"),
                kernel,
                s("--initrd"),
                initrd,
                s("--disk"),
                odd.as_os_str(),
            ],
            odd.to_str().unwrap(),
        ),
        (
            "TAP interface that cannot be opened",
            vec![
                s("run"),
                s("--kernel"),
                kernel,
                s("--initrd"),
                initrd,
                s("--net"),
                s("tap=evtap-twenty-chars-x"),
            ],
            long_if,
        ),
        (
            "--net without tap=",
            vec![
                s("run"),
                s("--kernel"),
                kernel,
                s("--initrd"),
                initrd,
                s("--net"),
                s("user"),
            ],
            "--net",
        ),
        (
            "--memory 3M",
            vec![
                s("run"),
                s("--kernel"),
                kernel,
                s("--initrd"),
                initrd,
                s("--memory"),
                s("3M"),
            ],
            "memory",
        ),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(case, args, needle)| check_bad_input(case, args, needle))
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Split from the test above: clap's own usage errors are cut to their first line by main.
#[test]
fn unknown_flag_gets_one_line_and_exit_2() {
    let g = guest();
    let args = [
        std::ffi::OsStr::new("run"),
        "--kernel".as_ref(),
        g.kernel.as_os_str(),
        "--initrd".as_ref(),
        g.initrd.as_os_str(),
        "--frobnicate".as_ref(),
    ];
    if let Some(failure) = check_bad_input("unknown flag", &args, "--frobnicate") {
        panic!("\n{failure}");
    }
}

#[test]
fn reboot_reboots() {
    let tmp = TempDir::new("reboot");
    let img = tmp.path("marker.img");
    fs::write(&img, vec![0u8; 1 << 20]).unwrap();
    // First boot: no marker on /dev/vda, so write it and reboot; the second boot finds it.
    let script = r#"m=$(dd if=/dev/vda bs=16 count=1 2>/dev/null | tr -d '\000')
if [ "$m" = EV-REBOOT-MARK ]; then
  echo second boot
else
  echo first boot
  printf EV-REBOOT-MARK | dd of=/dev/vda conv=fsync 2>/dev/null
  sync
  reboot -f
  echo reboot returned
fi"#;
    let out = Vm::script(script).disk(&img).run();
    assert!(
        !out.timed_out && out.status == Some(0),
        "expected exit status 0\n{}",
        out.report()
    );
    let begins = out.stdout.lines().filter(|l| *l == "EV-BEGIN").count();
    let script_lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.ends_with(" boot") || l.starts_with("EV-") || l.contains("reboot returned"))
        .collect();
    assert_eq!(
        (begins, script_lines),
        (
            2,
            vec!["EV-BEGIN", "first boot", "EV-BEGIN", "second boot", "EV-EXIT 0"]
        ),
        "expected both boots' output in one run\n{}",
        out.report()
    );
    assert_eq!(&fs::read(&img).unwrap()[..14], b"EV-REBOOT-MARK");
}

#[test]
fn reboot_keeps_the_clock_running_and_draws_new_entropy() {
    let tmp = TempDir::new("reboot-clock");
    let img = tmp.path("marker.img");
    fs::write(&img, vec![0u8; 1 << 20]).unwrap();
    let script = r#"m=$(dd if=/dev/vda bs=16 count=1 2>/dev/null | tr -d '\000')
echo "clock $(date -u +%s)"
echo "random $(od -An -tx1 -N8 /dev/urandom | tr -d ' ')"
if [ "$m" != EV-REBOOT-MARK ]; then
  printf EV-REBOOT-MARK | dd of=/dev/vda conv=fsync 2>/dev/null
  sleep 3
  reboot -f
fi"#;
    let out = Vm::script(script).disk(&img).run();
    assert!(
        !out.timed_out && out.status == Some(0),
        "expected exit status 0\n{}",
        out.report()
    );
    let field = |prefix: &str| -> Vec<String> {
        out.stdout
            .lines()
            .filter_map(|l| l.strip_prefix(prefix))
            .map(|v| v.trim().to_string())
            .collect()
    };
    let clocks: Vec<u64> = field("clock ")
        .iter()
        .map(|c| c.parse().expect("a number"))
        .collect();
    let randoms = field("random ");
    assert_eq!(
        (clocks.len(), randoms.len()),
        (2, 2),
        "one line of each per boot\n{}",
        out.report()
    );
    assert!(
        clocks[1] >= clocks[0] + 3,
        "the second boot's clock must go on: {clocks:?}"
    );
    assert_ne!(
        randoms[0], randoms[1],
        "the second boot must not replay the first boot's entropy"
    );
}
