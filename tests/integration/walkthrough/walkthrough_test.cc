// The README's two walkthroughs ("Walkthroughs" in /README.md), replayed over HTTP through the real gateway in
// front of the real indicators, cultivation and evaluation services and a real redis-server: the same paths and
// bodies the README's curl commands send, with the answers an officer sees asserted.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/service_fixture.h"
#include "tests/support/tokens.h"

namespace stip {
namespace {

namespace http = boost::beast::http;
using Response = testing::HttpResponseData;

// ---- walkthrough a: the files of the README, byte for byte.
constexpr char kEnterprisesCsv[] =
    "统一社会信用代码,企业名称,注册日期,所属街道园区,行业,技术领域,状态\n"
    "91120110MA00001013,天津东丽智造科技有限公司,2017-04-18,huaming,智能制造,先进制造与自动化,存续\n"
    "91120110MA00001026,天津华明新材料有限公司,2019-09-02,huaming,新材料,新材料,存续\n"
    "91120110MA00001030,天津校验位有误科技有限公司,2020-01-06,huaming,电子信息,电子信息,存续\n"
    "91120110MA0000104C,天津东丽置业有限公司,2015-03-09,huaming,房地产,,存续\n";
constexpr char kFilingsCsv[] =
    "统一社会信用代码,年度,销售收入(元),研发费用(元),职工总数,科技人员数,I类知识产权数,II类知识产权数,独立法人,"
    "科研严重失信,经营异常名录,严重违法失信名单\n"
    "91120110MA00001013,2021,8600000,950000,45,18,1,4,是,否,否,否\n"
    "91120110MA00001026,2021,3200000,120000,20,4,0,1,是,否,否,否\n"
    "91120110MA00001026,2020,320万,100000,18,4,0,1,是,否,否,否\n";
constexpr char kEnterprise[] = "/v1/enterprises/91120110MA00001013";
constexpr char kPipeline[] = "/v1/enterprises/91120110MA00001013/pipelines/chuying:transition";
constexpr char kTiers[] = "/v1/tierStatistics?year=2022";
constexpr char kProgress[] = "/v1/plans/dongli-2020-2022/progress?year=2022";

// ---- walkthrough b
constexpr char kBadReport[] = R"({"year":2021,"total_area_m2":15000,"incubation_area_m2":18000,"incubatees":-3})";
constexpr char kReport[] =
    R"({"year":2021,"total_area_m2":15000,"incubation_area_m2":12000,"incubatee_area_m2":9000,"incubatees":45,)"
    R"("new_incubatees":12,"graduated":5,"cumulative_graduates":20,"financed_incubatees":6,"fund_size_yuan":5000000,)"
    R"("fund_use_cases":3,"total_staff":12,"professional_staff":8,"mentors":10,"events":24,)"
    R"("incubatees_with_patent_applications":20,"incubatees_with_valid_ip":15,"jobs_created":380,)"
    R"("statistics_reported":true,"statistics_years":3,"summary":"2021年度工作总结"})";
constexpr char kAssessment[] =
    R"({"year":2021,"items":[{"item_id":"Y1","score":16,"evidence":"场地租赁合同（10年）、平面图"},)"
    R"({"item_id":"Y2","score":12,"evidence":"人员名册、社保记录"},{"item_id":"Y3","score":12,"evidence":"创业导师聘书10份"},)"
    R"({"item_id":"Y4","score":12,"evidence":"孵化基金协议500万元"},{"item_id":"Y5","score":10,"evidence":"公共技术服务平台协议"},)"
    R"({"item_id":"Y6","score":15,"evidence":"火炬统计报表"}]})";
constexpr char kLevelGrant[] =
    R"({"levels":[{"level":"MUNICIPAL","year":2021,"document":"津科区〔2021〕第一批"}],"etag":"1"})";

// Step 9: three years of filings of 东丽智造 for a 高企 evaluation (2021 keeps the figures of step 2).
constexpr char kHighTechCsv[] =
    "统一社会信用代码,年度,销售收入(元),研发费用(元),境内研发费用(元),职工总数,科技人员数,"
    "高新技术产品(服务)收入(元),资产总额(元),负债总额(元),I类知识产权数,II类知识产权数,科技成果转化数,"
    "核心支持作用知识产权,独立法人,科研严重失信,经营异常名录,严重违法失信名单,重大安全质量环境事故,"
    "高企知识产权得分,高企成果转化得分\n"
    "91120110MA00001013,2019,5000000,400000,400000,38,14,4000000,4000000,2000000,1,3,2,是,是,否,否,否,否,,\n"
    "91120110MA00001013,2020,6500000,600000,600000,41,16,5200000,5000000,2200000,1,4,3,是,是,否,否,否,否,,\n"
    "91120110MA00001013,2021,8600000,950000,950000,45,18,7000000,6500000,2500000,1,4,4,是,是,否,否,否,否,20,15\n";

// What `printf '{"kind":"…","data":"%s"}\n' "$(base64 -w0 file.csv)"` sends.
std::string ImportBody(const char* kind, const char* csv) {
  return absl::StrCat("{\"kind\":\"", kind, "\",\"data\":\"", absl::Base64Escape(csv), "\"}\n");
}

// The progress entry of an indicator by its 序号.
nlohmann::json IndicatorOf(const Response& progress, int number) {
  nlohmann::json body = progress.Json();
  for (const nlohmann::json& indicator : body["indicators"]) {
    if (indicator.value("number", 0) == number) return indicator;
  }
  return nlohmann::json();
}

class WalkthroughTest : public testing::ServiceFixture {
 protected:
  WalkthroughTest() : ServiceFixture("walkthrough") {}

