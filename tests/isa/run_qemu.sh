#!/usr/bin/env bash
# Run the built suite under QEMU's spike machine (HTIF tohost).
#   tests/isa/run_qemu.sh OUTDIR [NAME...]
# Runs every manifest entry whose qemu column is "yes" (and, with
# --expect-fail, checks instead that every such test FAILS: used by
# selfcheck.sh on a build made with -DISA_INVERT_CHECKS).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
expect_fail=0
if [ "${1:-}" = "--expect-fail" ]; then expect_fail=1; shift; fi
out="$1"; shift
qemu="${QEMU:-qemu-system-riscv64}"
command -v "$qemu" >/dev/null || { echo "error: $qemu not found (apt-get install qemu-system-misc)" >&2; exit 1; }
pass=0; bad=0
while read -r name env qemu_ok _rest; do
    case "$name" in ''|'#'*) continue ;; esac
    [ "$qemu_ok" = yes ] || continue
    if [ $# -gt 0 ]; then
        keep=0; for w in "$@"; do [ "$w" = "$name" ] && keep=1; done
        [ $keep = 1 ] || continue
    fi
    timeout 20 "$qemu" -M spike -bios none -nographic -kernel "$out/$env/$name" </dev/null >/dev/null 2>&1
    rc=$?
    if [ $expect_fail = 1 ]; then
        if [ $rc -ne 0 ] && [ $rc -ne 124 ]; then pass=$((pass+1)); else echo "NOT FAILING: $env/$name (rc=$rc)"; bad=$((bad+1)); fi
    else
        if [ $rc -eq 0 ]; then pass=$((pass+1)); else echo "FAIL: $env/$name (exit $rc = test number mod 256; 124 = timeout)"; bad=$((bad+1)); fi
    fi
done < "$here/manifest.txt"
echo "qemu: $pass ok, $bad bad"
[ $bad -eq 0 ]
