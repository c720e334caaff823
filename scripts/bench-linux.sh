#!/usr/bin/env bash
# Linux guest benchmark (issue 4 item 7, issue 7 items 1 and 3): the same jobs on the default
# Linux guest under
#   * extravirt, 1 replica (--replicas 1),
#   * extravirt, 2 replicas (--replicas 2, the default checkpoint interval),
#   * two 1-replica extravirt runs at once (ev1x2: what two guests side by side cost this host
#     by itself, e.g. in shared caches and memory bandwidth; the floor for 2 replicas),
#   * qemu-system-riscv64, plain TCG,
#   * qemu-system-riscv64 -icount shift=0 (sleep=off, as scripts/qemu-run.sh -i runs it),
#   * the host check: the job's own program built for this host, alone and two copies at
#     once (no emulator at all): whether this host's two cores were free, i.e. whether two
#     programs side by side run as fast as one,
# N times each (interleaved, so a change in host load hits every configuration alike), a
# table of medians per job and a summary table of all jobs.
#
#   scripts/bench-linux.sh                     # every job, N=3
#   scripts/bench-linux.sh -n 5 -j int,fp -s 2
#
# Options:
#   -n N        runs per configuration and job (default 3)
#   -j JOBS     comma-separated jobs to run, in this order (default boot,int,mem,fp)
#   -s SCALE    multiply the job sizes below by SCALE (default 1; e.g. 0.1 for a quick check)
#   -h          this help
#
# Jobs: each run boots (OpenSBI + Linux + busybox init), runs the job (guest/hello.c, which
# is /bin/evtest), then `evtest instret` (the guest's instret CSR at the end), and powers off.
#   boot   nothing: boot to poweroff
#   int    evtest int 40000000     integer loop (xorshift64 + LCG + mul/rotate/branches)
#   mem    evtest mem 8 200        qsort of 8 MiB of uint64 in a fresh malloc, then 200
#                                  fork + copy-on-write + mmap + exit + wait
#   fp     evtest fp 1000000       5-body simulation in double precision (+ - * / sqrt)
# The job's line is computed beforehand by the same guest/hello.c compiled for this host
# with gcc (also -O2 -ffp-contract=off). Every run must print exactly that line and the
# instret line, and exit 0 (EV-EXIT 0), or the script fails.
#
# Per-job columns:
#   wall s       median wall-clock seconds of the whole run (process start to exit)
#   CPU s        median user + system CPU seconds of the run (less sensitive than wall time
#                to other load on a shared host; QEMU's includes its helper threads,
#                extravirt's with 2 replicas both replicas, ev1x2's both runs)
#   insns        extravirt: retired instructions of the whole run (from --digest)
#   instret@end  the guest's instret at the end of the job (only meaningful where instret
#                counts instructions: extravirt and QEMU -icount; plain TCG derives it from
#                host time)
#   MIPS wall    insns (or instret@end for QEMU -icount) / wall s; MIPS CPU: / CPU s
#   ev1/this     extravirt 1 replica's median wall (CPU) time / this configuration's (> 1:
#                extravirt slower)
# Summary: the median wall seconds of each configuration per job (ev1, ev2: extravirt with
# 1, 2 replicas; ev1x2: two 1-replica runs at once; tcg, icount: QEMU) and ev1/icount, ev1/tcg,
# ev2/ev1, ev2/ev1x2 of those, and the same two as medians of per-run ratios ("paired").
# Goal 3 (2 replicas <= 1.05 x 1 on two free cores): ev2/ev1 as the ratio of medians, paired,
# and of the fastest runs ("fastest": host noise only ever adds time, so each configuration's
# fastest run is the one the host disturbed least), beside the host check's own two-at-once
# factor (paired, and of the fastest runs). A host factor above 1 means the cores were not
# free: two replicas pay it as well.
# Breakdown: where ev1's and ev2's wall time went, from the "time" of --stats-json: start-up
# and exit, the coordinator between epochs, the replicas' own runs, the barriers at epoch ends
# (waiting for the slower replica), and what 2 replicas add to each.
#
# Builds extravirt in release mode (cargo decides whether anything changed; honours
# CARGO_TARGET_DIR) and the guest (scripts/build-guest.sh, cached). The uncompressed
# initramfs is booted when the guest build provides it (both emulators get the same one).
# Temporary files go under TMPDIR (default /tmp).
set -euo pipefail

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
N=3
JOBS=boot,int,mem,fp
SCALE=1
RTC_EPOCH=1700000000
TIMEOUT=600
# Job sizes at SCALE 1 (see the header).
INT_N=40000000
MEM_MIB=8
MEM_FORKS=200
FP_N=1000000

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while getopts "n:j:s:h" opt; do
	case "$opt" in
	n) N=$OPTARG ;;
	j) JOBS=$OPTARG ;;
	s) SCALE=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# = 0 ] || usage
