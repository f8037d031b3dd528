# SPDX-License-Identifier: Apache-2.0
# Shared by the command-line tests: a scratch directory and check helpers
# that count what passed and failed. Sourced, not run; end a test with
# `cli_summary NAME`.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failures=0
checks=0

check() {  # check DESCRIPTION EXPECTED_STATUS COMMAND...: output in $scratch/out and $scratch/err
  local description=$1 expected=$2
  shift 2
  checks=$((checks + 1))
  "$@" >"$scratch/out" 2>"$scratch/err"
  local status=$?
  if [[ $status -ne $expected ]]; then
    echo "FAIL: $description: exit $status, expected $expected"
    sed 's/^/  | /' "$scratch/out" "$scratch/err"
    failures=$((failures + 1))
    return 1
  fi
}

expect_in() {  # expect_in DESCRIPTION FILE TEXT
  checks=$((checks + 1))
  if ! grep -qF -- "$3" "$2"; then
    echo "FAIL: $1: '$3' not in $2"
    sed 's/^/  | /' "$2"
    failures=$((failures + 1))
  fi
}

expect_absent() {  # expect_absent DESCRIPTION PATH
  checks=$((checks + 1))
  if [[ -e "$2" ]]; then
    echo "FAIL: $1: $2 exists"
    failures=$((failures + 1))
  fi
}

cli_summary() {  # cli_summary NAME: the closing line, and the exit status
  echo "$1: $((checks - failures)) passed, $failures failed"
  [[ $failures -eq 0 ]]
}
