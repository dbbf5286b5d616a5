#include "services/indicators/domain/external_sources.h"

#include "absl/strings/str_cat.h"

namespace stip::indicators {

absl::StatusOr<ExternalValue> RequestSources::Fetch(const MeasureDef& measure, int year) {
  if (sources_ == nullptr || measure.source == ValueSource::kReported) {
    return absl::NotFoundError("no owning service");
  }
  auto key = std::make_pair(measure.source, year);
  auto it = memo_.find(key);
  if (it == memo_.end()) it = memo_.emplace(key, sources_->FetchAll(measure.source, year)).first;
  if (!it->second.ok()) return it->second.status();
  auto value = it->second->find(measure.code);
  if (value == it->second->end()) {
    return absl::NotFoundError(absl::StrCat("the owning service has no count for ", measure.code));
  }
  return value->second;
}

}  // namespace stip::indicators
