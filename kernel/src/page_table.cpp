// SPDX-License-Identifier: Apache-2.0
// Page_table: status descriptions (the walker itself is a template in the header).
#include <kestrel/page_table.hpp>

namespace kestrel {

const char* to_string(Map_status status) {
  switch (status) {
    case Map_status::ok:
      return "ok";
    case Map_status::size_zero:
      return "size is zero";
    case Map_status::misaligned:
      return "address, physical address or size is not a multiple of the page size";
    case Map_status::address_overflow:
      return "range wraps around the 64-bit address space";
    case Map_status::input_out_of_range:
      return "address beyond the translation's input range";
    case Map_status::output_out_of_range:
      return "physical address beyond the output address range";
    case Map_status::bad_attributes:
      return "invalid access or memory type";
    case Map_status::executable_device:
      return "device memory cannot be executable";
    case Map_status::writable_executable:
      return "kernel mapping both writable and executable";
    case Map_status::overlap:
      return "range overlaps an existing mapping";
    case Map_status::out_of_tables:
      return "no free translation table pages";
  }
  return "unknown status";
}

}  // namespace kestrel
