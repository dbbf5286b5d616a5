// The carrier editions in data/rules/carriers/: they load, cite criteria.md, mark placeholders provisional, pass a
// strong carrier, and put every boundary where the policy text puts it (each threshold taken from both sides).
#include <map>
#include <memory>

#include "common/rules/edition_registry.h"
#include "common/rules/rule_engine.h"
#include "gtest/gtest.h"
#include "services/evaluation/domain/recognition.h"
#include "tests/unit/evaluation/test_util.h"

namespace stip::evaluation {
namespace {

using rules::Outcome;

// Carrier metrics with some values overridden (or erased with nullopt).
class Overrides : public rules::MetricSource {
 public:
  explicit Overrides(const rules::MetricSource& base) : base_(base) {}
  void Set(const std::string& metric, rules::Rational value) { values_[metric] = rules::Value(rules::Number(value)); }
  void Erase(const std::string& metric) { values_[metric] = std::nullopt; }
  std::optional<rules::Value> Get(absl::string_view metric) const override {
    auto it = values_.find(std::string(metric));
    if (it == values_.end()) return base_.Get(metric);
    if (!it->second) return std::nullopt;
    return it->second;
  }

 private:
  const rules::MetricSource& base_;
  std::map<std::string, std::optional<rules::Value>> values_;
};

class CarrierEditions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    registry_ = new rules::EditionRegistry();
    absl::Status status = registry_->LoadDirectory(std::string(STIP_SOURCE_DATA_DIR) + "/rules/carriers");
    ASSERT_TRUE(status.ok()) << status;
  }
  static const rules::RuleEdition& Get(const std::string& program) {
    auto found = registry_->Find(program, "", 2021);
    EXPECT_TRUE(found.ok()) << found.status();
    return **found;
  }
  static Outcome OutcomeOf(const rules::Evaluation& evaluation, const std::string& id) {
    for (const rules::CriterionResult& result : evaluation.results) {
      if (result.id == id) return result.outcome;
    }
    ADD_FAILURE() << "no criterion " << id;
    return Outcome::kMissingData;
  }
  static rules::EditionRegistry* registry_;
};
rules::EditionRegistry* CarrierEditions::registry_ = nullptr;

Carrier ForProgram(const std::string& program) {
  Carrier c = testing::Incubator();
  if (program.rfind("makerspace", 0) == 0) c.kind = CarrierKind::kMakerspace;
  if (program.rfind("university_park", 0) == 0) {
    c.kind = CarrierKind::kUniversityPark;
    c.university = "中国民航大学";
    c.levels = {{CarrierLevel::kMunicipal, 2020, "test", 0}};
  }
  return c;
}

TEST_F(CarrierEditions, SixProgrammesLoadCiteSourcesAndMarkPlaceholders) {
  EXPECT_EQ(registry_->List().size(), 6u);
  for (const std::string& program : CarrierPrograms()) {
    const rules::RuleEdition& edition = Get(program);
    for (const rules::Criterion* criterion : edition.Flatten()) {
      EXPECT_NE(criterion->source.find("criteria.md"), std::string::npos) << program << " " << criterion->id;
      if (criterion->status == rules::SourceStatus::kMissing || criterion->status == rules::SourceStatus::kRecalled ||
          criterion->status == rules::SourceStatus::kInferred) {
        EXPECT_TRUE(criterion->provisional) << program << " " << criterion->id;
      }
    }
  }
  EXPECT_TRUE(Get("university_park_municipal").provisional);
  EXPECT_TRUE(Get("university_park_national").provisional);
  EXPECT_FALSE(Get("incubator_municipal").provisional);
  EXPECT_FALSE(Get("incubator_national").provisional);
}

TEST_F(CarrierEditions, StrongCarrierPassesEveryProgramme) {
  for (const std::string& program : CarrierPrograms()) {
    Carrier carrier = ForProgram(program);
    CarrierMetrics metrics(carrier, testing::StrongReport());
    rules::Evaluation evaluation = rules::Evaluate(Get(program), metrics);
    EXPECT_TRUE(evaluation.eligible) << program;
    for (const rules::CriterionResult& r : evaluation.results) {
      if (r.depth == 0) {
        EXPECT_EQ(r.outcome, Outcome::kPass) << program << " " << r.id << " " << r.actual;
      }
    }
  }
}