  void SetUp() override {
    ServiceFixture::SetUp();
    ASSERT_TRUE(StartSuite({}, &port_));
    cultivation_ = services_["cultivation"].get();
    evaluation_ = services_["evaluation"].get();
    indicators_ = services_["indicators"].get();
    gateway_ = gateway_process_.get();
    ASSERT_TRUE(testing::WaitUntilGatewayCacheUp(port_)) << gateway_->Log();
  }

  // scripts/stip token --role R --org-unit U
  std::string Token(Role role, const std::string& org_unit) const {
    return ServiceFixture::Token(role, org_unit, absl::StrCat("local-", RoleName(role)));
  }
  Response Get(const std::string& token, const std::string& target) {
    return testing::HttpFetch(port_, http::verb::get, target, token);
  }
  Response Post(const std::string& token, const std::string& target, const std::string& body) {
    return testing::HttpFetch(port_, http::verb::post, target, token, body);
  }
  Response Patch(const std::string& token, const std::string& target, const std::string& body) {
    return testing::HttpFetch(port_, http::verb::patch, target, token, body);
  }
  // Progress read right after a write: it must already show the write (no waiting).
  Response ProgressAfterWrite(const std::string& token) { return Get(token, kProgress); }

  testing::ServiceProcess* cultivation_ = nullptr;
  testing::ServiceProcess* evaluation_ = nullptr;
  testing::ServiceProcess* indicators_ = nullptr;
  testing::ServiceProcess* gateway_ = nullptr;
  int port_ = 0;
};

TEST_F(WalkthroughTest, ParkOfficerEnterprisesAndTiers) {
  const std::string park = Token(Role::kPark, "huaming");
  const std::string kjj = Token(Role::kBureau, "kjj");
  const std::string other = Token(Role::kPark, "linkong");

  // The district's numbers before: no enterprise entered yet, so 雏鹰 is "not reported", not 0 at risk (cached on
  // the second read).
  Response progress_before = Get(kjj, kProgress);
  ASSERT_EQ(progress_before.status, 200) << progress_before.body;
  EXPECT_EQ(IndicatorOf(progress_before, 4).value("actual", 0.0), 0.0);
  EXPECT_EQ(IndicatorOf(progress_before, 4)["status"], "NOT_REPORTED") << IndicatorOf(progress_before, 4).dump();
  EXPECT_EQ(Get(kjj, kProgress).Header("X-Cache"), "HIT");

  // 1. The CSV template.
  Response tmpl = Get(park, "/v1/enterprises:csvTemplate?kind=ENTERPRISES");
  ASSERT_EQ(tmpl.status, 200) << tmpl.body;
  std::string header;
  ASSERT_TRUE(absl::Base64Unescape(tmpl.Json()["data"].get<std::string>(), &header));
  EXPECT_EQ(header,
            "\xEF\xBB\xBF统一社会信用代码,企业名称,注册日期,所属街道园区,行业,技术领域,状态,独立法人,居民企业,"
            "注册地在天津,禁止限制淘汰类产品\r\n");

  // 2. Import enterprises, then filings: every row accepted or rejected with row, column and reason.
  Response enterprises = Post(park, "/v1/enterprises:importCsv", ImportBody("ENTERPRISES", kEnterprisesCsv));
  ASSERT_EQ(enterprises.status, 200) << enterprises.body;
  nlohmann::json summary = enterprises.Json();
  EXPECT_EQ(summary["rows"], "4");
  EXPECT_EQ(summary["created"], "2");
  EXPECT_EQ(summary["rejected"], "2");
  ASSERT_EQ(summary["rejections"].size(), 2u);
  EXPECT_EQ(summary["rejections"][0]["row"], "3");
  EXPECT_EQ(summary["rejections"][0]["column"], "统一社会信用代码");
  EXPECT_TRUE(absl::StrContains(summary["rejections"][0]["reason"].get<std::string>(), "第18位应为“9”"));
  EXPECT_EQ(summary["rejections"][1]["row"], "4");
  EXPECT_EQ(summary["rejections"][1]["column"], "行业");
  EXPECT_EQ(summary["rejections"][1]["reason"], "不是规定的行业：房地产");
  Response filings = Post(park, "/v1/enterprises:importCsv", ImportBody("FILINGS", kFilingsCsv));
  ASSERT_EQ(filings.status, 200) << filings.body;
  EXPECT_EQ(filings.Json()["created"], "2");
  ASSERT_EQ(filings.Json()["rejections"].size(), 1u);
  EXPECT_EQ(filings.Json()["rejections"][0]["row"], "3");
  EXPECT_EQ(filings.Json()["rejections"][0]["column"], "销售收入(元)");
  // The same file again changes nothing.
  Response again = Post(park, "/v1/enterprises:importCsv", ImportBody("ENTERPRISES", kEnterprisesCsv));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json()["unchanged"], "2");
  EXPECT_FALSE(again.Json().contains("created"));
  EXPECT_FALSE(again.Json().contains("updated"));
  EXPECT_EQ(again.Json()["rejected"], "2");

