#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The kernel memory table of an image report (sysimage/src/output.cpp):
# every line is there, the parts add up to the total, with LIMIT the total
# is at most LIMIT bytes, and with TEXT_LIMIT the text line at most that
# (issue #15: the demo's kernel in 256 KiB, its text in 64 KiB).
# Usage: kernel-memory-report.sh REPORT [LIMIT [TEXT_LIMIT]]
set -uo pipefail
report=$1 limit=${2:-} text_limit=${3:-}
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
[[ -r $report ]] || { echo "FAIL: no report at $report"; exit 1; }

# The figure of line NAME in the table (its first number after the name).
figure() {
  awk -v name="$1" '
    /^kernel memory/ { table = 1; next }
    table && /^$/ { table = 0 }
    table {
      line = $0; sub(/^  /, "", line)
      if (substr(line, 1, length(name)) == name && substr(line, length(name) + 1, 1) == " ") {
        rest = substr(line, length(name) + 1); split(rest, words, " "); print words[1]; exit
      }
    }' "$report"
}

parts=(text "read-only data" data bss stacks "kernel tables" threads partitions endpoints notifications irqs schedulers
  "stage-2 tables" alignment)
sum=0
for part in "${parts[@]}"; do
  value=$(figure "$part")
  if [[ ! $value =~ ^[0-9]+$ ]]; then
    fail "no '$part' line in the kernel memory table"
    continue
  fi
  sum=$((sum + value))
done
total=$(figure total)
if [[ ! $total =~ ^[0-9]+$ ]]; then
  fail "no 'total' line in the kernel memory table"
else
  ((sum == total)) || fail "the parts add up to $sum bytes, the total says $total"
  [[ -z $limit ]] || ((total <= limit)) || fail "kernel memory $total bytes, more than $limit"
  text=$(figure text)
  [[ -z $text_limit ]] || ((text <= text_limit)) || fail "kernel text $text bytes, more than $text_limit"
  for kind in threads partitions "stage-2 tables" stacks; do
    value=$(figure "$kind")
    [[ $value =~ ^[0-9]+$ ]] && ((value > 0)) || fail "'$kind' is zero: the table does not count it"
  done
  echo "kernel memory: $total bytes${limit:+ (limit $limit)}, text $text bytes${text_limit:+ (limit $text_limit)}"
fi
((failures == 0)) || { grep -A20 '^kernel memory' "$report"; exit 1; }
echo "PASS"
