#include "services/cultivation/domain/cultivation_errors.h"

#include "absl/strings/str_cat.h"
#include "common/etag.h"

namespace stip::cultivation {

absl::Status EnterpriseNotFound(const std::string& uscc) {
  return absl::NotFoundError(absl::StrCat("没有统一社会信用代码为 ", uscc, " 的企业 (enterprise not found)"));
}

absl::Status EnterpriseExists(const std::string& uscc, const std::string& name) {
  return absl::AlreadyExistsError(absl::StrCat("企业 ", uscc, "（", name, "）已登记 (already exists)"));
}

absl::Status FilingNotFound(const std::string& uscc, int year) {
  return absl::NotFoundError(absl::StrCat("企业 ", uscc, " 没有 ", year, " 年度年报 (filing not found)"));
}

absl::Status FilingExists(const std::string& uscc, int year) {
  return absl::AlreadyExistsError(absl::StrCat("企业 ", uscc, " 的 ", year, " 年度年报已存在 (filing exists)"));
}

absl::Status StaleRecord(int64_t current) {
  return EtagMismatch("数据", current);
}

}  // namespace stip::cultivation
