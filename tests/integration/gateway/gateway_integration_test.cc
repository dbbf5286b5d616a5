// The real stip-gateway in front of the real stip-indicators and a real redis-server, all on loopback
// ephemeral ports, driven over HTTP the way the bureaus' apps use it (and over gRPC for direct writes).
#include "stip/indicators/v1/indicators.grpc.pb.h"

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "common/auth.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/http_client.h"
#include "tests/support/service_fixture.h"
#include "tests/support/tokens.h"

namespace stip {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace pb = ::stip::indicators::v1;
using tcp = boost::asio::ip::tcp;

constexpr char kProgress[] = "/v1/plans/dongli-2020-2022/progress?year=2021";
constexpr char kIndicator[] = "/v1/plans/dongli-2020-2022/indicators/rd-intensity";
// The documented bound for a write made directly over gRPC to show through the gateway (docs in
// gateway/README.md): normally one pub/sub hop (milliseconds); at worst the subscription heartbeat's grace (1 s)
// plus one tick (250 ms) before the gateway stops trusting a silent subscription, plus slack.
constexpr absl::Duration kInvalidationBound = absl::Milliseconds(1500);

using Response = testing::HttpResponseData;

Response Fetch(int port, http::verb method, const std::string& target, const std::string& token = "",
               const std::string& body = "", const std::map<std::string, std::string>& extra = {}) {
  return testing::HttpFetch(port, method, target, token, body, extra);
}

// One Redis command over RESP (the support library starts redis-server but offers no client); the raw reply.
std::string RedisCommand(int port, const std::vector<std::string>& args, const std::string& until = "\r\n") {
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  std::string command = absl::StrCat("*", args.size(), "\r\n");
  for (const std::string& arg : args) absl::StrAppend(&command, "$", arg.size(), "\r\n", arg, "\r\n");
  boost::asio::write(socket, boost::asio::buffer(command));
  std::string reply;
  char chunk[4096];
  while (reply.find(until) == std::string::npos) {
    size_t n = socket.read_some(boost::asio::buffer(chunk));
    reply.append(chunk, n);
  }
  return reply;
}

// redis-server's pid, from INFO (SIGSTOP needs it).
pid_t RedisPid(int port) {
  std::string reply = RedisCommand(port, {"INFO", "server"}, "process_id:");
  while (reply.find("\r\n", reply.find("process_id:")) == std::string::npos) {
    reply = RedisCommand(port, {"INFO", "server"}, "run_id:");
  }
  size_t at = reply.find("process_id:") + 11;
  return static_cast<pid_t>(std::stol(reply.substr(at, reply.find("\r\n", at) - at)));
}

class GatewayTest : public testing::ServiceFixture {
 protected:
  GatewayTest() : ServiceFixture("gateway-it") {}

  void SetUp() override {
    ServiceFixture::SetUp();
    ASSERT_NE(StartRedis(), nullptr);
    indicators_ = StartService("indicators", {"--redis_addr=" + redis_->address()});
    ASSERT_NE(indicators_, nullptr);
    StartGateway(indicators_->address());
    admin_ = Token(Role::kAdmin, "", "it-admin");
  }

  void StartGateway(const std::string& indicators_addr, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--indicators_addr=" + indicators_addr,
                                     "--cultivation_addr=", "--evaluation_addr=", "--backend_timeout_ms=5000"};
    args.insert(args.end(), extra.begin(), extra.end());
    gateway_ = ServiceFixture::StartGateway(args, &port_);
    ASSERT_NE(gateway_, nullptr);
    WaitUntilCacheUp();
  }

