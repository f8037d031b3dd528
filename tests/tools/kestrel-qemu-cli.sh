#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# kestrel-qemu's judging, end to end, with a stand-in for QEMU (a script that
# prints console lines and then would sit for a long time): a forbidden line
# stops the run at once (after the grace period) and fails it; without one,
# --end-after stops it and the expected lines pass. Usage: kestrel-qemu-cli.sh TOOL
set -uo pipefail
tool=$1
source "$(dirname "$0")/cli-checks.sh"

fake_qemu=$scratch/fake-qemu
cat >"$fake_qemu" <<'SCRIPT'
#!/bin/sh
echo "boot: running at EL2 on CPU 0"
echo "${FAKE_QEMU_LINE:-nothing wrong}"
echo "boot: idling"
sleep 120
echo "late: after two minutes"
SCRIPT
chmod +x "$fake_qemu"
: >"$scratch/image.elf"

FAKE_QEMU_LINE="client: FAILED: wrong answer" check "forbidden line" 1 \
  "$tool" --name fake --qemu "$fake_qemu" --timeout 100 --expect "running at EL2" --forbid FAILED \
  "$scratch/image.elf"
expect_in "forbidden line" "$scratch/err" "a forbidden line was printed; QEMU was stopped"
expect_in "forbidden line" "$scratch/out" "fake: forbidden line printed: \"client: FAILED: wrong answer\""
expect_in "forbidden line: lines of the grace period still count" "$scratch/out" "boot: idling"
if grep -qF "timed out" "$scratch/out" "$scratch/err"; then
  echo "FAIL: forbidden line: the run waited for the time limit"
  failures=$((failures + 1))
fi

check "clean run ended by --end-after" 0 \
  "$tool" --name fake --qemu "$fake_qemu" --timeout 100 --expect "running at EL2" --forbid FAILED \
  --end-after idling "$scratch/image.elf"
expect_in "clean run ended by --end-after" "$scratch/out" "fake: 2 passed, 0 failed"

cli_summary kestrel_qemu_cli
