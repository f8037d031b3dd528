// SPDX-License-Identifier: Apache-2.0
// Page pool: which pages of the IPCM's pool are in use, one bit each.
//
// First fit over the bitmap: a tunnel's pages are one run, so one map call
// per end covers it; the pool holds few pages (a policy's tunnels, at most
// tunnel_table_max_pages), so a linear scan is short, has no state to get
// wrong and gives the same answer for the same history, which the tests
// and the target's repeatable runs rely on. The policy sizes the pool for
// every instance at once (KP1016); first fit can still fragment it with
// mixed sizes, and then an open is refused with pool_exhausted, never
// served from pages in use.
#pragma once

#include <cstdint>

namespace kestrel::ipcm {

template <uint32_t max_pages>
class Page_pool {
 public:
  // All `pages` free (at most max_pages).
  void reset(uint32_t pages) {
    pages_ = pages;
    for (auto& word : used_) word = 0;
  }

  uint32_t pages() const { return pages_; }

  bool in_use(uint32_t page) const { return (used_[page / 64] >> (page % 64) & 1U) != 0; }

  uint32_t free_pages() const {
    uint32_t free = 0;
    for (uint32_t page = 0; page < pages_; ++page) free += in_use(page) ? 0 : 1;
    return free;
  }

  // The first run of `count` free pages: marks it used, returns its first page.
  [[nodiscard]] bool allocate(uint32_t count, uint32_t& first) {
    if (count == 0) return false;
    uint32_t run = 0;
    for (uint32_t page = 0; page < pages_; ++page) {
      run = in_use(page) ? 0 : run + 1;
      if (run == count) {
        first = page + 1 - count;
        mark(first, count, true);
        return true;
      }
    }
    return false;
  }

  void release(uint32_t first, uint32_t count) { mark(first, count, false); }

 private:
  void mark(uint32_t first, uint32_t count, bool used) {
    for (uint32_t page = first; page < first + count && page < pages_; ++page) {
      const uint64_t bit = uint64_t{1} << (page % 64);
      used_[page / 64] = used ? used_[page / 64] | bit : used_[page / 64] & ~bit;
    }
  }

  uint32_t pages_ = 0;
  uint64_t used_[(max_pages + 63) / 64] = {};
};

}  // namespace kestrel::ipcm