  // The gateway connects to Redis in the background; tests about the cache wait for it.
  void WaitUntilCacheUp() {
    absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      if (Metric("stip_gateway_redis_up") == 1) return;
      absl::SleepFor(absl::Milliseconds(20));
    }
    FAIL() << "the gateway's cache never came up:\n" << gateway_->Log();
  }

  Response Get(const std::string& target, const std::string& token) {
    return Fetch(port_, http::verb::get, target, token);
  }

  // Sum of a metric over the label sets that contain `labels` (e.g. "method=\"GetProgress\"").
  double Metric(const std::string& name, const std::string& labels = "") {
    Response metrics = Fetch(port_, http::verb::get, "/metrics");
    double total = 0;
    for (absl::string_view line : absl::StrSplit(metrics.body, '\n')) {
      if (!absl::StartsWith(line, name) || absl::StartsWith(line, "#")) continue;
      absl::string_view rest = line.substr(name.size());
      if (!rest.empty() && rest[0] != '{' && rest[0] != ' ') continue;
      if (!labels.empty() && !absl::StrContains(line, labels)) continue;
      double value = 0;
      if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) total += value;
    }
    return total;
  }

  // A draft value of rd-intensity for 2021 (the district's), reported through the gateway; returns its name.
  std::string ReportDraft(double value) {
    Response r = Fetch(port_, http::verb::post, absl::StrCat(kIndicator, "/values"), admin_,
                       absl::StrCat(R"({"year":2021,"orgUnit":"dongli","value":)", value, "}"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json().value("name", "");
  }

  // GETs `target` until it is served from the cache. Change notices of earlier writes arrive asynchronously
  // and each one moves the generation, so right after a write the first entries may be orphaned.
  void WarmUntilHit(const std::string& target) {
    absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (absl::Now() < deadline) {
      if (Get(target, admin_).Header("X-Cache") == "HIT") return;
      absl::SleepFor(absl::Milliseconds(10));
    }
    FAIL() << target << " never became a cache HIT";
  }

  std::unique_ptr<pb::IndicatorService::Stub> DirectStub() {
    return pb::IndicatorService::NewStub(
        grpc::CreateChannel(indicators_->address(), grpc::InsecureChannelCredentials()));
  }

  std::string admin_;
  testing::ServiceProcess* indicators_ = nullptr;
  testing::ServiceProcess* gateway_ = nullptr;
  int port_ = 0;
};

TEST_F(GatewayTest, ProgressAsJsonThenHit) {
  Response first = Get(kProgress, admin_);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("X-Cache"), "MISS");
  EXPECT_EQ(first.Header("Content-Type"), "application/json");
  nlohmann::json body = first.Json();
  EXPECT_EQ(body["plan"], "plans/dongli-2020-2022");
  EXPECT_EQ(body["year"], 2021);
  EXPECT_FALSE(body["indicators"].empty());
  EXPECT_TRUE(body["indicators"][0].contains("displayName"));  // lowerCamelCase out
  Response second = Get(kProgress, admin_);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.Header("X-Cache"), "HIT");
  EXPECT_EQ(second.body, first.body);
  // Another scope gets its own entry; the same query in another order and name form shares one.
  EXPECT_EQ(Get(kProgress, Token(Role::kViewer)).Header("X-Cache"), "MISS");
  EXPECT_EQ(Get("/v1/plans/dongli-2020-2022/progress?includeSubmitted=false&year=2021", admin_).Header("X-Cache"),
            "MISS");
  EXPECT_EQ(Get("/v1/plans/dongli-2020-2022/progress?year=2021&include_submitted=false", admin_).Header("X-Cache"),
            "HIT");
  EXPECT_GE(Metric("stip_gateway_cache_hits_total"), 2);
}

