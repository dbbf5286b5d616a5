#include "services/cultivation/domain/pipeline.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"

namespace stip::cultivation {

std::string WithdrawalReasonName(WithdrawalReason reason) {
  switch (reason) {
    case WithdrawalReason::kMovedOut: return "迁出";
    case WithdrawalReason::kDeregistered: return "注销";
    case WithdrawalReason::kLostQualification: return "失去资格";
    case WithdrawalReason::kOther: return "其他";
    case WithdrawalReason::kUnspecified: break;
  }
  return "";
}

std::vector<Stage> AllowedTransitions(Stage from) {
  switch (from) {
    case Stage::kNone: return {Stage::kScreened};
    case Stage::kScreened: return {Stage::kPooled, Stage::kWithdrawn};
    case Stage::kPooled: return {Stage::kCultivating, Stage::kCertified, Stage::kWithdrawn};
    case Stage::kCultivating: return {Stage::kCertified, Stage::kWithdrawn};
    case Stage::kCertified: return {Stage::kExpired, Stage::kWithdrawn};
    case Stage::kExpired: return {Stage::kScreened, Stage::kWithdrawn};
    case Stage::kWithdrawn: return {Stage::kScreened};
  }
  return {};
}

absl::Status CheckTransition(Stage from, Stage to, WithdrawalReason reason, const std::string& note) {
  std::vector<Stage> allowed = AllowedTransitions(from);
  if (std::find(allowed.begin(), allowed.end(), to) == allowed.end()) {
    std::vector<std::string> names;
    names.reserve(allowed.size());
    for (Stage stage : allowed) names.push_back(StageName(stage));
    return absl::FailedPreconditionError(absl::StrCat("当前阶段为“", StageName(from), "”，不能转为“", StageName(to),
                                                      "”；可转为：", absl::StrJoin(names, "、"),
                                                      " (current stage: ", StageCode(from), ")"));
  }
  if (to == Stage::kWithdrawn) {
    if (reason == WithdrawalReason::kUnspecified) {
      return InvalidField("withdrawal_reason", "流失须注明原因：迁出、注销、失去资格或其他");
    }
    if (reason == WithdrawalReason::kOther && note.empty()) {
      return InvalidField("reason", "流失原因为“其他”时须填写说明");
    }
  }
  return absl::OkStatus();
}

}  // namespace stip::cultivation
