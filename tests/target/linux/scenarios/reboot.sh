# SPDX-License-Identifier: Apache-2.0
# Scenario reboot (kestrel.run=reboot): a reset through PSCI SYSTEM_RESET.
# The guest has no storage to count boots in; whoever runs it checks that
# the guest comes up again (and, with the same command line, reboots again).

echo "kestrel-guest: rebooting"
reboot -f
