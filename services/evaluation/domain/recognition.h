// Recognition checks of a carrier against the carrier rule editions (data/rules/carriers/), through the shared
// engine in common/rules. Programme codes cannot collide with the cultivation programmes.
#ifndef STIP_SERVICES_EVALUATION_RECOGNITION_H_
#define STIP_SERVICES_EVALUATION_RECOGNITION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/rules/edition_registry.h"
#include "common/rules/rule_engine.h"
#include "services/evaluation/domain/annual_report.h"
#include "services/evaluation/domain/carrier.h"

namespace stip::evaluation {

struct ProgramInfo {
  std::string program;  // incubator_municipal, …
  CarrierLevel level;
};

// The programmes that recognise a kind of carrier, municipal first.
std::vector<ProgramInfo> ProgramsFor(CarrierKind kind);
// Every carrier programme code.
const std::vector<std::string>& CarrierPrograms();
bool IsCarrierProgram(absl::string_view program);
CarrierLevel ProgramLevel(absl::string_view program);

struct RecognitionResult {
  std::shared_ptr<const rules::RuleEdition> edition;
  CarrierLevel level = CarrierLevel::kNone;
  rules::Evaluation evaluation;
};

// Checks `report` of `carrier` against `program` (empty = every programme of the carrier's kind) and `edition`
// (empty = the default edition for the report year). INVALID_ARGUMENT when the programme does not apply to the
// kind; NOT_FOUND for an unknown edition.
absl::StatusOr<std::vector<RecognitionResult>> CheckRecognition(const rules::EditionRegistry& registry,
                                                                const Carrier& carrier, const AnnualReport& report,
                                                                absl::string_view program, absl::string_view edition);

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_RECOGNITION_H_
