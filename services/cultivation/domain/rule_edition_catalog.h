// 规则版本: the rule editions of the cultivation programmes as an officer reads them, and the new editions an
// administrator publishes (persisted first, then registered, so a crash in between re-registers at start-up).
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_RULE_EDITION_CATALOG_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_RULE_EDITION_CATALOG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "common/rules/edition_registry.h"
#include "services/cultivation/store/cultivation_store.h"

namespace stip::cultivation {

struct EditionView {
  std::shared_ptr<const rules::RuleEdition> edition;
  std::string origin;  // file:<name> or api
  std::string json;    // the edition as written; empty in lists
};

class RuleEditionCatalog {
 public:
  RuleEditionCatalog(rules::EditionRegistry* editions, CultivationStore* store, ChangeNotifier* notifier)
      : editions_(editions), store_(store), notifier_(notifier) {}

  std::vector<EditionView> List(const std::string& program) const;
  absl::StatusOr<EditionView> Get(const std::string& program, const std::string& edition) const;
  absl::StatusOr<EditionView> Publish(const Caller& caller, const std::string& program, const std::string& json);

 private:
  rules::EditionRegistry* editions_;
  CultivationStore* store_;
  ChangeNotifier* notifier_;
};

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_RULE_EDITION_CATALOG_H_
