#include "common/server.h"

#include <csignal>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/flags.h"
#include "common/telemetry.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"

namespace stip {

void BlockTerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int ServiceMain(int argc, char** argv, const char* usage, absl::FunctionRef<absl::Status()> run) {
  BlockTerminationSignals();
  ParseServiceFlags(argc, argv, usage);
  absl::Status status = run();
  if (!status.ok()) {
    LogJson("fatal", "cannot start",
            absl::StrCat("\"program\":", JsonQuote(argv[0]), ",\"error\":", JsonQuote(status.ToString())));
    return 1;
  }
  return 0;
}

absl::Status RunServer(const ServerOptions& options, const std::vector<grpc::Service*>& services, Metrics* metrics) {
  grpc::EnableDefaultHealthCheckService(true);
  if (options.reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.grpc_address, grpc::InsecureServerCredentials(), &port);
  // Rebalance long-lived HTTP/2 connections behind a ClusterIP; accept the gateway's keepalive pings.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 30 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.grpc_address));
  }
  if (metrics != nullptr && !options.admin_address.empty()) {
    if (absl::Status status = metrics->Serve(options.admin_address); !status.ok()) return status;
  }
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  health->SetServingStatus("", true);
  health->SetServingStatus(options.service_name, true);
  if (!options.port_file.empty()) {
    std::string temp = options.port_file + ".tmp";
    std::ofstream(temp) << port << "\n";
    std::rename(temp.c_str(), options.port_file.c_str());  // atomic: readers never see a partial file
  }
  LogJson("info", "serving",
          absl::StrCat("\"service\":", JsonQuote(options.service_name), ",\"grpc_port\":", port,
                       ",\"admin_port\":", metrics != nullptr ? metrics->port() : 0));

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int signal_number = 0;
  sigwait(&signals, &signal_number);

  LogJson("info", "draining", absl::StrCat("\"signal\":", signal_number));
  // NOT_SERVING first, so load balancers stop sending before in-flight calls are drained.
  health->SetServingStatus(options.service_name, false);
  health->SetServingStatus("", false);
  server->Shutdown(std::chrono::system_clock::now() +
                   std::chrono::milliseconds(absl::ToInt64Milliseconds(options.drain_timeout)));
  server->Wait();
  LogJson("info", "stopped", "");
  return absl::OkStatus();
}

}  // namespace stip
