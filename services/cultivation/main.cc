// stip-cultivation: enterprises, filings, explainable tier rules and the 四个一批 pipeline over gRPC.
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/change_notifier.h"
#include "common/flags.h"
#include "common/request_ledger.h"
#include "common/rpc.h"
#include "common/server.h"
#include "common/sqlite_db.h"
#include "common/telemetry.h"
#include "common/year_range.h"
#include "services/cultivation/grpc/cultivation_service.h"
#include "services/cultivation/store/sqlite/sqlite_cultivation_store.h"

namespace stip::cultivation {
namespace {

absl::Status RunCultivationServer() {
  std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (absl::Status status = EnsureDirectory(data_dir); !status.ok()) return status;
  std::string seed_dir = absl::GetFlag(FLAGS_seed_dir);
  rules::EditionRegistry registry;
  if (absl::Status status = registry.LoadDirectory(seed_dir + "/rules"); !status.ok()) return status;
  absl::StatusOr<std::map<std::string, std::string>> org_units = LoadOrgUnits(seed_dir + "/plans");
  if (!org_units.ok()) return org_units.status();
  // The embedded SQLite store; the service and the engine see only the CultivationStore interface.
  absl::StatusOr<std::unique_ptr<SqliteCultivationStore>> store =
      SqliteCultivationStore::Open(data_dir + "/cultivation.db");
  if (!store.ok()) return store.status();
  absl::StatusOr<std::vector<std::string>> added = (*store)->ListRuleEditionJson();
  if (!added.ok()) return added.status();
  for (const std::string& json : *added) {
    if (absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> edition = registry.Add(json, "api"); !edition.ok()) {
      LogJson("warning", "stored rule edition not loaded", "\"error\":" + JsonQuote(edition.status().ToString()));
    }
  }
  absl::StatusOr<AuthConfig> auth = AuthConfigFromFlags();
  if (!auth.ok()) return auth.status();
  absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier = TokenVerifier::Create(*auth);
  if (!verifier.ok()) return verifier.status();
  Metrics metrics;
  RpcRuntime runtime(verifier->get(), &metrics);
  absl::StatusOr<std::unique_ptr<RequestLedger>> ledger = RequestLedger::Open(data_dir + "/cultivation-requests.db");
  if (!ledger.ok()) return ledger.status();
  runtime.set_ledger(ledger->get());
  std::unique_ptr<ChangeNotifier> notifier = MakeChangeNotifier(absl::GetFlag(FLAGS_redis_addr));
  absl::StatusOr<YearRange> years = LoadDataYears(absl::GetFlag(FLAGS_seed_dir) + "/plans");
  if (!years.ok()) return years.status();
  CultivationServiceImpl service(store->get(), &registry, std::move(*org_units), notifier.get(), &runtime, *years);
  return RunServer(ServerOptionsFromFlags("stip.cultivation.v1.CultivationService", 50052, 9092), {&service}, &metrics);
}

}  // namespace
}  // namespace stip::cultivation

int main(int argc, char** argv) {
  return stip::ServiceMain(argc, argv, "stip-cultivation: enterprises, filings, tier rules and the 四个一批 pipeline",
                           stip::cultivation::RunCultivationServer);
}
