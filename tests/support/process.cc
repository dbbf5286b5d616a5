#include "tests/support/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace stip::testing {

std::string MakeTempDir(absl::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(base ? base : "/tmp", "/", prefix, "-XXXXXX");
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  char* made = mkdtemp(buffer.data());
  return made ? std::string(made) : std::string();
}

std::string BuildPath(absl::string_view relative) {
  // The TSan job builds only the gateway with TSan and runs the services of the regular build.
  const char* services = std::getenv("STIP_SERVICE_BUILD_DIR");
  if (services != nullptr && *services != '\0' && absl::StartsWith(relative, "services/")) {
    return absl::StrCat(services, "/", relative);
  }
  return absl::StrCat(STIP_BUILD_DIR, "/", relative);
}

std::string SeedDir() {
  return STIP_SOURCE_DATA_DIR;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  int port = ntohs(address.sin_port);
  close(fd);
  return port;
}

std::string WriteSecretFile(const std::string& dir, std::string* secret) {
  std::random_device random;
  std::string bytes(48, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  std::string encoded = absl::Base64Escape(bytes);
  std::string path = dir + "/hs256.key";
  std::ofstream(path) << encoded;
  if (secret != nullptr) *secret = encoded;
  return path;
}

absl::StatusOr<std::unique_ptr<Process>> Process::Start(const std::string& binary, const std::vector<std::string>& args,
                                                        const std::string& log_path) {
  if (access(binary.c_str(), X_OK) != 0) return absl::NotFoundError(absl::StrCat(binary, " is not built"));
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    // The test runner may block signals; the child must start with a clean mask.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return std::unique_ptr<Process>(new Process(pid));
}

Process::~Process() {
  if (!reaped_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool Process::Alive() {
  if (reaped_) return false;
  int status = 0;
  pid_t done = waitpid(pid_, &status, WNOHANG);
  if (done == pid_) {
    reaped_ = true;
    return false;
  }
  return true;
}

void Process::Signal(int signal) {
  if (!reaped_) kill(pid_, signal);
}

absl::StatusOr<int> Process::Wait(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return -WTERMSIG(status);
      return -1;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError("process did not exit in time");
}

absl::StatusOr<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(const std::string& binary,
                                                                      const std::string& data_dir,
                                                                      const std::vector<std::string>& extra_args) {
  auto service = std::unique_ptr<ServiceProcess>(new ServiceProcess);
  service->binary_ = binary;
  service->data_dir_ = data_dir;
  service->extra_args_ = extra_args;
  service->log_path_ = data_dir + "/" + std::filesystem::path(binary).filename().string() + ".log";
  if (absl::Status status = service->Launch(); !status.ok()) return status;
  return service;
}

absl::Status ServiceProcess::Launch() {
  std::string port_file = data_dir_ + "/port";
  std::filesystem::remove(port_file);
  std::vector<std::string> args = {"--grpc_addr=127.0.0.1:0", "--admin_addr=off", "--port_file=" + port_file,
                                   "--data_dir=" + data_dir_, "--seed_dir=" + SeedDir()};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  absl::StatusOr<std::unique_ptr<Process>> process = Process::Start(binary_, args, log_path_);
  if (!process.ok()) return process.status();
  process_ = std::move(*process);
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    std::ifstream in(port_file);
    int port = 0;
    if (in >> port && port > 0) {
      address_ = absl::StrCat("127.0.0.1:", port);
      return absl::OkStatus();
    }
    if (!process_->Alive()) return absl::InternalError(absl::StrCat(binary_, " exited at start:\n", Log()));
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat(binary_, " did not start serving:\n", Log()));
}

absl::Status ServiceProcess::KillAndRestart() {
  process_->Signal(SIGKILL);
  if (absl::StatusOr<int> code = process_->Wait(absl::Seconds(10)); !code.ok()) return code.status();
  return Launch();
}

absl::StatusOr<int> ServiceProcess::Terminate() {
  process_->Signal(SIGTERM);
  return process_->Wait(absl::Seconds(20));
}

std::string ServiceProcess::Log() const {
  std::ifstream in(log_path_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<std::unique_ptr<RedisProcess>> RedisProcess::Start(const std::string& dir) {
  auto redis = std::unique_ptr<RedisProcess>(new RedisProcess);
  redis->dir_ = dir;
  redis->port_ = FreePort();
  if (absl::Status status = redis->Launch(); !status.ok()) return status;
  return redis;
}

absl::Status RedisProcess::Launch() {
  const char* candidates[] = {"/usr/bin/redis-server", "/usr/local/bin/redis-server"};
  std::string binary;
  for (const char* candidate : candidates) {
    if (access(candidate, X_OK) == 0) binary = candidate;
  }
  if (binary.empty()) return absl::NotFoundError("redis-server is not installed (scripts/stip deps installs it)");
  std::vector<std::string> args = {"--bind", "127.0.0.1", "--port", std::to_string(port_), "--save", "", "--appendonly",
                                   "no",     "--dir",     dir_};
  absl::StatusOr<std::unique_ptr<Process>> process = Process::Start(binary, args, dir_ + "/redis.log");
  if (!process.ok()) return process.status();
  process_ = std::move(*process);
  // Ready when the port accepts connections.
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port_));
    bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    close(fd);
    if (connected) return absl::OkStatus();
    if (!process_->Alive()) return absl::InternalError("redis-server exited at start");
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError("redis-server did not start");
}

void RedisProcess::Kill() {
  if (process_) {
    process_->Signal(SIGKILL);
    process_->Wait(absl::Seconds(5)).IgnoreError();
  }
}

absl::Status RedisProcess::Restart() {
  Kill();
  return Launch();
}

}  // namespace stip::testing
