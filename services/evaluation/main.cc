// stip-evaluation: carriers (孵化器, 众创空间, 大学科技园), annual reports, recognition checks, "六有" assessments,
// performance grades and carrier statistics over gRPC.
#include <algorithm>
#include <filesystem>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/change_notifier.h"
#include "common/config.h"
#include "common/flags.h"
#include "common/request_ledger.h"
#include "common/rpc.h"
#include "common/rules/edition_registry.h"
#include "common/server.h"
#include "common/sqlite_db.h"
#include "common/telemetry.h"
#include "common/year_range.h"
#include "services/evaluation/domain/carrier.h"
#include "services/evaluation/grpc/evaluation_service.h"
#include "services/evaluation/store/sqlite/sqlite_evaluation_store.h"

namespace stip::evaluation {
namespace {

absl::Status LoadSeedCarriers(EvaluationStore& store, const std::string& dir, const std::set<std::string>& org_units) {
  absl::StatusOr<std::vector<DataFile>> files = ReadDataFiles(dir);
  if (!files.ok()) return files.status();
  for (const DataFile& file : *files) {
    absl::StatusOr<std::vector<Carrier>> carriers = ParseCarriers(file.contents);
    if (!carriers.ok()) return absl::InvalidArgumentError(absl::StrCat(file.path, ": ", carriers.status().message()));
    for (const Carrier& carrier : *carriers) {
      std::vector<Violation> violations = ValidateCarrier(carrier, org_units);
      if (!violations.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(file.path, ": ", carrier.id, ": ", violations.front().field,
                                                       ": ", violations.front().message));
      }
    }
    if (absl::Status status = store.SeedCarriers(*carriers); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status RunEvaluationServer() {
  std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  std::string seed_dir = absl::GetFlag(FLAGS_seed_dir);
  if (absl::Status status = EnsureDirectory(data_dir); !status.ok()) return status;
  absl::StatusOr<std::set<std::string>> org_units = LoadOrgUnitCodes(seed_dir + "/plans");
  if (!org_units.ok()) return org_units.status();
  rules::EditionRegistry editions;
  // Carrier editions live in data/rules/carriers/ so that they never mix with the cultivation editions.
  if (absl::Status status = editions.LoadDirectory(seed_dir + "/rules/carriers"); !status.ok()) return status;
  absl::StatusOr<std::unique_ptr<SqliteEvaluationStore>> store =
      SqliteEvaluationStore::Open(data_dir + "/evaluation.db");
  if (!store.ok()) return store.status();
  if (absl::Status status = LoadSeedCarriers(**store, seed_dir + "/carriers", *org_units); !status.ok()) return status;
  absl::StatusOr<YearRange> years = LoadDataYears(seed_dir + "/plans");
  if (!years.ok()) return years.status();
  absl::StatusOr<AuthConfig> auth = AuthConfigFromFlags();
  if (!auth.ok()) return auth.status();
  absl::StatusOr<std::unique_ptr<TokenVerifier>> verifier = TokenVerifier::Create(*auth);
  if (!verifier.ok()) return verifier.status();
  Metrics metrics;
  RpcRuntime runtime(verifier->get(), &metrics);
  absl::StatusOr<std::unique_ptr<RequestLedger>> ledger = RequestLedger::Open(data_dir + "/evaluation-requests.db");
  if (!ledger.ok()) return ledger.status();
  runtime.set_ledger(ledger->get());
  std::unique_ptr<ChangeNotifier> notifier = MakeChangeNotifier(absl::GetFlag(FLAGS_redis_addr));
  EvaluationServiceImpl service(store->get(), &editions, *org_units, notifier.get(), &runtime, *years);
  if (absl::Status status = service.SeedDocuments(seed_dir); !status.ok()) return status;
  return RunServer(ServerOptionsFromFlags("stip.evaluation.v1.EvaluationService", 50053, 9093), {&service}, &metrics);
}

}  // namespace
}  // namespace stip::evaluation

int main(int argc, char** argv) {
  return stip::ServiceMain(argc, argv, "stip-evaluation: carriers, annual reports, recognition, 六有 and performance",
                           stip::evaluation::RunEvaluationServer);
}
