# SPDX-License-Identifier: Apache-2.0
# Scenario netbench (kestrel.run=netbench): TCP throughput over the VM's
# eth0 with busybox httpd and wget, for scripts/bench-network
# (docs/benchmarks.md, "Devices (issue 17)", "Network"). The command line
# says what this VM does:
#   kestrel.name=NAME        how its lines call it
#   kestrel.ip=A.B.C.D       its address (a /24; QEMU's user network is
#                            10.0.2.0/24 with the host at 10.0.2.2)
#   kestrel.mib=N            the size of the file served, MiB (default 16)
#   kestrel.role=server      serve the file and wait until a client says it
#                            is done (a connection to TCP port 9000)
#   kestrel.peer=A.B.C.D     (client) fetch the file from this server VM,
#                            then tell it that it is done
#   kestrel.hostport=N       (client) fetch the file from the host's HTTP
#                            server at 10.0.2.2:N
# A client then serves the file itself and says "netbench serving", so the
# host can fetch it (QEMU's hostfwd to port 80), and waits for the host to
# connect to its port 9000 before it ends.
# Each fetch prints "kestrel-guest: netbench NAME WHAT bytes B s START END":
# the guest's uptime (/proc/uptime, 10 ms steps) before and after; wget
# writes to /dev/null, the served file lies in the initramfs's RAM.

name=vm ip='' mib=16 role=client peer='' hostport=''
# shellcheck disable=SC2013 # words, not lines
for word in $(cat /proc/cmdline); do
  case "$word" in
    kestrel.name=*) name=${word#kestrel.name=} ;;
    kestrel.ip=*) ip=${word#kestrel.ip=} ;;
    kestrel.mib=*) mib=${word#kestrel.mib=} ;;
    kestrel.role=*) role=${word#kestrel.role=} ;;
    kestrel.peer=*) peer=${word#kestrel.peer=} ;;
    kestrel.hostport=*) hostport=${word#kestrel.hostport=} ;;
  esac
done
say() { echo "kestrel-guest: netbench $name $*"; }

if ! ifconfig eth0 "$ip" netmask 255.255.255.0 up; then
  say "FAILED: no eth0"
  exit 0
fi
mkdir -p /srv
dd if=/dev/zero of=/srv/blob bs=1048576 count="$mib" 2>/dev/null
echo ready >/srv/ready
bytes=$((mib * 1048576))
httpd -p 80 -h /srv || say "FAILED: httpd"

# fetch WHAT URL: one timed wget of URL; a fetch that takes more than
# 300 s fails (a stalled transfer then ends the run instead of hanging it).
fetch() {
  read -r start _ </proc/uptime
  if timeout 300 wget -q -O /dev/null "$2"; then
    say "$1 bytes $bytes s $start $(cut -d" " -f1 /proc/uptime)"
  else
    say "FAILED: wget $2"
  fi
}

if [ "$role" = server ]; then
  say "serving"
  nc -l -p 9000 </dev/null >/dev/null
  say "done"
  exit 0
fi

if [ -n "$peer" ]; then
  # The server may still be booting: try for a while.
  tries=0
  until wget -q -O /dev/null "http://$peer/ready" 2>/dev/null; do
    tries=$((tries + 1))
    if [ $tries -ge 300 ]; then
      say "FAILED: the server $peer never answered"
      break
    fi
    sleep 1
  done
  fetch from-vm "http://$peer/blob"
fi
[ -n "$hostport" ] && fetch from-host "http://10.0.2.2:$hostport/blob"
say "serving"
nc -l -p 9000 </dev/null >/dev/null
if [ -n "$peer" ]; then
  echo 'done' | nc "$peer" 9000 >/dev/null 2>&1 || say "FAILED: could not tell $peer"
  # Time for the server's VM to power off and its VMM to report.
  sleep 2
fi
say "done"
