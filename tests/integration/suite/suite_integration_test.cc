// stip-indicators with stip-cultivation and stip-evaluation behind it: indicators 3-6 and 13 come from
// cultivation, 8 and 9 from evaluation, and the progress report says so.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/cultivation/domain/uscc.h"
#include "stip/cultivation/v1/cultivation.grpc.pb.h"
#include "stip/evaluation/v1/evaluation.grpc.pb.h"
#include "stip/indicators/v1/indicators.grpc.pb.h"
#include "tests/support/service_fixture.h"

namespace stip {
namespace {

namespace ind = ::stip::indicators::v1;
namespace cult = ::stip::cultivation::v1;
namespace eval = ::stip::evaluation::v1;

std::string Uscc(int serial) {
  std::string body = absl::StrCat("91120110MA0", absl::Dec(serial, absl::kZeroPad6));
  return body + *cultivation::UsccCheckCharacter(body);
}

class SuiteTest : public testing::ServiceFixture {
 protected:
  SuiteTest() : ServiceFixture("suite-it") {}

  void SetUp() override {
    ServiceFixture::SetUp();
    cultivation_ = StartService("cultivation");
    evaluation_ = StartService("evaluation");
    ASSERT_TRUE(cultivation_ != nullptr && evaluation_ != nullptr);
    indicators_ = StartService(
        "indicators", {"--cultivation_addr=" + cultivation_->address(), "--evaluation_addr=" + evaluation_->address()});
    ASSERT_NE(indicators_, nullptr);
    indicator_stub_ = Stub<ind::IndicatorService>(indicators_->address());
    cultivation_stub_ = Stub<cult::CultivationService>(cultivation_->address());
    evaluation_stub_ = Stub<eval::EvaluationService>(evaluation_->address());
  }

  std::unique_ptr<grpc::ClientContext> Context(Role role, const std::string& org_unit = "") const {
    return ServiceFixture::Context(Token(role, org_unit, absl::StrCat("suite-", RoleName(role))),
                                   std::chrono::seconds(10));
  }

  const ind::IndicatorProgress& Find(const ind::PlanProgress& progress, absl::string_view code) {
    for (const auto& item : progress.indicators()) {
      if (item.indicator() == absl::StrCat("plans/dongli-2020-2022/indicators/", code)) return item;
    }
    ADD_FAILURE() << "no indicator " << code;
    return progress.indicators(0);
  }

  ind::PlanProgress Progress(int year) {
    ind::GetProgressRequest request;
    request.set_plan("plans/dongli-2020-2022");
    request.set_year(year);
    ind::PlanProgress progress;
    grpc::Status status = indicator_stub_->GetProgress(Context(Role::kViewer).get(), request, &progress);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return progress;
  }

  testing::ServiceProcess* cultivation_ = nullptr;
  testing::ServiceProcess* evaluation_ = nullptr;
  testing::ServiceProcess* indicators_ = nullptr;
  std::unique_ptr<ind::IndicatorService::Stub> indicator_stub_;
  std::unique_ptr<cult::CultivationService::Stub> cultivation_stub_;
  std::unique_ptr<eval::EvaluationService::Stub> evaluation_stub_;
};

TEST_F(SuiteTest, TierIndicatorsComeFromCultivation) {
  // Before any enterprise is entered, the tier indicators are "not reported yet", not a count of zero at risk.
  ind::PlanProgress before = Progress(2021);
  const ind::IndicatorProgress& high_tech_before = Find(before, "high-tech-enterprises");
  EXPECT_EQ(high_tech_before.status(), ind::NOT_REPORTED) << high_tech_before.source_detail();
  EXPECT_NE(high_tech_before.source_detail().find("no enterprises yet"), std::string::npos)
      << high_tech_before.source_detail();
  EXPECT_EQ(Find(before, "chuying-enterprises").status(), ind::NOT_REPORTED);
  EXPECT_EQ(Find(before, "tech-contract-turnover").source(), ind::REPORTED);
  double baseline = 0;

  // A park registers an enterprise holding a 高企 certificate issued in 2020 (valid three years).
  cult::CreateEnterpriseRequest create;
  cult::Enterprise* enterprise = create.mutable_enterprise();
  enterprise->set_uscc(Uscc(424242));
  enterprise->set_display_name("天津东丽测试科技有限公司");
  enterprise->set_registration_date("2015-06-01");
  enterprise->set_org_unit("huaming");
  enterprise->set_industry("智能科技");
  enterprise->set_tech_field("先进制造与自动化");
  cult::Enterprise created;
  grpc::Status status = cultivation_stub_->CreateEnterprise(Context(Role::kPark, "huaming").get(), create, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  cult::CreateFilingRequest filing;
  filing.set_parent(created.name());
  filing.mutable_filing()->set_year(2020);
  filing.mutable_filing()->set_hte_cert_issue_date("2020-10-28");
  cult::Filing stored;
  status = cultivation_stub_->CreateFiling(Context(Role::kPark, "huaming").get(), filing, &stored);
  ASSERT_TRUE(status.ok()) << status.error_message();

  cult::GetTierStatisticsRequest stats_request;
  stats_request.set_year(2021);
  cult::TierStatistics stats;
  ASSERT_TRUE(cultivation_stub_->GetTierStatistics(Context(Role::kViewer).get(), stats_request, &stats).ok());
  ASSERT_EQ(stats.high_tech(), baseline + 1);
  const ind::PlanProgress after = Progress(2021);
  const ind::IndicatorProgress& high_tech = Find(after, "high-tech-enterprises");
  EXPECT_EQ(high_tech.source(), ind::CULTIVATION);
  EXPECT_TRUE(high_tech.has_actual());
  EXPECT_DOUBLE_EQ(high_tech.actual(), stats.high_tech());
  EXPECT_DOUBLE_EQ(high_tech.target(), 440);
}

TEST_F(SuiteTest, UniversityParkIndicatorsComeFromEvaluation) {
  for (int year : {2020, 2021, 2022}) {
    eval::GetCarrierStatisticsRequest request;
    request.set_year(year);
    eval::CarrierStatistics stats;
    grpc::Status status = evaluation_stub_->GetCarrierStatistics(Context(Role::kViewer).get(), request, &stats);
    ASSERT_TRUE(status.ok()) << status.error_message();
    const ind::PlanProgress progress = Progress(year);
    const ind::IndicatorProgress& municipal = Find(progress, "municipal-university-parks");
    const ind::IndicatorProgress& national = Find(progress, "national-university-parks");
    EXPECT_EQ(municipal.source(), ind::EVALUATION) << municipal.source_detail();
    EXPECT_EQ(national.source(), ind::EVALUATION);
    EXPECT_DOUBLE_EQ(municipal.actual(), stats.municipal_university_parks()) << year;
    EXPECT_DOUBLE_EQ(national.actual(), stats.national_university_parks()) << year;
  }
}

TEST_F(SuiteTest, WhenASourceServiceIsDownProgressFallsBackToReports) {
  ASSERT_TRUE(cultivation_->Terminate().ok());
  const ind::PlanProgress progress = Progress(2021);
  const ind::IndicatorProgress& high_tech = Find(progress, "high-tech-enterprises");
  EXPECT_EQ(high_tech.source(), ind::REPORTED);
  EXPECT_NE(high_tech.source_detail().find("unavailable"), std::string::npos) << high_tech.source_detail();
  EXPECT_EQ(Find(progress, "national-university-parks").source(), ind::EVALUATION);
}

}  // namespace
}  // namespace stip
