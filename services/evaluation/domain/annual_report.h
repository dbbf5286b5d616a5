// A carrier's annual report (火炬统计口径): figures by name, their checks, and the metrics that the recognition
// editions and the performance schemes read. Plain C++.
#ifndef STIP_SERVICES_EVALUATION_ANNUAL_REPORT_H_
#define STIP_SERVICES_EVALUATION_ANNUAL_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/rules/rule_engine.h"
#include "services/evaluation/domain/carrier.h"

namespace stip::evaluation {

enum class FigureType { kArea, kCount, kMoney, kRatio, kBool, kYears };

struct FigureDef {
  const char* name;  // the proto field name
  const char* zh;
  FigureType type;
};

// Every figure of the report, in proto order.
const std::vector<FigureDef>& Figures();
const FigureDef* FindFigure(absl::string_view name);

struct AnnualReport {
  std::string carrier_id;
  int year = 0;
  std::map<std::string, double> figures;  // absent = 0
  std::string summary;
  std::string submitter;
  int64_t version = 0;
  absl::Time update_time = absl::UnixEpoch();

  double Get(absl::string_view name) const;
};

inline constexpr int kMaxSummaryBytes = 20000;

// Field checks on input: one violation per problem, field named "report.<figure>".
std::vector<Violation> ValidateReport(const AnnualReport& report);

std::string FiguresToJson(const std::map<std::string, double>& figures);
std::map<std::string, double> FiguresFromJson(absl::string_view json);

// The metrics of a carrier in a report year, for rule editions and performance schemes. A ratio whose
// denominator is 0 is missing, never 0. Metric names are listed in services/evaluation/README.md.
class CarrierMetrics : public rules::MetricSource {
 public:
  CarrierMetrics(const Carrier& carrier, const AnnualReport& report);
  std::optional<rules::Value> Get(absl::string_view metric) const override;

 private:
  std::map<std::string, rules::Value, std::less<>> values_;
};

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_ANNUAL_REPORT_H_