TEST_F(GatewayTest, EachBindingKind) {
  // GET, path variable + query scalar
  Response plan = Get("/v1/plans/dongli-2020-2022", admin_);
  ASSERT_EQ(plan.status, 200) << plan.body;
  EXPECT_EQ(plan.Json()["name"], "plans/dongli-2020-2022");
  // POST body "*" with the parent from the path
  std::string name = ReportDraft(2.5);
  ASSERT_EQ(name, "plans/dongli-2020-2022/indicators/rd-intensity/values/2021-dongli");
  // PATCH body "value" into a nested path variable (value.name), FieldMask from a comma list in the query
  Response patched = Fetch(port_, http::verb::patch, absl::StrCat("/v1/", name, "?updateMask=note"), admin_,
                           R"({"value":9.9,"note":"已核实"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.Json()["note"], "已核实");
  EXPECT_DOUBLE_EQ(patched.Json()["value"].get<double>(), 2.5);  // not in the mask
  // PATCH without a mask: the mask is the body's fields (grpc-gateway)
  patched = Fetch(port_, http::verb::patch, absl::StrCat("/v1/", name), admin_, R"({"value":2.75})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_DOUBLE_EQ(patched.Json()["value"].get<double>(), 2.75);
  EXPECT_EQ(patched.Json()["note"], "已核实");
  // custom verb, body "*"
  Response submitted = Fetch(port_, http::verb::post, absl::StrCat("/v1/", name, ":submit"), admin_, "{}");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(submitted.Json()["state"], "SUBMITTED");
  // custom verb on GET, query scalars incl. a bool
  Response aggregate = Get(absl::StrCat(kIndicator, ":aggregate?year=2021&includeSubmitted=true"), admin_);
  ASSERT_EQ(aggregate.status, 200) << aggregate.body;
  EXPECT_EQ(aggregate.Json()["indicator"], "plans/dongli-2020-2022/indicators/rd-intensity");
  // repeated enum query parameter
  Response list = Get(absl::StrCat(kIndicator, "/values?states=SUBMITTED&states=APPROVED&year=2021"), admin_);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json()["values"].size(), 1u);
  Response none = Get(absl::StrCat(kIndicator, "/values?states=DRAFT"), admin_);
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_FALSE(none.Json().contains("values"));
  // additional_bindings: key-task milestones share the value routes
  Response tasks = Get("/v1/plans/dongli-2020-2022/keyTasks?pageSize=50", admin_);
  ASSERT_EQ(tasks.status, 200) << tasks.body;
  std::string milestone;
  nlohmann::json task_list = tasks.Json();
  for (const auto& task : task_list["keyTasks"]) {
    if (task.contains("milestones") && !task["milestones"].empty()) {
      milestone = task["milestones"][0]["name"].get<std::string>();
      break;
    }
  }
  ASSERT_FALSE(milestone.empty());
  Response milestone_values = Get(absl::StrCat("/v1/", milestone, "/values"), admin_);
  EXPECT_EQ(milestone_values.status, 200) << milestone_values.body;
  // both input names are accepted
  EXPECT_EQ(Get("/v1/orgUnits?page_size=2", admin_).status, 200);
  EXPECT_EQ(Get("/v1/orgUnits?pageSize=2", admin_).Json()["orgUnits"].size(), 2u);
}

// SIGSTOP is asynchronous: on a busy machine the process can still answer a request sent right after kill().
void WaitUntilStopped(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    size_t paren = text.rfind(')');
    if (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'T') return;
    absl::SleepFor(absl::Milliseconds(5));
  }
  ADD_FAILURE() << "process " << pid << " did not stop";
}

void ExpectStatus(const Response& response, int http_status, int grpc_code) {
  EXPECT_EQ(response.status, http_status) << response.body;
  nlohmann::json body = response.Json();
  ASSERT_TRUE(body.is_object()) << response.body;
  EXPECT_EQ(body["code"], grpc_code) << response.body;
  EXPECT_TRUE(body["message"].is_string());
  EXPECT_TRUE(body["details"].is_array());
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
}

