#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Boot the Linux guest payloads under plain QEMU (no Kestrel) and judge the
# console: a check of the payloads themselves, so that a Linux test that
# fails under Kestrel can be told apart from a broken kernel or initramfs.
#
# boot-bare-qemu.sh --qemu QEMU --image Image --initrd initramfs.cpio.gz
#                   --append CMDLINE [--smp N] [--timeout S] [--log FILE]
#                   [--expect TEXT]... [--forbid TEXT]...
# Passes if QEMU exits by itself with status 0 (the guest powered off, or
# reset under -no-reboot), every --expect text is in the output and no
# --forbid text is. The timeout only stops a hung guest; the guest runs
# under -icount, so what it prints of time is virtual.
set -euo pipefail

qemu=qemu-system-aarch64 image='' initrd='' append='' smp=2 timeout=300 log=''
expects=() forbids=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --qemu) qemu=$2 ;;
    --image) image=$2 ;;
    --initrd) initrd=$2 ;;
    --append) append=$2 ;;
    --smp) smp=$2 ;;
    --timeout) timeout=$2 ;;
    --log) log=$2 ;;
    --expect) expects+=("$2") ;;
    --forbid) forbids+=("$2") ;;
    *)
      echo "boot-bare-qemu: unknown argument '$1'" >&2
      exit 2
      ;;
  esac
  shift 2
done
[[ -n $image && -n $initrd && -n $append ]] || {
  echo "boot-bare-qemu: --image, --initrd and --append are needed" >&2
  exit 2
}
[[ -n $log ]] || log=$(mktemp)

# shellcheck disable=SC2054 # commas inside QEMU options
command=("$qemu" -M virt,gic-version=3 -cpu cortex-a72 -smp "$smp" -m 512M -nographic -nic none -no-reboot
  -icount shift=0,sleep=off -kernel "$image" -initrd "$initrd" -append "$append")
echo "boot-bare-qemu: ${command[*]}"
status=0
timeout -k 5 "$timeout" "${command[@]}" </dev/null >"$log" 2>&1 || status=$?
tr -d '\r' <"$log"

failed=false
if [[ $status -eq 124 ]]; then
  echo "boot-bare-qemu: FAILED: the guest did not stop within $timeout s"
  failed=true
elif [[ $status -ne 0 ]]; then
  echo "boot-bare-qemu: FAILED: QEMU exited with status $status"
  failed=true
fi
for text in "${expects[@]}"; do
  grep -qF -- "$text" "$log" || {
    echo "boot-bare-qemu: FAILED: missing line \"$text\""
    failed=true
  }
done
for text in "${forbids[@]}"; do
  grep -qF -- "$text" "$log" && {
    echo "boot-bare-qemu: FAILED: forbidden line \"$text\": $(grep -F -- "$text" "$log" | head -n 1)"
    failed=true
  }
done
[[ $failed == false ]] || exit 1
echo "boot-bare-qemu: passed"
