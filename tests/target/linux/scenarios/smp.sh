# SPDX-License-Identifier: Apache-2.0
# Scenario smp (kestrel.run=smp): how many CPUs the guest sees, and whether
# every one of them has taken inter-processor interrupts, which on a
# Kestrel guest are SGIs routed through the VMM's virtual GIC.

cpus=$(grep -c '^processor' /proc/cpuinfo)
echo "kestrel-guest: cpus $cpus"

# Short-lived processes land on every CPU and wake each other, so each CPU
# gets rescheduling IPIs even if the boot did not send it any.
for _ in 1 2 3 4 5 6 7 8; do
  for _ in 1 2 3 4; do
    true &
  done
  wait
done

# The IPI rows ("IPI0:  12  7  Rescheduling interrupts", one count per
# CPU). A CPU passes if its column is non-zero in the rescheduling or the
# function call row.
awk '
  NR == 1 { columns = NF; next }
  $1 ~ /^IPI[0-9]+:$/ { print "kestrel-guest: " $0 }
  /Rescheduling interrupts|Function call interrupts/ {
    for (cpu = 1; cpu <= columns; cpu++) if ($(cpu + 1) + 0 > 0) seen[cpu] = 1
  }
  END {
    answer = "yes"
    for (cpu = 1; cpu <= columns; cpu++) if (!seen[cpu]) answer = "no"
    print "kestrel-guest: ipis on every cpu " answer
  }' /proc/interrupts
