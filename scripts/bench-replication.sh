#!/usr/bin/env bash
# Replication overhead benchmark (issue 5 item 9).
#
#   scripts/bench-replication.sh
#
# Builds extravirt (release), gets the guest (scripts/build-guest.sh), and runs one fixed job
# -- boot Linux, a CPU-bound busybox awk loop, /bin/evtest three times, poweroff: ~320M guest
# instructions -- in these configurations, RUNS times each (interleaved, so a change in host
# load hits all of them alike), and prints the median of each measure and the ratios:
#
#   1r        1 replica
#   2r        2 replicas (default checkpoint interval: INTERVAL)
#   2r-fault  2 replicas, one pc bit flip in replica 1 during awk (recovery replays from the
#             last checkpoint: its time grows with the distance to it)
#   2r-small  2 replicas, checkpoint every SMALL_INTERVAL (more merging, more pauses)
#
# Measures (from --stats-json, except wall time, which is measured around the whole process):
#   wall time 2r / 1r                 goal <= 1.05 with two free cores (see the load printed)
#   peak_unique_frames 2r / 1r        goal <= 1.10
#   max_checkpoint_pause_ms, recovery_ms (2r-fault), max_output_latency_ms
#
# Environment: RUNS (3), AWK_N (35000 loop iterations, ~6.6K instructions each), INTERVAL
# (200000000; extravirt's own default is 20000000, as SMALL_INTERVAL), SMALL_INTERVAL
# (20000000), FAULT_ICOUNT (250000000), CARGO_TARGET_DIR (where cargo builds; default
# target/), KEEP=1 keeps the run directory.
# Exit status: 0 when every run behaved (goals missed are reported, not fatal), 1 otherwise.
set -euo pipefail

SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
REPO=$(cd "$(dirname "$SCRIPT")/.." && pwd)
RUNS=${RUNS:-3}
AWK_N=${AWK_N:-35000}
INTERVAL=${INTERVAL:-200000000}
SMALL_INTERVAL=${SMALL_INTERVAL:-20000000}
FAULT_ICOUNT=${FAULT_ICOUNT:-250000000}
TARGET=${CARGO_TARGET_DIR:-$REPO/target}

log() { echo "bench-replication: $*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

for tool in awk base64 timeout sort; do
	command -v $tool >/dev/null || die "$tool is needed"
done

log "building extravirt (release)"
(cd "$REPO" && cargo build --release -q -p extravirt) || die "cargo build failed"
EV=$TARGET/release/extravirt
[ -x "$EV" ] || die "$EV missing after the build (CARGO_TARGET_DIR?)"

log "getting the guest"
GUEST=$("$REPO/scripts/build-guest.sh" | tail -n 1) || die "scripts/build-guest.sh failed"
if [ ! -f "$GUEST/Image" ] || [ ! -f "$GUEST/initramfs.cpio.gz" ]; then
	die "no guest in '$GUEST'"
fi

WORK=$(mktemp -d /tmp/bench-replication.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then
	log "keeping runs in $WORK"
else
	trap 'rm -rf "$WORK"' EXIT
fi

JOB="echo start
awk 'BEGIN{s=0;for(i=1;i<=$AWK_N;i++)s=(s*31+i)%1000003;print \"sum\",s}'
/bin/evtest; /bin/evtest; /bin/evtest
echo done"
APPEND="console=ttyS0 panic=-1 quiet ev.cmd=$(printf '%s\n' "$JOB" | base64 -w0)"

# config name -> replicas and extra arguments
declare -A REPLICAS=([1r]=1 [2r]=2 [2r-fault]=2 [2r-small]=2)
declare -A EXTRA=(
	[1r]="--checkpoint-interval $INTERVAL"
	[2r]="--checkpoint-interval $INTERVAL"
	[2r-fault]="--checkpoint-interval $INTERVAL --inject replica=1,icount=$FAULT_ICOUNT,target=pc,bit=20"
	[2r-small]="--checkpoint-interval $SMALL_INTERVAL"
)
CONFIGS=(1r 2r 2r-fault 2r-small)

# A number from the pretty-printed stats JSON (one "key": value per line; first match).
jnum() { sed -n "s/^ *\"$2\": *\([0-9.eE+-]*\),\{0,1\}$/\1/p" "$1" | head -n 1; }

# run CONFIG N: one run; its stats in $WORK/CONFIG.N.json, wall and CPU seconds in .time
run() {
	local c=$1 n=$2 base=$WORK/$1.$2 rc=0 TIMEFORMAT='%R %U %S'
	# shellcheck disable=SC2086 # EXTRA is a list of arguments
	{ time timeout 900 "$EV" run --replicas "${REPLICAS[$c]}" --kernel "$GUEST/Image" \
		--initrd "$GUEST/initramfs.cpio.gz" --append "$APPEND" --rtc-epoch 1700000000 --entropy-seed 1 \
		--stats-json "$base.json" ${EXTRA[$c]} </dev/null >"$base.out" 2>"$base.err" || rc=$?; } 2>"$base.time"
	[ $rc = 0 ] || die "$c run $n: exit status $rc ($(tail -n 3 "$base.err" | tr '\n' ' '))"
	grep -aq 'EV-EXIT 0' "$base.out" || die "$c run $n: the job did not finish (no EV-EXIT 0)"
	cmp -s "$base.out" "$WORK/1r.1.out" || die "$c run $n: output differs from 1 replica's"
	log "$c run $n: wall/user/sys $(cat "$base.time") s, $(jnum "$base.json" instructions) instructions"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# med CONFIG KEY: the median over runs of a stats number; KEY=wall / cpu: the measured wall
# time / user+sys CPU time of the process.
med() {
	local c=$1 k=$2 n
	for n in $(seq 1 "$RUNS"); do
		case $k in
		wall) awk '{ print $1 }' "$WORK/$c.$n.time" ;;
		cpu) awk '{ print $2 + $3 }' "$WORK/$c.$n.time" ;;
		*) jnum "$WORK/$c.$n.json" "$k" ;;
		esac
	done | median
}

