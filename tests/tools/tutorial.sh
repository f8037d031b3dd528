#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Follows docs/tutorial.md word for word: writes every file it shows, runs
# every command it shows, and checks that each command's output has the
# lines the tutorial says it prints. The tutorial marks them:
#   <!-- tutorial: file PATH -->  the next fenced block is that file
#   <!-- tutorial: run -->        the next fenced block is commands, one a line
#   <!-- tutorial: expect -->     the next fenced block is lines the last run printed
# It runs in a fresh directory that looks like the repository's top: `build`
# and `drivers-untrusted` link to the real ones.
#
# usage: tutorial.sh TUTORIAL.md BUILD_DIR SOURCE_DIR
set -euo pipefail
[[ $# -eq 3 ]] || { echo "usage: $0 TUTORIAL.md BUILD_DIR SOURCE_DIR" >&2; exit 2; }
tutorial=$(realpath "$1")
build=$(realpath "$2")
source=$(realpath "$3")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$build" "$work/build"
ln -s "$source/drivers-untrusted" "$work/drivers-untrusted"

# Split the tutorial into numbered steps: step.N.kind (file PATH, run,
# expect) and step.N.text (the block).
awk -v out="$work/.steps" '
  /^<!-- tutorial: / {
    kind = $0; sub(/^<!-- tutorial: /, "", kind); sub(/ -->$/, "", kind)
    pending = 1; next
  }
  pending && /^```/ { inside = 1; pending = 0; step++; printf "%s\n", kind > (out "." step ".kind"); next }
  inside && /^```/ { inside = 0; printf "" >> (out "." step ".text"); next }
  inside { print >> (out "." step ".text") }
  END { print step > (out ".count") }
' "$tutorial"

steps=$(cat "$work/.steps.count")
[[ $steps -gt 0 ]] || { echo "tutorial: no marked steps in $tutorial" >&2; exit 1; }
cd "$work"
last_output=""
failures=0
for ((n = 1; n <= steps; n++)); do
  kind=$(cat "$work/.steps.$n.kind")
  case "$kind" in
    file\ *)
      path=${kind#file }
      mkdir -p "$(dirname "$path")"
      cp "$work/.steps.$n.text" "$path"
      echo "tutorial: wrote $path"
      ;;
    run)
      last_output="$work/.steps.$n.output"
      : >"$last_output"
      while IFS= read -r command; do
        [[ -n $command ]] || continue
        echo "tutorial: \$ $command"
        if ! bash -c "$command" >>"$last_output" 2>&1 </dev/null; then
          cat "$last_output"
          echo "tutorial: FAILED: '$command' exited non-zero" >&2
          exit 1
        fi
      done <"$work/.steps.$n.text"
      ;;
    expect)
      [[ -n $last_output ]] || { echo "tutorial: an expect block before any run block" >&2; exit 1; }
      while IFS= read -r line; do
        [[ -n $line ]] || continue
        if grep -qF -- "$line" "$last_output"; then
          echo "tutorial: saw '$line'"
        else
          echo "tutorial: FAILED: missing '$line'" >&2
          failures=$((failures + 1))
        fi
      done <"$work/.steps.$n.text"
      ;;
    *)
      echo "tutorial: unknown step kind '$kind'" >&2
      exit 1
      ;;
  esac
done
if [[ $failures -ne 0 ]]; then
  echo "--- output of the last run ---"
  cat "$last_output"
  exit 1
fi
echo "tutorial: all $steps steps done as written"