  // 3. 雏鹰 for the 2021 data year, criterion by criterion.
  Response evaluation = Post(park, absl::StrCat(kEnterprise, ":evaluate"), R"({"program":"chuying","year":2021})");
  ASSERT_EQ(evaluation.status, 200) << evaluation.body;
  nlohmann::json eval = evaluation.Json();
  EXPECT_EQ(eval["eligible"], true);
  EXPECT_EQ(eval["outcome"], "PASS");
  EXPECT_EQ(eval["edition"], "programs/chuying/editions/tianjin-2021");
  std::map<std::string, nlohmann::json> criteria;
  for (const nlohmann::json& criterion : eval["criteria"]) {
    EXPECT_TRUE(criterion.contains("id") && criterion.contains("description") && criterion.contains("threshold") &&
                criterion.contains("outcome"))
        << criterion.dump();
    EXPECT_FALSE(criterion.value("provisional", false)) << criterion.dump();  // 雏鹰 2021 is verified text
    criteria[criterion["id"].get<std::string>()] = criterion;
  }
  EXPECT_EQ(criteria["E4"]["actual"], "860万元");
  EXPECT_EQ(criteria["E4"]["threshold"], "≥ 10万元");
  EXPECT_EQ(criteria["E4"]["outcome"], "PASS");
  EXPECT_EQ(criteria["E5.1a"]["actual"], "1");
  EXPECT_EQ(criteria["E5.2"]["outcome"], "FAIL");  // no certificate records: counted, not assumed
  EXPECT_EQ(criteria["E2a"]["threshold"], "≤ 8年");

