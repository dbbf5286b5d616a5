#include "services/indicators/grpc/service_sources.h"

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

  absl::StatusOr<ExternalValues> FetchAll(ValueSource source, int year) override {
    if (source == ValueSource::kCultivation) return FetchTier(year);
    if (source == ValueSource::kEvaluation) return FetchCarriers(year);
    return absl::NotFoundError("reported indicator");
  }

 private:
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

  absl::StatusOr<ExternalValues> FetchTier(int year) {
    if (!cultivation_) return absl::NotFoundError("cultivation service not configured");
    cultivation::v1::GetTierStatisticsRequest request;
    request.set_year(year);
    cultivation::v1::TierStatistics stats;
    grpc::Status status = cultivation_->GetTierStatistics(Context().get(), request, &stats);
    if (!status.ok()) return FromGrpc(status, "cultivation GetTierStatistics");
    // No enterprise entered yet is "nothing reported", not a count of zero (which would read as 存在风险).
    if (stats.enterprises() == 0) return absl::NotFoundError("the cultivation service has no enterprises yet");
    std::string call =
        absl::StrCat("cultivation service GetTierStatistics(", year, "), as of ", stats.as_of_date(), ": ");
    std::string provisional = stats.provisional() ? " (瞪羚/领军 editions provisional)" : "";
    return ExternalValues{
        {"high-tech-enterprises",
         {static_cast<double>(stats.high_tech()),
          call + "高企: valid 高新技术企业 certificates at year end" + provisional}},
        {"chuying-enterprises",
         {static_cast<double>(stats.chuying()),
          call + "雏鹰: enterprises pooled, cultivating or certified at year end" + provisional}},
        {"dengling-enterprises",
         {static_cast<double>(stats.dengling()),
          call + "瞪羚: enterprises pooled, cultivating or certified at year end" + provisional}},
        {"lingjun-enterprises",
         {static_cast<double>(stats.lingjun()),
          call + "领军 ∪ 领军培育 (distinct enterprises) at year end" + provisional}},
        {"listed-tech-enterprises",
         {static_cast<double>(stats.listed_tech()),
          call + "listed enterprises that are 高企 or in a tier" + provisional}},
    };
  }

  absl::StatusOr<ExternalValues> FetchCarriers(int year) {
    if (!evaluation_) return absl::NotFoundError("evaluation service not configured");
    evaluation::v1::GetCarrierStatisticsRequest request;
    request.set_year(year);
    evaluation::v1::CarrierStatistics stats;
    grpc::Status status = evaluation_->GetCarrierStatistics(Context().get(), request, &stats);
    if (!status.ok()) return FromGrpc(status, "evaluation GetCarrierStatistics");
    std::string detail = absl::StrCat("evaluation service GetCarrierStatistics(", year, "): ", stats.source());
    return ExternalValues{
        {"municipal-university-parks", {static_cast<double>(stats.municipal_university_parks()), detail}},
        {"national-university-parks", {static_cast<double>(stats.national_university_parks()), detail}},
    };
  }

  ServiceSourcesConfig config_;
  std::unique_ptr<cultivation::v1::CultivationService::Stub> cultivation_;
  std::unique_ptr<evaluation::v1::EvaluationService::Stub> evaluation_;
  std::mutex mutex_;
  std::string token_;
  absl::Time token_refresh_;
};

}  // namespace

std::unique_ptr<ExternalSources> MakeServiceSources(ServiceSourcesConfig config) {
  return std::make_unique<ServiceSources>(std::move(config));
}

}  // namespace stip::indicators
