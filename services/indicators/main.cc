// stip-indicators: the plan's indicators, reported values, approval, aggregation and progress over gRPC.
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/change_notifier.h"
#include "common/config.h"
#include "common/flags.h"
#include "common/request_ledger.h"
#include "common/rpc.h"
#include "common/server.h"
#include "common/sqlite_db.h"
#include "common/telemetry.h"
#include "services/indicators/grpc/indicator_service.h"
#include "services/indicators/grpc/service_sources.h"
#include "services/indicators/store/sqlite/sqlite_indicator_store.h"

ABSL_FLAG(std::string, cultivation_addr, stip::EnvOr("STIP_CULTIVATION_ADDR", ""),
          "host:port of the cultivation service (tier counts for indicators 3-6 and 13); empty = use reports");
ABSL_FLAG(std::string, evaluation_addr, stip::EnvOr("STIP_EVALUATION_ADDR", ""),
          "host:port of the evaluation service (university science parks, indicators 8 and 9); empty = use reports");

ABSL_FLAG(std::string, service_token_file, stip::EnvOr("STIP_SERVICE_TOKEN_FILE", ""),
          "token this service presents to the cultivation and evaluation services when no HS256 secret is "
          "configured (RS256 deployments); with an HS256 secret it mints its own short-lived viewer token");

namespace stip::indicators {
namespace {

absl::Status RunIndicatorsServer() {
  std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (absl::Status status = EnsureDirectory(data_dir); !status.ok()) return status;
  absl::StatusOr<std::unique_ptr<PlanCatalog>> catalog =
      PlanCatalog::LoadDirectory(absl::GetFlag(FLAGS_seed_dir) + "/plans");
  if (!catalog.ok()) return catalog.status();
  absl::StatusOr<std::unique_ptr<SqliteIndicatorStore>> store = SqliteIndicatorStore::Open(data_dir + "/indicators.db");
  if (!store.ok()) return store.status();
  if (absl::Status status = (*store)->SyncCatalog(**catalog); !status.ok()) return status;
  absl::StatusOr<AuthConfig> auth = AuthConfigFromFlags();
  if (!auth.ok()) return auth.status();
  absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier = TokenVerifier::Create(*auth);
  if (!verifier.ok()) return verifier.status();
  Metrics metrics;
  RpcRuntime runtime(verifier->get(), &metrics);
  absl::StatusOr<std::unique_ptr<RequestLedger>> ledger = RequestLedger::Open(data_dir + "/indicators-requests.db");
  if (!ledger.ok()) return ledger.status();
  runtime.set_ledger(ledger->get());
  std::unique_ptr<ChangeNotifier> notifier = MakeChangeNotifier(absl::GetFlag(FLAGS_redis_addr));
  ServiceSourcesConfig sources_config;
  sources_config.cultivation_addr = absl::GetFlag(FLAGS_cultivation_addr);
  sources_config.evaluation_addr = absl::GetFlag(FLAGS_evaluation_addr);
  sources_config.hs256_secret = auth->hs256_secret;
  if (!absl::GetFlag(FLAGS_service_token_file).empty()) {
    absl::StatusOr<std::string> token = ReadFile(absl::GetFlag(FLAGS_service_token_file));
    if (!token.ok()) return token.status();
    sources_config.service_token = std::string(absl::StripAsciiWhitespace(*token));
  }
  std::unique_ptr<ExternalSources> sources = MakeServiceSources(sources_config);
  IndicatorServiceImpl service(catalog->get(), store->get(), sources.get(), notifier.get(), &runtime);
  return RunServer(ServerOptionsFromFlags("stip.indicators.v1.IndicatorService", 50051, 9091), {&service}, &metrics);
}

}  // namespace
}  // namespace stip::indicators

int main(int argc, char** argv) {
  return stip::ServiceMain(argc, argv, "stip-indicators: the plan's indicators, values, approval and progress",
                           stip::indicators::RunIndicatorsServer);
}
