#!/usr/bin/env bash
# Installs the host packages the build and tests need: CMake and make for building the `fpu`
# crate's softfloat-sys dependency (its `c99` dependency runs them), the bare-metal cross compiler
# for the ISA suite and QEMU as the reference. Idempotent and quiet when everything is present.
set -euo pipefail

packages=(cmake make gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  binutils-riscv64-unknown-elf qemu-system-misc opensbi)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
