# SPDX-License-Identifier: Apache-2.0
# Scenario fp (kestrel.run=fp): floating point in user space across context
# switches. Four processes on however many CPUs each sum 1/k^2 for k = 1 to
# 200000 in IEEE-754 double precision; the timer preempts them many times
# mid-loop, so a hypervisor that loses or mixes up FP/SIMD registers
# between vCPUs or processes shows up as a different or diverging sum.
#
# The expected value, 1.6449290668607415, was computed on the host in two
# independent ways with the same operations in the same order: this awk
# program under mawk, and Python's float loop `s += 1.0 / (k * k)`. Each
# operation is correctly rounded (k * k is exact below 2^26), so any
# IEEE-754 implementation gives the same bits.

for worker in 1 2 3 4; do
  awk 'BEGIN { sum = 0; for (k = 1; k <= 200000; k++) sum += 1 / (k * k); printf "%.17g\n", sum }' \
    >/tmp/fp.$worker &
done
wait

result=$(cat /tmp/fp.1)
for worker in 2 3 4; do
  if [ "$(cat /tmp/fp.$worker)" != "$result" ]; then
    echo "kestrel-guest: fp results differ: $(cat /tmp/fp.1 /tmp/fp.2 /tmp/fp.3 /tmp/fp.4 | tr '\n' ' ')"
    poweroff -f
  fi
done
echo "kestrel-guest: fp result $result"
