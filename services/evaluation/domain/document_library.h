// 评价标准与绩效方案: the versioned documents evaluation works by (rubric versions of the "六有" assessment,
// performance-scheme versions), seeded from data/ and published by administrators through the API.
#ifndef STIP_SERVICES_EVALUATION_DOMAIN_DOCUMENT_LIBRARY_H_
#define STIP_SERVICES_EVALUATION_DOMAIN_DOCUMENT_LIBRARY_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/caller.h"
#include "common/change_notifier.h"
#include "services/evaluation/domain/performance.h"
#include "services/evaluation/domain/rubric.h"
#include "services/evaluation/store/evaluation_store.h"

namespace stip::evaluation {

inline constexpr absl::string_view kRubricDoc = "rubric";
inline constexpr absl::string_view kSchemeDoc = "performance";

struct RubricVersion {
  Rubric rubric;
  StoredDocument document;
};

struct SchemeVersion {
  std::optional<PerformanceScheme> scheme;  // nullopt when the stored JSON no longer parses
  StoredDocument document;
};

class DocumentLibrary {
 public:
  DocumentLibrary(EvaluationStore* store, ChangeNotifier* notifier) : store_(store), notifier_(notifier) {}

  // Loads `seed_dir`/rubrics and /performance into the store (versions already stored are kept as they are).
  absl::Status Seed(const std::string& seed_dir);

  absl::StatusOr<std::vector<RubricVersion>> RubricVersions(absl::string_view rubric) const;
  // "latest" or a version number.
  absl::StatusOr<RubricVersion> RubricVersionNamed(absl::string_view rubric, absl::string_view version) const;
  absl::StatusOr<RubricVersion> PublishRubric(const Caller& caller, Rubric rubric);

  // Every version of `scheme` ("" = of every scheme), ascending within a scheme.
  absl::StatusOr<std::vector<PerformanceScheme>> Schemes(absl::string_view scheme) const;
  absl::StatusOr<std::vector<SchemeVersion>> SchemeVersions(absl::string_view scheme) const;
  absl::StatusOr<SchemeVersion> PublishScheme(const Caller& caller, absl::string_view scheme, int version,
                                              const std::string& json);

 private:
  EvaluationStore* store_;
  ChangeNotifier* notifier_;
};

}  // namespace stip::evaluation

#endif  // STIP_SERVICES_EVALUATION_DOMAIN_DOCUMENT_LIBRARY_H_
