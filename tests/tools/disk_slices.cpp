// SPDX-License-Identifier: Apache-2.0
// disk-slices: the host side of the device tests' disk (docs/devices.md).
//
//   disk-slices make FILE SECTORS
//       writes FILE: SECTORS sectors of the test pattern (disk_pattern.hpp).
//   disk-slices check FILE [--writer FIRST COUNT]... [--changed FIRST COUNT]...
//       every sector outside the --writer slices still holds the pattern, and
//       each --changed slice (a writer's that the run must have written) no
//       longer does in at least one sector. Exit 0 if so, 1 with the first
//       sector that says otherwise, 2 on a usage error.
//   disk-slices extract FILE FIRST COUNT OUT
//       copies a slice to OUT (for debugfs, which reads a file system image).
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "../target/devices/disk_pattern.hpp"

namespace {

using kestrel::test_disk::sector_bytes;
using kestrel::test_disk::words_per_sector;

struct Slice {
  uint64_t first;
  uint64_t count;
  bool contains(uint64_t sector) const { return sector >= first && sector - first < count; }
};

int usage(const std::string& why) {
  std::cerr << "disk-slices: " << why << "\n"
            << "usage: disk-slices make FILE SECTORS\n"
            << "       disk-slices check FILE [--writer FIRST COUNT]... [--changed FIRST COUNT]...\n"
            << "       disk-slices extract FILE FIRST COUNT OUT\n";
  return 2;
}

bool parse_number(const char* text, uint64_t& out) {
  char* end = nullptr;
  out = std::strtoull(text, &end, 0);
  return end != text && *end == '\0';
}

int make(const std::string& path, uint64_t sectors) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  std::vector<uint64_t> words(words_per_sector);
  for (uint64_t s = 0; s < sectors; ++s) {
    for (uint64_t w = 0; w < words_per_sector; ++w) words[w] = kestrel::test_disk::pattern_word(s, w);
    out.write(reinterpret_cast<const char*>(words.data()), sector_bytes);
  }
  out.close();
  if (!out) {
    std::cerr << "disk-slices: cannot write " << path << '\n';
    return 1;
  }
  std::cout << "disk-slices: wrote " << sectors << " sectors of the pattern to " << path << '\n';
  return 0;
}

int check(const std::string& path, const std::vector<Slice>& writers, const std::vector<Slice>& changed) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "disk-slices: cannot read " << path << '\n';
    return 1;
  }
  std::vector<bool> slice_changed(changed.size(), false);
  std::vector<uint64_t> words(words_per_sector);
  uint64_t sector = 0;
  uint64_t unchanged_outside = 0;
  for (; in.read(reinterpret_cast<char*>(words.data()), sector_bytes); ++sector) {
    const bool intact = kestrel::test_disk::first_wrong_word(words.data(), sector) == words_per_sector;
    bool in_writer = false;
    for (const Slice& slice : writers) in_writer = in_writer || slice.contains(sector);
    if (!in_writer && !intact) {
      std::cerr << "disk-slices: sector " << sector << " of " << path
                << " changed, and it lies outside every writer's slice\n";
      return 1;
    }
    unchanged_outside += in_writer ? 0 : 1;
    for (size_t i = 0; i < changed.size(); ++i)
      slice_changed[i] = slice_changed[i] || (changed[i].contains(sector) && !intact);
  }
  for (size_t i = 0; i < changed.size(); ++i) {
    if (!slice_changed[i]) {
      std::cerr << "disk-slices: slice " << changed[i].first << "+" << changed[i].count << " of " << path
                << " still holds the pattern: the run wrote nothing there\n";
      return 1;
    }
  }
  std::cout << "disk-slices: " << path << ": " << sector << " sectors; the " << unchanged_outside
            << " outside the writers' slices hold the pattern; " << changed.size() << " slice(s) written\n";
  return 0;
}

int extract(const std::string& path, uint64_t first, uint64_t count, const std::string& out_path) {
  std::ifstream in(path, std::ios::binary);
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  in.seekg(static_cast<std::streamoff>(first * sector_bytes));
  std::vector<char> sector(sector_bytes);
  for (uint64_t s = 0; s < count; ++s) {
    if (!in.read(sector.data(), sector_bytes)) {
      std::cerr << "disk-slices: " << path << " ends before sector " << first + s << '\n';
      return 1;
    }
    out.write(sector.data(), sector_bytes);
  }
  return out ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 2) return usage("too few arguments");
  uint64_t a = 0;
  uint64_t b = 0;
  if (args[0] == "make") {
    if (args.size() != 3 || !parse_number(args[2].c_str(), a) || a == 0) return usage("make needs FILE SECTORS");
    return make(args[1], a);
  }
  if (args[0] == "extract") {
    if (args.size() != 5 || !parse_number(args[2].c_str(), a) || !parse_number(args[3].c_str(), b)) {
      return usage("extract needs FILE FIRST COUNT OUT");
    }
    return extract(args[1], a, b, args[4]);
  }
  if (args[0] != "check") return usage("unknown command " + args[0]);
  std::vector<Slice> writers;
  std::vector<Slice> changed;
  for (size_t i = 2; i < args.size(); i += 3) {
    if (i + 2 >= args.size() || !parse_number(args[i + 1].c_str(), a) || !parse_number(args[i + 2].c_str(), b)) {
      return usage("--writer and --changed take FIRST COUNT");
    }
    if (args[i] == "--writer") {
      writers.push_back({a, b});
    } else if (args[i] == "--changed") {
      changed.push_back({a, b});
    } else {
      return usage("unknown option " + args[i]);
    }
  }
  return check(args[1], writers, changed);
}
