# SPDX-License-Identifier: Apache-2.0
# Flags of the fuzz side (KESTREL_SIDE=fuzz, built with clang++-14): the
# policy compiler instrumented for libFuzzer's coverage and checked by ASan
# and UBSan (findings fatal), optimised enough to run many inputs a second.
# Only the fuzz targets link libFuzzer's main (-fsanitize=fuzzer). Warnings
# are the host build's job (gcc, -Werror); a second compiler's warnings here
# would only make this side break where the host build does not.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
add_compile_options(-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
                    -fno-sanitize-recover=all)
add_link_options(-fsanitize=address,undefined)