TEST_F(GatewayTest, ErrorMappingOfEveryCodeTheServiceReturns) {
  // the gateway's own
  ExpectStatus(Get("/v1/nothing", admin_), 404, 5);
  ExpectStatus(Fetch(port_, http::verb::delete_, kProgress, admin_), 405, 12);
  ExpectStatus(Get("/v1/plans/dongli-2020-2022/progress?year=abc", admin_), 400, 3);
  ExpectStatus(Get("/v1/plans/dongli-2020-2022/progress?bogus=1", admin_), 400, 3);
  ExpectStatus(Fetch(port_, http::verb::post, absl::StrCat(kIndicator, "/values"), admin_, "{\"year\":"), 400, 3);
  ExpectStatus(Fetch(port_, http::verb::post, absl::StrCat(kIndicator, "/values"), admin_, R"({"year":"x"})"), 400, 3);
  Response unauthenticated = Get(kProgress, "");
  ExpectStatus(unauthenticated, 401, 16);
  EXPECT_EQ(unauthenticated.Header("WWW-Authenticate"), "Bearer realm=\"stip\"");
  Response bad_token = Get(kProgress, "not.a.token");
  ExpectStatus(bad_token, 401, 16);
  EXPECT_TRUE(absl::StrContains(bad_token.Header("WWW-Authenticate"), "invalid_token"));
  ExpectStatus(Fetch(port_, http::verb::get, kProgress, admin_, "", {{"Grpc-Timeout", "soon"}}), 400, 3);
  // the service's, mapped as grpc-gateway and Envoy do
  Response invalid = Get("/v1/plans/dongli-2020-2022/progress?year=1999", admin_);
  ExpectStatus(invalid, 400, 3);  // INVALID_ARGUMENT, with its field violation
  EXPECT_EQ(invalid.Json()["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
  EXPECT_EQ(invalid.Json()["details"][0]["fieldViolations"][0]["field"], "year");
  ExpectStatus(Get("/v1/plans/nope", admin_), 404, 5);  // NOT_FOUND
  ExpectStatus(Fetch(port_, http::verb::post, absl::StrCat(kIndicator, "/values"), Token(Role::kViewer),
                     R"({"year":2021,"orgUnit":"dongli","value":1})"),
               403, 7);  // PERMISSION_DENIED
  std::string name = ReportDraft(1.5);
  ExpectStatus(Fetch(port_, http::verb::patch, absl::StrCat("/v1/", name, "?updateMask=value"), admin_,
                     R"({"value":2,"etag":"999"})"),
               409, 10);  // ABORTED (etag mismatch)
  ASSERT_EQ(Fetch(port_, http::verb::post, absl::StrCat("/v1/", name, ":submit"), admin_, "{}").status, 200);
  ASSERT_EQ(Fetch(port_, http::verb::post, absl::StrCat("/v1/", name, ":approve"), admin_, "{}").status, 200);
  ExpectStatus(Fetch(port_, http::verb::post, absl::StrCat("/v1/", name, ":submit"), admin_, "{}"), 400,
               9);  // FAILED_PRECONDITION → 400, not 412
  // DEADLINE_EXCEEDED: a backend that does not answer within the request's Grpc-Timeout
  indicators_->process()->Signal(SIGSTOP);
  WaitUntilStopped(indicators_->process()->pid());
  absl::Time start = absl::Now();
  ExpectStatus(Fetch(port_, http::verb::get, "/v1/plans/dongli-2020-2022/progress?year=2022", admin_, "",
                     {{"Grpc-Timeout", "200m"}}),
               504, 4);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  indicators_->process()->Signal(SIGCONT);
  ExpectStatus(Fetch(port_, http::verb::get, "/v1/plans/dongli-2020-2022/progress?year=2022", admin_, "",
                     {{"Grpc-Timeout", "0n"}}),
               504, 4);
  // UNAVAILABLE: the backend is gone
  indicators_->process()->Signal(SIGKILL);
  ASSERT_TRUE(indicators_->process()->Wait(absl::Seconds(5)).ok());
  ExpectStatus(Get("/v1/plans/dongli-2020-2022/progress?year=2020", admin_), 503, 14);
  EXPECT_EQ(Fetch(port_, http::verb::get, "/readyz").status, 503);
  EXPECT_EQ(Fetch(port_, http::verb::get, "/healthz").status, 200);
}

TEST_F(GatewayTest, NotDeployedServiceAnswers503AndReadinessIgnoresIt) {
  gateway_process_.reset();
  StartGateway("");
  ExpectStatus(Get(kProgress, admin_), 503, 14);
  EXPECT_EQ(Fetch(port_, http::verb::get, "/readyz").status, 200);
}

TEST_F(GatewayTest, HealthReadinessMetricsDashboardAndRequestIds) {
  EXPECT_EQ(Fetch(port_, http::verb::get, "/healthz").status, 200);
  Response ready = Fetch(port_, http::verb::get, "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.Json()["services"]["stip.indicators.v1.IndicatorService"], "SERVING");
  Response page = Fetch(port_, http::verb::get, "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(absl::StartsWith(page.Header("Content-Type"), "text/html"));
  EXPECT_TRUE(absl::StrContains(page.body, "东丽"));
  EXPECT_EQ(Fetch(port_, http::verb::get, "/openapi.json").Json()["openapi"], "3.0.3");
  Response given = Fetch(port_, http::verb::get, kProgress, admin_, "", {{"X-Request-Id", "req-42"}});
  EXPECT_EQ(given.Header("X-Request-Id"), "req-42");
  EXPECT_EQ(Get(kProgress, admin_).Header("X-Request-Id").size(), 32u);
  Response metrics = Fetch(port_, http::verb::get, "/metrics");
  for (const char* name :
       {"stip_gateway_requests_total", "stip_gateway_request_duration_seconds_bucket", "stip_gateway_cache_hits_total",
        "stip_gateway_cache_misses_total", "stip_gateway_cache_bypasses_total", "stip_gateway_cache_errors_total",
        "stip_gateway_redis_up"}) {
    EXPECT_TRUE(absl::StrContains(metrics.body, name)) << name;
  }
  EXPECT_TRUE(absl::StrContains(metrics.body, "route=\"GET /v1/{plan=plans/*}/progress\""));
}

TEST_F(GatewayTest, KeepAliveLimitsAndSlowClients) {
  gateway_process_.reset();
  StartGateway(indicators_->address(), {"--http_read_timeout_ms=300", "--http_max_body_bytes=1000"});
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)));
  beast::flat_buffer buffer;
  for (int i = 0; i < 3; ++i) {  // several requests on one keep-alive connection
    http::request<http::string_body> request{http::verb::get, kProgress, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set(http::field::authorization, "Bearer " + admin_);
    http::write(socket, request);
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_TRUE(response.keep_alive());
  }
  // A client that stops sending in the middle of a request is cut off after the read timeout.
  std::string partial = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  boost::asio::write(socket, boost::asio::buffer(partial));
  absl::Time start = absl::Now();
  char byte;
  beast::error_code error;
  socket.read_some(boost::asio::buffer(&byte, 1), error);
  EXPECT_TRUE(error == boost::asio::error::eof || error == boost::asio::error::connection_reset) << error.message();
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  // Limits: the body and the header block.
  Response big_body = Fetch(port_, http::verb::post, absl::StrCat(kIndicator, "/values"), admin_,
                            absl::StrCat(R"({"note":")", std::string(2000, 'x'), R"("})"));
  EXPECT_EQ(big_body.status, 413);
  Response big_header = Fetch(port_, http::verb::get, kProgress, admin_, "", {{"X-Padding", std::string(20000, 'y')}});
  EXPECT_EQ(big_header.status, 431);
  EXPECT_EQ(Get(kProgress, admin_).status, 200);
}

// Without --cors_origins there is no CORS at all: a browser's preflight is not answered, no response names an
// origin (the browser's same-origin policy then keeps other sites out).
TEST_F(GatewayTest, NoCorsWhenNoOriginIsConfigured) {
  Response preflight = Fetch(port_, http::verb::options, kProgress, "", "",
                             {{"Origin", "https://kjj.example.gov.cn"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_NE(preflight.status, 204);
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Origin"), "");
  Response get = Fetch(port_, http::verb::get, kProgress, admin_, "", {{"Origin", "https://kjj.example.gov.cn"}});
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.Header("Access-Control-Allow-Origin"), "");
  EXPECT_EQ(get.Header("Access-Control-Expose-Headers"), "");
}

TEST_F(GatewayTest, WriteThroughTheGatewayIsReadBack) {
  std::string name = ReportDraft(1.25);
  std::string target = absl::StrCat("/v1/", name);
  WarmUntilHit(target);
  Response cached = Get(target, admin_);
  ASSERT_EQ(cached.Header("X-Cache"), "HIT");
  EXPECT_DOUBLE_EQ(cached.Json()["value"].get<double>(), 1.25);
  ASSERT_EQ(Fetch(port_, http::verb::patch, target, admin_, R"({"value":4.5})").status, 200);
  Response after = Get(target, admin_);  // immediately: no waiting for any notice
  EXPECT_EQ(after.Header("X-Cache"), "MISS");
  EXPECT_DOUBLE_EQ(after.Json()["value"].get<double>(), 4.5);
}

// Another replica's notice ("collection@its-id") moves the generation here; our own echo is ignored (the write
// already bumped it locally), which the write-read-back test above relies on no longer orphaning entries.
TEST_F(GatewayTest, AnotherReplicasChangeNoticeInvalidates) {
  WarmUntilHit(kProgress);
  RedisCommand(redis_->port(), {"PUBLISH", "stip:changes", "indicators@another-replica"});
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  std::string last = "HIT";
  while (absl::Now() < deadline && last == "HIT") {
    last = Get(kProgress, admin_).Header("X-Cache");
    if (last == "HIT") absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(last, "MISS");
  EXPECT_GE(Metric("stip_gateway_change_notices_total"), 1);
}

TEST_F(GatewayTest, DirectGrpcWriteShowsThroughTheGatewayWithinTheBound) {
  std::string name = ReportDraft(1.0);
  std::string target = absl::StrCat("/v1/", name);
  WarmUntilHit(target);
  auto stub = DirectStub();
  pb::UpdateValueRequest request;
  request.mutable_value()->set_name(name);
  request.mutable_value()->set_value(7.0);
  request.mutable_update_mask()->add_paths("value");
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + admin_);
  pb::ReportedValue response;
  ASSERT_TRUE(stub->UpdateValue(&context, request, &response).ok());
  absl::Time committed = absl::Now();
  double seen = 0;
  while (absl::Now() - committed < absl::Seconds(5)) {
    seen = Get(target, admin_).Json().value("value", 0.0);
    if (seen == 7.0) break;
    absl::SleepFor(absl::Milliseconds(5));
  }
  absl::Duration took = absl::Now() - committed;
  EXPECT_EQ(seen, 7.0);
  EXPECT_LE(took, kInvalidationBound) << "took " << took;
  std::printf("direct gRPC write visible through the gateway after %s\n", absl::FormatDuration(took).c_str());
  std::fflush(stdout);
  EXPECT_GE(Metric("stip_gateway_change_notices_total"), 1);
}

TEST_F(GatewayTest, ConcurrentMissesMakeOneBackendCall) {
  const std::string target = "/v1/plans/dongli-2020-2022/progress?year=2022";
  double before = Metric("stip_gateway_backend_calls_total", "method=\"GetProgress\"");
  constexpr int kClients = 24;
  std::vector<std::thread> threads;
  std::vector<Response> responses(kClients);
  std::atomic<int> ready{0};
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < kClients) std::this_thread::yield();
      responses[i] = Get(target, admin_);
    });
  }
  for (auto& thread : threads) thread.join();
  for (const Response& response : responses) {
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.body, responses[0].body);
    EXPECT_NE(response.Header("X-Cache"), "BYPASS");
  }
  EXPECT_EQ(Metric("stip_gateway_backend_calls_total", "method=\"GetProgress\"") - before, 1);
}