# f DIGITS X: X rounded
f() { awk -v d="$1" -v x="$2" 'BEGIN { printf "%.*f", d, x }'; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for n in $(seq 1 "$RUNS"); do
	for c in "${CONFIGS[@]}"; do
		run "$c" "$n"
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

for n in $(seq 1 "$RUNS"); do
	f=$WORK/2r-fault.$n.json
	grep -q '"recovered": true' "$f" || die "2r-fault run $n: the fault was not detected and recovered"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r <= g ? "meets" : "MISSES") }'; }

echo "extravirt replication benchmark ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "host: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
echo "      load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER"
echo "job: boot + awk loop ($AWK_N iterations) + 3x /bin/evtest + poweroff:" \
	"$(med 1r instructions) instructions; median of $RUNS runs per configuration"
echo "configurations: 1r, 2r (checkpoint interval $INTERVAL), 2r-fault (2r + pc bit 20 flip in" \
	"replica 1 at $FAULT_ICOUNT), 2r-small (checkpoint interval $SMALL_INTERVAL)"
echo
printf '%-9s %7s %7s %6s %7s %10s %14s %15s %12s\n' config wall_s cpu_s ckpts epochs peak_uniq ckpt_pause_ms out_latency_ms recovery_ms
for c in "${CONFIGS[@]}"; do
	rec=-
	[ "$c" = 2r-fault ] && rec=$(f 1 "$(med "$c" recovery_ms)")
	printf '%-9s %7s %7s %6s %7s %10s %14s %15s %12s\n' "$c" "$(f 2 "$(med "$c" wall)")" \
		"$(f 2 "$(med "$c" cpu)")" "$(med "$c" checkpoints)" "$(med "$c" epochs)" \
		"$(med "$c" peak_unique_frames)" "$(f 2 "$(med "$c" max_checkpoint_pause_ms)")" \
		"$(f 1 "$(med "$c" max_output_latency_ms)")" "$rec"
done
echo
W=$(ratio "$(med 2r wall)" "$(med 1r wall)")
C=$(ratio "$(med 2r cpu)" "$(awk -v x="$(med 1r cpu)" 'BEGIN { print 2 * x }')")
M=$(ratio "$(med 2r peak_unique_frames)" "$(med 1r peak_unique_frames)")
MS=$(ratio "$(med 2r-small peak_unique_frames)" "$(med 1r peak_unique_frames)")
WS=$(ratio "$(med 2r-small wall)" "$(med 1r wall)")
echo "wall time 2 replicas / 1:              $W  (goal <= 1.05 on two free cores: $(verdict "$W" 1.05))"
echo "  CPU time 2 replicas / (2 x 1):       $C  (replication overhead whatever the load; the wall"
echo "                                              ratio on two free cores would be about this)"
echo "peak unique frames 2 replicas / 1:     $M  (goal <= 1.10: $(verdict "$M" 1.10))"
echo "  with checkpoints every $SMALL_INTERVAL: frames $MS, wall $WS"
echo "checkpoint pause (max per run):        2r $(f 2 "$(med 2r max_checkpoint_pause_ms)") ms, 2r-small $(f 2 "$(med 2r-small max_checkpoint_pause_ms)") ms"
echo "recovery from one fault (2r-fault):    $(f 1 "$(med 2r-fault recovery_ms)") ms (replays $((FAULT_ICOUNT % INTERVAL)) instructions from the last checkpoint, then to the end of the diverging epoch)"
echo "output-commit latency (max per run):   1r $(f 1 "$(med 1r max_output_latency_ms)") ms, 2r $(f 1 "$(med 2r max_output_latency_ms)") ms, 2r-fault $(f 1 "$(med 2r-fault max_output_latency_ms)") ms (includes the recovery)"
