#include "services/cultivation/domain/record_book.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/cultivation/domain/cultivation_access.h"

namespace stip::cultivation {
namespace {

// Filing flags of the first edition that a record now carries, with what to enter instead.
struct LegacyFlag {
  const char* field;
  const char* label;
  const char* instead;
};
constexpr LegacyFlag kLegacyFlags[] = {
    {"tianjin_hte_cert", "天津市高企证书", "证书记录（类型 hte_tianjin、发证日期）"},
    {"software_enterprise_cert", "软件企业证书", "证书记录（类型 software_enterprise、发证日期）"},
    {"software_product_cert", "软件产品证书", "证书记录（类型 software_product、发证日期）"},
    {"competition_award", "创新创业大赛获奖", "大赛记录（年份、级别、奖项）"},
    {"st_award", "省部级以上科技奖励", "科技奖励记录（年份、级别、排名）"},
    {"st_award_top3_5y", "近五年国家科技奖励排名前三", "科技奖励记录（年份、级别、排名）"},
    {"rd_institution", "省部级以上研发机构", "研发机构记录（级别、认定日期）"},
    {"standard_participation", "参与制定标准", "标准记录（年份、级别、主导或参与）"},
    {"standard_led_5y", "近五年主导制定标准", "标准记录（年份、级别、主导或参与）"},
    {"st_plan_project", "承担省部级以上科技计划项目", "科技计划项目记录（年份、级别）"},
    {"max_single_venture_investment", "单笔单家最大创业投资", "创业投资记录（日期、金额、投资机构）"},
};

}  // namespace

absl::StatusOr<DatedRecord> RecordBook::Create(const Caller& caller, const std::string& uscc, DatedRecord record) {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
  STIP_RETURN_IF_ERROR(registry_->Get(caller, uscc).status());
  record.uscc = uscc;
  FieldViolations violations;
  for (const auto& [field, reason] : CheckRecord(record)) violations.Add("record." + field, reason);
  STIP_RETURN_IF_ERROR(violations.ToStatus());
  STIP_ASSIGN_OR_RETURN(DatedRecord stored, store_->AddRecord(record));
  if (notifier_ != nullptr) notifier_->Publish("cultivation");
  return stored;
}

absl::StatusOr<RecordList> RecordBook::List(const Caller& caller, const std::string& uscc, RecordKind kind) const {
  STIP_RETURN_IF_ERROR(registry_->Get(caller, uscc).status());
  RecordList list;
  STIP_ASSIGN_OR_RETURN(std::vector<DatedRecord> records, store_->ListRecords(uscc));
  for (DatedRecord& r : records) {
    if (kind == RecordKind::kUnspecified || r.kind == kind) list.records.push_back(std::move(r));
  }
  STIP_ASSIGN_OR_RETURN(std::vector<FilingRecord> filings, store_->ListFilings(uscc));
  for (const FilingRecord& filing : filings) {
    for (const LegacyFlag& flag : kLegacyFlags) {
      bool set =
          BoolField(filing.data, flag.field).value_or(false) || IntField(filing.data, flag.field).value_or(0) > 0;
      if (!set) continue;
      list.legacy_flags.push_back(
          absl::StrCat(filing.year, "年度年报“", flag.label, "”已填报：评价不再读取该项，请补录为", flag.instead));
    }
  }
  return list;
}

absl::Status RecordBook::Delete(const Caller& caller, const std::string& uscc, const std::string& id) {
  STIP_RETURN_IF_ERROR(CultivationAccess::CanWrite(caller));
  STIP_RETURN_IF_ERROR(registry_->Get(caller, uscc).status());
  STIP_RETURN_IF_ERROR(store_->DeleteRecord(uscc, id));
  if (notifier_ != nullptr) notifier_->Publish("cultivation");
  return absl::OkStatus();
}

}  // namespace stip::cultivation
