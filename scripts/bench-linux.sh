#!/usr/bin/env bash
# Boot benchmark (issue 4 item 7): the same fixed job on the default Linux guest under
#   * extravirt (1 replica),
#   * qemu-system-riscv64, plain TCG,
#   * qemu-system-riscv64 -icount shift=0 (sleep=off, as scripts/qemu-run.sh -i runs it),
# N times each (interleaved, so a change in host load hits every configuration alike), and a
# table of median wall times.
#
#   scripts/bench-linux.sh            # N=3, default job
#   scripts/bench-linux.sh -n 5 -l 100000
#
# Options:
#   -n N        runs per configuration (default 3)
#   -l ITERS    iterations of the job's awk loop (default 30000, ~100M guest instructions)
#   -h          this help
#
# The job: boot (OpenSBI + Linux + busybox init), /bin/evtest (integer + FP self-check),
# a CPU-bound awk loop, `evtest instret` (the guest's instret CSR at the end of the job),
# poweroff. Every run must print the expected output and EV-EXIT 0, or the script fails.
#
# Columns:
#   wall s       median wall-clock seconds of the whole run (process start to exit)
#   CPU s        median user + system CPU seconds of the run (less sensitive than wall time
#                to other load on a shared host; QEMU's includes its helper threads)
#   insns        extravirt: retired instructions of the whole run (from --digest)
#   instret@end  the guest's instret at the end of the job (only meaningful where instret
#                counts instructions: extravirt and QEMU -icount; plain TCG derives it from
#                host time)
#   MIPS wall    insns (or instret@end for QEMU -icount) / wall s; MIPS CPU: / CPU s
#   ev/this      extravirt's median wall (CPU) time / this configuration's (> 1: extravirt
#                slower)
#
# Builds extravirt in release mode (cargo decides whether anything changed; honours
# CARGO_TARGET_DIR) and the guest (scripts/build-guest.sh, cached). The uncompressed
# initramfs is booted when the guest build provides it (both emulators get the same one).
set -euo pipefail

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
N=3
ITERS=30000
RTC_EPOCH=1700000000
TIMEOUT=600

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while getopts "n:l:h" opt; do
	case "$opt" in
	n) N=$OPTARG ;;
	l) ITERS=$OPTARG ;;
	*) usage ;;
	esac
done
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "bench-linux: -n wants a positive integer" >&2; exit 2; }
[[ "$ITERS" =~ ^[0-9]+$ ]] || { echo "bench-linux: -l wants a number" >&2; exit 2; }
log() { echo "bench-linux: $*" >&2; }

cd "$REPO"
log "cargo build --release -p extravirt"
cargo build --release -q -p extravirt
EV=${CARGO_TARGET_DIR:-$REPO/target}/release/extravirt
[ -x "$EV" ] || { log "no binary at $EV"; exit 1; }
GUEST=$(scripts/build-guest.sh | tail -n1)
command -v qemu-system-riscv64 >/dev/null || { log "qemu-system-riscv64 missing (apt-get install qemu-system-misc)"; exit 1; }

INITRD=$GUEST/initramfs.cpio.gz
QEMU_INITRD=()
if [ -f "$GUEST/initramfs.cpio" ] && grep -q -- '--uncompressed' scripts/qemu-run.sh; then
	INITRD=$GUEST/initramfs.cpio
	QEMU_INITRD=(-u)
fi

JOB="/bin/evtest
awk 'BEGIN { s = 0; for (i = 0; i < $ITERS; i++) s += (i * i) % 7; print \"awk\", s }'
/bin/evtest instret"
# What the job must print before `evtest instret` (computed here, not trusted from a run).
EXPECT_AWK=$(awk "BEGIN { s = 0; for (i = 0; i < $ITERS; i++) s += (i * i) % 7; print \"awk\", s }")
APPEND="console=ttyS0 panic=-1 quiet ev.cmd=$(printf '%s\n' "$JOB" | base64 -w0)"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# timed FILE CMD...: runs CMD, writing "wall cpu" seconds (cpu = user + sys of CMD and its
# children) to FILE; returns CMD's status.
TIMEFORMAT='%3R %3U %3S'
timed() {
	local tf=$1 status=0
	shift
	{ time "$@" 2>&4 4>&-; } 4>&2 2>"$tf.raw" || status=$?
	awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$tf.raw" >"$tf"
	return "$status"
}

# check_output FILE: the job's output is complete and correct.
check_output() {
	grep -q '^evtest: OK' "$1" && grep -qx "$EXPECT_AWK" "$1" && grep -q '^evtest: instret=' "$1"
}

instret_of() { sed -n 's/^evtest: instret=\([0-9]*\).*/\1/p' "$1" | tail -n1; }

