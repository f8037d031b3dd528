# SPDX-License-Identifier: Apache-2.0
# Scenario poweroff (kestrel.run=poweroff): a clean power-off through PSCI
# SYSTEM_OFF, with nothing else.

echo "kestrel-guest: powering off"
poweroff -f
