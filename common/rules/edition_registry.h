// The rule editions a service knows: loaded from a directory of JSON files (data/rules/) and added at run
// time by an administrator. Thread-safe. Plain C++: storage of added editions is the caller's business.
#ifndef STIP_COMMON_RULES_EDITION_REGISTRY_H_
#define STIP_COMMON_RULES_EDITION_REGISTRY_H_

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/rules/rule_edition.h"

namespace stip::rules {

class EditionRegistry {
 public:
  // Adds every *.json file of `dir` (sorted by name). A file that does not parse is an error naming it.
  absl::Status LoadDirectory(const std::string& dir);
  // Parses and adds one edition; ALREADY_EXISTS when program/edition is taken.
  absl::StatusOr<std::shared_ptr<const RuleEdition>> Add(absl::string_view json, absl::string_view origin);

  // The named edition, or when `edition` is empty the default for `year`: the edition of `program` with the
  // latest effective_from on or before 31 December of `year`, else the earliest one.
  absl::StatusOr<std::shared_ptr<const RuleEdition>> Find(absl::string_view program, absl::string_view edition,
                                                          int year) const;
  // The same, for the edition in force on `date` (YYYY-MM-DD): the one with the latest effective_from ≤ date.
  absl::StatusOr<std::shared_ptr<const RuleEdition>> FindInForce(absl::string_view program, absl::string_view edition,
                                                                 const std::string& date) const;
  std::vector<std::shared_ptr<const RuleEdition>> List(absl::string_view program = "") const;
  // Where an edition came from ("file:...", "api").
  std::string Origin(absl::string_view program, absl::string_view edition) const;
  std::string Json(absl::string_view program, absl::string_view edition) const;

 private:
  struct Entry {
    std::shared_ptr<const RuleEdition> edition;
    std::string origin;
    std::string json;
  };
  mutable std::shared_mutex mutex_;
  std::map<std::string, Entry, std::less<>> editions_;  // EditionKey → entry
};

}  // namespace stip::rules

#endif  // STIP_COMMON_RULES_EDITION_REGISTRY_H_
