#include "common/rules/edition_registry.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/config.h"

namespace stip::rules {

absl::Status EditionRegistry::LoadDirectory(const std::string& dir) {
  absl::StatusOr<std::vector<DataFile>> files = ReadDataFiles(dir);
  if (!files.ok()) return files.status();
  for (const DataFile& file : *files) {
    absl::StatusOr<std::shared_ptr<const RuleEdition>> added =
        Add(file.contents, absl::StrCat("file:", std::filesystem::path(file.path).filename().string()));
    if (!added.ok()) {
      return absl::Status(added.status().code(), absl::StrCat(file.path, ": ", added.status().message()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const RuleEdition>> EditionRegistry::Add(absl::string_view json,
                                                                        absl::string_view origin) {
  absl::StatusOr<RuleEdition> parsed = ParseRuleEdition(json);
  if (!parsed.ok()) return parsed.status();
  auto edition = std::make_shared<const RuleEdition>(std::move(*parsed));
  std::string key = EditionKey(edition->program, edition->edition);
  std::unique_lock lock(mutex_);
  if (editions_.count(key) > 0) {
    return absl::AlreadyExistsError(absl::StrCat("规则版本 ", key, " 已存在；新政策请使用新的版本号 (edition ", key,
                                                 " already exists; a policy change is a new edition)"));
  }
  editions_[key] = Entry{edition, std::string(origin), std::string(json)};
  return edition;
}

absl::StatusOr<std::shared_ptr<const RuleEdition>> EditionRegistry::Find(absl::string_view program,
                                                                         absl::string_view edition, int year) const {
  return FindInForce(program, edition, absl::StrCat(year, "-12-31"));
}

absl::StatusOr<std::shared_ptr<const RuleEdition>> EditionRegistry::FindInForce(absl::string_view program,
                                                                                absl::string_view edition,
                                                                                const std::string& date) const {
  std::shared_lock lock(mutex_);
  if (!edition.empty()) {
    auto it = editions_.find(EditionKey(program, edition));
    if (it == editions_.end()) {
      return absl::NotFoundError(absl::StrCat("没有规则版本 ", program, "/", edition, " (no such rule edition)"));
    }
    return it->second.edition;
  }
  const std::string& year_end = date;
  std::shared_ptr<const RuleEdition> best, earliest;
  for (const auto& [key, entry] : editions_) {
    const RuleEdition& e = *entry.edition;
    if (e.program != program) continue;
    if (!earliest || e.effective_from < earliest->effective_from) earliest = entry.edition;
    if (e.effective_from <= year_end && (!best || e.effective_from > best->effective_from)) best = entry.edition;
  }
  if (best) return best;
  if (earliest) return earliest;
  return absl::NotFoundError(
      absl::StrCat("项目 ", program, " 没有规则版本 (no rule edition for program ", program, ")"));
}

std::vector<std::shared_ptr<const RuleEdition>> EditionRegistry::List(absl::string_view program) const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<const RuleEdition>> out;
  for (const auto& [key, entry] : editions_) {
    if (program.empty() || entry.edition->program == program) out.push_back(entry.edition);
  }
  return out;
}

std::string EditionRegistry::Origin(absl::string_view program, absl::string_view edition) const {
  std::shared_lock lock(mutex_);
  auto it = editions_.find(EditionKey(program, edition));
  return it == editions_.end() ? "" : it->second.origin;
}

std::string EditionRegistry::Json(absl::string_view program, absl::string_view edition) const {
  std::shared_lock lock(mutex_);
  auto it = editions_.find(EditionKey(program, edition));
  return it == editions_.end() ? "" : it->second.json;
}

}  // namespace stip::rules
