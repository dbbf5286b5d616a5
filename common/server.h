// Builds and runs a stip gRPC server: health (liveness "" and readiness on the service name), reflection,
// metrics on the admin port, and SIGTERM → NOT_SERVING → drain in-flight calls → exit 0.
#ifndef STIP_COMMON_SERVER_H_
#define STIP_COMMON_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"

namespace grpc {
class Service;
}

namespace stip {

class Metrics;

struct ServerOptions {
  std::string service_name;   // full proto name, for readiness: stip.indicators.v1.IndicatorService
  std::string grpc_address;   // host:port; port 0 picks a free one
  std::string admin_address;  // host:port for /metrics; empty = no admin port
  std::string port_file;      // when set, the chosen gRPC port is written here once serving (tests)
  bool reflection = true;
  absl::Duration drain_timeout = absl::Seconds(10);
};

// Starts the server for `services`, blocks until SIGTERM or SIGINT, drains and returns.
absl::Status RunServer(const ServerOptions& options, const std::vector<grpc::Service*>& services, Metrics* metrics);

// The whole of a service's main(): blocks the termination signals (before any thread starts), parses the
// flags, runs `run` (which builds the service and calls RunServer) and turns an error into a fatal log line
// and exit code 1.
int ServiceMain(int argc, char** argv, const char* usage, absl::FunctionRef<absl::Status()> run);

// Blocks SIGTERM/SIGINT in this thread and the threads it starts; call first thing in main().
void BlockTerminationSignals();

}  // namespace stip

#endif  // STIP_COMMON_SERVER_H_