log() { echo "bench-linux: $*" >&2; }
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { log "-n wants a positive integer"; exit 2; }
if ! [[ "$SCALE" =~ ^[0-9]*\.?[0-9]+$ ]] || ! awk -v s="$SCALE" 'BEGIN { exit !(s > 0) }'; then
	log "-s wants a positive number"
	exit 2
fi
IFS=, read -r -a JOB_LIST <<<"$JOBS"
[ ${#JOB_LIST[@]} -gt 0 ] || { log "-j wants at least one job"; exit 2; }
for j in "${JOB_LIST[@]}"; do
	case "$j" in
	boot | int | mem | fp) ;;
	*) log "-j: unknown job '$j' (jobs: boot, int, mem, fp)"; exit 2 ;;
	esac
done

# scaled BASE: BASE x SCALE, rounded, at least 1.
scaled() { awk -v b="$1" -v s="$SCALE" 'BEGIN { v = int(b * s + 0.5); print (v < 1 ? 1 : v) }'; }
declare -A ARGS=(
	[boot]=""
	[int]="int $(scaled "$INT_N")"
	[mem]="mem $(scaled "$MEM_MIB") $(scaled "$MEM_FORKS")"
	[fp]="fp $(scaled "$FP_N")"
)

cd "$REPO"
command -v qemu-system-riscv64 >/dev/null || { log "qemu-system-riscv64 missing (apt-get install qemu-system-misc)"; exit 1; }
command -v gcc >/dev/null || { log "gcc missing (it computes the expected results)"; exit 1; }
log "cargo build --release -p extravirt"
cargo build --release -q -p extravirt
EV=${CARGO_TARGET_DIR:-$REPO/target}/release/extravirt
[ -x "$EV" ] || { log "no binary at $EV"; exit 1; }
GUEST=$(scripts/build-guest.sh | tail -n1)

INITRD=$GUEST/initramfs.cpio.gz
QEMU_INITRD=()
if [ -f "$GUEST/initramfs.cpio" ] && grep -q -- '--uncompressed' scripts/qemu-run.sh; then
	INITRD=$GUEST/initramfs.cpio
	QEMU_INITRD=(-u)
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The expected output of each job, from the same source compiled for the host.
gcc -O2 -Wall -Wextra -ffp-contract=off -o "$WORK/evtest-host" guest/hello.c -lm
declare -A SCRIPT=()
for j in "${JOB_LIST[@]}"; do
	if [ -n "${ARGS[$j]}" ]; then
		# shellcheck disable=SC2086 # ARGS holds the arguments
		"$WORK/evtest-host" ${ARGS[$j]} >"$WORK/$j.expect" ||
			{ log "the host build of evtest ${ARGS[$j]} failed"; cat "$WORK/$j.expect" >&2; exit 1; }
		SCRIPT[$j]="/bin/evtest ${ARGS[$j]} && /bin/evtest instret"
	else
		: >"$WORK/$j.expect"
		SCRIPT[$j]="/bin/evtest instret"
	fi
done

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

# script_output LOG: the lines between EV-BEGIN and EV-EXIT (as scripts/qemu-run.sh -o).
script_output() {
	awk -f "$REPO/scripts/ev-output.awk" "$1"
}

# check_output FILE JOB: the job printed exactly its expected line(s), then the instret line.
check_output() {
	{ grep -v '^evtest: instret=' "$1" || true; } | cmp -s - "$WORK/$2.expect" &&
		[ "$(grep -c '^evtest: instret=' "$1")" = 1 ]
}

