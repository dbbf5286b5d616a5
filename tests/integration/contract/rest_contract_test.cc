// The REST surface as a bureau developer meets it, through the real gateway in front of the real services and
// redis-server: the OpenAPI document lists every binding with typed schemas, a TypeScript client generated from
// it compiles with --strict and works, no PATCH drops a field it did not name, CORS answers configured origins
// only, and downloads are files.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"
#include "google/api/field_behavior.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "gtest/gtest.h"
#include "services/cultivation/domain/xlsx_sheet.h"
#include "stip/cultivation/v1/cultivation.grpc.pb.h"
#include "stip/evaluation/v1/evaluation.grpc.pb.h"
#include "stip/indicators/v1/indicators.grpc.pb.h"
#include "tests/support/http_client.h"
#include "tests/support/service_fixture.h"
#include "tests/support/tokens.h"

namespace stip {
namespace {

namespace http = boost::beast::http;
using Response = testing::HttpResponseData;

constexpr char kOrigin[] = "https://kjj.example.gov.cn";
constexpr char kUscc[] = "91120110MA00001013";
// The README's 2021 report of 中国民航大学国家大学科技园 (walkthrough b).
constexpr char kReport[] =
    R"({"year":2021,"total_area_m2":15000,"incubation_area_m2":12000,"incubatee_area_m2":9000,"incubatees":45,)"
    R"("new_incubatees":12,"graduated":5,"cumulative_graduates":20,"financed_incubatees":6,"fund_size_yuan":5000000,)"
    R"("fund_use_cases":3,"total_staff":12,"professional_staff":8,"mentors":10,"events":24,)"
    R"("incubatees_with_patent_applications":20,"incubatees_with_valid_ip":15,"jobs_created":380,)"
    R"("statistics_reported":true,"statistics_years":3,"summary":"2021年度工作总结"})";

class RestContractTest : public testing::ServiceFixture {
 protected:
  RestContractTest() : ServiceFixture("rest-contract") {}

  void SetUp() override {
    ServiceFixture::SetUp();
    ASSERT_TRUE(StartSuite({std::string("--cors_origins=") + kOrigin}, &port_));
    cultivation_ = services_["cultivation"].get();
    evaluation_ = services_["evaluation"].get();
    indicators_ = services_["indicators"].get();
    gateway_ = gateway_process_.get();
    admin_ = Token(Role::kAdmin, "", "contract-admin");
  }

  Response Call(http::verb verb, const std::string& target, const std::string& body = "",
                const std::map<std::string, std::string>& headers = {}) {
    return testing::HttpFetch(port_, verb, target, admin_, body, headers);
  }
  nlohmann::json Get(const std::string& target) {
    Response response = Call(http::verb::get, target);
    EXPECT_EQ(response.status, 200) << target << ": " << response.body;
    return response.Json();
  }
  // PATCHes `target` with `body` (one field) and returns the resource read back.
  nlohmann::json Patch(const std::string& target, const std::string& body, const std::string& get = "") {
    Response patched = Call(http::verb::patch, target, body);
    EXPECT_EQ(patched.status, 200) << target << ": " << patched.body;
    return Get(get.empty() ? target : get);
  }

