// The flags every stip service process takes; each falls back to a STIP_* environment variable.
#ifndef STIP_COMMON_FLAGS_H_
#define STIP_COMMON_FLAGS_H_

#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"

ABSL_DECLARE_FLAG(std::string, grpc_addr);                   // STIP_GRPC_ADDR
ABSL_DECLARE_FLAG(std::string, admin_addr);                  // STIP_ADMIN_ADDR
ABSL_DECLARE_FLAG(std::string, data_dir);                    // STIP_DATA_DIR
ABSL_DECLARE_FLAG(std::string, seed_dir);                    // STIP_SEED_DIR
ABSL_DECLARE_FLAG(std::string, port_file);                   // STIP_PORT_FILE
ABSL_DECLARE_FLAG(std::string, redis_addr);                  // STIP_REDIS_ADDR
ABSL_DECLARE_FLAG(bool, auth_disabled);                      // STIP_AUTH_DISABLED
ABSL_DECLARE_FLAG(std::string, auth_hs256_secret_file);      // STIP_AUTH_HS256_SECRET_FILE
ABSL_DECLARE_FLAG(std::string, auth_rs256_public_key_file);  // STIP_AUTH_RS256_PUBLIC_KEY_FILE

namespace stip {

struct AuthConfig;
struct ServerOptions;

// Parses argv (flags first, then environment fallbacks are already in the defaults).
void ParseServiceFlags(int argc, char** argv, const char* usage);
// ServerOptions for `service_name` from the flags, with the service's default ports.
ServerOptions ServerOptionsFromFlags(const std::string& service_name, int default_grpc_port, int default_admin_port);
absl::StatusOr<AuthConfig> AuthConfigFromFlags();

}  // namespace stip

#endif  // STIP_COMMON_FLAGS_H_
