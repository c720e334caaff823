#!/usr/bin/env bash
# Boot the extravirt default guest under QEMU's `virt` machine: the
# reference that extravirt is compared with in differential tests.
#
#   scripts/qemu-run.sh                        # interactive shell on the console
#   scripts/qemu-run.sh -c 'uname -a; echo hi' # test mode: run, print EV-EXIT, power off
#   scripts/qemu-run.sh -s test.sh -d disk.img -t 120
#
# Options:
#   -c, --cmd TEXT       test mode: run TEXT with sh in the guest (sent as ev.cmd=BASE64)
#   -s, --script FILE    test mode: same, with the script read from FILE
#   -d, --disk IMG       attach IMG (raw) as virtio-blk on virtio-mmio; repeat for vdb, ...
#   -n, --net            attach virtio-net (QEMU user networking with restrict=on: nothing
#                        leaves QEMU; guest 10.0.2.15/24,
#                        gateway 10.0.2.2) and pass ev.ip / ev.gw
#   -r, --rng            attach virtio-rng (/dev/hwrng)
#   -t, --timeout SECS   kill QEMU after SECS (default 300 in test mode, none otherwise)
#   -a, --append ARGS    extra kernel command-line arguments
#   -v, --verbose        test mode: keep kernel messages (default adds `quiet`)
#   -i, --icount         -icount shift=0,sleep=off: 1 guest instruction = 1 ns of virtual
#                        time, so rdinstret/rdtime in the guest (`evtest instret`) count
#                        instructions since reset (plus idle time skipped while in WFI)
#   -o, --output-only    test mode: print only the script's output (the lines between
#                        EV-BEGIN and EV-EXIT, CRs removed); the whole console log goes
#                        to stderr only if the marker is missing
#   -u, --uncompressed   boot initramfs.cpio instead of initramfs.cpio.gz (same contents;
#                        skips ~40M guest instructions of inflate)
#   -m, --memory SIZE    guest RAM (default 256M)
#   --cpu MODEL          QEMU -cpu; default rv64,h=false,sstc=false,Zihintpause=false,
#                        a plain RV64GC hart without the H, Sstc and Zihintpause
#                        extensions QEMU 7.2 enables by default (7.2 cannot hide
#                        Sv48/Sv57, so the kernel still picks Sv57 there)
#   -g, --guest DIR      guest directory (default: the one scripts/build-guest.sh prints,
#                        building it first if needed)
#   --                   everything after is passed to QEMU unchanged
#
# Exit status in test mode: the guest script's status from its "EV-EXIT <n>" line,
# 124 on timeout, 125 when QEMU ended without printing the marker.
# In interactive mode: QEMU's own status (the guest powers off when the shell exits;
# Ctrl-A x quits QEMU at any time).
set -euo pipefail

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
FW=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin # from Debian's opensbi
DEFAULT_CPU=rv64,h=false,sstc=false,Zihintpause=false
# riscv's COMMAND_LINE_SIZE is 1024 including the final NUL.
CMDLINE_MAX=1023

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

script='' test_mode=0 timeout='' append='' verbose=0 icount=0 net=0 mem=256M guest=''
output_only=0 rng=0 cpu=$DEFAULT_CPU initrd_name=initramfs.cpio.gz
disks=() extra=()
while [ $# -gt 0 ]; do
	case "$1" in
	-c | --cmd) script=$2; test_mode=1; shift 2 ;;
	-s | --script) script=$(cat "$2"); test_mode=1; shift 2 ;;
	-d | --disk) disks+=("$2"); shift 2 ;;
	-n | --net) net=1; shift ;;
	-r | --rng) rng=1; shift ;;
	-t | --timeout) timeout=$2; shift 2 ;;
	-a | --append) append="$append $2"; shift 2 ;;
	-v | --verbose) verbose=1; shift ;;
	-i | --icount) icount=1; shift ;;
	-o | --output-only) output_only=1; shift ;;
	-u | --uncompressed) initrd_name=initramfs.cpio; shift ;;
	-m | --memory) mem=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	-g | --guest) guest=$2; shift 2 ;;
	-h | --help) usage ;;
	--) shift; extra=("$@"); break ;;
	*) echo "qemu-run: unknown argument: $1" >&2; usage ;;
	esac
done

if [ -z "$guest" ]; then
	guest=$("$REPO/scripts/build-guest.sh" | tail -n1)
fi
for f in "$guest/Image" "$guest/$initrd_name" "$FW"; do
	[ -f "$f" ] || { echo "qemu-run: missing $f" >&2; exit 2; }
done
command -v qemu-system-riscv64 >/dev/null || { echo "qemu-run: qemu-system-riscv64 not installed (apt-get install qemu-system-misc)" >&2; exit 2; }

# panic=-1 + -no-reboot: a guest panic ends QEMU at once instead of hanging.
cmdline="console=ttyS0 panic=-1"
[ "$test_mode" = 1 ] && [ "$verbose" = 0 ] && cmdline="$cmdline quiet"
[ "$net" = 1 ] && cmdline="$cmdline ev.ip=10.0.2.15/24 ev.gw=10.0.2.2"
cmdline="$cmdline$append"
if [ "$test_mode" = 1 ]; then
	cmdline="$cmdline ev.cmd=$(printf '%s\n' "$script" | base64 -w0)"
	[ -n "$timeout" ] || timeout=300
fi
if [ ${#cmdline} -gt $CMDLINE_MAX ]; then
	echo "qemu-run: kernel command line is ${#cmdline} bytes, over $CMDLINE_MAX: shorten the script or ship it on a disk image" >&2
	exit 2
fi

qemu=(qemu-system-riscv64 -M virt -cpu "$cpu" -m "$mem" -smp 1 -nographic -no-reboot
	-bios "$FW" -kernel "$guest/Image" -initrd "$guest/$initrd_name"
	-append "$cmdline")
i=0
for d in "${disks[@]}"; do
	qemu+=(-drive "file=$d,format=raw,if=none,id=d$i" -device "virtio-blk-device,drive=d$i")
	i=$((i + 1))
done
[ "$net" = 1 ] && qemu+=(-netdev "user,id=n0,restrict=on" -device "virtio-net-device,netdev=n0")
[ "$rng" = 1 ] && qemu+=(-device virtio-rng-device)
[ "$icount" = 1 ] && qemu+=(-icount "shift=0,sleep=off")
qemu+=("${extra[@]}")

# --foreground: QEMU may read the terminal (interactive use), which a
# background process group could not.
run=("${qemu[@]}")
[ -n "$timeout" ] && run=(timeout --foreground -k 5 "$timeout" "${run[@]}")

if [ "$test_mode" = 0 ]; then
	exec "${run[@]}"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
if [ "$output_only" = 1 ]; then
	"${run[@]}" >"$log"
	qemu_status=$?
else
	"${run[@]}" | tee "$log"
	qemu_status=${PIPESTATUS[0]}
fi
set -e
tr -d '\r' <"$log" >"$log.txt"
mv "$log.txt" "$log"
marker=$(sed -n 's/.*EV-EXIT \([0-9]\{1,\}\)$/\1/p' "$log" | tail -n1)
if [ -z "$marker" ]; then
	[ "$output_only" = 1 ] && cat "$log" >&2
	if [ "$qemu_status" = 124 ]; then
		echo "qemu-run: timed out after ${timeout}s" >&2
		exit 124
	fi
	echo "qemu-run: no EV-EXIT marker (QEMU status $qemu_status)" >&2
	exit 125
fi
if [ "$output_only" = 1 ]; then
	awk -v raw=1 -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/ev-output.awk" "$log"
fi
exit "$marker"