  // 4. 遴选 by the park (the screening of its unit), one refused move, then 入库 → 培育 → 认定 by the bureau.
  Response screened =
      Post(park, "/v1/programs/chuying:screen", R"({"year":2021,"orgUnit":"huaming","effectiveDate":"2022-03-01"})");
  ASSERT_EQ(screened.status, 200) << screened.body;
  EXPECT_EQ(screened.Json()["evaluated"], 2);
  EXPECT_EQ(screened.Json()["screened"], 1);
  EXPECT_EQ(screened.Json()["screenedEnterprises"][0], "enterprises/91120110MA00001013");
  Response refused = Post(kjj, kPipeline, R"({"toStage":"CULTIVATING","effectiveDate":"2022-04-01"})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.Json()["code"], 9);  // FAILED_PRECONDITION
  EXPECT_TRUE(absl::StrContains(refused.Json()["message"].get<std::string>(), "当前阶段为“遴选”")) << refused.body;
  Response park_pools = Post(park, kPipeline, R"({"toStage":"POOLED","effectiveDate":"2022-04-01"})");
  EXPECT_EQ(park_pools.status, 403) << park_pools.body;  // 入库 is the bureau's decision
  for (const auto& [body, stage] : std::vector<std::pair<std::string, std::string>>{
           {R"({"toStage":"POOLED","effectiveDate":"2022-04-01","reason":"区科技局入库"})", "POOLED"},
           {R"({"toStage":"CULTIVATING","effectiveDate":"2022-05-01"})", "CULTIVATING"},
           {R"({"toStage":"CERTIFIED","effectiveDate":"2022-09-01"})", "CERTIFIED"}}) {
    Response moved = Post(kjj, kPipeline, body);
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(moved.Json()["stage"], stage);
    if (stage == "CERTIFIED") {
      EXPECT_EQ(moved.Json()["validUntil"], "2023-09-01");
    }
  }

  // 5. The gap to the next tier up (瞪羚, whose edition is a provisional placeholder).
  Response gap = Get(park, absl::StrCat(kEnterprise, ":analyzeGap?year=2021"));
  ASSERT_EQ(gap.status, 200) << gap.body;
  EXPECT_EQ(gap.Json()["currentProgram"], "chuying");
  EXPECT_EQ(gap.Json()["targetProgram"], "dengling");
  EXPECT_EQ(gap.Json()["provisional"], true);
  EXPECT_FALSE(gap.Json()["gaps"].empty());

  // 6. The tier counts and the plan's indicator 4 now count it, with its source.
  Response tiers = Get(park, kTiers);
  ASSERT_EQ(tiers.status, 200) << tiers.body;
  EXPECT_EQ(tiers.Json()["chuying"], 1);
  EXPECT_EQ(tiers.Json()["orgUnit"], "huaming");
  Response progress = ProgressAfterWrite(kjj);
  EXPECT_EQ(progress.Header("X-Cache"), "MISS");  // the writes through the gateway dropped the cached entry
  nlohmann::json chuying = IndicatorOf(progress, 4);
  EXPECT_EQ(chuying["actual"], 1.0) << chuying.dump();
  EXPECT_EQ(chuying["source"], "CULTIVATION");
  EXPECT_EQ(chuying["displayName"], "雏鹰企业数量");

  // 7. Another unit's park account is refused and writes nothing.
  Response foreign = Post(other, kPipeline, R"({"toStage":"WITHDRAWN","withdrawalReason":"REASON_MOVED_OUT"})");
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_EQ(foreign.Json()["code"], 7);
  Response foreign_create = Post(other, "/v1/enterprises",
                                 R"({"uscc":"91120110MA0000105F","displayName":"天津外区科技有限公司",)"
                                 R"("registrationDate":"2020-01-01","orgUnit":"huaming","industry":"新材料"})");
  EXPECT_EQ(foreign_create.status, 403) << foreign_create.body;
  EXPECT_EQ(Get(kjj, "/v1/enterprises/91120110MA0000105F").status, 404);
  EXPECT_EQ(Get(kjj, "/v1/enterprises/91120110MA00001013/pipelines/chuying").Json()["stage"], "CERTIFIED");

  // 8. 华明新材料 has no I类 and one II类 IP: E5 fails on its data, until the officer records the provincial award
  //    it won in 2020; E5.5 then passes from the record (named in the criterion's figures), for application 2022.
  const std::string second = "/v1/enterprises/91120110MA00001026";
  const std::string apply = R"({"program":"chuying","applicationYear":2022})";
  auto outcome_of = [&](const std::string& id) {
    nlohmann::json result = Post(park, second + ":evaluate", apply).Json();
    for (const nlohmann::json& c : result["criteria"]) {
      if (c["id"] == id) return c;
    }
    return nlohmann::json();
  };
  EXPECT_EQ(outcome_of("E5")["outcome"], "FAIL");
  Response award = Post(park, second + "/records",
                        R"({"kind":"AWARD","level":"provincial","year":2020,"rank":2,"title":"天津市科学技术进步奖"})");
  ASSERT_EQ(award.status, 200) << award.body;
  EXPECT_EQ(award.Json()["kindDisplayName"], "科技奖励");
  nlohmann::json e55 = outcome_of("E5.5");
  EXPECT_EQ(e55["outcome"], "PASS") << e55.dump();
  ASSERT_EQ(e55["figures"].size(), 1u) << e55.dump();
  EXPECT_NE(e55["figures"][0]["text"].get<std::string>().find("天津市科学技术进步奖"), std::string::npos);
  nlohmann::json eval2 = Post(park, second + ":evaluate", apply).Json();
  EXPECT_EQ(eval2["outcome"], "PASS") << eval2.dump();
  EXPECT_EQ(eval2["verdict"], "符合");
  EXPECT_EQ(eval2["fiscalYears"][0], 2021);

  // 9. 高企 for application year 2022 on three years of filings: every other criterion passes, and H7 depends
  //    on the experts: 知识产权 20 and 成果转化 15 recorded, 研发组织管理 not yet scored (0–20), growth bands
  //    B (7–8) and A (9–10): 51–73 points against "> 70".
  Response three_years = Post(park, "/v1/enterprises:importCsv", ImportBody("FILINGS", kHighTechCsv));
  ASSERT_EQ(three_years.status, 200) << three_years.body;
  EXPECT_FALSE(three_years.Json().contains("rejected")) << three_years.body;
  nlohmann::json hte = Post(park, absl::StrCat(kEnterprise, ":evaluate"),
                            R"({"program":"high_tech","applicationYear":2022,"asOfDate":"2022-06-30"})")
                           .Json();
  EXPECT_EQ(hte["outcome"], "DEPENDS_ON_EXPERT_SCORING") << hte.dump();
  EXPECT_EQ(hte["verdict"], "取决于专家评分");
  std::map<std::string, nlohmann::json> h;
  for (const nlohmann::json& c : hte["criteria"]) h[c["id"].get<std::string>()] = c;
  for (const char* id : {"H1", "H2", "H3", "H4", "H5", "H6", "H8"}) EXPECT_EQ(h[id]["outcome"], "PASS") << id;
  EXPECT_EQ(h["H7"]["outcome"], "DEPENDS_ON_EXPERT_SCORING") << h["H7"].dump();
  EXPECT_EQ(h["H7"]["actual"], "51分–73分");
  EXPECT_EQ(h["H7"]["actualExactLow"], "51");
  EXPECT_EQ(h["H7"]["actualExactHigh"], "73");
  EXPECT_NE(h["H7"]["margin"].get<std::string>().find("71分"), std::string::npos) << h["H7"].dump();
}

TEST_F(WalkthroughTest, IncubatorOperatorAndDistrictOfficer) {
  const std::string op = Token(Role::kPark, "cauc-park");
  const std::string kjj = Token(Role::kBureau, "kjj");

  Response progress_before = Get(kjj, kProgress);
  ASSERT_EQ(progress_before.status, 200) << progress_before.body;
  EXPECT_EQ(IndicatorOf(progress_before, 8).value("actual", 0.0), 0.0);
  EXPECT_EQ(IndicatorOf(progress_before, 8)["source"], "EVALUATION");
  EXPECT_EQ(Get(kjj, kProgress).Header("X-Cache"), "HIT");

  // 1. The operator files the 2021 report: first with two invalid figures (400, one violation each), then valid.
  Response bad = Post(op, "/v1/carriers/cauc-park/reports", kBadReport);
  EXPECT_EQ(bad.status, 400) << bad.body;
  nlohmann::json violations = bad.Json()["details"][0]["fieldViolations"];
  ASSERT_EQ(violations.size(), 2u) << bad.body;
  EXPECT_EQ(violations[0]["field"], "report.incubatees");
  EXPECT_EQ(violations[1]["field"], "report.incubation_area_m2");
  EXPECT_EQ(Get(kjj, "/v1/carriers/cauc-park/reports/2021").status, 404);  // nothing written
  Response filed = Post(op, "/v1/carriers/cauc-park/reports", kReport);
  ASSERT_EQ(filed.status, 200) << filed.body;
  EXPECT_EQ(filed.Json()["name"], "carriers/cauc-park/reports/2021");
  EXPECT_EQ(filed.Json()["incubatees"], "45");

  // 2. The recognition check, explained per criterion (university-park editions are provisional).
  Response check = Post(op, "/v1/carriers/cauc-park:checkRecognition", R"({"year":2021})");
  ASSERT_EQ(check.status, 200) << check.body;
  std::map<std::string, nlohmann::json> checks;
  nlohmann::json check_body = check.Json();
  for (const nlohmann::json& c : check_body["checks"]) checks[c["program"].get<std::string>()] = c;
  ASSERT_EQ(checks.count("university_park_municipal"), 1u) << check.body;
  EXPECT_EQ(checks["university_park_municipal"]["outcome"], "PASS");
  EXPECT_EQ(checks["university_park_municipal"]["provisional"], true);
  EXPECT_EQ(checks["university_park_national"]["outcome"], "FAIL");
  EXPECT_FALSE(checks["university_park_municipal"]["criteria"].empty());

  // 3. The operator cannot touch another carrier, nor grant itself a level.
  EXPECT_EQ(Get(op, "/v1/carriers/tsinghua-tj-park").status, 403);
  Response other_report = Post(op, "/v1/carriers/tsinghua-tj-park/reports", R"({"year":2021,"total_area_m2":1000})");
  EXPECT_EQ(other_report.status, 403) << other_report.body;
  EXPECT_EQ(Get(kjj, "/v1/carriers/tsinghua-tj-park/reports/2021").status, 404);

  // 4. The district officer reads the report, records the 六有 assessment and the performance evaluation.
  Response read = Get(kjj, "/v1/carriers/cauc-park/reports/2021");
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json()["jobsCreated"], "380");
  Response assessment = Post(kjj, "/v1/carriers/cauc-park/assessments", kAssessment);
  ASSERT_EQ(assessment.status, 200) << assessment.body;
  EXPECT_EQ(assessment.Json()["total"], 77.0);
  EXPECT_EQ(assessment.Json()["passed"], true);
  EXPECT_EQ(assessment.Json()["itemsMet"], 6);
  EXPECT_EQ(assessment.Json()["provisional"], true);
  Response wrong_scores =
      Post(kjj, "/v1/carriers/cauc-park:evaluatePerformance", R"({"year":2021,"expert_scores":{"SC4":80,"SU3":75}})");
  EXPECT_EQ(wrong_scores.status, 400) << wrong_scores.body;  // names the expert scores this scheme needs
  EXPECT_TRUE(absl::StrContains(wrong_scores.body, "expert_scores[SC3]")) << wrong_scores.body;
  Response graded =
      Post(kjj, "/v1/carriers/cauc-park:evaluatePerformance", R"({"year":2021,"expert_scores":{"SC3":80,"SU2":75}})");
  ASSERT_EQ(graded.status, 200) << graded.body;
  EXPECT_EQ(graded.Json()["scheme"], "general");
  EXPECT_EQ(graded.Json()["grade"], "D");
  EXPECT_EQ(graded.Json()["gradeDisplayName"], "不合格");
  EXPECT_NEAR(graded.Json()["total"].get<double>(), 59.13, 0.005);

