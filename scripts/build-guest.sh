#!/usr/bin/env bash
# Build (or reuse from the cache) the default extravirt guest: a Linux 6.1
# RV64 kernel Image plus a busybox initramfs, both built from Debian 12
# packages. The last line of stdout is the directory holding the guest;
# all progress goes to stderr.
#
#   scripts/build-guest.sh            # build if needed, print the directory
#
# Environment:
#   EXTRAVIRT_CACHE        cache root (default: $HOME/.cache/extravirt)
#   EXTRAVIRT_JOBS         make -j for kernel and busybox (default: 2)
#   EXTRAVIRT_KEEP_BUILD=1 keep the temporary build tree (for debugging)
#
# Output: $CACHE/guest-<key>/{Image,initramfs.cpio.gz,initramfs.cpio,linux.config,
# busybox.config,System.map,versions.txt,.done}, where <key> is the first 16
# hex digits of a sha256 over this script, every file under guest/ except
# *.md, and the versions of the source/toolchain packages (KEY_INPUTS below).
# Nothing in there is ever rewritten: a changed input gives a new directory.
set -euo pipefail

SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
REPO=$(cd "$(dirname "$SCRIPT")/.." && pwd)
GUEST_SRC=$REPO/guest
CACHE_ROOT=${EXTRAVIRT_CACHE:-$HOME/.cache/extravirt}
JOBS=${EXTRAVIRT_JOBS:-2}
CROSS=riscv64-linux-gnu-
# The brief is Linux 6.1 from Debian's linux-source-6.1 package.
KSRC_PKG=linux-source-6.1
KSRC_TARBALL=/usr/src/linux-source-6.1.tar.xz

