#include "common/org_units.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/config.h"
#include "nlohmann/json.hpp"

namespace stip {

absl::StatusOr<std::vector<OrgUnitRecord>> LoadOrgUnits(const std::string& plans_dir) {
  absl::StatusOr<std::vector<DataFile>> files = ReadDataFiles(plans_dir);
  if (!files.ok()) return files.status();
  std::vector<OrgUnitRecord> units;
  std::set<std::string> seen;
  for (const DataFile& file : *files) {
    nlohmann::json json = nlohmann::json::parse(file.contents, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded() || !json.is_object()) {
      return absl::InvalidArgumentError(absl::StrCat(file.path, ": not a JSON object"));
    }
    auto list = json.find("org_units");
    if (list == json.end() || !list->is_array()) continue;
    for (const auto& unit : *list) {
      if (!unit.is_object() || !unit.contains("code") || !unit["code"].is_string()) {
        return absl::InvalidArgumentError(absl::StrCat(file.path, ": an org unit without a code"));
      }
      OrgUnitRecord record{unit["code"].get<std::string>(), unit.value("display_name", ""), unit.value("kind", ""),
                           unit.value("parent", "")};
      if (seen.insert(record.code).second) units.push_back(std::move(record));
    }
  }
  if (units.empty()) return absl::NotFoundError(absl::StrCat("no org units in the plan files of ", plans_dir));
  return units;
}

}  // namespace stip
