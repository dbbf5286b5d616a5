#include "gateway/gateway_metrics.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "prometheus/text_serializer.h"

namespace stip::gateway {
namespace {

const prometheus::Histogram::BucketBoundaries& Buckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return kBuckets;
}

prometheus::Counter* Counter(prometheus::Registry& registry, const char* name, const char* help) {
  return &prometheus::BuildCounter().Name(name).Help(help).Register(registry).Add({});
}

}  // namespace

GatewayMetrics::GatewayMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  requests_ = &prometheus::BuildCounter()
                   .Name("stip_gateway_requests_total")
                   .Help("HTTP requests answered, by route and HTTP status")
                   .Register(*registry_);
  duration_ = &prometheus::BuildHistogram()
                   .Name("stip_gateway_request_duration_seconds")
                   .Help("HTTP request latency inside the gateway, by route")
                   .Register(*registry_);
  backend_calls_ = &prometheus::BuildCounter()
                        .Name("stip_gateway_backend_calls_total")
                        .Help("gRPC calls made to backends, by backend, method and gRPC code")
                        .Register(*registry_);
  hits_ = Counter(*registry_, "stip_gateway_cache_hits_total", "GET responses served from Redis");
  misses_ = Counter(*registry_, "stip_gateway_cache_misses_total", "GET responses fetched from a backend and cached");
  bypasses_ = Counter(*registry_, "stip_gateway_cache_bypasses_total",
                      "GET responses served without the cache (Redis down, slow, circuit open, or cache off)");
  errors_ = Counter(*registry_, "stip_gateway_cache_errors_total", "Redis commands that failed or timed out");
  notices_ = Counter(*registry_, "stip_gateway_change_notices_total", "change notices received on stip:changes");
  resubscriptions_ = Counter(*registry_, "stip_gateway_resubscriptions_total",
                             "(re)subscriptions to stip:changes; each one bumps every cache generation");
  redis_up_ = &prometheus::BuildGauge()
                   .Name("stip_gateway_redis_up")
                   .Help("1 when the cache is usable: Redis connected, subscribed and the circuit closed")
                   .Register(*registry_)
                   .Add({});
  cache_enabled_ = &prometheus::BuildGauge()
                        .Name("stip_gateway_cache_enabled")
                        .Help("1 when the response cache is configured on")
                        .Register(*registry_)
                        .Add({});
}

void GatewayMetrics::RecordRequest(const std::string& route, int http_status, double seconds) {
  std::string key = absl::StrCat(route, "\t", http_status);
  prometheus::Counter* counter;
  prometheus::Histogram* histogram;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = request_counters_.find(key);
    if (it == request_counters_.end()) {
      it = request_counters_.emplace(key, &requests_->Add({{"route", route}, {"code", std::to_string(http_status)}}))
               .first;
    }
    counter = it->second;
    auto hit = histograms_.find(route);
    if (hit == histograms_.end())
      hit = histograms_.emplace(route, &duration_->Add({{"route", route}}, Buckets())).first;
    histogram = hit->second;
  }
  counter->Increment();
  histogram->Observe(seconds);
}

void GatewayMetrics::RecordBackendCall(const std::string& backend, const std::string& method, int grpc_code) {
  backend_calls_->Add({{"backend", backend}, {"method", method}, {"code", std::to_string(grpc_code)}}).Increment();
}

std::string GatewayMetrics::Render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

}  // namespace stip::gateway
