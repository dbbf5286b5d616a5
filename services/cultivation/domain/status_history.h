// An enterprise's status over time (存续 / 迁出 / 注销, each with the date it took effect) and the year-end rule of
// the tier statistics: an enterprise counts for year Y when it was active (存续) on 31 December of Y. Plain C++.
#ifndef STIP_SERVICES_CULTIVATION_STATUS_HISTORY_H_
#define STIP_SERVICES_CULTIVATION_STATUS_HISTORY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "services/cultivation/domain/vocabulary.h"

namespace stip::cultivation {

struct StatusChange {
  std::string effective_date;  // YYYY-MM-DD: the status holds from the start of this day
  EnterpriseStatus status = EnterpriseStatus::kActive;
};

// The status in force at the end of `day`: the last change effective on or before `day` (of two changes on the
// same day, the one recorded later). Before the first recorded change, the first change's status; with no
// history at all, `fallback`. `history` is in recording order.
EnterpriseStatus StatusOn(const std::vector<StatusChange>& history, absl::CivilDay day, EnterpriseStatus fallback);

// The year-end rule: active on 31 December of `year`. Moved out effective 12-31 → not counted for that year;
// effective 01-01 of the next year → still counted.
bool ActiveAtYearEnd(const std::vector<StatusChange>& history, int year, EnterpriseStatus fallback);

// Whether a status change effective on `effective` may be recorded: not before the registration date and not
// before the last recorded change (no back-dating under a later status), not after `today`.
// INVALID_ARGUMENT with a `status_effective_date` field violation otherwise.
absl::Status CheckStatusChange(const std::vector<StatusChange>& history, const std::string& registration_date,
                               absl::CivilDay effective, absl::CivilDay today);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_STATUS_HISTORY_H_