instret_of() { sed -n 's/^evtest: instret=\([0-9]*\).*/\1/p' "$1" | tail -n1; }

# fail JOB WHAT OUT ERR STATUS
fail() {
	log "$2 failed (status $5); expected output:"
	sed 's/^/  /' "$WORK/$1.expect" >&2
	log "got:"
	tail -n 20 "$3" "$4" >&2
	exit 1
}

# ev_run JOB REPLICAS OUT ERR: one extravirt run of JOB.
ev_run() {
	local append
	append="console=ttyS0 panic=-1 quiet ev.cmd=$(printf '%s\n' "${SCRIPT[$1]}" | base64 -w0)"
	timeout -k 5 "$TIMEOUT" "$EV" run --replicas "$2" --kernel "$GUEST/Image" --initrd "$INITRD" \
		--append "$append" --rtc-epoch "$RTC_EPOCH" --entropy-seed 1 --digest --stats-json "$3.json" </dev/null >"$3" 2>"$4"
}

# time_of STATS_JSON: "wall epochs host_wait slowest_replica mean_replica" seconds from the
# "time" breakdown of extravirt's --stats-json.
time_of() {
	awk '
		/"wall_seconds"/ { gsub(/,/, ""); wall = $2 }
		/"epochs_seconds"/ { gsub(/,/, ""); epochs = $2 }
		/"host_wait_seconds"/ { gsub(/,/, ""); wait = $2 }
		/"replica_seconds"/ { in_list = 1; next }
		in_list && /\]/ { in_list = 0 }
		in_list { gsub(/,/, ""); n++; sum += $1; if ($1 > max) max = $1 }
		END { printf "%.4f %.4f %.4f %.4f %.4f\n", wall, epochs, wait, max, (n ? sum / n : 0) }
	' "$1"
}

# at_once F ARGS...: `F ARGS... 1` and `F ARGS... 2` at once; fails if either does.
at_once() {
	local a=0 b=0
	"$@" 1 &
	local pid=$!
	"$@" 2 || b=$?
	wait "$pid" || a=$?
	return $((a > b ? a : b))
}

# ev_copy JOB OUT ERR K: copy K of two 1-replica runs at once (to OUT.K, ERR.K).
ev_copy() {
	ev_run "$1" 1 "$2.$4" "$3.$4"
}

# check_ev JOB CONFIG I OUT ERR STATUS: the run succeeded and printed the job's output.
check_ev() {
	local job=$1 out=$4 err=$5
	tr -d '\r' <"$out" >"$out.txt"
	script_output "$out.txt" >"$out.script"
	if [ "$6" != 0 ] || ! grep -q '^EV-EXIT 0$' "$out.txt" || ! check_output "$out.script" "$job"; then
		fail "$job" "$job $2 run $3" "$out.txt" "$err" "$6"
	fi
}

# run_extravirt JOB CONFIG REPLICAS I: one run; appends "wall cpu insns instret" to
# $WORK/JOB.CONFIG. REPLICAS "1x2" is two 1-replica runs at once (wall time until both ended,
# CPU time of both): what running two copies of the guest costs on this host by itself, the
# floor for 2 replicas.
run_extravirt() {
	local job=$1 cfg=$2 replicas=$3 i=$4 out=$WORK/ev.out err=$WORK/ev.err status=0 insns wall cpu
	if [ "$replicas" = 1x2 ]; then
		timed "$WORK/t" at_once ev_copy "$job" "$out" "$err" || status=$?
		check_ev "$job" "$cfg" "$i" "$out.2" "$err.2" "$status"
		out=$out.1 err=$err.1
	else
		timed "$WORK/t" ev_run "$job" "$replicas" "$out" "$err" || status=$?
	fi
	check_ev "$job" "$cfg" "$i" "$out" "$err" "$status"
	insns=$(sed -n 's/^extravirt: instructions \([0-9]*\) digest .*/\1/p' "$err" | tail -n1)
	read -r wall cpu <"$WORK/t"
	echo "$wall $cpu $insns $(instret_of "$out.script")" >>"$WORK/$job.$cfg"
	[ "$replicas" = 1x2 ] || echo "$wall $(time_of "$out.json")" >>"$WORK/$job.$cfg.time"
	log "$(printf '%-4s %-6s' "$job" "$cfg") run $i: $wall s wall, $cpu s CPU, $insns instructions"
}

