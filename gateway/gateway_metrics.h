// The gateway's Prometheus metrics, rendered in the text format at /metrics on the HTTP port.
#ifndef STIP_GATEWAY_GATEWAY_METRICS_H_
#define STIP_GATEWAY_GATEWAY_METRICS_H_

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/strings/string_view.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace stip::gateway {

class GatewayMetrics {
 public:
  GatewayMetrics();

  // stip_gateway_requests_total{route,code} and stip_gateway_request_duration_seconds{route}.
  void RecordRequest(const std::string& route, int http_status, double seconds);
  // stip_gateway_backend_calls_total{backend,method,code}: every gRPC call made to a backend.
  void RecordBackendCall(const std::string& backend, const std::string& method, int grpc_code);
  void CacheHit() { hits_->Increment(); }
  void CacheMiss() { misses_->Increment(); }
  void CacheBypass() { bypasses_->Increment(); }
  void CacheError() { errors_->Increment(); }
  void CacheNotice() { notices_->Increment(); }
  void Resubscribed() { resubscriptions_->Increment(); }
  void SetRedisUp(bool up) { redis_up_->Set(up ? 1 : 0); }
  void SetCacheEnabled(bool enabled) { cache_enabled_->Set(enabled ? 1 : 0); }

  std::string Render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* duration_;
  prometheus::Family<prometheus::Counter>* backend_calls_;
  prometheus::Counter* hits_;
  prometheus::Counter* misses_;
  prometheus::Counter* bypasses_;
  prometheus::Counter* errors_;
  prometheus::Counter* notices_;
  prometheus::Counter* resubscriptions_;
  prometheus::Gauge* redis_up_;
  prometheus::Gauge* cache_enabled_;
  std::mutex mutex_;
  std::unordered_map<std::string, prometheus::Counter*> request_counters_;
  std::unordered_map<std::string, prometheus::Histogram*> histograms_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_GATEWAY_METRICS_H_