log() { echo "build-guest: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------
# 1. Host packages. Checked with dpkg-query first so a ready machine never
#    touches apt (and needs no root or network).
# ---------------------------------------------------------------------------
PKGS=(
	"$KSRC_PKG"
	gcc-riscv64-linux-gnu libc6-dev-riscv64-cross # cross compiler + static glibc
	gcc make libc6-dev                             # host tools of kbuild/busybox
	bc flex bison libelf-dev libssl-dev            # kernel build dependencies
	cpio kmod xz-utils gzip
	dpkg-dev # dpkg-source, used by `apt-get source`
	opensbi qemu-system-misc # firmware + reference emulator for qemu-run.sh
)

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

pkg_installed() {
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

apt_updated=0
apt_update() {
	log "apt-get update"
	as_root apt-get update -qq >&2
	apt_updated=1
}

ensure_packages() {
	local missing=() p
	for p in "${PKGS[@]}"; do
		pkg_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing: ${missing[*]}"
	local aptlog
	aptlog=$(mktemp)
	# A fresh machine may have empty or stale package lists: update and retry
	# once. dpkg's chatter goes to a log shown only on failure.
	if ! apt_install "${missing[@]}" >"$aptlog" 2>&1; then
		if [ $apt_updated = 1 ] || ! apt_update || ! apt_install "${missing[@]}" >"$aptlog" 2>&1; then
			tail -n 30 "$aptlog" >&2
			rm -f "$aptlog"
			die "apt-get install ${missing[*]} failed"
		fi
	fi
	rm -f "$aptlog"
}

apt_install() {
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# `apt-get source busybox` needs deb-src entries, which Debian images often
# lack. We add them in our own file, mirroring the Debian archive `deb`
# entries (deb822 *.sources and one-line *.list formats), and update once.
SRC_LIST=/etc/apt/sources.list.d/extravirt-src.sources

write_deb_src_entries() {
	local f
	{
		echo "# Written by extravirt scripts/build-guest.sh: source entries for"
		echo "# 'apt-get source busybox', mirroring the Debian 'deb' entries."
		for f in /etc/apt/sources.list.d/*.sources; do
			if [ ! -f "$f" ] || [ "$f" = "$SRC_LIST" ]; then continue; fi
			# One deb822 stanza per blank-line-separated paragraph; keep the
			# enabled ones whose Types has "deb" and whose URIs are Debian's.
			awk 'BEGIN { RS = ""; FS = "\n" }
			{
				types = uris = suites = comps = signed = ""; enabled = 1
				for (i = 1; i <= NF; i++) {
					line = $i
					if (line ~ /^[ \t]*#/) continue
					split(line, kv, ":")
					key = tolower(kv[1]); val = substr(line, index(line, ":") + 1)
					gsub(/^[ \t]+|[ \t]+$/, "", val)
					if (key == "types") types = val
					else if (key == "uris") uris = val
					else if (key == "suites") suites = val
					else if (key == "components") comps = val
					else if (key == "signed-by") signed = val
					else if (key == "enabled" && tolower(val) == "no") enabled = 0
				}
				if (enabled && (" " types " ") ~ / deb / && uris ~ /debian/ && suites != "") {
					print "Types: deb-src"; print "URIs: " uris; print "Suites: " suites
					if (comps != "") print "Components: " comps
					if (signed != "") print "Signed-By: " signed
					print ""
				}
			}' "$f"
		done
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -f "$f" ] || continue
			# deb [opts] URI SUITE COMPONENT...
			awk '$1 == "deb" {
				i = 2; opts = ""
				if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) { opts = opts " " $i; i++ }; opts = opts " " $i; i++ }
				uri = $i; suite = $(i + 1); comps = ""
				for (j = i + 2; j <= NF; j++) comps = comps " " $j
				if (uri !~ /debian/) next
				signed = ""
				if (match(opts, /signed-by=[^] ]+/)) signed = substr(opts, RSTART + 10, RLENGTH - 10)
				print "Types: deb-src"; print "URIs: " uri; print "Suites: " suite
				sub(/^ /, "", comps); if (comps != "") print "Components: " comps
				if (signed != "") print "Signed-By: " signed
				print ""
			}' "$f"
		done
	} >"$1"
}

busybox_src_version() {
	# Highest source version of busybox known to apt (empty if none).
	local v best=
	for v in $(apt-cache showsrc --only-source busybox 2>/dev/null | sed -n 's/^Version: //p'); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
	done
	echo "$best"
}

ensure_deb_src() {
	[ -n "$(busybox_src_version)" ] && return 0
	if [ ! -f "$SRC_LIST" ]; then
		local tmp
		tmp=$(mktemp)
		write_deb_src_entries "$tmp"
		grep -q '^Types: deb-src' "$tmp" || die "no Debian 'deb' entry found in /etc/apt to mirror as deb-src"
		log "adding $SRC_LIST (deb-src entries for apt-get source)"
		as_root install -m 0644 "$tmp" "$SRC_LIST"
		rm -f "$tmp"
	fi
	apt_update
	[ -n "$(busybox_src_version)" ] || die "apt knows no busybox source package even with $SRC_LIST"
}

ensure_packages
ensure_deb_src

# ---------------------------------------------------------------------------
# 2. Cache key: this script, every file in guest/, and the versions of every
#    package whose contents end up in the guest.
# ---------------------------------------------------------------------------
pkg_version() { dpkg-query -W -f='${Version}' "$1"; }

BB_VERSION=$(busybox_src_version)
CC_PKG=$(dpkg-query -W -f='${Depends}' gcc-riscv64-linux-gnu | grep -o 'gcc-[0-9]*-riscv64-linux-gnu' | head -n1)
KEY_INPUTS=$(
	echo "linux-source-6.1 $(pkg_version "$KSRC_PKG")"
	echo "busybox-source $BB_VERSION"
	echo "gcc-riscv64-linux-gnu $(pkg_version gcc-riscv64-linux-gnu)"
	echo "$CC_PKG $(pkg_version "$CC_PKG")"
	echo "binutils-riscv64-linux-gnu $(pkg_version binutils-riscv64-linux-gnu)"
	echo "libc6-dev-riscv64-cross $(pkg_version libc6-dev-riscv64-cross)"
	echo "script $(sha256sum <"$SCRIPT" | cut -d' ' -f1)"
	# Every file in guest/ except documentation (*.md), which is not built in.
	(cd "$GUEST_SRC" && find . -type f ! -name '*.md' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
)
KEY=$(printf '%s\n' "$KEY_INPUTS" | sha256sum | cut -d' ' -f1)
OUT=$CACHE_ROOT/guest-${KEY:0:16}

if [ -f "$OUT/.done" ]; then
	echo "$OUT"
	exit 0
fi

# One builder per key: a second caller waits here and then finds .done.
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.guest-${KEY:0:16}.lock"
flock 9
if [ -f "$OUT/.done" ]; then
	echo "$OUT"
	exit 0
fi
# Whatever is left for this key is from an interrupted run (we hold the lock).
rm -rf "$OUT" "$CACHE_ROOT/.build-guest-${KEY:0:16}".*

WORK=$(mktemp -d "$CACHE_ROOT/.build-guest-${KEY:0:16}.XXXXXX")
cleanup() {
	if [ "${EXTRAVIRT_KEEP_BUILD:-0}" = 1 ]; then log "kept build tree $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# apt-get source downloads as the _apt user when it can reach the directory.
chmod 0755 "$WORK"
STAGE=$WORK/out   # becomes $OUT by one rename at the very end
ROOT=$WORK/rootfs # initramfs contents
LOGS=$WORK/logs
mkdir -p "$STAGE" "$ROOT" "$LOGS"
log "building guest ${KEY:0:16} in $WORK (logs in $LOGS)"

# run_logged NAME CMD...: run quietly into $LOGS/NAME.log; show its tail on failure.
run_logged() {
	local name=$1
	shift
	if ! "$@" >"$LOGS/$name.log" 2>&1; then
		log "step '$name' failed: $*"
		tail -n 40 "$LOGS/$name.log" >&2
		exit 1
	fi
}

declare -A SECONDS_FOR=()
timed() {
	local name=$1 t0=$SECONDS
	shift
	"$@"
	SECONDS_FOR[$name]=$((SECONDS - t0))
	log "$name: ${SECONDS_FOR[$name]} s"
}

# Reproducible-ish kernel and busybox builds (no host name or date inside).
export KBUILD_BUILD_USER=extravirt KBUILD_BUILD_HOST=extravirt
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 1970"
export SOURCE_DATE_EPOCH=0

# ---------------------------------------------------------------------------
# 3. Linux: tinyconfig + guest/linux.config, checked option by option.
# ---------------------------------------------------------------------------
KSRC=$WORK/linux-source-6.1
KOUT=$WORK/linux-build
KMAKE=(nice -n 10 make -C "$KSRC" O="$KOUT" ARCH=riscv CROSS_COMPILE="$CROSS")

# Fail listing every fragment line that olddefconfig did not keep (usually an
# unmet dependency or a symbol that does not exist in this kernel).
check_config() {
	local fragment=$1 config=$2 line sym bad=()
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			grep -qxF -- "$line" "$config" || bad+=("$line (got: $(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "$config" || echo absent))")
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			! grep -qE "^$sym=" "$config" || bad+=("$line (got: $(grep -E "^$sym=" "$config"))")
		fi
	done <"$fragment"
	if [ ${#bad[@]} -gt 0 ]; then
		log "$(basename "$fragment"): options that did not survive in the final config:"
		printf '  %s\n' "${bad[@]}" >&2
		exit 1
	fi
}

build_kernel() {
	run_logged linux-extract tar -xJf "$KSRC_TARBALL" -C "$WORK"
	[ -d "$KSRC" ] || die "$KSRC_TARBALL did not contain linux-source-6.1/"
	mkdir -p "$KOUT"
	run_logged linux-config "${KMAKE[@]}" tinyconfig
	run_logged linux-merge "$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KOUT" \
		"$KOUT/.config" "$GUEST_SRC/linux.config"
	run_logged linux-olddefconfig "${KMAKE[@]}" olddefconfig
	check_config "$GUEST_SRC/linux.config" "$KOUT/.config"
	run_logged linux-build "${KMAKE[@]}" -j"$JOBS" Image
	cp "$KOUT/arch/riscv/boot/Image" "$STAGE/Image"
	cp "$KOUT/.config" "$STAGE/linux.config"
	cp "$KOUT/System.map" "$STAGE/System.map"
	KERNEL_RELEASE=$(cat "$KOUT/include/config/kernel.release")
}

# ---------------------------------------------------------------------------
# 4. busybox: Debian's source package (with Debian's patches), defconfig +
#    guest/busybox.config, static.
# ---------------------------------------------------------------------------
build_busybox() {
	mkdir -p "$WORK/busybox-src"
	(cd "$WORK/busybox-src" && run_logged busybox-source apt-get source -q --only-source "busybox=$BB_VERSION")
	local bb
	bb=$(find "$WORK/busybox-src" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -n1)
	[ -n "$bb" ] || die "apt-get source busybox produced no source tree"
	local BBMAKE=(nice -n 10 make -C "$bb" CROSS_COMPILE="$CROSS")
	run_logged busybox-defconfig "${BBMAKE[@]}" defconfig
	# Apply the fragment: drop each listed symbol's line, append ours, then let
	# oldconfig settle dependencies (busybox's kconfig has no olddefconfig).
	local line sym
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)= ]] || [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			sed -i -E "/^(# )?${sym}[= ]/d" "$bb/.config"
			echo "$line" >>"$bb/.config"
		fi
	done <"$GUEST_SRC/busybox.config"
	run_logged busybox-oldconfig bash -c 'yes "" | "$@"' _ "${BBMAKE[@]}" oldconfig
	check_config "$GUEST_SRC/busybox.config" "$bb/.config"
	run_logged busybox-build "${BBMAKE[@]}" -j"$JOBS" busybox
	# `make install` lays out the applet symlinks from busybox.links on the
	# host, without running the riscv64 binary.
	run_logged busybox-install "${BBMAKE[@]}" CONFIG_PREFIX="$ROOT" install
	rm -f "$ROOT/linuxrc"
	cp "$bb/.config" "$STAGE/busybox.config"
	BB_UPSTREAM=$(sed -n 's/^# Busybox version: //p' "$bb/.config" | head -n1)
}

# ---------------------------------------------------------------------------
# 5. evtest: static C test program (lp64d, FP contraction off so results
#    match the comments in guest/hello.c exactly).
# ---------------------------------------------------------------------------
build_evtest() {
	mkdir -p "$ROOT/bin"
	run_logged evtest "${CROSS}gcc" -O2 -Wall -Wextra -Werror -static -ffp-contract=off \
		-march=rv64gc -mabi=lp64d -o "$ROOT/bin/evtest" "$GUEST_SRC/hello.c" -lm
	"${CROSS}strip" "$ROOT/bin/evtest"
}

# ---------------------------------------------------------------------------
# 6. initramfs: newc cpio written by the kernel's gen_init_cpio from a list,
#    so device nodes and root ownership need no root and mtimes are fixed.
# ---------------------------------------------------------------------------
build_initramfs() {
	mkdir -p "$ROOT"/{dev,proc,sys,tmp,run,root,etc,mnt,var}
	install -m 0755 "$GUEST_SRC/init" "$ROOT/init"
	cp -R "$GUEST_SRC/rootfs/." "$ROOT/"
	# Fixed mtimes (gen_init_cpio -t only covers non-file entries).
	find "$ROOT" -exec touch -h -d @0 {} +
	run_logged gen-init-cpio gcc -O2 -o "$WORK/gen_init_cpio" "$KSRC/usr/gen_init_cpio.c"
	local list=$WORK/initramfs.list p path mode
	{
		# The kernel opens /dev/console for init's stdio before devtmpfs exists.
		echo "nod /dev/console 0600 0 0 c 5 1"
		echo "nod /dev/null 0666 0 0 c 1 3"
		(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort) | while IFS= read -r p; do
			path=${p#.}
			mode=$(stat -c %a "$ROOT$path")
			if [ -L "$ROOT$path" ]; then
				echo "slink $path $(readlink "$ROOT$path") 0777 0 0"
			elif [ -d "$ROOT$path" ]; then
				echo "dir $path $mode 0 0"
			elif [ -f "$ROOT$path" ]; then
				echo "file $path $ROOT$path $mode 0 0"
			fi
		done
	} >"$list"
	"$WORK/gen_init_cpio" -t 0 "$list" >"$STAGE/initramfs.cpio" 2>"$LOGS/gen-init-cpio-run.log"
	# Both forms: the kernel takes either. The uncompressed one skips ~40M
	# guest instructions of inflate at boot, which matters in an interpreter.
	gzip -9 -n -c "$STAGE/initramfs.cpio" >"$STAGE/initramfs.cpio.gz"
}

timed kernel build_kernel
timed busybox build_busybox
timed evtest build_evtest
timed initramfs build_initramfs

{
	echo "cache-key: $KEY"
	echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "kernel-release: $KERNEL_RELEASE"
	echo "busybox-upstream: $BB_UPSTREAM"
	echo "cc: $("${CROSS}gcc" --version | head -n1)"
	echo "build-seconds: kernel=${SECONDS_FOR[kernel]} busybox=${SECONDS_FOR[busybox]} evtest=${SECONDS_FOR[evtest]} initramfs=${SECONDS_FOR[initramfs]} jobs=$JOBS"
	echo "image-bytes: $(stat -c %s "$STAGE/Image")"
	echo "initramfs-bytes: gz=$(stat -c %s "$STAGE/initramfs.cpio.gz") raw=$(stat -c %s "$STAGE/initramfs.cpio")"
	echo "# runtime, not part of the key:"
	echo "opensbi: $(pkg_version opensbi)"
	echo "qemu-system-misc: $(pkg_version qemu-system-misc)"
	echo "# key inputs:"
	printf '%s\n' "$KEY_INPUTS"
} >"$STAGE/versions.txt"

# .done last, then one rename: $OUT is either absent or complete.
touch "$STAGE/.done"
mv -T "$STAGE" "$OUT"
log "guest ready: $OUT"
echo "$OUT"
