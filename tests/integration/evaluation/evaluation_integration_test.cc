// The real stip-evaluation binary over loopback gRPC: seed carriers, reports with field violations, recognition
// explained per criterion, 六有 assessments with a rubric published at run time, performance grades with the
// two-years-D flag, statistics for indicators 8/9, operator scope, and kill -9 + restart.
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/grpc_status.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "stip/evaluation/v1/evaluation.grpc.pb.h"
#include "tests/support/matchers.h"
#include "tests/support/service_fixture.h"
#include "tests/support/tokens.h"

namespace stip::evaluation {
namespace {

namespace pb = ::stip::evaluation::v1;
using stip::testing::ServiceProcess;

class EvaluationIntegration : public testing::ServiceFixture {
 protected:
  EvaluationIntegration() : ServiceFixture("evaluation-it") {}
  void SetUp() override {
    ServiceFixture::SetUp();
    service_ = StartService("evaluation");
    ASSERT_NE(service_, nullptr);
    Connect();
  }
  void Connect() { stub_ = Stub<pb::EvaluationService>(service_->address()); }
  static pb::AnnualReport GoodReport(int year) {
    pb::AnnualReport r;
    r.set_year(year);
    r.set_total_area_m2(20000);
    r.set_incubation_area_m2(16000);
    r.set_incubatee_area_m2(13000);
    r.set_public_service_area_m2(18500);
    r.set_incubatees(60);
    r.set_new_incubatees(12);
    r.set_graduated(6);
    r.set_cumulative_graduates(25);
    r.set_financed_incubatees(8);
    r.set_fund_size_yuan(6000000);
    r.set_fund_use_cases(4);
    r.set_total_staff(10);
    r.set_professional_staff(9);
    r.set_mentors(8);
    r.set_events(20);
    r.set_incubatees_with_patent_applications(32);
    r.set_incubatees_with_valid_ip(20);
    r.set_makers_served(160);
    r.set_startup_projects(62);
    r.set_jobs_created(400);
    r.set_statistics_reported(true);
    r.set_statistics_years(3);
    r.set_premises_owned(true);
    r.set_partner_links(true);
    return r;
  }
  absl::Status FileReport(Role role, const std::string& org, const std::string& carrier, const pb::AnnualReport& report,
                          pb::AnnualReport* out) {
    pb::CreateAnnualReportRequest request;
    request.set_parent("carriers/" + carrier);
    *request.mutable_report() = report;
    grpc::Status status = stub_->CreateAnnualReport(As(role, org).get(), request, out);
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  pb::Carrier Grant(const std::string& carrier, pb::CarrierLevel level, int year) {
    pb::Carrier current;
    pb::GetCarrierRequest get;
    get.set_name("carriers/" + carrier);
    EXPECT_TRUE(stub_->GetCarrier(As(Role::kBureau, "kjj").get(), get, &current).ok());
    pb::UpdateCarrierRequest update;
    *update.mutable_carrier() = current;
    pb::LevelGrant* grant = update.mutable_carrier()->add_levels();
    grant->set_level(level);
    grant->set_year(year);
    grant->set_document("测试批文");
    update.mutable_update_mask()->add_paths("levels");
    pb::Carrier out;
    grpc::Status status = stub_->UpdateCarrier(As(Role::kBureau, "kjj").get(), update, &out);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }
  pb::PerformanceEvaluation Evaluate(const std::string& carrier, int year, double expert,
                                     grpc::Status* status_out = nullptr) {
    pb::EvaluatePerformanceRequest request;
    request.set_name("carriers/" + carrier);
    request.set_year(year);
    (*request.mutable_expert_scores())["SC4"] = expert;
    (*request.mutable_expert_scores())["SU3"] = expert;
    pb::PerformanceEvaluation out;
    grpc::Status status = stub_->EvaluatePerformance(As(Role::kBureau, "kjj").get(), request, &out);
    if (status_out != nullptr)
      *status_out = status;
    else
      EXPECT_TRUE(status.ok()) << status.error_message();
    return out;
  }

  ServiceProcess* service_ = nullptr;
  std::unique_ptr<pb::EvaluationService::Stub> stub_;
};

TEST_F(EvaluationIntegration, SeedCarriersArePresentAndScoped) {
  pb::ListCarriersRequest request;
  pb::ListCarriersResponse all;
  ASSERT_TRUE(stub_->ListCarriers(As(Role::kBureau, "kjj").get(), request, &all).ok());
  std::set<std::string> ids;
  for (const pb::Carrier& c : all.carriers()) ids.insert(c.id());
  for (const char* id : {"cauc-park", "tsinghua-tj-park", "zhixin-incubator", "binhang-incubator", "innomedi-incubator",
                         "liandong-incubator"}) {
    EXPECT_EQ(ids.count(id), 1u) << id;
  }
  pb::ListCarriersResponse own;
  ASSERT_TRUE(stub_->ListCarriers(As(Role::kPark, "cauc-park").get(), request, &own).ok());
  ASSERT_EQ(own.carriers_size(), 1);
  EXPECT_EQ(own.carriers(0).display_name(), "中国民航大学科技园");
  EXPECT_EQ(own.carriers(0).org_unit(), "linkong");
  pb::GetCarrierRequest other;
  other.set_name("carriers/tsinghua-tj-park");
  pb::Carrier out;
  EXPECT_EQ(stub_->GetCarrier(As(Role::kPark, "cauc-park").get(), other, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext anonymous;
  EXPECT_EQ(stub_->GetCarrier(&anonymous, other, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(EvaluationIntegration, ReportsAreCheckedAndScoped) {
  pb::AnnualReport bad = GoodReport(2021);
  bad.set_incubation_area_m2(-5);
  bad.set_graduated(70);  // > 60 incubatees
  pb::CreateAnnualReportRequest request;
  request.set_parent("carriers/zhixin-incubator");
  *request.mutable_report() = bad;
  pb::AnnualReport out;
  grpc::Status status = stub_->CreateAnnualReport(As(Role::kPark, "zhixin-incubator").get(), request, &out);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::set<std::string> fields;
  for (const auto& [field, description] : FieldViolationsOf(status)) fields.insert(field);
  EXPECT_EQ(fields.count("report.incubation_area_m2"), 1u);
  EXPECT_EQ(fields.count("report.graduated"), 1u);
  pb::GetAnnualReportRequest get;
  get.set_name("carriers/zhixin-incubator/reports/2021");
  EXPECT_EQ(stub_->GetAnnualReport(As(Role::kBureau, "kjj").get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Another carrier's operator: refused, nothing written.
  EXPECT_EQ(FileReport(Role::kPark, "cauc-park", "zhixin-incubator", GoodReport(2021), &out).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(stub_->GetAnnualReport(As(Role::kBureau, "kjj").get(), get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(FileReport(Role::kViewer, "", "zhixin-incubator", GoodReport(2021), &out).code(),
            absl::StatusCode::kPermissionDenied);

  ASSERT_TRUE(FileReport(Role::kPark, "zhixin-incubator", "zhixin-incubator", GoodReport(2021), &out).ok());
  EXPECT_EQ(out.name(), "carriers/zhixin-incubator/reports/2021");
  EXPECT_EQ(out.etag(), "1");
  EXPECT_EQ(FileReport(Role::kPark, "zhixin-incubator", "zhixin-incubator", GoodReport(2021), &out).code(),
            absl::StatusCode::kAlreadyExists);
  // Update with a stale etag is ABORTED; with the right one it succeeds.
  pb::UpdateAnnualReportRequest update;
  *update.mutable_report() = GoodReport(2021);
  update.mutable_report()->set_name("carriers/zhixin-incubator/reports/2021");
  update.mutable_report()->set_mentors(9);
  update.mutable_report()->set_etag("7");
  EXPECT_EQ(stub_->UpdateAnnualReport(As(Role::kPark, "zhixin-incubator").get(), update, &out).error_code(),
            grpc::StatusCode::ABORTED);
  update.mutable_report()->set_etag("1");
  ASSERT_TRUE(stub_->UpdateAnnualReport(As(Role::kPark, "zhixin-incubator").get(), update, &out).ok());
  EXPECT_EQ(out.mentors(), 9);
  EXPECT_EQ(out.etag(), "2");
}

TEST_F(EvaluationIntegration, RecognitionIsExplainedPerCriterionWithProvisionalFlags) {
  pb::AnnualReport out;
  ASSERT_TRUE(FileReport(Role::kPark, "binhang-incubator", "binhang-incubator", GoodReport(2021), &out).ok());
  pb::CheckRecognitionRequest request;
  request.set_name("carriers/binhang-incubator");
  request.set_year(2021);
  pb::CheckRecognitionResponse response;
  ASSERT_TRUE(stub_->CheckRecognition(As(Role::kPark, "binhang-incubator").get(), request, &response).ok());
  ASSERT_EQ(response.checks_size(), 2);
  const pb::RecognitionCheck& municipal = response.checks(0);
  EXPECT_EQ(municipal.program(), "incubator_municipal");
  EXPECT_EQ(municipal.edition(), "tianjin-2019");
  using ::testing::Property;
  using Criterion = stip::type::v1::CriterionResult;
  EXPECT_THAT(
      municipal.criteria(),
      testing::HasCriterion(
          "T3a", ::testing::AllOf(testing::Outcome(stip::type::v1::PASS), Property(&Criterion::actual, "600万元"),
                                  Property(&Criterion::threshold, "≥ 200万元"),
                                  Property(&Criterion::source_status, stip::type::v1::VERIFIED))));
  // No established_date: T1c is missing data.
  EXPECT_THAT(municipal.criteria(), testing::HasCriterion("T1c", testing::Outcome(stip::type::v1::MISSING_DATA)));
  EXPECT_FALSE(municipal.eligible());

  // University parks: every criterion provisional and labelled.
  ASSERT_TRUE(FileReport(Role::kPark, "cauc-park", "cauc-park", GoodReport(2021), &out).ok());
  request.set_name("carriers/cauc-park");
  request.set_program("university_park_municipal");
  ASSERT_TRUE(stub_->CheckRecognition(As(Role::kPark, "cauc-park").get(), request, &response).ok());
  ASSERT_EQ(response.checks_size(), 1);
  EXPECT_TRUE(response.checks(0).provisional());
  for (const auto& c : response.checks(0).criteria()) EXPECT_TRUE(c.provisional()) << c.id();
  request.set_program("incubator_national");
  EXPECT_EQ(stub_->CheckRecognition(As(Role::kPark, "cauc-park").get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(EvaluationIntegration, LiuyouAssessmentHistoryAndRubricPublishedAtRunTime) {
  pb::CreateAssessmentRequest request;
  request.set_parent("carriers/zhixin-incubator");
  request.mutable_assessment()->set_year(2021);
  for (const char* id : {"Y1", "Y2", "Y3", "Y4", "Y5", "Y6"}) {
    pb::ItemScore* item = request.mutable_assessment()->add_items();
    item->set_item_id(id);
    item->set_score(12);
    item->set_evidence("现场核查");
  }
  pb::Assessment first;
  // An operator cannot assess itself.
  EXPECT_EQ(stub_->CreateAssessment(As(Role::kPark, "zhixin-incubator").get(), request, &first).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->CreateAssessment(As(Role::kBureau, "kjj").get(), request, &first).ok());
  EXPECT_EQ(first.rubric_version(), 1);
  EXPECT_TRUE(first.provisional());
  EXPECT_DOUBLE_EQ(first.total(), 72);
  EXPECT_TRUE(first.passed()) << first.result();

  // An admin publishes version 2 (from 2021) with a stricter total; a re-assessment uses it; history kept.
  pb::GetRubricVersionRequest get;
  get.set_name("rubrics/liuyou/versions/latest");
  pb::RubricVersion v1;
  ASSERT_TRUE(stub_->GetRubricVersion(As(Role::kViewer).get(), get, &v1).ok());
  pb::CreateRubricVersionRequest publish;
  publish.set_parent("rubrics/liuyou");
  *publish.mutable_rubric_version() = v1;
  publish.mutable_rubric_version()->set_version(0);
  publish.mutable_rubric_version()->set_effective_year(2021);
  publish.mutable_rubric_version()->set_pass_total(80);
  publish.mutable_rubric_version()->set_title("东丽区孵化载体“六有”特色标准（2021修订，暂定）");
  pb::RubricVersion v2;
  EXPECT_EQ(stub_->CreateRubricVersion(As(Role::kBureau, "kjj").get(), publish, &v2).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->CreateRubricVersion(As(Role::kAdmin, "").get(), publish, &v2).ok());
  EXPECT_EQ(v2.version(), 2);
  EXPECT_EQ(v2.origin(), "api");
  pb::Assessment second;
  ASSERT_TRUE(stub_->CreateAssessment(As(Role::kBureau, "kjj").get(), request, &second).ok());
  EXPECT_EQ(second.rubric_version(), 2);
  EXPECT_FALSE(second.passed());
  pb::ListAssessmentsRequest list;
  list.set_parent("carriers/zhixin-incubator");
  pb::ListAssessmentsResponse history;
  ASSERT_TRUE(stub_->ListAssessments(As(Role::kPark, "zhixin-incubator").get(), list, &history).ok());
  ASSERT_EQ(history.assessments_size(), 2);
  EXPECT_EQ(history.assessments(0).name(), second.name());
  EXPECT_FALSE(history.assessments(0).superseded());
  EXPECT_TRUE(history.assessments(1).superseded());
  EXPECT_EQ(history.assessments(1).rubric_version(), 1);

  // Missing evidence → field violation.
  request.mutable_assessment()->mutable_items(2)->clear_evidence();
  grpc::Status status = stub_->CreateAssessment(As(Role::kBureau, "kjj").get(), request, &second);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldViolationsOf(status).at(0).first, "assessment.items[2].evidence");
}

TEST_F(EvaluationIntegration, PerformanceGradesCutOffsAndTwoYearsD) {
  Grant("liandong-incubator", pb::NATIONAL, 2019);
  pb::AnnualReport out;
  pb::AnnualReport weak = GoodReport(2020);
  for (int year : {2020, 2021}) {
    weak.set_year(year);
    weak.set_events(0);
    weak.set_mentors(0);
    weak.set_professional_staff(0);
    weak.set_graduated(0);
    weak.set_financed_incubatees(0);
    weak.set_incubatees_with_patent_applications(0);
    weak.set_incubatees_with_valid_ip(0);
    weak.set_fund_size_yuan(0);
    weak.set_jobs_created(0);
    weak.set_cumulative_graduates(0);
    ASSERT_TRUE(FileReport(Role::kPark, "liandong-incubator", "liandong-incubator", weak, &out).ok());
  }
  pb::PerformanceEvaluation y2020 = Evaluate("liandong-incubator", 2020, 10);
  EXPECT_EQ(y2020.grade(), pb::D);
  EXPECT_FALSE(y2020.loses_national_status());
  EXPECT_TRUE(y2020.provisional());
  pb::PerformanceEvaluation y2021 = Evaluate("liandong-incubator", 2021, 10);
  EXPECT_EQ(y2021.grade(), pb::D);
  EXPECT_TRUE(y2021.loses_national_status());
  EXPECT_FALSE(y2021.national_status_note().empty());
  pb::GetCarrierRequest get;
  get.set_name("carriers/liandong-incubator");
  pb::Carrier carrier;
  ASSERT_TRUE(stub_->GetCarrier(As(Role::kViewer).get(), get, &carrier).ok());
  EXPECT_TRUE(carrier.national_status_at_risk());

  // A strong report: grade depends on the configured cut-offs; an admin lowers the cut-offs at run time.
  ASSERT_TRUE(FileReport(Role::kPark, "zhixin-incubator", "zhixin-incubator", GoodReport(2021), &out).ok());
  pb::PerformanceEvaluation before = Evaluate("zhixin-incubator", 2021, 60);
  EXPECT_NE(before.grade(), pb::A) << before.total();
  pb::ListPerformanceSchemeVersionsRequest list;
  list.set_parent("performanceSchemes/incubator");
  pb::ListPerformanceSchemeVersionsResponse versions;
  ASSERT_TRUE(stub_->ListPerformanceSchemeVersions(As(Role::kViewer).get(), list, &versions).ok());
  std::string json = versions.versions(0).definition_json();
  std::string old_grades =
      R"("grades": [{"grade": "A", "min": 85}, {"grade": "B", "min": 70}, {"grade": "C", "min": 60})";
  ASSERT_NE(json.find(old_grades), std::string::npos);
  json.replace(json.find(old_grades), old_grades.size(),
               R"("grades": [{"grade": "A", "min": 45}, {"grade": "B", "min": 30}, {"grade": "C", "min": 20})");
  pb::CreatePerformanceSchemeVersionRequest publish;
  publish.set_parent("performanceSchemes/incubator");
  publish.mutable_scheme_version()->set_definition_json(json);
  pb::PerformanceSchemeVersion v2;
  grpc::Status published = stub_->CreatePerformanceSchemeVersion(As(Role::kAdmin).get(), publish, &v2);
  ASSERT_TRUE(published.ok()) << published.error_code() << " " << published.error_message();
  EXPECT_EQ(v2.version(), 2);
  pb::PerformanceEvaluation after = Evaluate("zhixin-incubator", 2021, 60);
  EXPECT_EQ(after.scheme_version(), 2);
  EXPECT_EQ(after.grade(), pb::A) << after.total();
  EXPECT_DOUBLE_EQ(after.total(), before.total());

  // Missing expert score → field violation naming it.
  pb::EvaluatePerformanceRequest missing;
  missing.set_name("carriers/zhixin-incubator");
  missing.set_year(2021);
  grpc::Status status = stub_->EvaluatePerformance(As(Role::kBureau, "kjj").get(), missing, &after);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldViolationsOf(status).size(), 2u);
}

TEST_F(EvaluationIntegration, StatisticsForIndicatorsEightAndNine) {
  pb::GetCarrierStatisticsRequest request;
  request.set_year(2022);
  pb::CarrierStatistics stats;
  ASSERT_TRUE(stub_->GetCarrierStatistics(As(Role::kViewer).get(), request, &stats).ok());
  EXPECT_EQ(stats.municipal_university_parks(), 0);
  EXPECT_EQ(stats.national_university_parks(), 0);
  EXPECT_EQ(stats.carriers(), 6);
  Grant("cauc-park", pb::MUNICIPAL, 2021);
  Grant("cauc-park", pb::NATIONAL, 2022);
  Grant("tsinghua-tj-park", pb::MUNICIPAL, 2019);  // before the plan period: not "new"
  request.set_year(2021);
  ASSERT_TRUE(stub_->GetCarrierStatistics(As(Role::kViewer).get(), request, &stats).ok());
  EXPECT_EQ(stats.municipal_university_parks(), 1);
  EXPECT_EQ(stats.national_university_parks(), 0);
  EXPECT_EQ(stats.municipal_university_parks_all_time(), 2);
  request.set_year(2022);
  ASSERT_TRUE(stub_->GetCarrierStatistics(As(Role::kViewer).get(), request, &stats).ok());
  EXPECT_EQ(stats.municipal_university_parks(), 1);
  EXPECT_EQ(stats.national_university_parks(), 1);
  ASSERT_EQ(stats.national_university_park_names_size(), 1);
  EXPECT_EQ(stats.national_university_park_names(0), "carriers/cauc-park");
  EXPECT_FALSE(stats.source().empty());
  EXPECT_THAT(stats.by_kind(),
              ::testing::Contains(::testing::AllOf(::testing::Property(&pb::Count::key, "UNIVERSITY_SCIENCE_PARK"),
                                                   ::testing::Property(&pb::Count::count, 2))));
  // An operator may not record its own level.
  pb::UpdateCarrierRequest update;
  update.mutable_carrier()->set_name("carriers/cauc-park");
  update.mutable_update_mask()->add_paths("levels");
  pb::Carrier out;
  EXPECT_EQ(stub_->UpdateCarrier(As(Role::kPark, "cauc-park").get(), update, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(EvaluationIntegration, KillNineAndRestartLosesNoCommittedWrite) {
  pb::AnnualReport out;
  ASSERT_TRUE(FileReport(Role::kPark, "innomedi-incubator", "innomedi-incubator", GoodReport(2022), &out).ok());
  Grant("tsinghua-tj-park", pb::MUNICIPAL, 2021);
  ASSERT_TRUE(service_->KillAndRestart().ok());
  Connect();
  pb::GetAnnualReportRequest get;
  get.set_name("carriers/innomedi-incubator/reports/2022");
  ASSERT_TRUE(stub_->GetAnnualReport(As(Role::kBureau, "kjj").get(), get, &out).ok());
  EXPECT_EQ(out.incubatees(), 60);
  pb::GetCarrierStatisticsRequest request;
  request.set_year(2021);
  pb::CarrierStatistics stats;
  ASSERT_TRUE(stub_->GetCarrierStatistics(As(Role::kViewer).get(), request, &stats).ok());
  EXPECT_EQ(stats.municipal_university_parks(), 1);
  auto code = service_->Terminate();
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace stip::evaluation
