# SPDX-License-Identifier: Apache-2.0
# Scenario hvc (kestrel.run=hvc): the virtio console. With "console=ttyAMA0
# console=hvc0" on the command line, hvc0 (virtio_console's port 0) is the
# guest's /dev/console once the module has loaded. A line goes to /dev/hvc0
# alone, so it reaches the console only through the virtio device; then a
# shell runs on /dev/console (cttyhack opens the tty the kernel lists last
# in /sys/class/tty/console/active, i.e. /dev/console's), for typed commands.
# When it exits, /init powers off.

# The module's probe makes /dev/hvc0; give it a moment if devtmpfs lags.
tries=0
while [ ! -c /dev/hvc0 ] && [ "$tries" -lt 50 ]; do
  sleep 0.1
  tries=$((tries + 1))
done
if [ ! -c /dev/hvc0 ]; then
  echo "kestrel-guest: FAILED: no /dev/hvc0"
  exit 0
fi
echo "kestrel-guest: consoles $(cat /sys/class/tty/console/active)"
echo "kestrel-guest: hvc0 says hello" >/dev/hvc0
setsid cttyhack sh
echo "kestrel-guest: the shell on hvc0 exited"
