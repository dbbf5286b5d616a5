// Request logs (JSON lines on stdout) and Prometheus metrics served on the admin port.
#ifndef STIP_COMMON_TELEMETRY_H_
#define STIP_COMMON_TELEMETRY_H_

#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace prometheus {
class Registry;
class Exposer;
}  // namespace prometheus

namespace stip {

// One JSON object per line on stdout: {"ts":..., "level":..., "msg":..., <fields>}.
// `fields_json` is the inner part of an object ("\"a\":1,\"b\":\"x\""), already escaped, or empty.
void LogJson(absl::string_view level, absl::string_view message, absl::string_view fields_json = "");
// A JSON string literal (quoted, escaped) for building fields_json.
std::string JsonQuote(absl::string_view text);

// RPC metrics of one process: stip_rpc_requests_total{method,code} and stip_rpc_duration_seconds{method}.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  // Serves /metrics on `address` (host:port); port 0 picks one.
  absl::Status Serve(const std::string& address);
  int port() const;
  void RecordRpc(absl::string_view method, int code, double seconds);
  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

 private:
  struct Families;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Families> families_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace stip

#endif  // STIP_COMMON_TELEMETRY_H_
