#include "services/evaluation/domain/recognition.h"

#include "absl/strings/str_cat.h"

namespace stip::evaluation {

std::vector<ProgramInfo> ProgramsFor(CarrierKind kind) {
  switch (kind) {
    case CarrierKind::kComprehensiveIncubator:
    case CarrierKind::kSpecializedIncubator:
      return {{"incubator_municipal", CarrierLevel::kMunicipal}, {"incubator_national", CarrierLevel::kNational}};
    case CarrierKind::kMakerspace:
      return {{"makerspace_municipal", CarrierLevel::kMunicipal}, {"makerspace_national", CarrierLevel::kNational}};
    case CarrierKind::kUniversityPark:
      return {{"university_park_municipal", CarrierLevel::kMunicipal},
              {"university_park_national", CarrierLevel::kNational}};
    case CarrierKind::kUnspecified: break;
  }
  return {};
}

const std::vector<std::string>& CarrierPrograms() {
  static const std::vector<std::string> kPrograms = {"incubator_municipal",       "incubator_national",
                                                     "makerspace_municipal",      "makerspace_national",
                                                     "university_park_municipal", "university_park_national"};
  return kPrograms;
}

bool IsCarrierProgram(absl::string_view program) {
  for (const std::string& p : CarrierPrograms()) {
    if (p == program) return true;
  }
  return false;
}

CarrierLevel ProgramLevel(absl::string_view program) {
  if (!IsCarrierProgram(program)) return CarrierLevel::kNone;
  return program.size() >= 9 && program.substr(program.size() - 9) == "_national" ? CarrierLevel::kNational
                                                                                  : CarrierLevel::kMunicipal;
}

absl::StatusOr<std::vector<RecognitionResult>> CheckRecognition(const rules::EditionRegistry& registry,
                                                                const Carrier& carrier, const AnnualReport& report,
                                                                absl::string_view program, absl::string_view edition) {
  std::vector<ProgramInfo> programs = ProgramsFor(carrier.kind);
  if (!program.empty()) {
    std::vector<ProgramInfo> chosen;
    for (const ProgramInfo& info : programs) {
      if (info.program == program) chosen.push_back(info);
    }
    if (chosen.empty()) {
      std::string allowed;
      for (const ProgramInfo& info : programs) absl::StrAppend(&allowed, allowed.empty() ? "" : ", ", info.program);
      return absl::InvalidArgumentError(absl::StrCat("认定项目 ", program, " 不适用于", KindName(carrier.kind),
                                                     " (programme does not apply to this kind; use one of: ", allowed,
                                                     ")"));
    }
    programs = std::move(chosen);
  } else if (!edition.empty()) {
    return absl::InvalidArgumentError("指定规则版本时须同时指定认定项目 (edition needs program)");
  }
  CarrierMetrics metrics(carrier, report);
  std::vector<RecognitionResult> out;
  for (const ProgramInfo& info : programs) {
    absl::StatusOr<std::shared_ptr<const rules::RuleEdition>> found = registry.Find(info.program, edition, report.year);
    if (!found.ok()) return found.status();
    RecognitionResult result;
    result.edition = *found;
    result.level = info.level;
    result.evaluation = rules::Evaluate(**found, metrics);
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace stip::evaluation
