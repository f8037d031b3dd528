// SPDX-License-Identifier: Apache-2.0
// Write outputs: the image, its report and its picture, all or none.
#include <kestrel/sysimage/write_outputs.hpp>

#include <cstdio>
#include <iostream>
#include <utility>
#include <vector>

#include <kestrel/policy/output_file.hpp>
#include <kestrel/policy/stages.hpp>
#include <kestrel/sysimage/output.hpp>

namespace kestrel::sysimage::tool {

int write_image_outputs(const System_image& image, const Output_paths& paths, std::string_view tool) {
  std::vector<std::pair<std::string, std::string>> files;  // path, contents
  const auto elf = image_elf(image);
  files.emplace_back(paths.image, std::string(elf.begin(), elf.end()));
  const std::string summary = policy::summarize(*image.model);
  if (!paths.report.empty() && paths.report != "-") files.emplace_back(paths.report, image_report(image, summary));
  const std::string graph = system_graph(*image.model);
  if (!paths.graph.empty()) files.emplace_back(paths.graph, graph);

  std::vector<std::string> written;
  auto undo = [&] {
    for (const auto& path : written) std::remove(path.c_str());
  };
  for (const auto& [path, contents] : files) {
    if (!policy::write_file_atomically(path, contents.data(), contents.size())) {
      std::cerr << tool << ": error: cannot write " << path << '\n';
      undo();
      return exit_output;
    }
    written.push_back(path);
  }
  if (!paths.svg.empty()) {
    if (const auto problem = render_svg(graph, paths.svg); !problem.empty()) {
      std::cerr << tool << ": error: " << paths.svg << ": " << problem << '\n';
      undo();
      return exit_output;
    }
  }
  if (paths.report == "-") std::cout << image_report(image, summary);
  std::cerr << tool << ": wrote " << paths.image << " (" << elf.size() << " bytes, " << image.model->partitions.size()
            << " partitions)\n";
  return 0;
}

}  // namespace kestrel::sysimage::tool