# run_qemu JOB CONFIG I [qemu-run.sh options]: one run; appends "wall cpu - instret" to
# $WORK/JOB.CONFIG.
run_qemu() {
	local job=$1 cfg=$2 i=$3 out=$WORK/qemu.out err=$WORK/qemu.err status=0 wall cpu
	shift 3
	timed "$WORK/t" scripts/qemu-run.sh -o -t "$TIMEOUT" -g "$GUEST" "${QEMU_INITRD[@]}" "$@" \
		-c "${SCRIPT[$job]}" >"$out" 2>"$err" || status=$?
	if [ "$status" != 0 ] || ! check_output "$out" "$job"; then
		fail "$job" "$job $cfg run $i" "$out" "$err" "$status"
	fi
	read -r wall cpu <"$WORK/t"
	echo "$wall $cpu - $(instret_of "$out")" >>"$WORK/$job.$cfg"
	log "$(printf '%-4s %-6s' "$job" "$cfg") run $i: $wall s wall, $cpu s CPU"
}

# Host check: the job's program built for this host, repeated to run for a fraction of a
# second (boot has no program of its own: it uses int's).
declare -A NATIVE_REPEAT=([boot]=3 [int]=3 [mem]=3 [fp]=10)
# native_job JOB [K]: K (which copy) is ignored.
native_job() {
	local args=${ARGS[$1]:-${ARGS[int]}} k
	for ((k = 0; k < NATIVE_REPEAT[$1]; k++)); do
		# shellcheck disable=SC2086 # ARGS holds the arguments
		"$WORK/evtest-host" $args >/dev/null || return 1
	done
}

# run_native JOB CONFIG I: the host check, one copy (CONFIG nat) or two at once (natx2);
# appends "wall cpu" to $WORK/JOB.CONFIG.
run_native() {
	local job=$1 cfg=$2 i=$3 wall cpu status=0
	if [ "$cfg" = natx2 ]; then
		timed "$WORK/t" at_once native_job "$job" || status=$?
	else
		timed "$WORK/t" native_job "$job" || status=$?
	fi
	[ "$status" = 0 ] || { log "$job $cfg run $i: the host build of evtest failed (status $status)"; exit 1; }
	read -r wall cpu <"$WORK/t"
	echo "$wall $cpu" >>"$WORK/$job.$cfg"
	log "$(printf '%-4s %-6s' "$job" "$cfg") run $i: $wall s wall, $cpu s CPU"
}

# median FILE COLUMN
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# fastest JOB A B: B's fastest wall time / A's fastest.
fastest() {
	awk 'NR == FNR { if (FNR == 1 || $1 < a) a = $1; next } { if (FNR == 1 || $1 < b) b = $1 }
		END { printf "%.2f", b / a }' "$WORK/$1.$2" "$WORK/$1.$3"
}

# paired JOB A B: the median over runs i of B's wall time in run i / A's in run i. Run i of
# every configuration ran back to back, so a slow stretch of the host hits both sides of a
# pair; this drifts less than the ratio of the medians.
paired() {
	paste -d' ' <(cut -d' ' -f1 "$WORK/$1.$2") <(cut -d' ' -f1 "$WORK/$1.$3") |
		awk '{ printf "%.4f\n", $2 / $1 }' >"$WORK/paired"
	median "$WORK/paired" 1 | awk '{ printf "%.2f", $1 }'
}

