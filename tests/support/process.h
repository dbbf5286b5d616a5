// Integration-test helpers: start the real binaries (and redis-server) on ephemeral loopback ports.
#ifndef STIP_TESTS_SUPPORT_PROCESS_H_
#define STIP_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace stip::testing {

// A fresh directory under $TMPDIR (removed by the caller's fixture if it wants).
std::string MakeTempDir(absl::string_view prefix);
// The build tree's path of a binary, e.g. BuildPath("services/indicators/stip-indicators"); services come from
// $STIP_SERVICE_BUILD_DIR when it is set (the TSan job: a TSan gateway against the regular services).
std::string BuildPath(absl::string_view relative);
// The source tree's data/ directory.
std::string SeedDir();
// A port that was free a moment ago (for processes that cannot pick their own, like redis-server).
int FreePort();
// Writes a random 48-byte token secret to `dir`/hs256.key; returns its contents via `secret`.
std::string WriteSecretFile(const std::string& dir, std::string* secret);

// One child process, stdout and stderr appended to `log_path`. Killed (SIGKILL) on destruction.
class Process {
 public:
  static absl::StatusOr<std::unique_ptr<Process>> Start(const std::string& binary, const std::vector<std::string>& args,
                                                        const std::string& log_path);
  ~Process();
  pid_t pid() const { return pid_; }
  bool Alive();
  void Signal(int signal);
  // Waits up to `timeout` for exit; returns the exit code, or -signal, or DEADLINE_EXCEEDED.
  absl::StatusOr<int> Wait(absl::Duration timeout);

 private:
  explicit Process(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  bool reaped_ = false;
};

// A stip gRPC service binary started with --grpc_addr=127.0.0.1:0 and a port file; Start() returns once
// the port file exists (written when the server is SERVING).
class ServiceProcess {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceProcess>> Start(const std::string& binary, const std::string& data_dir,
                                                               const std::vector<std::string>& extra_args);
  const std::string& address() const { return address_; }
  const std::string& log_path() const { return log_path_; }
  Process* process() { return process_.get(); }
  // kill -9, then start again on a new port with the same data directory and flags.
  absl::Status KillAndRestart();
  // SIGTERM; returns the exit code.
  absl::StatusOr<int> Terminate();
  std::string Log() const;

 private:
  absl::Status Launch();
  std::string binary_;
  std::string data_dir_;
  std::vector<std::string> extra_args_;
  std::string log_path_;
  std::string address_;
  std::unique_ptr<Process> process_;
};

// A real redis-server on 127.0.0.1:<free port>, no persistence.
class RedisProcess {
 public:
  static absl::StatusOr<std::unique_ptr<RedisProcess>> Start(const std::string& dir);
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  void Kill();             // SIGKILL
  absl::Status Restart();  // same port

 private:
  absl::Status Launch();
  std::string dir_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace stip::testing

#endif  // STIP_TESTS_SUPPORT_PROCESS_H_
