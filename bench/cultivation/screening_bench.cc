// Screens N generated enterprises (default 100,000) for each programme and reports enterprises per second.
// The peer measured in the same run is the rule engine alone on the same in-memory metrics, so the ratio
// shows what loading from SQLite and writing the pipeline cost on top of evaluation.
//   build/bench/cultivation/cultivation_screening_bench [enterprises]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/rules/edition_registry.h"
#include "services/cultivation/domain/csv.h"
#include "services/cultivation/domain/cultivation_engine.h"
#include "services/cultivation/store/cultivation_store.h"
#include "services/cultivation/store/sqlite/sqlite_cultivation_store.h"
#include "tests/integration/cultivation/dataset.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace stip::cultivation;  // NOLINT
  int n = 100000;
  if (argc > 1 && !absl::SimpleAtoi(argv[1], &n)) {
    std::fprintf(stderr, "usage: %s [enterprises]\n", argv[0]);
    return 2;
  }
  std::filesystem::path dir = std::filesystem::temp_directory_path() / absl::StrCat("cult-bench-", getpid());
  std::filesystem::create_directories(dir);
  auto store = SqliteCultivationStore::Open((dir / "cultivation.db").string());
  if (!store.ok()) return 1;
  stip::rules::EditionRegistry registry;
  if (!registry.LoadDirectory(STIP_RULES_DIR).ok()) return 1;
  std::map<std::string, std::string> units;
  for (const std::string& unit : dataset::OrgUnits()) units[unit] = unit;

  auto start = std::chrono::steady_clock::now();
  CsvImport enterprises(CsvKindCode::kEnterprises, store->get(), &units, "", false, nullptr);
  CsvImport filings(CsvKindCode::kFilings, store->get(), &units, "", false, nullptr);
  std::string filing_buffer;
  dataset::Options options;
  options.enterprises = n;
  // Enterprises stream straight in; filings are buffered in 1 MiB pieces and imported after (they need the
  // enterprises first).
  std::FILE* spool = std::tmpfile();
  dataset::Generate(
      options, [&](std::string line) { (void)enterprises.Feed(line); },
      [&](std::string line) { std::fwrite(line.data(), 1, line.size(), spool); });
  if (!enterprises.Finish().ok()) return 1;
  std::rewind(spool);
  std::string piece(1 << 20, '\0');
  while (size_t read = std::fread(piece.data(), 1, piece.size(), spool))
    (void)filings.Feed(absl::string_view(piece.data(), read));
  std::fclose(spool);
  if (!filings.Finish().ok()) return 1;
  double import_seconds = Seconds(start);
  std::printf("import: %d enterprises, %lld filings in %.2f s (%.0f rows/s)\n", n,
              static_cast<long long>(filings.summary().rows), import_seconds,
              static_cast<double>(n + filings.summary().rows) / import_seconds);

  CultivationEngine engine(store->get(), &registry);
  auto cohort = (*store)->LoadCohort(2021, "", true);
  if (!cohort.ok()) return 1;
  std::printf("%-14s %12s %12s %10s %14s %14s %8s\n", "program", "evaluated", "eligible", "screened", "screen ent/s",
              "engine ent/s", "ratio");
  for (const std::string& program : Programs()) {
    // Peer: the rule engine alone, on metrics computed from the already-loaded cohort.
    auto edition = *registry.Find(program, "", 2021);
    auto peer_start = std::chrono::steady_clock::now();
    int peer_eligible = 0;
    for (const Cohort& c : *cohort) {
      stip::cultivation::EnterpriseMetrics metrics = ComputeMetrics(c.facts, 2021, YearEnd(2021), 3);
      peer_eligible += stip::rules::Evaluate(*edition, metrics, stip::rules::Detail::kOutcomesOnly).eligible ? 1 : 0;
    }
    double peer = static_cast<double>(cohort->size()) / Seconds(peer_start);
    auto screen_start = std::chrono::steady_clock::now();
    stip::cultivation::ScreenRequest request{program, 2021, "", "", "2022-03-01", false, std::nullopt, {"*"}};
    auto result = engine.Screen(request, "bench");
    if (!result.ok()) return 1;
    double rate = static_cast<double>(result->evaluated) / Seconds(screen_start);
    std::printf("%-14s %12d %12d %10d %14.0f %14.0f %8.2f\n", program.c_str(), result->evaluated, result->eligible,
                result->screened, rate, peer, rate / peer);
    if (peer_eligible != result->eligible) std::printf("  (peer found %d eligible)\n", peer_eligible);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
