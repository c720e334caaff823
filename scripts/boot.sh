#!/usr/bin/env bash
# Boots the default guest (Linux 6.1 + busybox) replicated on extravirt: installs the host
# packages, builds extravirt and the guest (cached under ~/.cache/extravirt), then runs it with
# 2 replicas on the console. Ctrl-A x quits; `poweroff` in the guest ends the run.
# Extra arguments go to `extravirt run` (e.g. --replicas 3, --disk disk.img, --stats-json f).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cargo build --release --quiet
guest=$(scripts/build-guest.sh | tail -n 1)
exec target/release/extravirt run --replicas 2 \
  --kernel "$guest/Image" --initrd "$guest/initramfs.cpio" --append "console=ttyS0" "$@"