TEST_F(GatewayTest, RedisKilledThenRestarted) {
  ASSERT_EQ(Get(kProgress, admin_).status, 200);
  ASSERT_EQ(Get(kProgress, admin_).Header("X-Cache"), "HIT");
  redis_->Kill();
  absl::Time killed = absl::Now();
  for (int i = 0; i < 20; ++i) {
    absl::Time start = absl::Now();
    Response response = Get(kProgress, admin_);
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));
    if (absl::Now() - killed > absl::Milliseconds(100)) {
      EXPECT_EQ(response.Header("X-Cache"), "BYPASS");
    }
  }
  EXPECT_EQ(Fetch(port_, http::verb::get, "/readyz").status, 200);  // readiness does not depend on Redis
  std::string name = ReportDraft(3.0);                              // writes still work
  EXPECT_FALSE(name.empty());
  EXPECT_EQ(Metric("stip_gateway_redis_up"), 0);
  EXPECT_GE(Metric("stip_gateway_cache_bypasses_total"), 19);
  ASSERT_TRUE(redis_->Restart().ok());
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  std::string last;
  while (absl::Now() < deadline && last != "HIT") {
    Response response = Get(kProgress, admin_);
    EXPECT_EQ(response.status, 200);
    last = response.Header("X-Cache");
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(last, "HIT");
  EXPECT_EQ(Metric("stip_gateway_redis_up"), 1);
}

