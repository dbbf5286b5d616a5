#include "services/cultivation/domain/status_history.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace stip::cultivation {

EnterpriseStatus StatusOn(const std::vector<StatusChange>& history, absl::CivilDay day, EnterpriseStatus fallback) {
  std::optional<absl::CivilDay> best_date;
  std::optional<absl::CivilDay> first_date;
  EnterpriseStatus best = fallback;
  EnterpriseStatus first = fallback;
  for (const StatusChange& change : history) {
    std::optional<absl::CivilDay> date = ParseDate(change.effective_date);
    if (!date) continue;
    if (!first_date || *date < *first_date) {
      first_date = date;
      first = change.status;
    }
    if (*date <= day && (!best_date || *date >= *best_date)) {
      best_date = date;
      best = change.status;
    }
  }
  return best_date ? best : first;
}

bool ActiveAtYearEnd(const std::vector<StatusChange>& history, int year, EnterpriseStatus fallback) {
  return StatusOn(history, YearEnd(year), fallback) == EnterpriseStatus::kActive;
}

absl::Status CheckStatusChange(const std::vector<StatusChange>& history, const std::string& registration_date,
                               absl::CivilDay effective, absl::CivilDay today) {
  if (effective > today) {
    return InvalidField("status_effective_date",
                        absl::StrCat("状态变更生效日期 ", FormatDate(effective), " 晚于今天（", FormatDate(today),
                                     "），只能登记已经发生的迁出、注销或恢复存续"));
  }
  std::optional<absl::CivilDay> registered = ParseDate(registration_date);
  if (registered && effective < *registered) {
    return InvalidField("status_effective_date", absl::StrCat("状态变更生效日期 ", FormatDate(effective),
                                                              " 早于企业注册日期 ", registration_date));
  }
  std::optional<absl::CivilDay> latest;
  EnterpriseStatus latest_status = EnterpriseStatus::kUnspecified;
  for (const StatusChange& change : history) {
    std::optional<absl::CivilDay> date = ParseDate(change.effective_date);
    if (date && (!latest || *date >= *latest)) {
      latest = date;
      latest_status = change.status;
    }
  }
  if (latest && effective < *latest) {
    return InvalidField("status_effective_date",
                        absl::StrCat("状态变更生效日期 ", FormatDate(effective), " 早于当前状态“",
                                     EnterpriseStatusName(latest_status), "”的生效日期 ", FormatDate(*latest)));
  }
  return absl::OkStatus();
}

}  // namespace stip::cultivation
