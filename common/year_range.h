// The years a record may be for (data years of filings, reports, statistics), from the plan's data file.
#ifndef STIP_COMMON_YEAR_RANGE_H_
#define STIP_COMMON_YEAR_RANGE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip {

struct YearRange {
  int first = 1990;
  int last = 2100;

  bool Contains(int year) const { return year >= first && year <= last; }
  // INVALID_ARGUMENT on `field` naming the range (and `example` when given, e.g. "?year=2021").
  absl::Status Check(int year, absl::string_view field, absl::string_view example = "") const;
};

// The plan period as a range, for values reported against a plan.
inline YearRange PlanYears(int start_year, int end_year) {
  return {start_year, end_year};
}

// "data_years" {"first", "last"} of the plan files in `plans_dir`: the widest range they name.
absl::StatusOr<YearRange> LoadDataYears(const std::string& plans_dir);

}  // namespace stip

#endif  // STIP_COMMON_YEAR_RANGE_H_