  testing::ServiceProcess* cultivation_ = nullptr;
  testing::ServiceProcess* evaluation_ = nullptr;
  testing::ServiceProcess* indicators_ = nullptr;
  testing::ServiceProcess* gateway_ = nullptr;
  std::string admin_;
  int port_ = 0;
};

TEST_F(RestContractTest, OpenApiListsEveryBindingWithTypedSchemas) {
  nlohmann::json doc = Get("/openapi.json");
  std::set<std::string> operations;
  int query_parameters = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    EXPECT_FALSE(absl::StrContains(path, "=")) << path << ": resource names are expanded into segments";
    for (const auto& [verb, operation] : item.items()) {
      EXPECT_TRUE(operations.insert(operation["operationId"].get<std::string>()).second) << operation["operationId"];
      EXPECT_TRUE(operation["responses"].contains("default")) << path;
      for (const auto& parameter : operation["parameters"]) query_parameters += parameter["in"] == "query";
    }
  }
  // The 14 the first document lost (operations on one path overwrote each other), and an additional binding.
  for (const char* id :
       {"CultivationService_GetEnterprise", "CultivationService_GetFiling", "CultivationService_GetPipeline",
        "CultivationService_GetRuleEdition", "CultivationService_ListRuleEditions", "EvaluationService_GetCarrier",
        "EvaluationService_GetAnnualReport", "EvaluationService_GetAssessment",
        "EvaluationService_GetPerformanceEvaluation", "EvaluationService_GetRubricVersion",
        "EvaluationService_ListRubricVersions", "EvaluationService_CreateRubricVersion",
        "IndicatorService_GetIndicator", "IndicatorService_GetValue", "IndicatorService_GetValue2",
        "EvaluationService_ListRuleEditions", "CultivationService_DownloadCsv"}) {
    EXPECT_EQ(operations.count(id), 1u) << id;
  }
  EXPECT_GE(operations.size(), 78u);
  EXPECT_GE(query_parameters, 80);
  const nlohmann::json& schemas = doc["components"]["schemas"];
  EXPECT_GE(schemas.size(), 90u);
  EXPECT_EQ(schemas["stip.cultivation.v1.EnterpriseStatus"]["enum"][1], "ACTIVE");
  EXPECT_EQ(schemas["stip.cultivation.v1.Enterprise"]["properties"]["displayName"]["type"], "string");
  EXPECT_EQ(schemas["stip.cultivation.v1.Enterprise"]["properties"]["createTime"]["readOnly"], true);
  EXPECT_EQ(schemas["stip.evaluation.v1.AnnualReport"]["properties"]["incubatees"]["format"], "int64");
  EXPECT_TRUE(schemas.contains("google.rpc.Status"));
  const nlohmann::json& progress = doc["paths"]["/v1/plans/{plan}/progress"]["get"];
  EXPECT_EQ(progress["operationId"], "IndicatorService_GetProgress");
  EXPECT_FALSE(progress["summary"].get<std::string>().empty());
  EXPECT_EQ(progress["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/stip.indicators.v1.PlanProgress");
}

// What a bureau developer runs (README, "A typed client"): openapi-typescript on the live document, a small
// openapi-fetch client compiled with tsc --strict, run against this suite; and redocly lint on the document.
TEST_F(RestContractTest, TypeScriptClientGeneratedFromTheLiveDocument) {
  std::string contract = STIP_CONTRACT_DIR;
  ASSERT_TRUE(std::filesystem::exists(contract + "/node_modules/.bin/tsc"))
      << "the npm tools are missing: run scripts/stip deps (npm ci in tests/contract)";
  std::string work = dir() + "/contract";
  std::string command =
      absl::StrCat("STIP_GATEWAY=http://127.0.0.1:", port_, " STIP_TOKEN=", admin_, " STIP_USCC=", kUscc, " bash ",
                   contract, "/run.sh ", work, " > ", work, ".log 2>&1");
  std::filesystem::create_directories(work);
  int status = std::system(command.c_str());
  std::ifstream log(work + ".log");
  std::string output((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(status, 0) << output;
  EXPECT_TRUE(absl::StrContains(output, "ok  the others survived")) << output;
  EXPECT_TRUE(absl::StrContains(output, "Your API description is valid")) << output;
}

TEST_F(RestContractTest, NoPatchDropsAFieldItDidNotName) {
  std::string enterprise = absl::StrCat("/v1/enterprises/", kUscc);
  ASSERT_EQ(Call(http::verb::post, "/v1/enterprises",
                 absl::StrCat(R"({"uscc":")", kUscc, R"(","displayName":"天津东丽智造科技有限公司",)",
                              R"("registrationDate":"2017-04-18","orgUnit":"huaming","industry":"智能制造"})"))
                .status,
            200);
  nlohmann::json e = Patch(enterprise, R"({"displayName":"天津东丽智造科技股份有限公司"})");
  EXPECT_EQ(e["displayName"], "天津东丽智造科技股份有限公司");
  EXPECT_EQ(e["registrationDate"], "2017-04-18");
  EXPECT_EQ(e["industry"], "智能制造");

  ASSERT_EQ(Call(http::verb::post, enterprise + "/filings",
                 R"({"year":2021,"salesRevenue":"8600000","rdExpense":"950000","totalStaff":"45"})")
                .status,
            200);
  nlohmann::json f = Patch(enterprise + "/filings/2021", R"({"totalStaff":"46"})");
  EXPECT_EQ(f["totalStaff"], "46");
  EXPECT_EQ(f["salesRevenue"], "8600000");
  EXPECT_EQ(f["rdExpense"], "950000");

  nlohmann::json before = Get("/v1/carriers/cauc-park");
  nlohmann::json c = Patch("/v1/carriers/cauc-park", R"({"note":"契约测试"})");
  EXPECT_EQ(c["note"], "契约测试");
  EXPECT_EQ(c["displayName"], before["displayName"]);
  EXPECT_EQ(c["operator"], before["operator"]);

  Response filed = Call(http::verb::post, "/v1/carriers/cauc-park/reports", kReport);
  ASSERT_EQ(filed.status, 200) << filed.body;
  nlohmann::json r = Patch("/v1/carriers/cauc-park/reports/2021", R"({"incubatees":50})");
  EXPECT_EQ(r["incubatees"], "50");
  EXPECT_EQ(r["graduated"], "5");
  EXPECT_EQ(r["summary"], "2021年度工作总结");
  EXPECT_EQ(r["totalAreaM2"], 15000);
  Response unknown =
      Call(http::verb::patch, "/v1/carriers/cauc-park/reports/2021?updateMask=noSuchFigure", R"({"incubatees":51})");
  EXPECT_EQ(unknown.status, 400) << unknown.body;

  std::string values = "/v1/plans/dongli-2020-2022/indicators/rd-intensity/values";
  Response reported = Call(http::verb::post, values, R"({"year":2021,"orgUnit":"dongli","value":2.5,"note":"初报"})");
  ASSERT_EQ(reported.status, 200) << reported.body;
  std::string value = absl::StrCat("/v1/", reported.Json()["name"].get<std::string>());
  nlohmann::json v = Patch(value, R"({"note":"修订说明"})");
  EXPECT_EQ(v["note"], "修订说明");
  EXPECT_EQ(v["value"], 2.5);
}

TEST_F(RestContractTest, CorsAnswersConfiguredOriginsOnly) {
  Response preflight = Call(http::verb::options, "/v1/plans", "",
                            {{"Origin", kOrigin},
                             {"Access-Control-Request-Method", "GET"},
                             {"Access-Control-Request-Headers", "authorization"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.Header("Access-Control-Allow-Origin"), kOrigin);
  EXPECT_TRUE(absl::StrContains(preflight.Header("Access-Control-Allow-Headers"), "Authorization"));
  EXPECT_TRUE(absl::StrContains(preflight.Header("Access-Control-Allow-Methods"), "PATCH"));
  Response get = Call(http::verb::get, "/v1/plans", "", {{"Origin", kOrigin}});
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.Header("Access-Control-Allow-Origin"), kOrigin);
  EXPECT_TRUE(absl::StrContains(get.Header("Access-Control-Expose-Headers"), "X-Request-Id"));
  EXPECT_TRUE(absl::StrContains(get.Header("Access-Control-Expose-Headers"), "X-Cache"));
  EXPECT_TRUE(absl::StrContains(get.Header("Access-Control-Expose-Headers"), "ETag"));
  EXPECT_EQ(get.Header("Vary"), "Origin");
  // Another origin: nothing that would let its page read the answer, and no preflight.
  Response other = Call(http::verb::get, "/v1/plans", "", {{"Origin", "https://elsewhere.example"}});
  EXPECT_EQ(other.Header("Access-Control-Allow-Origin"), "");
  Response other_preflight = Call(http::verb::options, "/v1/plans", "",
                                  {{"Origin", "https://elsewhere.example"}, {"Access-Control-Request-Method", "GET"}});
  EXPECT_NE(other_preflight.status, 204);
  EXPECT_EQ(other_preflight.Header("Access-Control-Allow-Origin"), "");
}

TEST_F(RestContractTest, DownloadsAreFilesWithTheirNames) {
  Response csv = Call(http::verb::get, "/v1/enterprises:downloadCsv?kind=ENTERPRISES&template=true");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.Header("Content-Disposition"),
            "attachment; filename=\"enterprises-template.csv\"; "
            "filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%90%8D%E5%BD%95-%E6%A8%A1%E6%9D%BF.csv");
  ASSERT_GE(csv.body.size(), 3u);
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");  // Excel reads the Chinese headers as UTF-8
  EXPECT_TRUE(absl::StartsWith(csv.body.substr(3), "统一社会信用代码,")) << csv.body;
  EXPECT_EQ(csv.Header("Access-Control-Expose-Headers").empty(), true);  // no Origin sent: no CORS headers
  Response missing_kind = Call(http::verb::get, "/v1/enterprises:downloadCsv");
  EXPECT_EQ(missing_kind.status, 400) << missing_kind.body;
}

// The reports an officer takes into Excel: the same query as the list method, under the report's field, as a file
// with Chinese headers; a screening download records nothing; a bad nested field is named with its path.
TEST_F(RestContractTest, ReportsDownloadAsFilesOfTheMethodsAnswers) {
  ASSERT_EQ(Call(http::verb::post, "/v1/enterprises",
                 absl::StrCat(R"({"uscc":")", kUscc, R"(","displayName":"天津东丽智造科技有限公司",)",
                              R"("registrationDate":"2017-04-18","orgUnit":"huaming","industry":"智能制造"})"))
                .status,
            200);
  ASSERT_EQ(Call(http::verb::post, absl::StrCat("/v1/enterprises/", kUscc, "/filings"),
                 R"({"year":2021,"salesRevenue":8600000,"rdExpense":950000,"totalStaff":45,"sciTechStaff":20})")
                .status,
            200);
  const std::string report = "/v1/enterprises:downloadReport?report=";

  Response tiers =
      Call(http::verb::get, report + "TIER_STATISTICS&tierStatistics.year=2021&tierStatistics.orgUnit=huaming");
  ASSERT_EQ(tiers.status, 200) << tiers.body;
  EXPECT_EQ(tiers.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_TRUE(absl::StrContains(tiers.Header("Content-Disposition"), "filename=\"tier-statistics-huaming-2021.csv\""))
      << tiers.Header("Content-Disposition");
  EXPECT_EQ(tiers.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_TRUE(absl::StrContains(tiers.body, "统计项,数量,对应计划指标,范围,统计日\r\n")) << tiers.body;
  EXPECT_TRUE(absl::StrContains(tiers.body, "在册企业（存续）,1,,华明高新区,2021-12-31\r\n")) << tiers.body;

  // Alerts as .xlsx, read back: the enterprise has no 2022 filing, so 年报未填报 for application year 2023.
  Response alerts = Call(http::verb::get, report + "ALERTS&alerts.applicationYear=2023&format=XLSX");
  ASSERT_EQ(alerts.status, 200) << alerts.body;
  EXPECT_EQ(alerts.Header("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  std::vector<std::vector<std::string>> rows;
  ASSERT_TRUE(cultivation::ReadXlsxRows(alerts.body, "", [&](const std::vector<std::string>& row) {
                rows.push_back(row);
                return true;
              }).ok());
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "预警类型");
  EXPECT_EQ(rows[1][0], "年报未填报");
  EXPECT_EQ(rows[1][1], kUscc);
  nlohmann::json listed = Get("/v1/alerts?applicationYear=2023");
  EXPECT_EQ(rows.size() - 1, listed["alerts"].size());  // the file holds what the method answers

  // Screening as a report: one row per evaluated enterprise with its verdict, and nothing recorded.
  Response screening = Call(http::verb::get, report +
                                                 "SCREENING&screening.program=programs/chuying&"
                                                 "screening.applicationYear=2022");
  ASSERT_EQ(screening.status, 200) << screening.body;
  EXPECT_TRUE(absl::StrContains(screening.body, "统一社会信用代码,企业名称,所属街道园区,评价结论")) << screening.body;
  EXPECT_TRUE(absl::StrContains(screening.body, absl::StrCat(kUscc, ",天津东丽智造科技有限公司,华明高新区,")))
      << screening.body;
  size_t at = screening.body.find(kUscc);
  ASSERT_NE(at, std::string::npos);
  std::vector<std::string> cells = absl::StrSplit(screening.body.substr(at, screening.body.find("\r\n", at) - at), ',');
  ASSERT_EQ(cells.size(), 9u) << screening.body;
  // An eligible enterprise is one the screening would put into 遴选; the file says so and records nothing.
  EXPECT_EQ(cells[5], cells[3] == "符合" ? "可遴选（未记录）" : "") << screening.body;
  EXPECT_EQ(Call(http::verb::get, absl::StrCat("/v1/enterprises/", kUscc, "/pipelines/chuying")).status, 404);

  Response stages = Call(http::verb::get, report + "PIPELINE_STATISTICS&pipelineStatistics.year=2021&format=CSV");
  ASSERT_EQ(stages.status, 200) << stages.body;
  EXPECT_TRUE(absl::StrContains(stages.body, "培育项目,阶段,年度,所属街道园区,企业数")) << stages.body;

  Response bad = Call(http::verb::get, report + "ALERTS&alerts.applicationYear=2023&alerts.withinDays=-1");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.Json()["details"][0]["fieldViolations"][0]["field"], "alerts.within_days") << bad.body;
  Response none = Call(http::verb::get, "/v1/enterprises:downloadReport");
  EXPECT_EQ(none.status, 400) << none.body;
  Response viewer = testing::HttpFetch(port_, http::verb::get, report + "SCREENING&screening.program=programs/chuying",
                                       Token(Role::kViewer, "", "viewer"));
  EXPECT_EQ(viewer.status, 403) << viewer.body;  // screening is an officer's act, even as a file
}

// The plan's progress table as the bureau files it: one row per indicator, then the milestones, with the figures the
// progress method answers.
TEST_F(RestContractTest, ProgressDownloadsAsTheTableOfTheProgress) {
  ASSERT_EQ(Call(http::verb::post, "/v1/plans/dongli-2020-2022/indicators/rd-intensity/values",
                 R"({"year":2021,"orgUnit":"dongli","value":2.85,"submit":true})")
                .status,
            200);
  nlohmann::json progress = Get("/v1/plans/dongli-2020-2022/progress?year=2021&includeSubmitted=true");
  Response xlsx =
      Call(http::verb::get, "/v1/plans/dongli-2020-2022/progress:download?year=2021&includeSubmitted=true&format=XLSX");
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_TRUE(absl::StrContains(xlsx.Header("Content-Disposition"), "progress-dongli-2020-2022-2021.xlsx"));
  std::vector<std::vector<std::string>> rows;
  ASSERT_TRUE(cultivation::ReadXlsxRows(xlsx.body, "", [&](const std::vector<std::string>& row) {
                rows.push_back(row);
                return true;
              }).ok());
  ASSERT_EQ(rows.size(), 1 + progress["indicators"].size() + progress["milestones"].size());
  EXPECT_EQ(rows[0][1], "指标");
  EXPECT_EQ(rows[0][10], "2022年预测");
  EXPECT_EQ(rows[1][1], progress["indicators"][0]["displayName"]);
  EXPECT_EQ(rows[1][3], progress["indicators"][0]["targetText"]);  // the target as the plan writes it
  EXPECT_EQ(rows[1][4], "2.85");                                   // no binary tail
  EXPECT_EQ(rows[1][5], "95.0%");                                  // 2.85 of 3
  EXPECT_EQ(rows[1][7], "正常推进");
  EXPECT_EQ(rows[1][11], "单位填报");
  EXPECT_EQ(rows[2][7], "暂无数据");  // nothing reported: said so, not "at risk"
  EXPECT_TRUE(absl::StartsWith(rows.back()[0], "重点任务")) << rows.back()[0];
  Response csv = Call(http::verb::get, "/v1/plans/dongli-2020-2022/progress:download?year=2021");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_TRUE(absl::StartsWith(csv.body, "\xEF\xBB\xBF序号,指标,单位,年度目标,实际值,完成率")) << csv.body;
  EXPECT_EQ(Call(http::verb::get, "/v1/plans/dongli-2020-2022/progress:download").status, 400);  // year required
  EXPECT_EQ(Call(http::verb::get, "/v1/plans/nowhere/progress:download?year=2021").status, 404);
}

// AIP-155: a Create retried with the same requestId (a client that timed out) writes once and gets the first
// answer; the same id with another request is refused.
TEST_F(RestContractTest, CreateRetriedWithItsRequestIdWritesOnce) {
  ASSERT_EQ(Call(http::verb::post, "/v1/enterprises",
                 absl::StrCat(R"({"uscc":")", kUscc, R"(","displayName":"天津东丽智造科技有限公司",)",
                              R"("registrationDate":"2017-04-18","orgUnit":"huaming","industry":"智能制造"})"))
                .status,
            200);
  std::string records =
      absl::StrCat("/v1/enterprises/", kUscc, "/records?requestId=3f1c9a62-5b7e-4d2a-9c11-0a7f6e2b8d41");
  const std::string award =
      R"({"kind":"AWARD","level":"provincial","year":2020,"rank":2,"title":"天津市科学技术进步奖"})";
  Response first = Call(http::verb::post, records, award);
  ASSERT_EQ(first.status, 200) << first.body;
  Response retry = Call(http::verb::post, records, award);
  ASSERT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(retry.Json()["name"], first.Json()["name"]);
  EXPECT_EQ(Get(absl::StrCat("/v1/enterprises/", kUscc, "/records"))["records"].size(), 1u);
  Response other = Call(http::verb::post, records,
                        R"({"kind":"AWARD","level":"municipal","year":2021,"rank":1,"title":"东丽区科技奖"})");
  EXPECT_EQ(other.status, 400) << other.body;
  EXPECT_EQ(other.Json()["details"][0]["fieldViolations"][0]["field"], "request_id") << other.body;
  EXPECT_EQ(Get(absl::StrCat("/v1/enterprises/", kUscc, "/records"))["records"].size(), 1u);
}

TEST_F(RestContractTest, OnlyADraftValueCanBeDeleted) {
  std::string values = "/v1/plans/dongli-2020-2022/indicators/rd-intensity/values";
  Response draft = Call(http::verb::post, values, R"({"year":2021,"orgUnit":"dongli","value":2.5})");
  ASSERT_EQ(draft.status, 200) << draft.body;
  std::string name = absl::StrCat("/v1/", draft.Json()["name"].get<std::string>());
  EXPECT_EQ(Call(http::verb::delete_, name).status, 200);
  EXPECT_EQ(Call(http::verb::get, name).status, 404);
  Response submitted = Call(http::verb::post, values, R"({"year":2021,"orgUnit":"dongli","value":2.6,"submit":true})");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  Response refused = Call(http::verb::delete_, name);
  EXPECT_EQ(refused.status, 400) << refused.body;  // FAILED_PRECONDITION: it stays on the record
  EXPECT_EQ(Get(name)["value"], 2.6);
}

// google.api.field_behavior = REQUIRED is enforced, not only documented: every unary method of every service,
// called over gRPC with an empty request, answers INVALID_ARGUMENT (never OK, never INTERNAL).
TEST_F(RestContractTest, RequiredFieldsAreEnforced) {
  // Through a message of each file: that links the file's descriptors in and builds them in the generated pool.
  const std::map<const google::protobuf::ServiceDescriptor*, testing::ServiceProcess*> services = {
      {cultivation::v1::Enterprise::descriptor()->file()->service(0), cultivation_},
      {evaluation::v1::Carrier::descriptor()->file()->service(0), evaluation_},
      {indicators::v1::Plan::descriptor()->file()->service(0), indicators_}};
  int checked = 0;
  for (const auto& [service, process] : services) {
    ASSERT_NE(service, nullptr);
    const std::string& name = service->full_name();
    grpc::GenericStub stub(grpc::CreateChannel(process->address(), grpc::InsecureChannelCredentials()));
    for (int m = 0; m < service->method_count(); ++m) {
      const google::protobuf::MethodDescriptor* method = service->method(m);
      if (method->client_streaming() || method->server_streaming()) continue;
      bool required = false;
      const google::protobuf::Descriptor* input = method->input_type();
      for (int f = 0; f < input->field_count(); ++f) {
        const auto& behaviors = input->field(f)->options().GetRepeatedExtension(google::api::field_behavior);
        required |= std::find(behaviors.begin(), behaviors.end(), google::api::REQUIRED) != behaviors.end();
      }
      if (!required) continue;
      grpc::ClientContext context;
      context.AddMetadata("authorization", "Bearer " + admin_);
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      grpc::Slice empty("", 0);  // an empty message: every field unset
      grpc::ByteBuffer request(&empty, 1), response;
      std::promise<grpc::Status> done;
      stub.UnaryCall(&context, absl::StrCat("/", name, "/", method->name()), grpc::StubOptions(), &request, &response,
                     [&done](grpc::Status status) { done.set_value(std::move(status)); });
      grpc::Status status = done.get_future().get();
      EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
          << method->full_name() << ": " << status.error_code() << " " << status.error_message();
      ++checked;
    }
  }
  EXPECT_GE(checked, 30);
}

}  // namespace
}  // namespace stip
