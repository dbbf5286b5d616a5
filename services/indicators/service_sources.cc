#include "services/indicators/service_sources.h"

#include "absl/strings/str_cat.h"

namespace stip::indicators {
namespace {

class ServiceSources : public ExternalSources {
 public:
  ServiceSources(std::string cultivation_addr, std::string evaluation_addr)
      : cultivation_addr_(std::move(cultivation_addr)), evaluation_addr_(std::move(evaluation_addr)) {}

  absl::StatusOr<ExternalValue> Fetch(const MeasureDef& measure, int year) override {
    const std::string& address = measure.source == ValueSource::kCultivation ? cultivation_addr_ : evaluation_addr_;
    if (address.empty()) {
      return absl::NotFoundError(absl::StrCat(
          measure.source == ValueSource::kCultivation ? "cultivation" : "evaluation", " service not configured"));
    }
    return absl::UnimplementedError(absl::StrCat("no statistics call for ", measure.code, " in ", year, " yet"));
  }

 private:
  std::string cultivation_addr_;
  std::string evaluation_addr_;
};

}  // namespace

std::unique_ptr<ExternalSources> MakeServiceSources(const std::string& cultivation_addr,
                                                    const std::string& evaluation_addr) {
  return std::make_unique<ServiceSources>(cultivation_addr, evaluation_addr);
}

}  // namespace stip::indicators
