#include "services/cultivation/domain/rule_edition_catalog.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/cultivation/domain/cultivation_access.h"

namespace stip::cultivation {

std::vector<EditionView> RuleEditionCatalog::List(const std::string& program) const {
  std::vector<EditionView> views;
  for (const auto& edition : editions_->List(program)) {
    views.push_back({edition, editions_->Origin(edition->program, edition->edition), ""});
  }
  return views;
}

absl::StatusOr<EditionView> RuleEditionCatalog::Get(const std::string& program, const std::string& edition) const {
  STIP_ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleEdition> found, editions_->Find(program, edition, 0));
  return EditionView{found, editions_->Origin(program, edition), editions_->Json(program, edition)};
}

absl::StatusOr<EditionView> RuleEditionCatalog::Publish(const Caller& caller, const std::string& program,
                                                        const std::string& json) {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanPublishEditions(caller));
  if (!IsProgram(program)) return InvalidField("parent", "未知的培育项目：" + program);
  absl::StatusOr<rules::RuleEdition> parsed = rules::ParseRuleEdition(json);
  if (!parsed.ok()) return InvalidField("edition.json", std::string(parsed.status().message()));
  if (parsed->program != program) return InvalidField("edition.json", "文件中的 program 与 parent 不一致");
  if (editions_->Find(parsed->program, parsed->edition, 0).ok()) {
    return absl::AlreadyExistsError(absl::StrCat("规则版本 ", parsed->program, "/", parsed->edition, " 已存在"));
  }
  STIP_RETURN_IF_ERROR(store_->AddRuleEdition(parsed->program, parsed->edition, json, caller.subject));
  STIP_ASSIGN_OR_RETURN(std::shared_ptr<const rules::RuleEdition> added, editions_->Add(json, "api"));
  if (notifier_ != nullptr) notifier_->Publish("cultivation");
  return EditionView{added, "api", json};
}

}  // namespace stip::cultivation
