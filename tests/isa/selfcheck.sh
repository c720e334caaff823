#!/usr/bin/env bash
# Prove that every test's checks are live: rebuild the suite with
# -DISA_INVERT_CHECKS (each check is turned into its opposite, so every test
# must FAIL at its first check) and require a failure from each ELF.
#
#   tests/isa/selfcheck.sh OUTDIR [EXTRAVIRT_BINARY]
#
# QEMU runs the entries whose qemu column is "yes"; with EXTRAVIRT_BINARY,
# extravirt runs all entries and must exit 1 with a "FAIL: test N" line.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$1"; ev="${2:-}"
ISA_EXTRA_CFLAGS="-DISA_INVERT_CHECKS" "$here/build.sh" "$out" >/dev/null || exit 1
"$here/run_qemu.sh" --expect-fail "$out" || status=1
if [ -n "$ev" ]; then
    bad=0; n=0
    while read -r name env _rest; do
        case "$name" in ''|'#'*) continue ;; esac
        n=$((n+1))
        o="$("$ev" run --elf "$out/$env/$name" --max-instructions 50000000 2>&1)"; rc=$?
        if [ $rc -ne 1 ] || ! grep -q '^FAIL: test [0-9]*$' <<<"$o"; then
            echo "NOT FAILING under extravirt: $env/$name (rc=$rc) $o"; bad=$((bad+1))
        fi
    done < "$here/manifest.txt"
    echo "extravirt: $((n-bad)) failing as expected, $bad not"
    [ $bad -eq 0 ] || status=1
fi
exit "${status:-0}"