TEST_F(GatewayTest, LosingTheSubscriptionBumpsEveryGeneration) {
  // Notices sent while the gateway is not subscribed are lost, so on resubscribing it must drop every entry:
  // here the entry is still in Redis, nothing was written, and yet the next read is a MISS.
  WarmUntilHit(kProgress);
  double bumps_before = Metric("stip_gateway_resubscriptions_total");
  RedisCommand(redis_->port(), {"CLIENT", "KILL", "TYPE", "pubsub"});
  absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline && Metric("stip_gateway_resubscriptions_total") == bumps_before) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_GT(Metric("stip_gateway_resubscriptions_total"), bumps_before);
  Response after = Get(kProgress, admin_);
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.Header("X-Cache"), "MISS");
  WarmUntilHit(kProgress);
}

TEST_F(GatewayTest, RedisSlowNeverSlowsRequestsBeyondTheTimeouts) {
  StartGateway(indicators_->address(), {"--redis_timeout_ms=25"});  // the production budget under test
  WarmUntilHit(kProgress);
  // SIGSTOP: Redis accepts connections but never answers (the "slow" case).
  pid_t redis_pid = RedisPid(redis_->port());
  ASSERT_EQ(kill(redis_pid, SIGSTOP), 0);
  WaitUntilStopped(redis_pid);
  for (int i = 0; i < 20; ++i) {
    absl::Time start = absl::Now();
    Response response = Get(kProgress, admin_);
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_LT(absl::Now() - start, absl::Milliseconds(300));
  }
  EXPECT_EQ(Get(kProgress, admin_).Header("X-Cache"), "BYPASS");
  EXPECT_GE(Metric("stip_gateway_cache_errors_total"), 1);
  EXPECT_EQ(Metric("stip_gateway_redis_up"), 0);
  ASSERT_EQ(kill(redis_pid, SIGCONT), 0);
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  std::string last;
  while (absl::Now() < deadline && last != "HIT") {
    last = Get(kProgress, admin_).Header("X-Cache");
    absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_EQ(last, "HIT");
}

}  // namespace
}  // namespace stip
