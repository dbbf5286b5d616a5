// The one fixture of the integration tests: a temporary directory, a token secret, the real service binaries
// started on ephemeral loopback ports (and redis-server when asked), tokens and call contexts.
#ifndef STIP_TESTS_SUPPORT_SERVICE_FIXTURE_H_
#define STIP_TESTS_SUPPORT_SERVICE_FIXTURE_H_

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/tokens.h"

namespace stip::testing {

class ServiceFixture : public ::testing::Test {
 protected:
  // `prefix` names the temporary directory (e.g. "cultivation-it").
  explicit ServiceFixture(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    dir_ = MakeTempDir(prefix_);
    secret_file_ = WriteSecretFile(dir_, &secret_);
  }

  // Starts services/<name>/stip-<name> with its own data directory under the fixture's, the fixture's token
  // secret and `extra` flags. The process stays up for the test (or until restarted through it).
  ServiceProcess* StartService(const std::string& name, std::vector<std::string> extra = {}) {
    std::string data = absl::StrCat(dir_, "/", name);
    std::filesystem::create_directories(data);
    extra.insert(extra.begin(), "--auth_hs256_secret_file=" + secret_file_);
    auto started = ServiceProcess::Start(BuildPath(absl::StrCat("services/", name, "/stip-", name)), data, extra);
    EXPECT_TRUE(started.ok()) << started.status();
    if (!started.ok()) return nullptr;
    ServiceProcess* raw = started->get();
    services_[name] = std::move(*started);
    return raw;
  }

  // Starts gateway/stip-gateway on 127.0.0.1:0 with the fixture's secret, the Redis started by StartRedis (if
  // any) and `args` (backend addresses and the rest); `port` gets its HTTP port.
  ServiceProcess* StartGateway(std::vector<std::string> args, int* port) {
    std::string data = dir_ + "/gateway";
    std::filesystem::create_directories(data);
    // A Redis command's 25 ms budget is a production latency bound; on a loaded CI machine a GET can miss it,
    // turning an expected HIT into BYPASS. Tests about the cache's meaning get a generous budget; a test about
    // the budget itself passes its own --redis_timeout_ms (a later flag wins).
    args.insert(args.begin(),
                {"--http_addr=127.0.0.1:0", "--auth_hs256_secret_file=" + secret_file_, "--redis_timeout_ms=2000"});
    if (redis_ != nullptr) args.push_back("--redis_addr=" + redis_->address());
    auto started = ServiceProcess::Start(BuildPath("gateway/stip-gateway"), data, args);
    EXPECT_TRUE(started.ok()) << started.status();
    if (!started.ok()) return nullptr;
    gateway_process_ = std::move(*started);
    const std::string& address = gateway_process_->address();
    *port = std::stoi(address.substr(address.rfind(':') + 1));
    return gateway_process_.get();
  }

  // The whole suite on loopback ports: redis-server, cultivation, evaluation, indicators (reading the other two)
  // and the gateway in front of all three with `gateway_flags`. The processes are services_["cultivation"] …
  // and gateway_process_; `port` gets the gateway's HTTP port. Returns false (after failing the test) when one
  // does not start.
  bool StartSuite(std::vector<std::string> gateway_flags, int* port) {
    if (StartRedis() == nullptr) return false;
    std::vector<std::string> redis = {"--redis_addr=" + redis_->address()};
    ServiceProcess* cultivation = StartService("cultivation", redis);
    ServiceProcess* evaluation = StartService("evaluation", redis);
    if (cultivation == nullptr || evaluation == nullptr) return false;
    ServiceProcess* indicators =
        StartService("indicators", {"--redis_addr=" + redis_->address(), "--cultivation_addr=" + cultivation->address(),
                                    "--evaluation_addr=" + evaluation->address()});
    if (indicators == nullptr) return false;
    gateway_flags.insert(gateway_flags.begin(),
                         {"--indicators_addr=" + indicators->address(), "--cultivation_addr=" + cultivation->address(),
                          "--evaluation_addr=" + evaluation->address()});
    return StartGateway(gateway_flags, port) != nullptr;
  }

  RedisProcess* StartRedis() {
    auto started = RedisProcess::Start(dir_);
    EXPECT_TRUE(started.ok()) << started.status();
    if (!started.ok()) return nullptr;
    redis_ = std::move(*started);
    return redis_.get();
  }

  // A stub of `Service` on `address`, over an insecure loopback channel.
  template <typename Service>
  static std::unique_ptr<typename Service::Stub> Stub(const std::string& address) {
    return Service::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  }

  std::string Token(Role role, const std::string& org_unit = "", const std::string& subject = "") const {
    return TestToken(secret_, role, org_unit, subject);
  }

  // A context carrying `token` ("" = none) with a deadline.
  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token,
                                                      std::chrono::seconds deadline = std::chrono::seconds(30)) {
    auto context = std::make_unique<grpc::ClientContext>();
    if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
    context->set_deadline(std::chrono::system_clock::now() + deadline);
    return context;
  }
  std::unique_ptr<grpc::ClientContext> As(Role role, const std::string& org_unit = "") const {
    return Context(Token(role, org_unit));
  }

  const std::string& dir() const { return dir_; }
  const std::string& secret() const { return secret_; }
  const std::string& secret_file() const { return secret_file_; }

  std::string dir_, secret_, secret_file_;
  std::map<std::string, std::unique_ptr<ServiceProcess>> services_;
  std::unique_ptr<RedisProcess> redis_;
  std::unique_ptr<ServiceProcess> gateway_process_;

 private:
  std::string prefix_;
};

}  // namespace stip::testing

#endif  // STIP_TESTS_SUPPORT_SERVICE_FIXTURE_H_
