#include "common/year_range.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/config.h"
#include "common/status.h"
#include "nlohmann/json.hpp"

namespace stip {

absl::Status YearRange::Check(int year, absl::string_view field, absl::string_view example) const {
  if (Contains(year)) return absl::OkStatus();
  std::string hint = example.empty() ? "" : absl::StrCat("，如 ", example);
  return InvalidField(std::string(field), absl::StrCat("年份应在", first, "–", last, "之间", hint,
                                                       " (year must be within ", first, "–", last, ")"));
}

absl::StatusOr<YearRange> LoadDataYears(const std::string& plans_dir) {
  absl::StatusOr<std::vector<DataFile>> files = ReadDataFiles(plans_dir);
  if (!files.ok()) return files.status();
  std::optional<YearRange> range;
  for (const DataFile& file : *files) {
    nlohmann::json json = nlohmann::json::parse(file.contents, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object() || !json.contains("data_years")) continue;
    const nlohmann::json& years = json["data_years"];
    if (!years.is_object() || !years.value("first", nlohmann::json()).is_number_integer() ||
        !years.value("last", nlohmann::json()).is_number_integer()) {
      return absl::InvalidArgumentError(absl::StrCat(file.path, ": data_years needs integer first and last"));
    }
    YearRange found{years["first"].get<int>(), years["last"].get<int>()};
    if (found.first > found.last) return absl::InvalidArgumentError(absl::StrCat(file.path, ": data_years is empty"));
    range = range ? YearRange{std::min(range->first, found.first), std::max(range->last, found.last)} : found;
  }
  if (!range) return absl::NotFoundError(absl::StrCat("no data_years in the plan files of ", plans_dir));
  return *range;
}

}  // namespace stip
