// SPDX-License-Identifier: Apache-2.0
// Process: fork/exec with a pipe, poll with a deadline, kill on timeout.
#include <qemu_runner/process.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace qemu_runner {
namespace {

using Clock = std::chrono::steady_clock;

// Splits a byte stream into lines; a trailing '\r' (serial line ending) is
// dropped.
class Line_splitter {
 public:
  explicit Line_splitter(const std::function<bool(std::string_view)>& on_line) : on_line_{on_line} {}

  // A line's callback asked to end the run.
  bool end_requested() const { return end_requested_; }

  void feed(std::string_view bytes) {
    for (char c : bytes) {
      if (c == '\n') {
        emit();
      } else {
        pending_.push_back(c);
      }
    }
  }
  void flush() {
    if (!pending_.empty()) emit();
  }

 private:
  void emit() {
    if (!pending_.empty() && pending_.back() == '\r') pending_.pop_back();
    if (on_line_(pending_)) end_requested_ = true;
    pending_.clear();
  }
  const std::function<bool(std::string_view)>& on_line_;
  std::string pending_;
  bool end_requested_ = false;
};

Run_end end_from_status(int status) {
  if (WIFSIGNALED(status)) return {Run_end::Kind::killed_by_signal, WTERMSIG(status), 0};
  return {Run_end::Kind::exited, WEXITSTATUS(status), 0};
}

// Types Process_options::inputs into the child's stdin as their lines come,
// once every Process_options::hold_input_until line has come too.
class Typist {
 public:
  Typist(const Process_options& options, int fd) : steps_{options.inputs}, holds_{options.hold_input_until}, fd_{fd} {}

  void observe_line(std::string_view line) {
    std::erase_if(holds_, [&](const std::string& hold) { return line.find(hold) != std::string_view::npos; });
    while (due_ < steps_.size() && line.find(steps_[due_].after) != std::string_view::npos) ++due_;
    if (!holds_.empty()) return;
    while (typed_ < due_) type(steps_[typed_++].bytes);
  }

 private:
  // A socket rather than a pipe, so that a child that has gone costs an
  // EPIPE here (MSG_NOSIGNAL), never a SIGPIPE that would kill the runner.
  void type(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t count = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (count < 0 && errno == EINTR) continue;
      if (count <= 0) return;  // the child no longer reads: nothing to type into
      sent += static_cast<size_t>(count);
    }
  }

  const std::vector<Input_step>& steps_;
  std::vector<std::string> holds_;  // lines still awaited
  int fd_;
  size_t due_ = 0;    // steps whose lines have come, in order
  size_t typed_ = 0;  // of those, the ones typed
};

[[noreturn]] void exec_child(const std::vector<std::string>& command, const Process_options& options, pid_t parent,
                             int output_fd, int error_fd, int input_fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl
  dup2(output_fd, STDOUT_FILENO);
  dup2(output_fd, STDERR_FILENO);
  if (input_fd >= 0) {
    dup2(input_fd, STDIN_FILENO);
  } else if (!options.inherit_stdin) {
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
  }
  std::vector<char*> argv;
  for (const auto& argument : command) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  const int error = errno;
  (void)!write(error_fd, &error, sizeof error);
  _exit(127);
}

}  // namespace

std::variant<Run_end, Launch_error> run_process(const std::vector<std::string>& command, const Process_options& options,
                                                const std::function<void(std::string_view)>& on_line) {
  return run_process_until(command, options, [&](std::string_view line) {
    on_line(line);
    return false;
  });
}

std::variant<Run_end, Launch_error> run_process_until(const std::vector<std::string>& command,
                                                      const Process_options& options,
                                                      const std::function<bool(std::string_view)>& on_line) {
  int output[2];
  int exec_error[2];  // carries errno if exec fails; closed by a successful exec
  if (pipe2(output, O_CLOEXEC) != 0 || pipe2(exec_error, O_CLOEXEC) != 0) {
    return Launch_error{std::string("cannot create a pipe: ") + std::strerror(errno)};
  }
  int input[2] = {-1, -1};  // [0] the runner's end, [1] the child's stdin
  if (!options.inputs.empty() && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, input) != 0) {
    return Launch_error{std::string("cannot create a socket for the input: ") + std::strerror(errno)};
  }
  const pid_t parent = getpid();
  const pid_t child = fork();
  if (child < 0) return Launch_error{std::string("cannot fork: ") + std::strerror(errno)};
  if (child == 0) exec_child(command, options, parent, output[1], exec_error[1], input[1]);
  close(output[1]);
  close(exec_error[1]);
  if (input[1] >= 0) close(input[1]);
  struct Input_closer {
    int fd;
    ~Input_closer() {
      if (fd >= 0) close(fd);
    }
  } input_closer{input[0]};
  Typist typist{options, input[0]};

  int child_errno = 0;
  const bool exec_failed = read(exec_error[0], &child_errno, sizeof child_errno) == sizeof child_errno;
  close(exec_error[0]);
  if (exec_failed) {
    close(output[0]);
    waitpid(child, nullptr, 0);
    return Launch_error{"cannot run '" + command[0] + "': " + std::strerror(child_errno)};
  }

  auto deadline = Clock::now() + std::chrono::seconds(options.timeout_seconds);
  bool limited = options.timeout_seconds != 0;
  bool ending = false;  // asked to end: the deadline is the end of the grace period
  auto milliseconds_left = [&]() -> int {
    if (!limited) return -1;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
  };
  auto kill_child = [&] {
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    Run_end end{ending ? Run_end::Kind::ended_as_asked : Run_end::Kind::timed_out, 0, options.timeout_seconds};
    return end;
  };

  const std::function<bool(std::string_view)> observe = [&](std::string_view line) {
    const bool end = on_line(line);
    typist.observe_line(line);
    return end;
  };
  Line_splitter lines{observe};
  char buffer[4096];
  for (;;) {
    if (lines.end_requested() && !ending) {
      ending = true;
      limited = true;
      deadline = Clock::now() + std::chrono::milliseconds(options.grace_milliseconds);
    }
    pollfd fd{output[0], POLLIN, 0};
    const int wait = milliseconds_left();
    if (limited && wait == 0) {
      close(output[0]);
      lines.flush();
      return kill_child();
    }
    const int ready = poll(&fd, 1, wait);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline check above ends the run
    const ssize_t count = read(output[0], buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;  // end of output: QEMU closed it or exited
    lines.feed(std::string_view(buffer, static_cast<size_t>(count)));
  }
  close(output[0]);
  lines.flush();

  // QEMU has closed its output; it should exit at once, but keep the limit.
  for (;;) {
    int status = 0;
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) return end_from_status(status);
    if (done < 0 && errno != EINTR) return Launch_error{std::string("waitpid failed: ") + std::strerror(errno)};
    if (limited && milliseconds_left() == 0) return kill_child();
    usleep(10'000);
  }
}

}  // namespace qemu_runner
