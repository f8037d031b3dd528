#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# kestrel-image's command line: usage errors, bad inputs, outputs written only
# when everything succeeds. Usage: kestrel-image-cli.sh TOOL SRC KERNEL PROGRAM_DIR
set -uo pipefail
tool=$1 source_dir=$2 kernel=$3 programs=$4
source "$(dirname "$0")/cli-checks.sh"
policy=$source_dir/tests/target/images/two-partitions.capnp

expect_no_files() {  # expect_no_files DESCRIPTION: nothing but the logs in the scratch directory
  checks=$((checks + 1))
  local left
  left=$(ls "$scratch" | grep -vE '^(out|err)$' || true)
  [[ -z "$left" ]] || { echo "FAIL: $1: files left behind: $left"; failures=$((failures + 1)); }
}

check "help" 0 "$tool" --help
expect_in "help" "$scratch/out" "usage: kestrel-image build POLICY --kernel"
check "no command" 2 "$tool"
check "unknown command" 2 "$tool" make
check "no kernel" 2 "$tool" build "$policy" -o "$scratch/i.elf"
check "no output" 2 "$tool" build "$policy" --kernel "$kernel"
check "unknown option" 2 "$tool" build "$policy" --kernel "$kernel" -o "$scratch/i.elf" --fast
check "misspelt command" 2 "$tool" biuld "$policy"
expect_in "misspelt command" "$scratch/err" "unknown command 'biuld' (did you mean 'build'?)"
check "misspelt option" 2 "$tool" build "$policy" --kernle "$kernel" -o "$scratch/i.elf"
expect_in "misspelt option" "$scratch/err" "unknown option '--kernle' (did you mean '--kernel'?)"
check "misspelt keygen option" 2 "$tool" keygen --secert "$scratch/s" --public "$scratch/p"
expect_in "misspelt keygen option" "$scratch/err" "unknown keygen option '--secert' (did you mean '--secret'?)"
expect_no_files "usage errors"

check "missing programs" 1 "$tool" build "$policy" --kernel "$kernel" -o "$scratch/i.elf"
expect_in "missing programs" "$scratch/err" "program of partition \"alpha\" 'hello-alpha.elf' not found"
check "kernel is not an ELF" 1 "$tool" build "$policy" --kernel "$policy" -P "$programs" -o "$scratch/i.elf"
expect_in "kernel is not an ELF" "$scratch/err" "not an ELF file"
check "bad policy" 1 "$tool" build "$source_dir/tests/unit/policy/cases/KP0104-duplicate-partition.capnp" \
  --kernel "$kernel" -o "$scratch/i.elf"
expect_in "bad policy" "$scratch/err" "error: KP0104"
expect_no_files "failed builds"

check "unwritable svg" 3 "$tool" build "$policy" --kernel "$kernel" -P "$programs" -o "$scratch/i.elf" \
  --report "$scratch/r.txt" --svg "$scratch/none/x.svg"
expect_no_files "a failed output removes the others"

check "build" 0 "$tool" build "$policy" --kernel "$kernel" -P "$programs" -o "$scratch/i.elf" \
  --report "$scratch/r.txt" --graph "$scratch/g.dot" --svg "$scratch/g.svg"
expect_in "report" "$scratch/r.txt" "measurements (SHA-256"
expect_in "graph" "$scratch/g.dot" "digraph \"two-partitions\""
expect_in "svg" "$scratch/g.svg" "<svg"
cp "$scratch/i.elf" "$scratch/first.elf"
check "rebuild" 0 "$tool" build "$policy" --kernel "$kernel" -P "$programs" -o "$scratch/i.elf"
checks=$((checks + 1))
cmp -s "$scratch/i.elf" "$scratch/first.elf" || { echo "FAIL: the same inputs gave a different image"; failures=$((failures + 1)); }

cli_summary kestrel-image-cli
