#include "common/telemetry.h"

#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace stip {

std::string JsonQuote(absl::string_view text) {
  return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void LogJson(absl::string_view level, absl::string_view message, absl::string_view fields_json) {
  static std::mutex mutex;
  std::string line =
      absl::StrCat("{\"ts\":", JsonQuote(absl::FormatTime(absl::RFC3339_full, absl::Now(), absl::UTCTimeZone())),
                   ",\"level\":", JsonQuote(level), ",\"msg\":", JsonQuote(message));
  if (!fields_json.empty()) absl::StrAppend(&line, ",", fields_json);
  line += "}\n";
  std::lock_guard<std::mutex> lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

struct Metrics::Families {
  prometheus::Family<prometheus::Counter>* requests;
  prometheus::Family<prometheus::Histogram>* duration;
};

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()), families_(new Families) {
  families_->requests = &prometheus::BuildCounter()
                             .Name("stip_rpc_requests_total")
                             .Help("RPCs handled, by method and gRPC status code")
                             .Register(*registry_);
  families_->duration =
      &prometheus::BuildHistogram().Name("stip_rpc_duration_seconds").Help("RPC handling latency").Register(*registry_);
}

Metrics::~Metrics() = default;

absl::Status Metrics::Serve(const std::string& address) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(address);
  } catch (const std::exception& error) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address, ": ", error.what()));
  }
  exposer_->RegisterCollectable(registry_);
  return absl::OkStatus();
}

int Metrics::port() const {
  if (!exposer_) return 0;
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

void Metrics::RecordRpc(absl::string_view method, int code, double seconds) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                   0.05,   0.1,   0.25,   0.5,   1,    2.5};
  std::string method_name(method);
  families_->requests->Add({{"method", method_name}, {"code", std::to_string(code)}}).Increment();
  families_->duration->Add({{"method", method_name}}, kBuckets).Observe(seconds);
}

}  // namespace stip
