// 四个一批 pipeline desk: reading an enterprise's pipelines, moving them through 遴选 → 入库 → 培育 → 认定 (with
// the certificate's validity from the rule edition in force), 流失, and screening a unit's enterprises.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_PIPELINE_SERVICE_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_PIPELINE_SERVICE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "common/rules/edition_registry.h"
#include "services/cultivation/domain/cultivation_engine.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/store/cultivation_store.h"

namespace stip::cultivation {

// A pipeline as the officer reads it: whether its validity comes from a provisional rule.
struct PipelineView {
  PipelineRecord record;
  bool validity_provisional = false;
  std::string validity_note;
};

struct TransitionRequest {
  Stage to = Stage::kNone;
  std::string reason;
  WithdrawalReason withdrawal_reason = WithdrawalReason::kUnspecified;
  std::string effective_date;          // empty = today
  int year = 0;                        // data year; 0 = the year before the effective date
  std::string certificate_issue_date;  // 认定 only; empty = the effective date
  std::string etag;
};

class PipelineService {
 public:
  PipelineService(CultivationStore* store, const rules::EditionRegistry* editions, const EnterpriseRegistry* registry,
                  const CultivationEngine* engine, ChangeNotifier* notifier)
      : store_(store), editions_(editions), registry_(registry), engine_(engine), notifier_(notifier) {}

  absl::StatusOr<PipelineView> Get(const Caller& caller, const std::string& uscc, const std::string& program) const;
  // `uscc` empty = every enterprise the caller sees.
  absl::StatusOr<std::vector<PipelineView>> List(const Caller& caller, const std::string& uscc,
                                                 const std::string& program, Stage stage, const std::string& org_unit,
                                                 int offset, int limit) const;
  absl::StatusOr<PipelineView> Transition(const Caller& caller, const std::string& uscc, const std::string& program,
                                          const TransitionRequest& request);
  absl::StatusOr<std::vector<PipelineEventRecord>> Events(const Caller& caller, const std::string& uscc,
                                                          const std::string& program, int offset, int limit) const;
  absl::StatusOr<ScreenResult> Screen(const Caller& caller, const ScreenRequest& request);

 private:
  PipelineView Labelled(PipelineRecord record) const;
  void Certify(const std::string& program, absl::CivilDay issued, TransitionSpec& spec) const;

  CultivationStore* store_;
  const rules::EditionRegistry* editions_;
  const EnterpriseRegistry* registry_;
  const CultivationEngine* engine_;
  ChangeNotifier* notifier_;
};

// The state machine and the dates as a store callback, checked inside the transaction against the pipeline.
TransitionCheck TransitionCheckFor(const TransitionSpec& spec);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_PIPELINE_SERVICE_H_
