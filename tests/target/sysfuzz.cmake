# SPDX-License-Identifier: Apache-2.0
# The system-call fuzzer test's fixed seed (16 hexadecimal digits, as the
# fuzzer prints it) and calls per fuzzing thread (4 threads). Both sides read
# this: the target side builds them into the fuzzer, the host side expects
# them in its summary line.
set(KESTREL_SYSFUZZ_SEED 0x5eedf022c0ffee11)
set(KESTREL_SYSFUZZ_CALLS 6000)
math(EXPR KESTREL_SYSFUZZ_TOTAL_CALLS "4 * ${KESTREL_SYSFUZZ_CALLS}")
