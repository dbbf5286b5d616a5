// 企业库: registering enterprises (idempotent creates, AIP-155), editing them with a dated status history, and
// their annual filings (年报), with validation, park scope and change notices.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_ENTERPRISE_REGISTRY_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_ENTERPRISE_REGISTRY_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "common/rules/edition_registry.h"
#include "common/year_range.h"
#include "services/cultivation/domain/csv.h"
#include "services/cultivation/store/cultivation_store.h"

namespace stip::cultivation {

// A partial edit of a filing: the fields named in `paths` (all when empty) take `values`; a named field
// absent from `values` is cleared (missing, never zero).
struct FilingPatch {
  FilingData values;
  std::vector<std::string> paths;
};

struct EnterprisePage {
  std::vector<EnterpriseRecord> records;
  int total = 0;
};

class EnterpriseRegistry {
 public:
  EnterpriseRegistry(CultivationStore* store, const rules::EditionRegistry* editions,
                     const std::map<std::string, std::string>* org_units, ChangeNotifier* notifier, YearRange years)
      : store_(store), editions_(editions), org_units_(org_units), notifier_(notifier), years_(years) {}

  absl::StatusOr<EnterpriseRecord> Create(const Caller& caller, const EnterpriseRecord& record,
                                          const std::string& request_id);
  // The enterprise, when the caller may see it (NOT_FOUND / PERMISSION_DENIED otherwise).
  absl::StatusOr<EnterpriseRecord> Get(const Caller& caller, const std::string& uscc) const;
  absl::StatusOr<EnterprisePage> List(const Caller& caller, const std::string& org_unit, EnterpriseStatus status,
                                      int offset, int limit) const;
  // `paths` empty or "*" = every editable field; `status_effective_date` empty = today.
  absl::StatusOr<EnterpriseRecord> Update(const Caller& caller, const EnterpriseRecord& incoming,
                                          const std::vector<std::string>& paths, const std::string& etag,
                                          const std::string& status_effective_date);

  absl::StatusOr<FilingRecord> CreateFiling(const Caller& caller, const std::string& uscc, int year,
                                            const FilingData& data);
  absl::StatusOr<FilingRecord> GetFiling(const Caller& caller, const std::string& uscc, int year) const;
  absl::StatusOr<std::vector<FilingRecord>> ListFilings(const Caller& caller, const std::string& uscc) const;
  absl::StatusOr<FilingRecord> UpdateFiling(const Caller& caller, const std::string& uscc, int year,
                                            const FilingPatch& patch, bool allow_missing, const std::string& etag);

  // The enterprise with what evaluating it needs (facts, filings, pipelines), when the caller may see it.
  absl::StatusOr<Cohort> CohortOf(const Caller& caller, const std::string& uscc) const;

  // The rule edition's input checks on a filing (consistency, expert-score caps), for the API and the import.
  CsvImport::FilingCheck FilingChecker() const;
  const std::map<std::string, std::string>& org_units() const { return *org_units_; }
  const YearRange& years() const { return years_; }

 private:
  absl::Status Validate(const EnterpriseRecord& record) const;
  absl::Status ValidateFiling(int year, const FilingData& data) const;
  void Published() const;

  CultivationStore* store_;
  const rules::EditionRegistry* editions_;
  const std::map<std::string, std::string>* org_units_;
  ChangeNotifier* notifier_;
  YearRange years_;
};

// AIP-155 for CreateEnterprise, decided from what the store finds inside its transaction: the create that
// `request_id` was first used for (`remembered`) and the enterprise under the same USCC (`existing`).
absl::StatusOr<CreatePlan> DecideCreate(const EnterpriseRecord& incoming, const std::string& request_id,
                                        const std::optional<EnterpriseRecord>& remembered,
                                        const std::optional<EnterpriseRecord>& existing);

// The same decision as a store callback, and the status-history rule for a change effective on `effective`.
CreateDecider CreateDeciderFor(const EnterpriseRecord& incoming, const std::string& request_id);
StatusChangeCheck StatusChangeCheckFor(absl::CivilDay effective);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_ENTERPRISE_REGISTRY_H_
