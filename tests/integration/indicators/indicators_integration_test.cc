// The real stip-indicators binary on a loopback port, driven over gRPC with real tokens.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/grpc_status.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "stip/indicators/v1/indicators.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/service_fixture.h"
#include "tests/support/tokens.h"

namespace stip {
namespace {

namespace pb = ::stip::indicators::v1;
constexpr char kPlan[] = "plans/dongli-2020-2022";

std::string Indicator(absl::string_view code) {
  return absl::StrCat(kPlan, "/indicators/", code);
}

class IndicatorsTest : public testing::ServiceFixture {
 protected:
  IndicatorsTest() : ServiceFixture("indicators-it") {}

  void SetUp() override {
    ServiceFixture::SetUp();
    service_ = StartService("indicators");
    ASSERT_NE(service_, nullptr);
    Connect();
  }

  void Connect() {
    channel_ = grpc::CreateChannel(service_->address(), grpc::InsecureChannelCredentials());
    stub_ = pb::IndicatorService::NewStub(channel_);
  }

  grpc::Status Report(const std::string& token, absl::string_view indicator, int year, absl::string_view org_unit,
                      double value, bool submit, pb::ReportedValue* out = nullptr) {
    pb::ReportValueRequest request;
    request.set_parent(std::string(indicator));
    request.set_year(year);
    request.set_org_unit(std::string(org_unit));
    request.set_value(value);
    request.set_submit(submit);
    pb::ReportedValue response;
    grpc::Status status = stub_->ReportValue(Context(token).get(), request, &response);
    if (out != nullptr) *out = response;
    return status;
  }

  grpc::Status Transition(const std::string& token, const std::string& name, const char* action,
                          pb::ReportedValue* out = nullptr) {
    pb::TransitionValueRequest request;
    request.set_name(name);
    request.set_comment(absl::StrCat("test ", action));
    pb::ReportedValue response;
    auto context = Context(token);
    grpc::Status status;
    if (std::string(action) == "approve") status = stub_->ApproveValue(context.get(), request, &response);
    if (std::string(action) == "submit") status = stub_->SubmitValue(context.get(), request, &response);
    if (std::string(action) == "reject") status = stub_->RejectValue(context.get(), request, &response);
    if (std::string(action) == "reopen") status = stub_->ReopenValue(context.get(), request, &response);
    if (out != nullptr) *out = response;
    return status;
  }

  pb::PlanProgress Progress(int year, const std::string& token) {
    pb::GetProgressRequest request;
    request.set_plan(kPlan);
    request.set_year(year);
    pb::PlanProgress progress;
    grpc::Status status = stub_->GetProgress(Context(token).get(), request, &progress);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return progress;
  }

  static const pb::IndicatorProgress* Find(const pb::PlanProgress& progress, absl::string_view code) {
    for (const auto& item : progress.indicators()) {
      if (item.indicator() == Indicator(code)) return &item;
    }
    return nullptr;
  }

  int CountValues(absl::string_view indicator) {
    pb::ListValuesRequest request;
    request.set_parent(std::string(indicator));
    pb::ListValuesResponse response;
    EXPECT_TRUE(stub_->ListValues(Context(Token(Role::kAdmin, "", "auditor")).get(), request, &response).ok());
    return response.values_size();
  }

  testing::ServiceProcess* service_ = nullptr;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb::IndicatorService::Stub> stub_;
};

TEST_F(IndicatorsTest, HealthIsServingWithoutTokenAndReflectionListsTheService) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  for (const char* name : {"", "stip.indicators.v1.IndicatorService"}) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(name);
    grpc::health::v1::HealthCheckResponse response;
    ASSERT_TRUE(health->Check(&context, request, &response).ok());
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << name;
  }
  // A client that knows only reflection.
  std::string command = absl::StrCat(testing::BuildPath("tools/stipctl"), " services ", service_->address());
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[256];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
  EXPECT_EQ(pclose(pipe), 0);
  EXPECT_NE(output.find("stip.indicators.v1.IndicatorService"), std::string::npos) << output;
}

