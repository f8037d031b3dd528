# SPDX-License-Identifier: Apache-2.0
# Scenario devices (kestrel.run=devices): a VM's disk slice and network port
# through Kestrel's driver partitions (docs/devices.md,
# tests/target/devices.cmake). The command line says who this VM is:
#   kestrel.name=NAME        how its lines call it
#   kestrel.ip=A.B.C.D       its address on the switch (a /24)
#   kestrel.peer=A.B.C.D     the other VM, which it must reach
#   kestrel.native=A.B.C.D   the native partition that answers ARP and ping
#   kestrel.native_reach=yes|no  whether the policy lets this VM reach it
#   kestrel.outside=yes|no   whether the policy lets it reach QEMU's user
#                            network (a DHCP lease from it must come or not)
#   kestrel.last=yes         this VM ends the run: it waits until the peer
#                            has finished (stops answering) before it says so
# First boot: the slice holds the host's pattern, not a file system: make
# one, write a note and 1 MiB of random bytes with their checksum, reboot.
# Second boot: read them back, then the network checks, then power off.

name=vm ip= peer= native= native_reach=yes outside=no last=no
for word in $(cat /proc/cmdline); do
  case "$word" in
    kestrel.name=*) name=${word#kestrel.name=} ;;
    kestrel.ip=*) ip=${word#kestrel.ip=} ;;
    kestrel.peer=*) peer=${word#kestrel.peer=} ;;
    kestrel.native=*) native=${word#kestrel.native=} ;;
    kestrel.native_reach=*) native_reach=${word#kestrel.native_reach=} ;;
    kestrel.outside=*) outside=${word#kestrel.outside=} ;;
    kestrel.last=*) last=${word#kestrel.last=} ;;
  esac
done
say() { echo "kestrel-guest: $name $*"; }

[ -b /dev/vda ] || { say "FAILED: no /dev/vda"; exit 0; }
say "disk $(cat /sys/block/vda/size) sectors, read-only $(cat /sys/block/vda/ro)"
mkdir -p /mnt
note="written by $name before its reboot"
if mount -t ext2 /dev/vda /mnt 2>/dev/null; then
  if [ "$(cat /mnt/note 2>/dev/null)" = "$note" ] && (cd /mnt && md5sum -c -s blob.md5); then
    say "disk kept its file system across the reboot"
  else
    say "FAILED: the file system came back without the note or the blob"
  fi
  umount /mnt
else
  if mke2fs -q /dev/vda && mount -t ext2 /dev/vda /mnt; then
    echo "$note" >/mnt/note
    dd if=/dev/urandom of=/mnt/blob bs=64k count=16 2>/dev/null
    (cd /mnt && md5sum blob >blob.md5)
    umount /mnt && sync
    say "disk written, rebooting"
  else
    say "FAILED: mke2fs or mount"
  fi
  reboot -f
fi

# The network: the switch, the other VM, the native responder, the outside.
if ! ifconfig eth0 "$ip" netmask 255.255.255.0 up; then
  say "FAILED: no eth0"
  exit 0
fi
# The peer may still be booting (or rebooting): try for a while.
tries=0
until ping -c 1 -W 1 "$peer" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ $tries -ge 120 ]; then
    say "FAILED: the peer $peer never answered"
    break
  fi
done
[ $tries -lt 120 ] && say "pinged the other VM $peer"
if ping -c 2 -W 2 "$native" >/dev/null 2>&1; then
  answered=yes
else
  answered=no
fi
if [ "$answered" = "$native_reach" ]; then
  say "native partition answered $answered, as the policy says"
else
  say "FAILED: native partition answered $answered, but the policy says $native_reach"
fi
if udhcpc -i eth0 -n -q -t 2 -T 1 -s /bin/true >/dev/null 2>&1; then
  reached=yes
else
  reached=no
fi
if [ "$reached" = "$outside" ]; then
  say "outside reachable $reached, as the policy says"
else
  say "FAILED: outside reachable $reached, but the policy says $outside"
fi

if [ "$last" = yes ]; then
  # The peer powers its VM off once done; until then it answers.
  tries=0
  while ping -c 1 -W 1 "$peer" >/dev/null 2>&1 && [ $tries -lt 300 ]; do
    tries=$((tries + 1))
  done
  say "finished, after the peer"
else
  say "finished"
fi
