// SPDX-License-Identifier: Apache-2.0
// flip-marker IN OUT MARKER: copies IN to OUT with one byte inverted: the
// first byte of MARKER, which must occur exactly once in IN. Target tests use
// it to corrupt exactly one partition inside a system image.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: flip-marker IN OUT MARKER\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::string marker = argv[3];
  const auto first = bytes.find(marker);
  if (!in.eof() && !in.good()) {
    std::cerr << "flip-marker: cannot read " << argv[1] << '\n';
    return 1;
  }
  if (first == std::string::npos || bytes.find(marker, first + 1) != std::string::npos) {
    std::cerr << "flip-marker: '" << marker << "' must occur exactly once in " << argv[1] << '\n';
    return 1;
  }
  bytes[first] = static_cast<char>(~bytes[first]);
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) {
    std::cerr << "flip-marker: cannot write " << argv[2] << '\n';
    return 1;
  }
  std::cout << "flip-marker: inverted the byte at file offset " << first << " of " << argv[2] << '\n';
  return 0;
}