TEST_F(IndicatorsTest, ThirteenIndicatorsWithTheSeedTableTargets) {
  struct Row {
    int number;
    const char* name;
    const char* unit;
    const char* t2020;
    const char* t2021;
    const char* t2022;
  };
  // The annex of 东丽政发〔2021〕5号 (附件 年度分解表), transcribed.
  const Row kTable[] = {
      {1, "全社会研发投入强度", "%", "2.93", "3", "3.2"},
      {2, "全区有效发明专利", "万件", "0.18", "0.19", "0.2"},
      {3, "高新技术企业数量", "家", "380", "440", "500"},
      {4, "雏鹰企业数量", "家", "225", "245", "270"},
      {5, "瞪羚企业数量", "家", "20", "21", "22"},
      {6, "科技领军（领军培育）企业数量", "家", "17", "17", "18"},
      {7, "全区技术合同成交额", "亿元", "50", "55", "60"},
      {8, "新建市级大学科技园（累计）", "家", "0", "1", "1"},
      {9, "获批国家级大学科技园（累计）", "家", "0", "0", "1"},
      {10, "工业战略性新兴产业增加值占全市规模以上工业增加值比重", "%", "1.0", "1.1", "1.2"},
      {11, "高技术制造业增加值占全市规模以上工业增加值比重", "%", "0.47", "0.54", "0.64"},
      {12, "高技术服务业增加值及其互联网和相关服务业为代表的现代新兴服务业增加值占全市服务业增加值比重", "%", "0.2",
       "0.2", "0.3"},
      {13, "科技型上市企业数量", "家", "0", "0", "1"},
  };
  pb::ListIndicatorsRequest request;
  request.set_parent(kPlan);
  pb::ListIndicatorsResponse response;
  ASSERT_TRUE(stub_->ListIndicators(Context(Token(Role::kViewer)).get(), request, &response).ok());
  ASSERT_EQ(response.indicators_size(), 13);
  for (int i = 0; i < 13; ++i) {
    const pb::Indicator& indicator = response.indicators(i);
    const Row& row = kTable[i];
    EXPECT_EQ(indicator.number(), row.number);
    EXPECT_EQ(indicator.display_name(), row.name) << row.number;
    EXPECT_EQ(indicator.unit(), row.unit) << row.number;
    ASSERT_EQ(indicator.targets_size(), 3) << row.number;
    EXPECT_EQ(indicator.targets(0).year(), 2020);
    EXPECT_EQ(indicator.targets(0).text(), row.t2020) << row.number;
    EXPECT_EQ(indicator.targets(1).text(), row.t2021) << row.number;
    EXPECT_EQ(indicator.targets(2).text(), row.t2022) << row.number;
    EXPECT_DOUBLE_EQ(indicator.targets(2).value(), std::stod(row.t2022)) << row.number;
  }
  EXPECT_EQ(response.indicators(0).lead_unit(), "orgUnits/kjj");
  EXPECT_EQ(response.indicators(0).kind(), pb::RATIO);
  EXPECT_EQ(response.indicators(6).kind(), pb::FLOW);
  EXPECT_EQ(response.indicators(7).kind(), pb::CUMULATIVE_COUNT);
  EXPECT_EQ(response.indicators(9).lead_unit(), "");
}

TEST_F(IndicatorsTest, ProgressForEveryPlanYearCarriesTheSeedTargets) {
  const char* kTargets2022[] = {"3.2", "0.2", "500", "270", "22", "18", "60", "1", "1", "1.2", "0.64", "0.3", "1"};
  for (int year : {2020, 2021, 2022}) {
    pb::PlanProgress progress = Progress(year, Token(Role::kViewer));
    ASSERT_EQ(progress.indicators_size(), 13) << year;
    EXPECT_EQ(progress.no_data(), 13) << "nothing reported yet";
    EXPECT_EQ(progress.milestones_size(), 4);
    if (year == 2022) {
      for (int i = 0; i < 13; ++i) EXPECT_EQ(progress.indicators(i).target_text(), kTargets2022[i]);
    }
  }
  pb::GetProgressRequest bad;
  bad.set_plan(kPlan);
  bad.set_year(2019);
  pb::PlanProgress ignored;
  grpc::Status status = stub_->GetProgress(Context(Token(Role::kViewer)).get(), bad, &ignored);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(FieldViolationsOf(status).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(status)[0].first, "year");
}

