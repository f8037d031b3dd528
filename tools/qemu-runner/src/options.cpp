// SPDX-License-Identifier: Apache-2.0
// Options: command-line parsing for kestrel-qemu and the QEMU command line.
#include <qemu_runner/options.hpp>

#include <charconv>
#include <string_view>

namespace qemu_runner {
namespace {

constexpr unsigned max_cpus = 8;  // the kernel's limit on QEMU virt

bool parse_number(std::string_view text, long min, long max, long& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size() && out >= min && out <= max;
}

// `text` with the escapes \n \r \t \\ and \xHH (two hex digits) replaced
// by their bytes, so control characters fit on a command line; nullopt if
// it has another escape or a cut-off one.
std::optional<std::string> unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (++i == text.size()) return std::nullopt;
    switch (text[i]) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case '\\':
        out += '\\';
        break;
      case 'x': {
        unsigned value = 0;
        const char* first = text.data() + i + 1;
        if (text.size() - i - 1 < 2) return std::nullopt;
        auto [end, error] = std::from_chars(first, first + 2, value, 16);
        if (error != std::errc{} || end != first + 2) return std::nullopt;
        out += static_cast<char>(value);
        i += 2;
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string>& supported_cpus() {
  static const std::vector<std::string> cpus = {"cortex-a72", "cortex-a57"};
  return cpus;
}

bool is_supported_cpu(const std::string& name) {
  for (const auto& cpu : supported_cpus())
    if (cpu == name) return true;
  return false;
}

std::string usage_text() {
  return R"(usage: kestrel-qemu [options] IMAGE.elf [-- QEMU-ARGS...]

Boots IMAGE under qemu-system-aarch64 -M virt,virtualization=on,gic-version=3
-cpu cortex-a72 (or --cpu) with the serial console on standard output.

Run mode (no --expect, no --ktest): streams the console and exits with
QEMU's status. Test mode: judges the run and prints one line per failed
check and a summary "NAME: N passed, N failed"; exits 0 only if all passed.

options:
  --name NAME        test name used in messages (default: the image's name)
  --expect TEXT      a console line must contain TEXT (repeatable)
  --forbid TEXT      no console line may contain TEXT (repeatable;
                     "kernel panic" is always forbidden)
  --ktest            judge the image's "[ktest] ..." test result lines
  --smp N            number of CPUs, 1-8 (default 1)
  --cpu MODEL        QEMU CPU model: cortex-a72 (default) or cortex-a57
  --memory SIZE      guest RAM (default 512M)
  --timeout SECONDS  kill QEMU after this long (default 60 in test mode,
                     none in run mode; 0 means none)
  --end-after TEXT   once a console line contains TEXT, give QEMU one more
                     second, then stop it: the run has ended as asked (for
                     systems that idle for ever once their work is done)
  --input-after TEXT BYTES
                     once a console line contains TEXT, type BYTES into the
                     guest's serial console (repeatable; in order, each
                     after the one before; BYTES may use \n \r \t \\ and
                     \xHH, e.g. \x1d for Ctrl-])
  --hold-input-until TEXT
                     type nothing before a console line containing TEXT
                     has come (repeatable; an --input-after step whose
                     line came earlier waits for it): for input that must
                     not overtake a line printed by another partition
  --icount           deterministic instruction counting
                     (-icount shift=0,sleep=off)
  --qemu PATH        QEMU binary (default qemu-system-aarch64)
  --quiet            do not echo the console
  --print-command    print the QEMU command line before running it
  -h, --help         this text

exit status: 0 passed (or QEMU exited 0), 1 failed, 2 bad usage,
3 QEMU could not be started.
)";
}

std::variant<Options, Usage_error, Help_requested> parse_arguments(const std::vector<std::string>& arguments) {
  Options options;
  options.checks.forbidden.emplace_back("kernel panic");
  std::vector<std::string> positional;
  for (size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    auto value = [&](std::string& out) -> bool {
      if (i + 1 >= arguments.size()) return false;
      out = arguments[++i];
      return true;
    };
    std::string text;
    if (argument == "-h" || argument == "--help") return Help_requested{};
    if (argument == "--") {
      options.extra_qemu_args.assign(arguments.begin() + static_cast<long>(i) + 1, arguments.end());
      break;
    }
    const bool takes_value = argument == "--name" || argument == "--expect" || argument == "--forbid" ||
                             argument == "--smp" || argument == "--memory" || argument == "--timeout" ||
                             argument == "--qemu" || argument == "--end-after" || argument == "--cpu" ||
                             argument == "--hold-input-until";
    if (takes_value && !value(text)) return Usage_error{argument + " needs a value"};
    if (argument == "--input-after") {
      std::string bytes;
      if (!value(text) || !value(bytes)) return Usage_error{"--input-after needs a line's text and the bytes to type"};
      if (text.empty()) return Usage_error{"--input-after needs non-empty text"};
      const auto typed = unescape(bytes);
      if (!typed || typed->empty())
        return Usage_error{"--input-after: '" + bytes + "' is not bytes to type (escapes: \\n \\r \\t \\\\ \\xHH)"};
      options.inputs.push_back({text, *typed});
    } else if (argument == "--name") {
      options.checks.name = text;
    } else if (argument == "--expect") {
      if (text.empty()) return Usage_error{"--expect needs non-empty text"};
      options.checks.expected.push_back(text);
    } else if (argument == "--forbid") {
      if (text.empty()) return Usage_error{"--forbid needs non-empty text"};
      options.checks.forbidden.push_back(text);
    } else if (argument == "--smp") {
      long cpus = 0;
      if (!parse_number(text, 1, max_cpus, cpus))
        return Usage_error{"--smp must be a number from 1 to 8, not '" + text + "'"};
      options.smp = static_cast<unsigned>(cpus);
    } else if (argument == "--cpu") {
      if (!is_supported_cpu(text)) return Usage_error{"--cpu must be cortex-a72 or cortex-a57, not '" + text + "'"};
      options.cpu = text;
    } else if (argument == "--memory") {
      options.memory = text;
    } else if (argument == "--timeout") {
      long seconds = 0;
      if (!parse_number(text, 0, 86400, seconds))
        return Usage_error{"--timeout must be 0-86400 seconds, not '" + text + "'"};
      options.timeout_seconds = static_cast<int>(seconds);
    } else if (argument == "--qemu") {
      options.qemu = text;
    } else if (argument == "--end-after") {
      if (text.empty()) return Usage_error{"--end-after needs non-empty text"};
      options.end_after = text;
    } else if (argument == "--hold-input-until") {
      if (text.empty()) return Usage_error{"--hold-input-until needs non-empty text"};
      options.hold_input_until.push_back(text);
    } else if (argument == "--ktest") {
      options.checks.in_image_tests = true;
    } else if (argument == "--icount") {
      options.icount = true;
    } else if (argument == "--quiet") {
      options.quiet = true;
    } else if (argument == "--print-command") {
      options.print_command = true;
    } else if (!argument.empty() && argument[0] == '-') {
      return Usage_error{"unknown option '" + argument + "'"};
    } else {
      positional.push_back(argument);
    }
  }
  if (!options.hold_input_until.empty() && options.inputs.empty())
    return Usage_error{"--hold-input-until holds --input-after steps, and there are none"};
  if (positional.empty()) return Usage_error{"no image given"};
  if (positional.size() > 1) return Usage_error{"more than one image given: '" + positional[1] + "'"};
  options.image = positional[0];
  if (options.checks.name.empty()) {
    const auto slash = options.image.find_last_of('/');
    options.checks.name = slash == std::string::npos ? options.image : options.image.substr(slash + 1);
  }
  return options;
}

std::vector<std::string> qemu_command(const Options& options) {
  std::vector<std::string> command = {
      options.qemu,
      "-M",
      qemu_machine,
      "-cpu",
      options.cpu,
      "-smp",
      std::to_string(options.smp),
      "-m",
      options.memory,
      // Only the board's own devices; the PL011 is the console on stdio.
      "-nodefaults",
      "-display",
      "none",
      "-monitor",
      "none",
      // Through a multiplexer, so Ctrl-A X leaves QEMU (kestrel run says
      // so); plain `-serial stdio` has no escape key.
      "-chardev",
      "stdio,id=console,mux=on",
      "-serial",
      "chardev:console",
      // A reset request (or a triple fault) ends the run instead of looping.
      "-no-reboot",
      "-kernel",
      options.image,
  };
  if (options.icount) {
    command.insert(command.end(), {"-icount", "shift=0,sleep=off"});
  }
  command.insert(command.end(), options.extra_qemu_args.begin(), options.extra_qemu_args.end());
  return command;
}

}  // namespace qemu_runner
