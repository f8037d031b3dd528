# SPDX-License-Identifier: Apache-2.0
# Warnings and sanitizers for everything built for the host.
add_compile_options(-Wall -Wextra -Wshadow -Wconversion -Werror)
if(KESTREL_SANITIZE)
  # Host tests and tools run under ASan and UBSan; UBSan findings are fatal.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
# GCC 12 reports false -Wrestrict warnings inside std::string's operator+ at
# -O2 (GCC bug 105329); they say nothing about our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-restrict)
endif()