TEST_F(IndicatorsTest, ReportApproveAggregateAndReadProgress) {
  std::string huaming = Token(Role::kPark, "huaming");
  std::string linkong = Token(Role::kPark, "linkong");
  std::string kjj = Token(Role::kBureau, "kjj");
  std::string zscqj = Token(Role::kBureau, "zscqj");
  pb::ReportedValue a, b, patents;
  // Two parks report technology-contract turnover (a flow) for 2021; the lead unit approves.
  ASSERT_TRUE(Report(huaming, Indicator("tech-contract-turnover"), 2021, "huaming", 31.5, true, &a).ok());
  ASSERT_TRUE(Report(linkong, Indicator("tech-contract-turnover"), 2021, "orgUnits/linkong", 24.5, true, &b).ok());
  EXPECT_EQ(a.state(), pb::SUBMITTED);
  EXPECT_EQ(a.name(), Indicator("tech-contract-turnover") + "/values/2021-huaming");
  // Before approval the district value is empty, unless submitted values are asked for.
  pb::AggregateIndicatorRequest aggregate_request;
  aggregate_request.set_name(Indicator("tech-contract-turnover"));
  aggregate_request.set_year(2021);
  pb::Aggregate aggregate;
  ASSERT_TRUE(stub_->AggregateIndicator(Context(kjj).get(), aggregate_request, &aggregate).ok());
  EXPECT_FALSE(aggregate.has_value());
  aggregate_request.set_include_submitted(true);
  ASSERT_TRUE(stub_->AggregateIndicator(Context(kjj).get(), aggregate_request, &aggregate).ok());
  EXPECT_DOUBLE_EQ(aggregate.value(), 56);
  ASSERT_TRUE(Transition(kjj, a.name(), "approve").ok());
  ASSERT_TRUE(Transition(kjj, b.name(), "approve").ok());
  // The responsible bureau reports the district's patents; the lead unit approves.
  ASSERT_TRUE(Report(zscqj, Indicator("invention-patents"), 2021, "dongli", 0.19, true, &patents).ok());
  pb::ReportedValue approved;
  ASSERT_TRUE(Transition(kjj, patents.name(), "approve", &approved).ok());
  EXPECT_EQ(approved.state(), pb::APPROVED);
  EXPECT_EQ(approved.approver(), "bureau-kjj");

  aggregate_request.set_include_submitted(false);
  ASSERT_TRUE(stub_->AggregateIndicator(Context(Token(Role::kViewer)).get(), aggregate_request, &aggregate).ok());
  EXPECT_TRUE(aggregate.has_value());
  EXPECT_DOUBLE_EQ(aggregate.value(), 56);
  EXPECT_EQ(aggregate.contributions_size(), 2);

  for (const std::string& token : {Token(Role::kViewer), kjj, huaming, Token(Role::kAdmin)}) {
    pb::PlanProgress progress = Progress(2021, token);
    const pb::IndicatorProgress* turnover = Find(progress, "tech-contract-turnover");
    ASSERT_NE(turnover, nullptr);
    EXPECT_TRUE(turnover->has_actual());
    EXPECT_DOUBLE_EQ(turnover->actual(), 56);
    EXPECT_DOUBLE_EQ(turnover->target(), 55);
    EXPECT_NEAR(turnover->attainment(), 56.0 / 55.0, 1e-12);
    EXPECT_EQ(turnover->status(), pb::ACHIEVED);
    EXPECT_EQ(turnover->source(), pb::REPORTED);
    const pb::IndicatorProgress* patent_progress = Find(progress, "invention-patents");
    EXPECT_DOUBLE_EQ(patent_progress->actual(), 0.19);
    EXPECT_EQ(patent_progress->status(), pb::ACHIEVED);
    EXPECT_TRUE(patent_progress->forecast().low_confidence());
    EXPECT_EQ(progress.achieved(), 2);
    EXPECT_EQ(progress.no_data(), 11);
  }
  // A ratio with a percentage-point gap: R&D intensity 2.8 % against 2.93 % in 2020.
  std::string admin = Token(Role::kAdmin, "", "admin-1");
  pb::ReportedValue intensity;
  ASSERT_TRUE(Report(admin, Indicator("rd-intensity"), 2020, "dongli", 2.8, true, &intensity).ok());
  ASSERT_TRUE(Transition(admin, intensity.name(), "approve").ok());
  pb::PlanProgress progress2020 = Progress(2020, admin);
  const pb::IndicatorProgress* rd = Find(progress2020, "rd-intensity");
  EXPECT_NEAR(rd->gap(), -0.13, 1e-9);
  EXPECT_EQ(rd->gap_unit(), "百分点 (pp)");
  EXPECT_EQ(rd->status(), pb::ON_TRACK);  // 95.6 % of target, above the 90 % on-track threshold
  pb::PlanProgress progress2021 = Progress(2021, admin);
  const pb::IndicatorProgress* rd2021 = Find(progress2021, "rd-intensity");
  EXPECT_FALSE(rd2021->has_actual());
  EXPECT_TRUE(rd2021->has_previous());
  EXPECT_DOUBLE_EQ(rd2021->previous(), 2.8);
}

