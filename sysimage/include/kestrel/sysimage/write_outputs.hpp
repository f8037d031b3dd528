// SPDX-License-Identifier: Apache-2.0
// Write outputs: an image and its report and picture, all or none. Shared by
// `kestrel-image build` and `kestrel build`.
#pragma once

#include <string>
#include <string_view>

#include <kestrel/sysimage/image.hpp>

namespace kestrel::sysimage::tool {

inline constexpr int exit_output = 3;

struct Output_paths {
  std::string image;   // the ELF to write
  std::string report;  // '-': standard output; empty: none
  std::string graph;   // Graphviz source; empty: none
  std::string svg;     // rendered picture; empty: none
};

// Renders everything first, so nothing is written unless all of it can be;
// if one output fails, the ones already written are removed. Returns 0, or
// exit_output after printing why; `tool` prefixes messages.
int write_image_outputs(const System_image& image, const Output_paths& paths, std::string_view tool);

}  // namespace kestrel::sysimage::tool
