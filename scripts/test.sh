#!/usr/bin/env bash
# The whole test suite: installs what it needs, then runs every crate's tests (the ISA suite is
# built with the cross compiler and run under both extravirt and QEMU by `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cargo test --workspace --release "$@"