TEST_F(IndicatorsTest, RatioFromPartsIsARatioOfSums) {
  // 区工信局 reports the strategic-emerging-industry share of two parks as parts (亿元 of the city's total);
  // the plan names no lead unit for it, so an admin approves.
  std::string gxj = Token(Role::kBureau, "gxj");
  std::string admin = Token(Role::kAdmin, "", "admin-1");
  std::string indicator = Indicator("strategic-emerging-industry-share");
  auto report_parts = [&](const char* unit, double numerator, double denominator, pb::ReportedValue* out) {
    pb::ReportValueRequest request;
    request.set_parent(indicator);
    request.set_year(2021);
    request.set_org_unit(unit);
    request.set_numerator(numerator);
    request.set_denominator(denominator);
    request.set_submit(true);
    return stub_->ReportValue(Context(gxj).get(), request, out);
  };
  pb::ReportedValue a, b, bad;
  ASSERT_TRUE(report_parts("huaming", 10, 1000, &a).ok());   // 1 %
  ASSERT_TRUE(report_parts("jingkaiqu", 30, 500, &b).ok());  // 6 %
  EXPECT_DOUBLE_EQ(a.value(), 1.0);
  grpc::Status refused = report_parts("linkong", 50, 40, &bad);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_FALSE(FieldViolationsOf(refused).empty());
  EXPECT_EQ(FieldViolationsOf(refused)[0].first, "numerator");
  EXPECT_EQ(Transition(gxj, a.name(), "approve").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Transition(admin, a.name(), "approve").ok());
  ASSERT_TRUE(Transition(admin, b.name(), "approve").ok());
  pb::AggregateIndicatorRequest request;
  request.set_name(indicator);
  request.set_year(2021);
  pb::Aggregate aggregate;
  ASSERT_TRUE(stub_->AggregateIndicator(Context(gxj).get(), request, &aggregate).ok());
  EXPECT_NEAR(aggregate.value(), 40.0 / 1500.0 * 100, 1e-9);  // 2.67 %, not the mean of shares (3.5 %)
  EXPECT_EQ(aggregate.contributions_size(), 2);
  EXPECT_EQ(CountValues(indicator), 2);
}

TEST_F(IndicatorsTest, MilestoneProgressIsCumulative) {
  std::string kjj = Token(Role::kBureau, "kjj");
  std::string milestone = absl::StrCat(kPlan, "/keyTasks/6/milestones/makers-served");
  pb::ReportedValue first, second;
  ASSERT_TRUE(Report(kjj, milestone, 2020, "linkong", 60, true, &first).ok());
  ASSERT_TRUE(Report(kjj, milestone, 2021, "linkong", 50, true, &second).ok());
  ASSERT_TRUE(Transition(kjj, first.name(), "approve").ok());
  ASSERT_TRUE(Transition(kjj, second.name(), "approve").ok());
  pb::PlanProgress progress = Progress(2021, kjj);
  const pb::MilestoneProgress* makers = nullptr;
  for (const auto& item : progress.milestones()) {
    if (item.milestone() == milestone) makers = &item;
  }
  ASSERT_NE(makers, nullptr);
  EXPECT_DOUBLE_EQ(makers->actual(), 110);
  EXPECT_DOUBLE_EQ(makers->target(), 150);
  EXPECT_EQ(makers->status(), pb::ON_TRACK);  // 100 due by 2021
}

