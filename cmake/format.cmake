# SPDX-License-Identifier: Apache-2.0
# Formatting: `cmake --build build --target format` rewrites the sources with
# the checked-in .clang-format; the `lint.format` test fails on any drift
# (and fails, rather than being skipped, if clang-format is missing).
set(format_script ${CMAKE_SOURCE_DIR}/scripts/format)
add_custom_target(format COMMAND ${format_script} --fix WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} VERBATIM)
add_test(NAME lint.format COMMAND ${format_script} --check WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
set_tests_properties(lint.format PROPERTIES LABELS lint)