# run_extravirt I: one run; appends "wall insns instret" to $WORK/ev.
run_extravirt() {
	local out=$WORK/ev.out err=$WORK/ev.err status=0
	timed "$WORK/t" timeout -k 5 "$TIMEOUT" "$EV" run --kernel "$GUEST/Image" --initrd "$INITRD" \
		--append "$APPEND" --rtc-epoch "$RTC_EPOCH" --digest </dev/null >"$out" 2>"$err" || status=$?
	tr -d '\r' <"$out" >"$out.txt"
	if [ "$status" != 0 ] || ! grep -q '^EV-EXIT 0$' "$out.txt" || ! check_output "$out.txt"; then
		log "extravirt run $1 failed (status $status):"
		tail -n 20 "$out.txt" "$err" >&2
		exit 1
	fi
	local insns wall cpu
	insns=$(sed -n 's/^extravirt: instructions \([0-9]*\) digest .*/\1/p' "$err" | tail -n1)
	read -r wall cpu <"$WORK/t"
	echo "$wall $cpu $insns $(instret_of "$out.txt")" >>"$WORK/ev"
	log "extravirt   run $1: $wall s wall, $cpu s CPU, $insns instructions"
}

# run_qemu NAME I [qemu-run.sh options]: one run; appends "wall instret" to $WORK/NAME.
run_qemu() {
	local name=$1 i=$2 out=$WORK/$1.out status=0 wall cpu
	shift 2
	timed "$WORK/t" scripts/qemu-run.sh -o -t "$TIMEOUT" -g "$GUEST" "${QEMU_INITRD[@]}" "$@" -c "$JOB" \
		>"$out" 2>"$WORK/$name.err" || status=$?
	if [ "$status" != 0 ] || ! check_output "$out"; then
		log "$name run $i failed (status $status):"
		tail -n 20 "$out" "$WORK/$name.err" >&2
		exit 1
	fi
	read -r wall cpu <"$WORK/t"
	echo "$wall $cpu $(instret_of "$out")" >>"$WORK/$name"
	log "$(printf '%-11s' "$name") run $i: $wall s wall, $cpu s CPU"
}

# median FILE COLUMN
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "guest $GUEST, initrd $(basename "$INITRD"), $N runs each, awk loop $ITERS iterations"
for i in $(seq 1 "$N"); do
	run_extravirt "$i"
	run_qemu qemu-tcg "$i"
	run_qemu qemu-icount "$i" -i
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

ev_wall=$(median "$WORK/ev" 1)
ev_cpu=$(median "$WORK/ev" 2)
ev_insns=$(median "$WORK/ev" 3)
ev_instret=$(median "$WORK/ev" 4)
tcg_wall=$(median "$WORK/qemu-tcg" 1)
tcg_cpu=$(median "$WORK/qemu-tcg" 2)
ic_wall=$(median "$WORK/qemu-icount" 1)
ic_cpu=$(median "$WORK/qemu-icount" 2)
ic_instret=$(median "$WORK/qemu-icount" 3)
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mips() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n / t / 1e6 }'; }
row() { printf '%-22s %7s %7s %11s %11s %6s %6s %7s %7s\n' "$@"; }

echo
echo "extravirt Linux boot benchmark: $N runs each, medians"
echo "host: $(nproc) CPUs, load average $LOAD_BEFORE before, $LOAD_AFTER after; $(qemu-system-riscv64 --version | head -n1)"
echo "job: boot + /bin/evtest + awk loop ($ITERS iterations) + evtest instret + poweroff; initrd $(basename "$INITRD")"
echo
row configuration "wall s" "CPU s" insns instret@end MIPS "CPU" "ev/this" "ev/this"
row "" "" "" "" "" wall MIPS wall CPU
row "extravirt (1 replica)" "$ev_wall" "$ev_cpu" "$ev_insns" "$ev_instret" \
	"$(mips "$ev_insns" "$ev_wall")" "$(mips "$ev_insns" "$ev_cpu")" 1.00 1.00
row "qemu TCG" "$tcg_wall" "$tcg_cpu" - - - - "$(div "$ev_wall" "$tcg_wall")" "$(div "$ev_cpu" "$tcg_cpu")"
row "qemu -icount shift=0" "$ic_wall" "$ic_cpu" - "$ic_instret" \
	"$(mips "$ic_instret" "$ic_wall")" "$(mips "$ic_instret" "$ic_cpu")" \
	"$(div "$ev_wall" "$ic_wall")" "$(div "$ev_cpu" "$ic_cpu")"
echo
echo "extravirt/QEMU-TCG:    $(div "$ev_wall" "$tcg_wall") x wall time, $(div "$ev_cpu" "$tcg_cpu") x CPU time"
echo "extravirt/QEMU-icount: $(div "$ev_wall" "$ic_wall") x wall time, $(div "$ev_cpu" "$ic_cpu") x CPU time"