REV=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || REV="$REV+changes"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "guest $GUEST, initrd $(basename "$INITRD"), jobs ${JOB_LIST[*]} (scale $SCALE), $N runs each"
for i in $(seq 1 "$N"); do
	for job in "${JOB_LIST[@]}"; do
		# Odd runs ev1, ev2, ev1x2; even runs the reverse, so that no configuration always
		# follows one that left a core idle (or busy) and the paired ratios are even-handed.
		if [ $((i % 2)) = 1 ]; then
			run_extravirt "$job" ev1 1 "$i"
			run_extravirt "$job" ev2 2 "$i"
			run_extravirt "$job" ev1x2 1x2 "$i"
		else
			run_extravirt "$job" ev1x2 1x2 "$i"
			run_extravirt "$job" ev2 2 "$i"
			run_extravirt "$job" ev1 1 "$i"
		fi
		run_qemu "$job" tcg "$i"
		run_qemu "$job" icount "$i" -i
		run_native "$job" nat "$i"
		run_native "$job" natx2 "$i"
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mips() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n / t / 1e6 }'; }
row() { printf '%-22s %7s %7s %11s %11s %6s %6s %8s %8s\n' "$@"; }

echo
echo "extravirt Linux benchmark ($REV): $N runs each, medians"
echo "host: $(nproc) CPUs, load average $LOAD_BEFORE before, $LOAD_AFTER after; $(qemu-system-riscv64 --version | head -n1)"
echo "every job: boot + job + evtest instret + poweroff; initrd $(basename "$INITRD"); scale $SCALE"
declare -A WALL=()
for job in "${JOB_LIST[@]}"; do
	for cfg in ev1 ev2 ev1x2 tcg icount; do
		WALL[$job.$cfg]=$(median "$WORK/$job.$cfg" 1)
	done
	ev_wall=${WALL[$job.ev1]}
	ev_cpu=$(median "$WORK/$job.ev1" 2)
	echo
	echo "job $job: ${SCRIPT[$job]}"
	if [ -s "$WORK/$job.expect" ]; then echo "  prints: $(cat "$WORK/$job.expect")"; fi
	row configuration "wall s" "CPU s" insns instret@end MIPS "CPU" "ev1/this" "ev1/this"
	row "" "" "" "" "" wall MIPS wall CPU
	for cfg in ev1 ev2 ev1x2 tcg icount; do
		f=$WORK/$job.$cfg
		wall=${WALL[$job.$cfg]}
		cpu=$(median "$f" 2)
		instret=$(median "$f" 4)
		case "$cfg" in
		ev1 | ev2 | ev1x2)
			insns=$(median "$f" 3)
			case "$cfg" in
			ev1) label="extravirt (1 replica)" ;;
			ev2) label="extravirt (2 replicas)" ;;
			*) label="2 x 1 replica at once" ;;
			esac
			row "$label" "$wall" "$cpu" "$insns" "$instret" "$(mips "$insns" "$wall")" \
				"$(mips "$insns" "$cpu")" "$(div "$ev_wall" "$wall")" "$(div "$ev_cpu" "$cpu")"
			;;
		tcg)
			row "qemu TCG" "$wall" "$cpu" - - - - "$(div "$ev_wall" "$wall")" "$(div "$ev_cpu" "$cpu")"
			;;
		icount)
			row "qemu -icount shift=0" "$wall" "$cpu" - "$instret" "$(mips "$instret" "$wall")" \
				"$(mips "$instret" "$cpu")" "$(div "$ev_wall" "$wall")" "$(div "$ev_cpu" "$cpu")"
			;;
		esac
	done
	# extravirt is deterministic: the replica count must not change the instruction count.
	if [ "$(sort -u <(cut -d' ' -f3 "$WORK/$job.ev1") <(cut -d' ' -f3 "$WORK/$job.ev2" "$WORK/$job.ev1x2") | wc -l)" != 1 ]; then
		echo "  NOTE: instruction counts differ between runs: $(cut -d' ' -f3 "$WORK/$job.ev1" "$WORK/$job.ev2" "$WORK/$job.ev1x2" | sort -u | tr '\n' ' ')"
	fi
done

srow() { printf '%-6s %9s %9s %10s %9s %11s %11s %8s %8s %9s %8s %9s\n' "$@"; }
echo
echo "summary: median wall s; ev1, ev2 = extravirt with 1, 2 replicas; ev1x2 = two 1-replica runs at"
echo "once (the host's own cost of running two guests side by side); tcg, icount = QEMU;"
echo "'paired': the median of the per-run ratios (run i of each configuration ran back to back)"
srow job "ev1 wall" "ev2 wall" "ev1x2 wall" "tcg wall" "icount wall" ev1/icount ev1/tcg ev2/ev1 ev2/ev1x2 \
	"paired" "paired"
