#include "common/flags.h"

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/config.h"
#include "common/server.h"
#include "common/telemetry.h"

ABSL_FLAG(std::string, grpc_addr, stip::EnvOr("STIP_GRPC_ADDR", ""),
          "host:port for gRPC (port 0 picks a free port); default 0.0.0.0:<service port>");
ABSL_FLAG(std::string, admin_addr, stip::EnvOr("STIP_ADMIN_ADDR", ""),
          "host:port for Prometheus /metrics; default 0.0.0.0:<service admin port>; 'off' disables it");
ABSL_FLAG(std::string, data_dir, stip::EnvOr("STIP_DATA_DIR", "./var"), "directory for the service's database");
ABSL_FLAG(std::string, seed_dir, stip::DefaultSeedDir(), "directory of data files (plans, rule editions)");
ABSL_FLAG(std::string, port_file, stip::EnvOr("STIP_PORT_FILE", ""), "write the chosen gRPC port here");
ABSL_FLAG(std::string, redis_addr, stip::EnvOr("STIP_REDIS_ADDR", ""),
          "host:port of Redis for change notices; empty = none");
ABSL_FLAG(bool, auth_disabled, stip::EnvBool("STIP_AUTH_DISABLED", false),
          "DEVELOPMENT ONLY: accept every call as an admin without a token");
ABSL_FLAG(std::string, auth_hs256_secret_file, stip::EnvOr("STIP_AUTH_HS256_SECRET_FILE", ""),
          "file holding the HS256 token secret (or set STIP_AUTH_HS256_SECRET)");
ABSL_FLAG(std::string, auth_rs256_public_key_file, stip::EnvOr("STIP_AUTH_RS256_PUBLIC_KEY_FILE", ""),
          "PEM public key for RS256 tokens");

namespace stip {

void ParseServiceFlags(int argc, char** argv, const char* usage) {
  absl::SetProgramUsageMessage(usage);
  absl::ParseCommandLine(argc, argv);
}

ServerOptions ServerOptionsFromFlags(const std::string& service_name, int default_grpc_port, int default_admin_port) {
  ServerOptions options;
  options.service_name = service_name;
  options.grpc_address = absl::GetFlag(FLAGS_grpc_addr);
  if (options.grpc_address.empty()) options.grpc_address = absl::StrCat("0.0.0.0:", default_grpc_port);
  options.admin_address = absl::GetFlag(FLAGS_admin_addr);
  if (options.admin_address.empty()) options.admin_address = absl::StrCat("0.0.0.0:", default_admin_port);
  if (options.admin_address == "off") options.admin_address.clear();
  options.port_file = absl::GetFlag(FLAGS_port_file);
  return options;
}

absl::StatusOr<AuthConfig> AuthConfigFromFlags() {
  absl::StatusOr<AuthConfig> config =
      LoadAuthConfig(absl::GetFlag(FLAGS_auth_disabled), absl::GetFlag(FLAGS_auth_hs256_secret_file),
                     absl::GetFlag(FLAGS_auth_rs256_public_key_file));
  if (config.ok() && config->disabled) {
    LogJson("warning", "AUTHENTICATION IS DISABLED: every call runs as admin. Never use this outside development.");
  }
  return config;
}

}  // namespace stip