// Every ">=" comparison: exactly at the threshold passes, one step below fails (its own outcome).
TEST_F(CarrierEditions, EveryThresholdIsInclusiveAndOneStepBelowFails) {
  for (const std::string& program : CarrierPrograms()) {
    const rules::RuleEdition& edition = Get(program);
    Carrier carrier = ForProgram(program);
    CarrierMetrics metrics(carrier, testing::StrongReport());
    for (const rules::Criterion* c : edition.Flatten()) {
      if (c->kind != rules::Criterion::Kind::kCompare || c->op != rules::Op::kGe) continue;
      rules::Rational threshold = c->threshold.value_or(rules::Rational(0));
      if (!c->band_metric.empty()) threshold = c->bands.front().threshold;  // district space (is_university_space = 0)
      rules::Rational step = c->unit == rules::Unit::kRatio
                                 ? rules::Rational::Of(1, 10000)
                                 : (c->unit == rules::Unit::kYuan ? rules::Rational(1) : rules::Rational::Of(1, 100));
      if (c->unit == rules::Unit::kCount) step = rules::Rational(1);
      Overrides at(metrics);
      at.Set(c->metric, threshold);
      EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, at), c->id), Outcome::kPass) << program << " " << c->id;
      Overrides below(metrics);
      below.Set(c->metric, threshold - step);
      EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, below), c->id), Outcome::kFail) << program << " " << c->id;
    }
  }
}

TEST_F(CarrierEditions, MunicipalIncubatorBoundariesFromTheText) {
  const rules::RuleEdition& edition = Get("incubator_municipal");
  Carrier carrier = testing::Incubator();
  AnnualReport report = testing::StrongReport();
  // T2b: 75% of 15000 m² = 11250 m² passes, 11249 fails.
  report.figures["incubatee_area_m2"] = 11250;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, CarrierMetrics(carrier, report)), "T2b"), Outcome::kPass);
  report.figures["incubatee_area_m2"] = 11249;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, CarrierMetrics(carrier, report)), "T2b"), Outcome::kFail);
  // T4b/T4c: 1 per 10 incubatees: 60 incubatees need 6 professional staff and 6 mentors.
  report = testing::StrongReport();
  report.figures["mentors"] = 6;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, CarrierMetrics(carrier, report)), "T4c"), Outcome::kPass);
  report.figures["mentors"] = 5;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, CarrierMetrics(carrier, report)), "T4c"), Outcome::kFail);
  // T1c: operating two full years by the end of the report year (2019-01-01 → 2020-12-31).
  carrier.established_date = "2019-01-01";
  report = testing::StrongReport(2020);
  EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, CarrierMetrics(carrier, report)), "T1c"), Outcome::kPass);
  carrier.established_date = "2019-01-02";
  EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, CarrierMetrics(carrier, report)), "T1c"), Outcome::kFail);
  // Unknown start date: missing data, never zero.
  carrier.established_date = "";
  EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, CarrierMetrics(carrier, report)), "T1c"), Outcome::kMissingData);
  // No incubatees: per-10 ratios are missing, not 0.
  report.figures["incubatees"] = 0;
  report.figures["graduated"] = 0;
  report.figures["new_incubatees"] = 0;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(edition, CarrierMetrics(carrier, report)), "T4b"), Outcome::kMissingData);
}

TEST_F(CarrierEditions, SpecializedIncubatorRelaxationsAndExtraConditions) {
  const rules::RuleEdition& national = Get("incubator_national");
  AnnualReport report = testing::StrongReport();
  report.figures["incubation_area_m2"] = 6000;
  report.figures["incubatee_area_m2"] = 5000;
  report.figures["incubatees"] = 35;
  report.figures["cumulative_graduates"] = 12;
  report.figures["new_incubatees"] = 10;
  report.figures["financed_incubatees"] = 5;
  report.figures["incubatees_with_patent_applications"] = 20;
  report.figures["incubatees_with_valid_ip"] = 15;
  Carrier comprehensive = testing::Incubator(CarrierKind::kComprehensiveIncubator);
  rules::Evaluation c = rules::Evaluate(national, CarrierMetrics(comprehensive, report));
  EXPECT_EQ(OutcomeOf(c, "N2a"), Outcome::kFail);
  EXPECT_EQ(OutcomeOf(c, "N6a"), Outcome::kFail);
  EXPECT_EQ(OutcomeOf(c, "N7"), Outcome::kFail);
  EXPECT_EQ(OutcomeOf(c, "N8"), Outcome::kPass);  // not applicable to a comprehensive incubator
  Carrier specialized = testing::Incubator(CarrierKind::kSpecializedIncubator);
  rules::Evaluation s = rules::Evaluate(national, CarrierMetrics(specialized, report));
  EXPECT_EQ(OutcomeOf(s, "N2a"), Outcome::kPass);
  EXPECT_EQ(OutcomeOf(s, "N6a"), Outcome::kPass);
  EXPECT_EQ(OutcomeOf(s, "N7"), Outcome::kPass);
  EXPECT_TRUE(s.provisional);  // the relaxed values are [R]
  report.figures["main_industry_share"] = 0.74;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(national, CarrierMetrics(specialized, report)), "N8"), Outcome::kFail);
}

