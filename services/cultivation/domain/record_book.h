// 企业记录: an enterprise's dated records as an officer keeps them (add, list, remove), checked field by field;
// and which flags of earlier filings the editions no longer read, so they can be re-entered as records.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_RECORD_BOOK_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_RECORD_BOOK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "services/cultivation/domain/dated_record.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/store/cultivation_store.h"

namespace stip::cultivation {

struct RecordList {
  std::vector<DatedRecord> records;
  // zh: "2020年度年报“省部级以上科技奖励”填“是”：请补录为科技奖励记录（年份、级别、排名）".
  std::vector<std::string> legacy_flags;
};

class RecordBook {
 public:
  RecordBook(CultivationStore* store, const EnterpriseRegistry* registry, ChangeNotifier* notifier)
      : store_(store), registry_(registry), notifier_(notifier) {}

  absl::StatusOr<DatedRecord> Create(const Caller& caller, const std::string& uscc, DatedRecord record);
  // kind kUnspecified = every kind.
  absl::StatusOr<RecordList> List(const Caller& caller, const std::string& uscc, RecordKind kind) const;
  absl::Status Delete(const Caller& caller, const std::string& uscc, const std::string& id);

 private:
  CultivationStore* store_;
  const EnterpriseRegistry* registry_;
  ChangeNotifier* notifier_;
};

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_RECORD_BOOK_H_
