// SPDX-License-Identifier: Apache-2.0
// Slots: named capability slots for a partition program compiled from
// source, as the generated header kestrel/slots.hpp gives them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <kestrel/policy/model.hpp>

namespace kestrel_cli {

struct Named_slot {
  uint64_t slot = 0;
  std::string name;         // C++ identifier: call_console, irq_rtc, ...
  std::string description;  // the summary's text for the slot
};

// `text` as a C++ identifier fragment: every character that is not an ASCII
// letter or digit becomes '_'.
std::string identifier(std::string_view text);

// One name per capability of `partition`, in slot order as the policy
// compiler assigned them (Partition::capabilities); names come from what
// each capability refers to. Two capabilities that would get the same name
// both get their slot number appended.
std::vector<Named_slot> slot_names(const kestrel::policy::Model& model, uint32_t partition);

// The text of kestrel/slots.hpp for `partition`; `policy` is named in its
// opening comment.
std::string slots_header(const kestrel::policy::Model& model, uint32_t partition, std::string_view policy);

}  // namespace kestrel_cli
