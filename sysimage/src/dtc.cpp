// SPDX-License-Identifier: Apache-2.0
// dtc: the device-tree compiler run as a child process, for overlays
// written as source.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <kestrel/sysimage/device_tree.hpp>

namespace kestrel::sysimage {
namespace {

class Owned_fd {
 public:
  explicit Owned_fd(int fd) : fd_{fd} {}
  Owned_fd(const Owned_fd&) = delete;
  Owned_fd& operator=(const Owned_fd&) = delete;
  ~Owned_fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

bool write_all(int fd, std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    const ssize_t written = write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes = bytes.subspan(static_cast<size_t>(written));
  }
  return true;
}

std::vector<uint8_t> read_from_start(int fd) {
  std::vector<uint8_t> bytes;
  uint8_t chunk[4096];
  for (off_t offset = 0;;) {
    const ssize_t count = pread(fd, chunk, sizeof chunk, offset);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    bytes.insert(bytes.end(), chunk, chunk + count);
    offset += count;
  }
  return bytes;
}

}  // namespace

Device_tree_result<Dtc_output> run_dtc(const std::vector<std::string>& arguments,
                                       std::span<const uint8_t> standard_input) {
  // Anonymous memory files: no temporary files to clean up, and no pipe to
  // deadlock on if dtc writes a lot before reading all of its input.
  Owned_fd input{memfd_create("dtc-input", MFD_CLOEXEC)};
  Owned_fd output{memfd_create("dtc-output", MFD_CLOEXEC)};
  Owned_fd errors{memfd_create("dtc-errors", MFD_CLOEXEC)};
  if (input.get() < 0 || output.get() < 0 || errors.get() < 0) return Device_tree_error{errno_text("memfd_create")};
  if (!write_all(input.get(), standard_input) || lseek(input.get(), 0, SEEK_SET) != 0) {
    return Device_tree_error{errno_text("cannot write dtc's input")};
  }
  int exec_error_pipe[2];  // carries errno if exec fails; a successful exec closes it
  if (pipe2(exec_error_pipe, O_CLOEXEC) != 0) return Device_tree_error{errno_text("cannot create a pipe")};
  Owned_fd exec_error_reader{exec_error_pipe[0]};
  std::vector<std::string> command{"dtc"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : command) argv.push_back(argument.data());
  argv.push_back(nullptr);

  const pid_t child = fork();
  if (child < 0) {
    close(exec_error_pipe[1]);
    return Device_tree_error{errno_text("cannot fork")};
  }
  if (child == 0) {
    dup2(input.get(), STDIN_FILENO);  // dup2 clears close-on-exec on the copies
    dup2(output.get(), STDOUT_FILENO);
    dup2(errors.get(), STDERR_FILENO);
    execvp(argv[0], argv.data());
    const int error = errno;
    (void)!write(exec_error_pipe[1], &error, sizeof error);
    _exit(127);
  }
  close(exec_error_pipe[1]);
  int exec_errno = 0;
  ssize_t got = 0;
  do got = read(exec_error_reader.get(), &exec_errno, sizeof exec_errno);
  while (got < 0 && errno == EINTR);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (got == sizeof exec_errno) {
    return Device_tree_error{std::string("cannot run dtc (package device-tree-compiler): ") +
                             std::strerror(exec_errno)};
  }
  const auto error_bytes = read_from_start(errors.get());
  std::string error_text(error_bytes.begin(), error_bytes.end());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    while (!error_text.empty() && error_text.back() == '\n') error_text.pop_back();
    if (error_text.empty()) error_text = "dtc failed (wait status " + std::to_string(status) + ")";
    return Device_tree_error{error_text};
  }
  return Dtc_output{read_from_start(output.get()), error_text};
}

Device_tree_result<Dtc_output> compile_overlay_source(std::string_view dts_source) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(dts_source.data());
  return run_dtc({"-@", "-I", "dts", "-O", "dtb", "-o", "-", "-"}, {bytes, dts_source.size()});
}

Device_tree_result<Dtc_output> compile_overlay_file(const std::filesystem::path& dts_file) {
  return run_dtc({"-@", "-I", "dts", "-O", "dtb", "-o", "-", "--", dts_file.string()});
}

}  // namespace kestrel::sysimage
