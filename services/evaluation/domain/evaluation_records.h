// What evaluation keeps of its decisions: a "六有" assessment and an annual performance evaluation as typed
// records (the store's schema is these, not the API's messages).
#ifndef STIP_SERVICES_EVALUATION_DOMAIN_EVALUATION_RECORDS_H_
#define STIP_SERVICES_EVALUATION_DOMAIN_EVALUATION_RECORDS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/evaluation/domain/performance.h"
#include "services/evaluation/domain/rubric.h"

namespace stip::evaluation {

// One scored item of an assessment, with the rubric's title and maximum at the time.
struct AssessedItem {
  ItemScore score;
  std::string title;
  double max_score = 0;
};

struct AssessmentRecord {
  int64_t id = 0;  // the number under carriers/{id}/assessments/; assigned by the store
  std::string carrier_id;
  int year = 0;
  std::string rubric;
  int rubric_version = 0;
  std::vector<AssessedItem> items;
  std::string assessor;
  std::string comment;
  double total = 0;
  double max_total = 0;
  bool passed = false;  // 达标
  std::string result;   // zh explanation
  int items_met = 0;
  bool provisional = false;
  std::string recorded_by;
  absl::Time create_time = absl::UnixEpoch();
  bool superseded = false;  // computed on read: a later assessment of the same year exists
};

struct PerformanceRecord {
  std::string carrier_id;
  int year = 0;
  std::string scheme;
  int scheme_version = 0;
  bool provisional = false;
  PerformanceResult result;
  bool loses_national_status = false;
  std::string national_status_note;
  std::string evaluator;
  int64_t version = 0;  // 0 = not stored yet
  absl::Time update_time = absl::UnixEpoch();
};

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_DOMAIN_EVALUATION_RECORDS_H_
