# SPDX-License-Identifier: Apache-2.0
# Scenario tunnel (kestrel.run=tunnel): the guest is an end of the tunnel
# "door" through its VMM (docs/ipcm.md, "The VM end of a tunnel"; the
# system is tests/target/linux-tunnel.capnp.in, the native end
# tests/target/linux/tunnel/peer.cpp). It finds the tunnel and the VMM's
# control page in its device tree, opens the tunnel, waits for the peer's
# ring (the control page's pending bits, and the tunnel's SPI pending in
# the GIC: no driver claims it), reads the peer's pattern and writes an
# answer through /dev/mem and rings. The pattern says which boot this is:
#   KEST (the first): it reboots with the tunnel open. Its VMM restarts the
#   VM and the IPCM's watcher closes the tunnel, so the next boot's open
#   is granted (maxOpen is 1).
#   DONE (the second): it sees the peer's close (the pending bit from the
#   IPCM, the old view gone: the VMM answers reads there with 0, the
#   instance no longer open) and powers off.

say() { echo "kestrel-guest: $*"; }

# A property's 32-bit cells (big-endian in the tree), as decimal numbers.
cells() {
  set -- $(od -An -tu1 -v "$1")
  out=""
  while [ $# -ge 4 ]; do
    out="$out $(( ($1 << 24) | ($2 << 16) | ($3 << 8) | $4 ))"
    shift 4
  done
  echo $out
}
hex() { printf '0x%x' "$1"; }

node=$(ls -d /proc/device-tree/tunnel@* 2>/dev/null | head -n 1)
control_node=$(ls -d /proc/device-tree/tunnel-control@* 2>/dev/null | head -n 1)
if [ -z "$node" ] || [ -z "$control_node" ]; then
  say "FAILED: no tunnel or tunnel-control node in the device tree"
  exit 0
fi
say "tunnel node $(basename "$node"): $(tr '\0' ' ' <"$node/compatible")name $(tr -d '\0' <"$node/kestrel,tunnel-name")"
id=$(cells "$node/kestrel,tunnel-id")
set -- $(cells "$node/interrupts")
spi=$(($2 + 32))
set -- $(cells "$control_node/reg")
control=$((($1 << 32) | $2))
say "tunnel id $id, SPI $spi, control page $(hex "$control") ($(tr -d '\0' <"$control_node/compatible"))"

reg() { devmem $((control + $1)) 32; }
set_reg() { devmem $((control + $1)) 32 "$2"; }
say "control id $(reg 0x00)"

set_reg 0x04 "$id"
set_reg 0x0c 1  # open
status=$(reg 0x10)
address=$(( $(reg 0x14) | ($(reg 0x18) << 32) ))
say "open: status $status, instance $(reg 0x08), at $(hex "$address"), $(($(reg 0x1c))) bytes"
if [ "$((status))" -ne 0 ]; then
  say "FAILED: the open was refused"
  exit 0
fi

# The peer accepts (the IPCM rings: bit 2), writes and rings (bit 1).
bits=0
tries=0
while [ $((bits & 1)) -eq 0 ] && [ "$tries" -lt 600 ]; do
  bits=$((bits | $(reg 0x24)))
  [ $((bits & 1)) -eq 0 ] && sleep 0.1
  tries=$((tries + 1))
done
say "pending bits $bits"
if [ $((bits & 1)) -eq 0 ]; then
  say "FAILED: the peer never rang"
  exit 0
fi
ispendr=$((0x08000000 + 0x200 + 4 * (spi / 32)))
if word=$(devmem "$ispendr" 32 2>/dev/null); then
  say "GICD_ISPENDR$((spi / 32)) $word: SPI $spi $([ $((word >> (spi % 32) & 1)) -eq 1 ] && echo pending || echo 'not pending (FAILED)')"
  devmem $((0x08000000 + 0x280 + 4 * (spi / 32))) 32 $((1 << (spi % 32)))  # ICPENDR: taken
else
  say "GICD_ISPENDR not readable through /dev/mem"
fi

pattern=$(devmem "$address" 32)
say "the peer wrote $pattern"
devmem $((address + 4)) 32 0x600dcafe
set_reg 0x20 1  # ring
say "answered and rang"
if [ "$((pattern))" -eq $((0x4b455354)) ]; then
  say "rebooting with the tunnel open"
  reboot -f
  exit 0
fi

bits=0
tries=0
while [ $((bits & 2)) -eq 0 ] && [ "$tries" -lt 600 ]; do
  bits=$((bits | $(reg 0x24)))
  [ $((bits & 2)) -eq 0 ] && sleep 0.1
  tries=$((tries + 1))
done
say "pending bits after the answer $bits"
say "the old view now reads $(devmem "$address" 32)"
set_reg 0x08 0
set_reg 0x0c 3  # close
say "close: status $(($(reg 0x10)))"
poweroff -f