  // 5. The 市级 level grant (UpdateCarrier); indicator 8 follows, from the evaluation service.
  Response operator_grant = Patch(op, "/v1/carriers/cauc-park?update_mask=levels", kLevelGrant);
  EXPECT_EQ(operator_grant.status, 403) << operator_grant.body;
  Response granted = Patch(kjj, "/v1/carriers/cauc-park?update_mask=levels", kLevelGrant);
  ASSERT_EQ(granted.status, 200) << granted.body;
  EXPECT_EQ(granted.Json()["currentLevel"], "MUNICIPAL");
  EXPECT_EQ(granted.Json()["levels"][0]["displayName"], "市级");
  Response stats = Get(kjj, "/v1/carriers:statistics?year=2022");
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(stats.Json()["municipalUniversityParks"], 1);
  EXPECT_EQ(stats.Json()["municipalUniversityParkNames"][0], "carriers/cauc-park");
  Response progress = ProgressAfterWrite(kjj);
  EXPECT_EQ(progress.Header("X-Cache"), "MISS");
  nlohmann::json parks = IndicatorOf(progress, 8);
  EXPECT_EQ(parks["actual"], 1.0) << parks.dump();
  EXPECT_EQ(parks["source"], "EVALUATION");
  EXPECT_EQ(parks["displayName"], "新建市级大学科技园（累计）");
  EXPECT_EQ(parks["status"], "ACHIEVED") << parks.dump();  // target 1
}

}  // namespace
}  // namespace stip
