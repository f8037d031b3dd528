#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The disk of target.devices_shared_disk_and_network after its run
# (tests/target/devices.cmake): both VMs wrote their slices and nothing
# else changed (disk-slices check), and each VM's slice holds an ext2 file
# system with the note its first boot wrote (debugfs reads it on the host).
# Usage: check-disk.sh DISK_SLICES DISK
set -euo pipefail
disk_slices=$1
disk=$2
# devices.capnp.in: vm1 2048+30720, vm2 34816+30720 (the reader's 67584+2048 is read-only).
"$disk_slices" check "$disk" --writer 2048 30720 --writer 34816 30720 --changed 2048 30720 --changed 34816 30720
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for vm in vm1:2048 vm2:34816; do
  name=${vm%%:*}
  first=${vm#*:}
  "$disk_slices" extract "$disk" "$first" 30720 "$work/$name.img"
  note=$(/sbin/debugfs -R "cat /note" "$work/$name.img" 2>/dev/null)
  if [[ $note != "written by $name before its reboot" ]]; then
    echo "check-disk: $name's slice holds no file system with its note (found: '$note')" >&2
    exit 1
  fi
  echo "check-disk: $name's slice: an ext2 file system with its note"
done