srow "" "" "" "" "" "" "" "" "" "" ev2/ev1 ev2/ev1x2
for job in "${JOB_LIST[@]}"; do
	srow "$job" "${WALL[$job.ev1]}" "${WALL[$job.ev2]}" "${WALL[$job.ev1x2]}" "${WALL[$job.tcg]}" \
		"${WALL[$job.icount]}" "$(div "${WALL[$job.ev1]}" "${WALL[$job.icount]}")" \
		"$(div "${WALL[$job.ev1]}" "${WALL[$job.tcg]}")" "$(div "${WALL[$job.ev2]}" "${WALL[$job.ev1]}")" \
		"$(div "${WALL[$job.ev2]}" "${WALL[$job.ev1x2]}")" "$(paired "$job" ev1 ev2)" "$(paired "$job" ev1x2 ev2)"
done

grow() { printf '%-6s %9s %9s %9s %9s %10s %10s %10s\n' "$@"; }
echo
echo "goal 3, 2 replicas <= 1.05 x 1 on two free cores: ev2/ev1 as medians, paired and of the fastest"
echo "runs; the host check (this job's program built for the host: two copies at once against"
echo "one, paired and fastest; above 1: the cores were not free) and what it ran, median s"
grow job ev2/ev1 "paired" "fastest" "host x2/1" "host x2/1" "host alone" "host x2"
grow "" "" ev2/ev1 ev2/ev1 paired fastest "wall s" "wall s"
for job in "${JOB_LIST[@]}"; do
	grow "$job" "$(div "${WALL[$job.ev2]}" "${WALL[$job.ev1]}")" "$(paired "$job" ev1 ev2)" \
		"$(fastest "$job" ev1 ev2)" "$(paired "$job" nat natx2)" "$(fastest "$job" nat natx2)" \
		"$(median "$WORK/$job.nat" 1)" "$(median "$WORK/$job.natx2" 1)"
done

# Where extravirt's wall time went, from the "time" of --stats-json: per run, columns wall,
# outside the run (start-up: images, board, threads; and exit), coordinator (between epochs:
# comparison, checkpoints, merges, statistics), the slowest replica's own run time, the mean
# replica's, barriers (epochs minus the slowest replica: waiting at epoch ends for the slower
# one, and handing runs over), and host waits (an idle guest's).
breakdown() {
	awk '{ printf "%.4f %.4f %.4f %.4f %.4f %.4f %.4f\n", $1, $1 - $2, $2 - $3 - $4, $5, $6, $3 - $5, $4 }' \
		"$WORK/$1.$2.time" >"$WORK/$1.$2.parts"
	for c in 1 2 3 4 5 6 7; do median "$WORK/$1.$2.parts" "$c" | awk '{ printf " %.0f", $1 * 1000 }'; done
}
trow() { printf '%-6s %-8s %7s %8s %12s %12s %13s %9s %10s\n' "$@"; }
echo
echo "where extravirt's wall time went (ms, medians of runs; the last row is ev2 - ev1):"
echo "outside = start-up and exit; coordinator = between epochs; replica = a replica's own run"
echo "time, running ahead included (the slowest's, the mean); barriers = waiting at epoch ends for the"
echo "slower replica, and hand-over; host wait = an idle guest's waits"
trow job config wall outside coordinator "replica max" "replica mean" barriers "host wait"
for job in "${JOB_LIST[@]}"; do
	read -r -a one <<<"$(breakdown "$job" ev1)"
	read -r -a two <<<"$(breakdown "$job" ev2)"
	trow "$job" ev1 "${one[@]}"
	trow "" ev2 "${two[@]}"
	delta=()
	for c in 0 1 2 3 4 5 6; do delta+=("$((two[c] - one[c]))"); done
	trow "" "ev2-ev1" "${delta[@]}"
done
