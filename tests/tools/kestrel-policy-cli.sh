#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# kestrel-policy's command line: exit codes, outputs written only on success,
# usage errors, both diagnostic formats. Usage: kestrel-policy-cli.sh TOOL SRC
set -uo pipefail
tool=$1
source_dir=$2
source "$(dirname "$0")/cli-checks.sh"

good=$source_dir/examples/hello-ipc/hello-ipc.capnp
bad=$source_dir/tests/unit/policy/cases/KP0104-duplicate-partition.capnp

check "help" 0 "$tool" --help && expect_in "help" "$scratch/out" "usage: kestrel-policy check"
check "no arguments" 2 "$tool" && expect_in "no arguments" "$scratch/err" "no command given"
check "unknown command" 2 "$tool" frobnicate && expect_in "unknown command" "$scratch/err" "unknown command 'frobnicate'"
check "unknown option" 2 "$tool" check "$good" --frob && expect_in "unknown option" "$scratch/err" "unknown option '--frob'"
check "misspelt command" 2 "$tool" chekc "$good" &&
  expect_in "misspelt command" "$scratch/err" "unknown command 'chekc' (did you mean 'check'?)"
check "misspelt option" 2 "$tool" check "$good" --summray - &&
  expect_in "misspelt option" "$scratch/err" "unknown option '--summray' (did you mean '--summary'?)"
check "missing policy" 2 "$tool" check -o "$scratch/x.bin"
check "two policies" 2 "$tool" check "$good" "$good"
check "bad format" 2 "$tool" check "$good" --format xml
check "output over policy" 2 "$tool" check "$good" -o "$good"
check "codes" 0 "$tool" codes && expect_in "codes" "$scratch/out" "KP0104  error    two partitions have the same name"

check "good policy" 0 "$tool" check "$good" -o "$scratch/boot.bin" --summary "$scratch/summary.txt"
checks=$((checks + 1))
[[ -s "$scratch/boot.bin" && $(head -c 8 "$scratch/boot.bin") == "KSTLBOOT" ]] || { echo "FAIL: boot-info not written"; failures=$((failures + 1)); }
expect_in "summary" "$scratch/summary.txt" 'partition "client" (VMID 2)'
expect_absent "no temporary files" "$scratch/boot.bin.tmp.*"

check "bad policy" 1 "$tool" check "$bad" -o "$scratch/bad.bin" --summary "$scratch/bad.txt"
expect_absent "no boot-info on error" "$scratch/bad.bin"
expect_absent "no summary on error" "$scratch/bad.txt"
expect_in "gcc format" "$scratch/err" "KP0104-duplicate-partition.capnp:12:13: error: KP0104: partition \"a\" is defined twice"
expect_in "error count" "$scratch/err" "1 error(s), 0 warning(s)"

check "json format" 1 "$tool" check "$bad" --format json
expect_in "json format" "$scratch/out" '"code": "KP0104", "severity": "error"'

check "unwritable output" 3 "$tool" check "$good" -o "$scratch/no/such/dir/boot.bin"
check "missing file" 1 "$tool" check "$scratch/none.capnp" && expect_in "missing file" "$scratch/err" "KP0001"

cli_summary kestrel-policy-cli