TEST_F(IndicatorsTest, UnauthenticatedCallsAreRefusedAndWriteNothing) {
  grpc::Status none = Report("", Indicator("invention-patents"), 2021, "dongli", 0.19, false);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status garbage = Report("abc.def.ghi", Indicator("invention-patents"), 2021, "dongli", 0.19, false);
  EXPECT_EQ(garbage.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  TokenClaims claims;
  claims.subject = "late";
  claims.role = Role::kAdmin;
  claims.expires = absl::Now() - absl::Hours(1);
  grpc::Status expired =
      Report(*MintHs256Token(claims, secret_), Indicator("invention-patents"), 2021, "dongli", 1, false);
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  claims.expires = absl::Now() + absl::Hours(1);
  grpc::Status forged = Report(*MintHs256Token(claims, "not-the-secret-not-the-secret-not-the-secret"),
                               Indicator("invention-patents"), 2021, "dongli", 1, false);
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  pb::GetProgressRequest request;
  request.set_plan(kPlan);
  request.set_year(2021);
  pb::PlanProgress progress;
  EXPECT_EQ(stub_->GetProgress(Context("").get(), request, &progress).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CountValues(Indicator("invention-patents")), 0);
}

TEST_F(IndicatorsTest, OutOfScopeCallsAreRefusedAndWriteNothing) {
  EXPECT_EQ(Report(Token(Role::kViewer), Indicator("tech-contract-turnover"), 2021, "dongli", 1, false).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A park reporting for another park.
  EXPECT_EQ(Report(Token(Role::kPark, "huaming"), Indicator("tech-contract-turnover"), 2021, "linkong", 1, false)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A park reporting an indicator the plan gives to bureaus only.
  EXPECT_EQ(Report(Token(Role::kPark, "huaming"), Indicator("rd-intensity"), 2021, "huaming", 1, false).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A bureau with no part in the indicator.
  EXPECT_EQ(Report(Token(Role::kBureau, "kx"), Indicator("invention-patents"), 2021, "dongli", 0.2, false).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CountValues(Indicator("tech-contract-turnover")), 0);
  EXPECT_EQ(CountValues(Indicator("rd-intensity")), 0);
  EXPECT_EQ(CountValues(Indicator("invention-patents")), 0);
  // Approval only by the lead unit; the responsible unit cannot approve its own report.
  pb::ReportedValue value;
  ASSERT_TRUE(
      Report(Token(Role::kBureau, "zscqj"), Indicator("invention-patents"), 2021, "dongli", 0.2, true, &value).ok());
  EXPECT_EQ(Transition(Token(Role::kBureau, "zscqj"), value.name(), "approve").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Transition(Token(Role::kBureau, "kjj"), value.name(), "reopen").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  pb::GetValueRequest get;
  get.set_name(value.name());
  pb::ReportedValue stored;
  ASSERT_TRUE(stub_->GetValue(Context(Token(Role::kViewer)).get(), get, &stored).ok());
  EXPECT_EQ(stored.state(), pb::SUBMITTED);
  // A park cannot read another unit's values.
  pb::ListValuesRequest list;
  list.set_parent(Indicator("invention-patents"));
  list.set_org_unit("dongli");
  pb::ListValuesResponse listed;
  EXPECT_EQ(stub_->ListValues(Context(Token(Role::kPark, "huaming")).get(), list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(IndicatorsTest, BadValuesGetFieldViolationsAndWriteNothing) {
  std::string admin = Token(Role::kAdmin, "", "admin-1");
  struct Case {
    const char* indicator;
    int year;
    const char* org_unit;
    double value;
    const char* field;
  };
  const Case kCases[] = {
      {"high-tech-enterprises", 2021, "huaming", -3, "value"},    // a negative count
      {"high-tech-enterprises", 2021, "huaming", 12.5, "value"},  // half an enterprise
      {"rd-intensity", 2021, "dongli", 130, "value"},             // a percentage above 100
      {"invention-patents", 2019, "dongli", 0.1, "year"},         // outside the plan
      {"invention-patents", 2021, "nowhere", 0.1, "org_unit"},    // unknown unit
      {"invention-patents", 2021, "kjj", 0.1, "org_unit"},        // a bureau holds no values
      {"invention-patents", 2021, "", 0.1, "org_unit"},
  };
  for (const Case& c : kCases) {
    grpc::Status status = Report(admin, Indicator(c.indicator), c.year, c.org_unit, c.value, false);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.indicator << " " << c.value;
    auto violations = FieldViolationsOf(status);
    ASSERT_FALSE(violations.empty()) << c.indicator;
    EXPECT_EQ(violations[0].first, c.field) << status.error_message();
  }
  EXPECT_EQ(Report(admin, Indicator("no-such-indicator"), 2021, "dongli", 1, false).error_code(),
            grpc::StatusCode::NOT_FOUND);
  for (const char* code : {"high-tech-enterprises", "rd-intensity", "invention-patents"}) {
    EXPECT_EQ(CountValues(Indicator(code)), 0) << code;
  }
}

TEST_F(IndicatorsTest, ResubmissionKeepsHistoryAndApprovalLocks) {
  std::string huaming = Token(Role::kPark, "huaming", "officer-wang");
  std::string kjj = Token(Role::kBureau, "kjj", "officer-li");
  std::string admin = Token(Role::kAdmin, "", "admin-zhao");
  pb::ReportedValue first, second;
  ASSERT_TRUE(Report(huaming, Indicator("chuying-enterprises"), 2020, "huaming", 40, false, &first).ok());
  ASSERT_TRUE(Report(huaming, Indicator("chuying-enterprises"), 2020, "huaming", 42, true, &second).ok());
  EXPECT_NE(first.etag(), second.etag());
  ASSERT_TRUE(Transition(kjj, second.name(), "reject").ok());
  ASSERT_TRUE(Transition(huaming, second.name(), "submit").ok());
  ASSERT_TRUE(Transition(kjj, second.name(), "approve").ok());
  grpc::Status locked = Report(huaming, Indicator("chuying-enterprises"), 2020, "huaming", 50, false);
  EXPECT_EQ(locked.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(locked.error_message().find("已审核"), std::string::npos) << locked.error_message();
  ASSERT_TRUE(Transition(admin, second.name(), "reopen").ok());
  ASSERT_TRUE(Report(huaming, Indicator("chuying-enterprises"), 2020, "huaming", 50, false).ok());

  pb::ListValueRevisionsRequest request;
  request.set_parent(second.name());
  pb::ListValueRevisionsResponse revisions;
  ASSERT_TRUE(stub_->ListValueRevisions(Context(kjj).get(), request, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 7);
  EXPECT_FALSE(revisions.revisions(0).had_old_value());
  EXPECT_DOUBLE_EQ(revisions.revisions(1).old_value(), 40);
  EXPECT_DOUBLE_EQ(revisions.revisions(1).new_value(), 42);
  EXPECT_EQ(revisions.revisions(1).actor(), "officer-wang");
  EXPECT_EQ(revisions.revisions(2).action(), "reject");
  EXPECT_EQ(revisions.revisions(4).action(), "approve");
  EXPECT_EQ(revisions.revisions(4).actor(), "officer-li");
  EXPECT_EQ(revisions.revisions(5).action(), "reopen");
  EXPECT_DOUBLE_EQ(revisions.revisions(6).new_value(), 50);
}

TEST_F(IndicatorsTest, StaleEtagIsAborted) {
  std::string kjj = Token(Role::kBureau, "kjj");
  pb::ReportedValue value;
  ASSERT_TRUE(Report(kjj, Indicator("listed-tech-enterprises"), 2021, "dongli", 0, false, &value).ok());
  ASSERT_TRUE(Report(kjj, Indicator("listed-tech-enterprises"), 2021, "dongli", 1, false).ok());
  pb::UpdateValueRequest update;
  *update.mutable_value() = value;  // carries the first etag
  update.mutable_value()->set_value(2);
  update.mutable_update_mask()->add_paths("value");
  pb::ReportedValue ignored;
  EXPECT_EQ(stub_->UpdateValue(Context(kjj).get(), update, &ignored).error_code(), grpc::StatusCode::ABORTED);
  update.mutable_value()->set_etag("");
  ASSERT_TRUE(stub_->UpdateValue(Context(kjj).get(), update, &ignored).ok());
  EXPECT_DOUBLE_EQ(ignored.value(), 2);
  pb::ListValueRevisionsRequest history;
  history.set_parent(value.name());
  pb::ListValueRevisionsResponse revisions;
  ASSERT_TRUE(stub_->ListValueRevisions(Context(kjj).get(), history, &revisions).ok());
  ASSERT_EQ(revisions.revisions_size(), 3);
  EXPECT_EQ(revisions.revisions(2).action(), "update");
  EXPECT_DOUBLE_EQ(revisions.revisions(2).old_value(), 1);
  EXPECT_DOUBLE_EQ(revisions.revisions(2).new_value(), 2);
}

TEST_F(IndicatorsTest, KillNineLosesNoCommittedWrite) {
  std::string kjj = Token(Role::kBureau, "kjj");
  pb::ReportedValue value;
  ASSERT_TRUE(Report(kjj, Indicator("dengling-enterprises"), 2022, "dongli", 22, true, &value).ok());
  ASSERT_TRUE(Transition(kjj, value.name(), "approve").ok());
  ASSERT_TRUE(service_->KillAndRestart().ok());
  Connect();
  pb::GetValueRequest get;
  get.set_name(value.name());
  pb::ReportedValue stored;
  ASSERT_TRUE(stub_->GetValue(Context(kjj).get(), get, &stored).ok());
  EXPECT_EQ(stored.state(), pb::APPROVED);
  EXPECT_DOUBLE_EQ(stored.value(), 22);
  pb::PlanProgress progress = Progress(2022, kjj);
  const pb::IndicatorProgress* dengling = Find(progress, "dengling-enterprises");
  EXPECT_DOUBLE_EQ(dengling->actual(), 22);
  EXPECT_EQ(dengling->status(), pb::ACHIEVED);
}

TEST_F(IndicatorsTest, RequestLogsAndMetricsRecordEveryCall) {
  // A second instance with its admin port on, sharing nothing with the first.
  std::string dir = testing::MakeTempDir("indicators-metrics");
  int admin_port = testing::FreePort();
  auto service = testing::ServiceProcess::Start(
      testing::BuildPath("services/indicators/stip-indicators"), dir,
      {"--auth_hs256_secret_file=" + secret_file_, absl::StrCat("--admin_addr=127.0.0.1:", admin_port)});
  ASSERT_TRUE(service.ok()) << service.status();
  auto stub =
      pb::IndicatorService::NewStub(grpc::CreateChannel((*service)->address(), grpc::InsecureChannelCredentials()));
  pb::GetProgressRequest request;
  request.set_plan(kPlan);
  request.set_year(2021);
  pb::PlanProgress progress;
  auto context = Context(Token(Role::kViewer, "", "viewer-9"));
  context->AddMetadata("x-request-id", "req-42");
  context->AddMetadata("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(stub->GetProgress(context.get(), request, &progress).ok());
  EXPECT_EQ(context->GetServerInitialMetadata().find("x-request-id")->second, "req-42");
  pb::PlanProgress ignored;
  EXPECT_FALSE(stub->GetProgress(Context("").get(), request, &ignored).ok());

  testing::HttpResponseData scrape = testing::HttpFetch(admin_port, boost::beast::http::verb::get, "/metrics");
  ASSERT_EQ(scrape.status, 200) << scrape.body;
  const std::string* metrics = &scrape.body;
  EXPECT_NE(metrics->find("stip_rpc_requests_total{code=\"0\",method=\"GetProgress\"} 1"), std::string::npos)
      << *metrics;
  EXPECT_NE(metrics->find("stip_rpc_requests_total{code=\"16\",method=\"GetProgress\"} 1"), std::string::npos);
  EXPECT_NE(metrics->find("stip_rpc_duration_seconds_bucket"), std::string::npos);
  std::string log = (*service)->Log();
  EXPECT_NE(log.find("\"method\":\"GetProgress\",\"code\":0"), std::string::npos) << log;
  EXPECT_NE(log.find("\"request_id\":\"req-42\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\""), std::string::npos);
  EXPECT_NE(log.find("\"caller\":\"viewer-9\""), std::string::npos);
}

TEST_F(IndicatorsTest, SigtermDrainsAndExitsZero) {
  absl::StatusOr<int> code = service_->Terminate();
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 0);
  EXPECT_NE(service_->Log().find("\"msg\":\"stopped\""), std::string::npos);
}

}  // namespace
}  // namespace stip
