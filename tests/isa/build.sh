#!/usr/bin/env bash
# Build the extravirt ISA conformance suite.
#
#   tests/isa/build.sh OUTDIR [NAME...]
#
# Builds every (name, env) pair of manifest.txt into OUTDIR/<env>/<name>
# (only the given names when NAME... is present), plus the runner-contract
# ELFs into OUTDIR/neg/.  Environment:
#   RISCV_GCC          cross compiler (default riscv64-unknown-elf-gcc)
#   ISA_EXTRA_CFLAGS   extra flags, e.g. -DISA_INVERT_CHECKS (see selfcheck.sh)
#   ISA_JOBS           parallel jobs (default: nproc)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -lt 1 ]; then
    echo "usage: $0 OUTDIR [NAME...]" >&2
    exit 2
fi
out="$1"; shift
mkdir -p "$out"
out="$(cd "$out" && pwd)"

cc="${RISCV_GCC:-riscv64-unknown-elf-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "error: RISC-V cross compiler '$cc' not found." >&2
    echo "       install it with: apt-get install gcc-riscv64-unknown-elf" >&2
    exit 1
fi

cflags="-march=rv64gc -mabi=lp64d -nostdlib -nostartfiles -static -Wl,--no-warn-rwx-segments -I$here/env/common ${ISA_EXTRA_CFLAGS:-}"

# One line per job: "<env> <name>"
jobs_file="$(mktemp)"
trap 'rm -f "$jobs_file"' EXIT
while read -r name env _rest; do
    case "$name" in ''|'#'*) continue ;; esac
    if [ $# -gt 0 ]; then
        keep=0
        for want in "$@"; do [ "$want" = "$name" ] && keep=1; done
        [ $keep = 1 ] || continue
    fi
    if [ ! -f "$here/src/$name.S" ]; then
        echo "error: manifest names $name but src/$name.S does not exist" >&2
        exit 1
    fi
    echo "$env $name" >> "$jobs_file"
done < "$here/manifest.txt"

build_one() {
    env="$1"; name="$2"
    mkdir -p "$out/$env"
    case "$env" in
        p)   set -- -I"$here/env/p" -T"$here/env/p/link.ld" ;;
        v)   set -- -I"$here/env/v" -T"$here/env/v/link.ld" "$here/env/v/entry.S" ;;
        v48) set -- -DVM_SV48 -I"$here/env/v" -T"$here/env/v/link.ld" "$here/env/v/entry.S" ;;
        vs)  set -- -DVM_SMODE -I"$here/env/v" -T"$here/env/v/link.ld" "$here/env/v/entry.S" ;;
        *)   echo "error: unknown env '$env' for $name" >&2; return 1 ;;
    esac
    # shellcheck disable=SC2086
    if ! "$cc" $cflags -DTEST_NAME="$name" "$@" "$here/src/$name.S" -o "$out/$env/$name"; then
        echo "error: building $env/$name failed" >&2
        return 1
    fi
}
export -f build_one
export here out cc cflags

jobs="${ISA_JOBS:-$(nproc 2>/dev/null || echo 2)}"
if ! xargs -P "$jobs" -L 1 bash -c 'build_one "$0" "$1"' < "$jobs_file"; then
    echo "error: ISA suite build failed" >&2
    exit 1
fi

# Runner-contract ELFs (never in the manifest; see crates/extravirt/tests/isa.rs).
mkdir -p "$out/neg"
# shellcheck disable=SC2086
"$cc" $cflags -I"$here/env/p" -T"$here/env/p/link.ld" "$here/neg/fail_at_test3.S" -o "$out/neg/fail_at_test3"
# shellcheck disable=SC2086
"$cc" $cflags -I"$here/env/p" -T"$here/env/p/link.ld" "$here/neg/infinite_loop.S" -o "$out/neg/infinite_loop"
# shellcheck disable=SC2086
"$cc" $cflags -T"$here/neg/no_tohost.ld" "$here/neg/no_tohost.S" -o "$out/neg/no_tohost"

echo "built $(wc -l < "$jobs_file") ISA test ELFs into $out"
