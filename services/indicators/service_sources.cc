#include "services/indicators/service_sources.h"

#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "grpcpp/grpcpp.h"
#include "stip/cultivation/v1/cultivation.grpc.pb.h"
#include "stip/evaluation/v1/evaluation.grpc.pb.h"

namespace stip::indicators {
namespace {

absl::Status FromGrpc(const grpc::Status& status, absl::string_view service) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(service, ": ", status.error_message()));
}

class ServiceSources : public ExternalSources {
 public:
  explicit ServiceSources(ServiceSourcesConfig config) : config_(std::move(config)) {
    if (!config_.cultivation_addr.empty()) {
      cultivation_ = cultivation::v1::CultivationService::NewStub(
          grpc::CreateChannel(config_.cultivation_addr, grpc::InsecureChannelCredentials()));
    }
    if (!config_.evaluation_addr.empty()) {
      evaluation_ = evaluation::v1::EvaluationService::NewStub(
          grpc::CreateChannel(config_.evaluation_addr, grpc::InsecureChannelCredentials()));
    }
  }

  absl::StatusOr<ExternalValue> Fetch(const MeasureDef& measure, int year) override {
    if (measure.source == ValueSource::kCultivation) return FetchTier(measure, year);
    if (measure.source == ValueSource::kEvaluation) return FetchCarriers(measure, year);
    return absl::NotFoundError("reported indicator");
  }

 private:
  template <typename Stats>
  struct CacheEntry {
    absl::Time expires;
    Stats stats;
  };

  template <typename Stats, typename Call>
  absl::StatusOr<Stats> Cached(std::map<int, CacheEntry<Stats>>& cache, int year, Call call) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = cache.find(year);
      if (it != cache.end() && absl::Now() < it->second.expires) return it->second.stats;
    }
    Stats stats;
    if (absl::Status status = call(&stats); !status.ok()) return status;
    std::lock_guard<std::mutex> lock(mutex_);
    cache[year] = {absl::Now() + absl::Milliseconds(config_.reuse_ms), stats};
    return stats;
  }

  std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(config_.deadline_ms));
    std::string token = Token();
    if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
    return context;
  }

  std::string Token() {
    if (config_.hs256_secret.empty()) return config_.service_token;
    std::lock_guard<std::mutex> lock(mutex_);
    absl::Time now = absl::Now();
    if (token_.empty() || now > token_refresh_) {
      TokenClaims claims;
      claims.subject = "service:indicators";
      claims.role = Role::kViewer;
      claims.not_before = now - absl::Minutes(1);
      claims.expires = now + absl::Minutes(10);
      absl::StatusOr<std::string> minted = MintHs256Token(claims, config_.hs256_secret);
      if (minted.ok()) {
        token_ = *minted;
        token_refresh_ = now + absl::Minutes(5);
      }
    }
    return token_;
  }

  absl::StatusOr<ExternalValue> FetchTier(const MeasureDef& measure, int year) {
    if (!cultivation_) return absl::NotFoundError("cultivation service not configured");
    absl::StatusOr<cultivation::v1::TierStatistics> fetched = Cached<cultivation::v1::TierStatistics>(
        tier_cache_, year, [&](cultivation::v1::TierStatistics* stats) {
          cultivation::v1::GetTierStatisticsRequest request;
          request.set_year(year);
          grpc::Status status = cultivation_->GetTierStatistics(Context().get(), request, stats);
          return status.ok() ? absl::OkStatus() : FromGrpc(status, "cultivation GetTierStatistics");
        });
    if (!fetched.ok()) return fetched.status();
    const cultivation::v1::TierStatistics& stats = *fetched;
    ExternalValue value;
    const std::string& code = measure.code;
    if (code == "high-tech-enterprises") {
      value.value = stats.high_tech();
      value.detail = "高企: valid 高新技术企业 certificates at year end";
    } else if (code == "chuying-enterprises") {
      value.value = stats.chuying();
      value.detail = "雏鹰: enterprises pooled, cultivating or certified at year end";
    } else if (code == "dengling-enterprises") {
      value.value = stats.dengling();
      value.detail = "瞪羚: enterprises pooled, cultivating or certified at year end";
    } else if (code == "lingjun-enterprises") {
      value.value = stats.lingjun();
      value.detail = "领军 ∪ 领军培育 (distinct enterprises) at year end";
    } else if (code == "listed-tech-enterprises") {
      value.value = stats.listed_tech();
      value.detail = "listed enterprises that are 高企 or in a tier";
    } else {
      return absl::NotFoundError(absl::StrCat("the cultivation service has no count for ", code));
    }
    value.detail = absl::StrCat("cultivation service GetTierStatistics(", year, "), as of ", stats.as_of_date(), ": ",
                                value.detail, stats.provisional() ? " (瞪羚/领军 editions provisional)" : "");
    return value;
  }

  absl::StatusOr<ExternalValue> FetchCarriers(const MeasureDef& measure, int year) {
    if (!evaluation_) return absl::NotFoundError("evaluation service not configured");
    absl::StatusOr<evaluation::v1::CarrierStatistics> fetched = Cached<evaluation::v1::CarrierStatistics>(
        carrier_cache_, year, [&](evaluation::v1::CarrierStatistics* stats) {
          evaluation::v1::GetCarrierStatisticsRequest request;
          request.set_year(year);
          grpc::Status status = evaluation_->GetCarrierStatistics(Context().get(), request, stats);
          return status.ok() ? absl::OkStatus() : FromGrpc(status, "evaluation GetCarrierStatistics");
        });
    if (!fetched.ok()) return fetched.status();
    const evaluation::v1::CarrierStatistics& stats = *fetched;
    ExternalValue value;
    if (measure.code == "municipal-university-parks") {
      value.value = stats.municipal_university_parks();
    } else if (measure.code == "national-university-parks") {
      value.value = stats.national_university_parks();
    } else {
      return absl::NotFoundError(absl::StrCat("the evaluation service has no count for ", measure.code));
    }
    value.detail = absl::StrCat("evaluation service GetCarrierStatistics(", year, "): ", stats.source());
    return value;
  }

  ServiceSourcesConfig config_;
  std::unique_ptr<cultivation::v1::CultivationService::Stub> cultivation_;
  std::unique_ptr<evaluation::v1::EvaluationService::Stub> evaluation_;
  std::mutex mutex_;
  std::string token_;
  absl::Time token_refresh_;
  std::map<int, CacheEntry<cultivation::v1::TierStatistics>> tier_cache_;
  std::map<int, CacheEntry<evaluation::v1::CarrierStatistics>> carrier_cache_;
};

}  // namespace

std::unique_ptr<ExternalSources> MakeServiceSources(ServiceSourcesConfig config) {
  return std::make_unique<ServiceSources>(std::move(config));
}

}  // namespace stip::indicators
