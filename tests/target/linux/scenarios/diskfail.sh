# SPDX-License-Identifier: Apache-2.0
# Scenario diskfail (kestrel.run=diskfail): the block driver faults while
# this VM writes its slice (tests/target/devices/faulting_blk_driver.cpp).
# The writes must end in an I/O error, not hang; the VM keeps running, and
# so does the network: it still pings the address kestrel.ping= names.
# kestrel.name= names it in its lines. kestrel.ip= is its address. With
# kestrel.await_ping=yes it then stays up until it has answered a ping
# itself (the other VM's, which must not find it powered off).
name=vm ip= target= await_ping=no
for word in $(cat /proc/cmdline); do
  case "$word" in
    kestrel.name=*) name=${word#kestrel.name=} ;;
    kestrel.ip=*) ip=${word#kestrel.ip=} ;;
    kestrel.ping=*) target=${word#kestrel.ping=} ;;
    kestrel.await_ping=*) await_ping=${word#kestrel.await_ping=} ;;
  esac
done
say() { echo "kestrel-guest: $name $*"; }

[ -b /dev/vda ] || { say "FAILED: no /dev/vda"; exit 0; }
# 200 writes of 64 KiB (12.5 MiB of the 15 MiB slice), each to the device:
# the driver faults at its 100th write, whoever's it is.
if dd if=/dev/zero of=/dev/vda bs=64k count=200 oflag=direct 2>/tmp/dd.err; then
  say "FAILED: every write succeeded"
else
  say "writes ended in an error: $(tail -n 1 /tmp/dd.err)"
fi
if dd if=/dev/vda of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; then
  say "FAILED: a read after the driver's stop succeeded"
else
  say "a read after the driver's stop fails too"
fi
ifconfig eth0 "$ip" netmask 255.255.255.0 up
tries=0
until ping -c 1 -W 1 "$target" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ $tries -ge 60 ]; then
    say "FAILED: $target never answered"
    exit 0
  fi
done
say "still pings $target"
[ "$await_ping" = yes ] || exit 0
# Echo requests answered so far: /proc/net/snmp's "Icmp:" value line,
# the column headed InEchos.
echo_requests() {
  awk '/^Icmp:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "InEchos") c = i; n = 1 } else { print $c; exit } }' \
    /proc/net/snmp
}
waited=0
until [ "$(echo_requests)" -gt 0 ]; do
  waited=$((waited + 1))
  if [ $waited -ge 120 ]; then
    say "FAILED: nobody pinged it"
    exit 0
  fi
  sleep 1
done
say "answered a ping"
