# SPDX-License-Identifier: Apache-2.0
# Scenario ddbench (kestrel.run=ddbench): sequential direct I/O on
# /dev/vda with busybox dd, 16 MiB each way in 64 KiB and in 4 KiB
# blocks, reads then writes (scripts/bench-devices, docs/benchmarks.md).
# Busybox's dd prints no time, so each line gives the guest's uptime
# (/proc/uptime, 10 ms steps; virtual, instructions, under -icount)
# before and after: "... s START END". First the same dd with no device
# at all (/dev/zero to /dev/null, 4 KiB blocks, 64 MiB): the guest's own
# system calls and copies, which tell how fast the guest itself runs.
[ -b /dev/vda ] || { echo "kestrel-guest: ddbench FAILED: no /dev/vda"; exit 0; }
bytes=16777216
read -r start _ </proc/uptime
dd if=/dev/zero of=/dev/null bs=4096 count=16384 2>/dev/null || echo "kestrel-guest: ddbench FAILED: no device"
echo "kestrel-guest: ddbench nodevice bs=4096 s $start $(cut -d" " -f1 /proc/uptime)"
for bs in 65536 4096; do
  count=$((bytes / bs))
  read -r start _ </proc/uptime
  dd if=/dev/vda of=/dev/null bs=$bs count=$count iflag=direct 2>/dev/null || echo "kestrel-guest: ddbench FAILED: read"
  echo "kestrel-guest: ddbench read bs=$bs s $start $(cut -d" " -f1 /proc/uptime)"
  read -r start _ </proc/uptime
  dd if=/dev/zero of=/dev/vda bs=$bs count=$count oflag=direct 2>/dev/null || echo "kestrel-guest: ddbench FAILED: write"
  echo "kestrel-guest: ddbench write bs=$bs s $start $(cut -d" " -f1 /proc/uptime)"
done
echo "kestrel-guest: ddbench done"
