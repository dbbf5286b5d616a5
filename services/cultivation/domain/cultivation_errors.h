// The errors of cultivation's records, worded once for the officer; every store implementation returns these.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_CULTIVATION_ERRORS_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_CULTIVATION_ERRORS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace stip::cultivation {

absl::Status EnterpriseNotFound(const std::string& uscc);
absl::Status EnterpriseExists(const std::string& uscc, const std::string& name);
absl::Status FilingNotFound(const std::string& uscc, int year);
absl::Status FilingExists(const std::string& uscc, int year);
// ABORTED: the record changed since the caller read it (its etag names `current` no more).
absl::Status StaleRecord(int64_t current);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_CULTIVATION_ERRORS_H_