TEST_F(CarrierEditions, NationalIncubatorIpIsEitherOr) {
  const rules::RuleEdition& national = Get("incubator_national");
  Carrier carrier = testing::Incubator();
  AnnualReport report = testing::StrongReport();
  report.figures["incubatees_with_patent_applications"] = 29;  // 48% < 50%
  report.figures["incubatees_with_valid_ip"] = 18;             // 30% = 30%
  EXPECT_EQ(OutcomeOf(rules::Evaluate(national, CarrierMetrics(carrier, report)), "N5"), Outcome::kPass);
  report.figures["incubatees_with_valid_ip"] = 17;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(national, CarrierMetrics(carrier, report)), "N5"), Outcome::kFail);
}

TEST_F(CarrierEditions, MakerspaceAreaDependsOnUniversitySpace) {
  const rules::RuleEdition& tianjin = Get("makerspace_municipal");
  Carrier district = ForProgram("makerspace_municipal");
  AnnualReport report = testing::StrongReport();
  report.figures["total_area_m2"] = 300;
  report.figures["incubation_area_m2"] = 280;
  report.figures["incubatee_area_m2"] = 250;
  report.figures["public_service_area_m2"] = 280;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(tianjin, CarrierMetrics(district, report)), "M2"), Outcome::kFail);
  Carrier university = district;
  university.university = "中国民航大学";
  EXPECT_EQ(OutcomeOf(rules::Evaluate(tianjin, CarrierMetrics(university, report)), "M2"), Outcome::kPass);
  // M3: a lease of 5 years passes, 4.9 fails; owned premises pass.
  report.figures["premises_owned"] = 0;
  report.figures["lease_years"] = 5;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(tianjin, CarrierMetrics(district, report)), "M3"), Outcome::kPass);
  report.figures["lease_years"] = 4.9;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(tianjin, CarrierMetrics(district, report)), "M3"), Outcome::kFail);
}

TEST_F(CarrierEditions, NationalMakerspaceAlternatives) {
  const rules::RuleEdition& national = Get("makerspace_national");
  Carrier carrier = ForProgram("makerspace_national");
  AnnualReport report = testing::StrongReport();
  report.figures["total_area_m2"] = 400;
  report.figures["incubation_area_m2"] = 400;
  report.figures["incubatee_area_m2"] = 300;
  report.figures["public_service_area_m2"] = 300;
  report.figures["workstations"] = 30;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(national, CarrierMetrics(carrier, report)), "Q3"), Outcome::kPass);
  report.figures["workstations"] = 29;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(national, CarrierMetrics(carrier, report)), "Q3"), Outcome::kFail);
  report = testing::StrongReport();
  report.figures["new_companies_registered"] = 9;
  report.figures["financed_incubatees"] = 5;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(national, CarrierMetrics(carrier, report)), "Q6"), Outcome::kPass);
  report.figures["financed_incubatees"] = 4;
  EXPECT_EQ(OutcomeOf(rules::Evaluate(national, CarrierMetrics(carrier, report)), "Q6"), Outcome::kFail);
  // Q2: 18 months by the end of the report year.
  carrier.established_date = "2020-07-01";
  report = testing::StrongReport(2021);
  EXPECT_EQ(OutcomeOf(rules::Evaluate(national, CarrierMetrics(carrier, report)), "Q2"), Outcome::kPass);
  carrier.established_date = "2020-08-01";
  EXPECT_EQ(OutcomeOf(rules::Evaluate(national, CarrierMetrics(carrier, report)), "Q2"), Outcome::kFail);
}

TEST_F(CarrierEditions, UniversityParkChecksAreProvisionalAndNeedMunicipalFirst) {
  Carrier park = ForProgram("university_park_national");
  park.levels.clear();
  rules::Evaluation national =
      rules::Evaluate(Get("university_park_national"), CarrierMetrics(park, testing::StrongReport()));
  EXPECT_TRUE(national.provisional);
  EXPECT_EQ(OutcomeOf(national, "U3"), Outcome::kFail);
  for (const rules::CriterionResult& r : national.results) EXPECT_TRUE(r.provisional) << r.id;
}

TEST_F(CarrierEditions, RecognitionPicksProgrammesByKind) {
  Carrier park = ForProgram("university_park_municipal");
  auto results = CheckRecognition(*registry_, park, testing::StrongReport(), "", "");
  ASSERT_TRUE(results.ok()) << results.status();
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ((*results)[0].edition->program, "university_park_municipal");
  EXPECT_EQ((*results)[1].level, CarrierLevel::kNational);
  auto wrong = CheckRecognition(*registry_, park, testing::StrongReport(), "incubator_national", "");
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kInvalidArgument);
  auto unknown = CheckRecognition(*registry_, park, testing::StrongReport(), "university_park_national", "nope");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ProgramLevel("incubator_municipal"), CarrierLevel::kMunicipal);
  EXPECT_EQ(ProgramLevel("makerspace_national"), CarrierLevel::kNational);
  EXPECT_FALSE(IsCarrierProgram("chuying"));
}

}  // namespace
}  // namespace stip::evaluation
