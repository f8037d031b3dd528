# SPDX-License-Identifier: Apache-2.0
# Scenario panic (kestrel.run=panic): a kernel panic on purpose (sysrq c).
# What follows depends on the kernel's panic= parameter: with panic=-1 the
# guest resets at once, without it the guest spins for ever.

echo "kestrel-guest: panicking"
echo c >/proc/sysrq-trigger
