// What the gateway answers itself: /healthz, /readyz (every backend SERVING, not draining), /metrics,
// /openapi.json and the dashboard's assets.
#ifndef STIP_GATEWAY_BUILTIN_ENDPOINTS_H_
#define STIP_GATEWAY_BUILTIN_ENDPOINTS_H_

#include <atomic>
#include <memory>
#include <string>

#include "boost/asio/io_context.hpp"
#include "gateway/backends.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http_call.h"

namespace stip::gateway {

class BuiltinEndpoints {
 public:
  BuiltinEndpoints(const Backends* backends, GatewayMetrics* metrics, const Responder* responder,
                   boost::asio::io_context* work, std::string openapi)
      : backends_(backends), metrics_(metrics), responder_(responder), work_(work), openapi_(std::move(openapi)) {}

  // True when the path is one of these (the call is then answered).
  bool Serve(const std::shared_ptr<HttpCall>& call);
  void SetDraining(bool draining) { draining_ = draining; }
  const std::string& openapi() const { return openapi_; }

 private:
  void ServeReady(const std::shared_ptr<HttpCall>& call);
  bool ServeAsset(const std::shared_ptr<HttpCall>& call);

  const Backends* backends_;
  GatewayMetrics* metrics_;
  const Responder* responder_;
  boost::asio::io_context* work_;
  std::string openapi_;
  std::atomic<bool> draining_{false};
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_BUILTIN_ENDPOINTS_H_
