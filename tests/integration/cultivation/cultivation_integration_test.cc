// The real stip-cultivation binary on a loopback port with a temporary data directory, driven over gRPC
// with real HS256 tokens, on a generated data set of Dongli enterprises. No mocks.
#include <csignal>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/grpc_status.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "services/cultivation/domain/xlsx_sheet.h"
#include "stip/cultivation/v1/cultivation.grpc.pb.h"
#include "tests/integration/cultivation/dataset.h"
#include "tests/support/encode.h"
#include "tests/support/matchers.h"
#include "tests/support/service_fixture.h"
#include "tests/support/tokens.h"
#include "xlsxwriter.h"

namespace stip {
namespace {

namespace pb = ::stip::cultivation::v1;
using ::testing::HasSubstr;
namespace ds = ::stip::cultivation::dataset;

constexpr int kEnterprises = 2500;

class CultivationTest : public testing::ServiceFixture {
 protected:
  CultivationTest() : ServiceFixture("cultivation-it") {}

  void SetUp() override {
    ServiceFixture::SetUp();
    service_ = StartService("cultivation");
    ASSERT_NE(service_, nullptr);
    Connect();
    admin_ = Token(Role::kAdmin, "", "it-admin");
  }

  void Connect() { stub_ = Stub<pb::CultivationService>(service_->address()); }

  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
    return ServiceFixture::Context(token, std::chrono::seconds(120));
  }

  // Streams `csv` in 64 KiB messages.
  pb::ImportCsvResponse Import(pb::CsvKind kind, const std::string& csv, const std::string& token,
                               grpc::Status* status_out = nullptr) {
    pb::ImportCsvRequest first;
    first.set_kind(kind);
    return Import(first, csv, token, status_out);
  }
  // The same, with the first message's other fields (sheet, dry_run) from `first`.
  pb::ImportCsvResponse Import(const pb::ImportCsvRequest& first, const std::string& csv, const std::string& token,
                               grpc::Status* status_out = nullptr) {
    pb::ImportCsvResponse response;
    auto context = Context(token);
    auto writer = stub_->ImportCsv(context.get(), &response);
    for (size_t offset = 0; offset < csv.size() || offset == 0; offset += 65536) {
      pb::ImportCsvRequest request;
      if (offset == 0) request = first;
      request.set_data(csv.substr(offset, 65536));
      if (!writer->Write(request)) break;
      if (csv.empty()) break;
    }
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    if (status_out != nullptr) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    return response;
  }

  // The whole server-streamed export of `kind`.
  std::string Export(pb::CsvKind kind) {
    pb::ExportCsvRequest request;
    request.set_kind(kind);
    auto context = Context(admin_);
    auto reader = stub_->ExportCsv(context.get(), request);
    pb::CsvChunk chunk;
    std::string exported;
    while (reader->Read(&chunk)) exported += chunk.data();
    EXPECT_TRUE(reader->Finish().ok());
    return exported;
  }

  void ImportDataset() {
    std::string enterprises, filings;
    ds::Options options;
    options.enterprises = kEnterprises;
    ds::Generate(
        options, [&](std::string line) { enterprises += line; }, [&](std::string line) { filings += line; });
    pb::ImportCsvResponse e = Import(pb::ENTERPRISES, enterprises, admin_);
    ASSERT_EQ(e.rows(), kEnterprises);
    ASSERT_EQ(e.created(), kEnterprises) << (e.rejections_size() > 0 ? e.rejections(0).reason() : "");
    pb::ImportCsvResponse f = Import(pb::FILINGS, filings, admin_);
    ASSERT_EQ(f.rejected(), 0) << (f.rejections_size() > 0
                                       ? absl::StrCat(f.rejections(0).row(), " ", f.rejections(0).column(), " ",
                                                      f.rejections(0).reason())
                                       : "");
    ASSERT_GT(f.created(), kEnterprises);
    enterprises_csv_ = std::move(enterprises);
    filings_csv_ = std::move(filings);
  }

  pb::Enterprise CreateEnterprise(const std::string& uscc, const std::string& org_unit, const std::string& registered,
                                  grpc::Status* status_out = nullptr, const std::string& token = "") {
    pb::CreateEnterpriseRequest request;
    pb::Enterprise* e = request.mutable_enterprise();
    e->set_uscc(uscc);
    e->set_display_name("天津东丽测试科技有限公司");
    e->set_registration_date(registered);
    e->set_org_unit(org_unit);
    e->set_industry("新材料");
    e->set_tech_field("新材料");
    pb::Enterprise response;
    grpc::Status status = stub_->CreateEnterprise(Context(token.empty() ? admin_ : token).get(), request, &response);
    if (status_out != nullptr) {
      *status_out = status;
    } else {
      EXPECT_TRUE(status.ok()) << status.error_message();
    }
    return response;
  }

  // A filing that passes 雏鹰 2021 (E4 and E5.1) and 高企 national-2016 if the scores allow.
  grpc::Status PutFiling(const std::string& uscc, int year, int64_t sales, const std::string& token = "") {
    pb::UpdateFilingRequest request;
    request.set_allow_missing(true);
    pb::Filing* f = request.mutable_filing();
    f->set_name(absl::StrCat("enterprises/", uscc, "/filings/", year));
    f->set_sales_revenue(sales);
    f->set_total_cost_expense(sales * 8 / 10);
    f->set_rd_expense(sales * 6 / 100);
    f->set_rd_expense_domestic(sales * 6 / 100);
    f->set_total_staff(100);
    f->set_sci_tech_staff(30);
    f->set_hightech_revenue(sales * 7 / 10);
    f->set_total_assets(sales);
    f->set_total_liabilities(sales / 3);
    f->set_class1_ip_count(1);
    f->set_class2_ip_count(3);
    f->set_core_ip_support(true);
    f->set_independent_legal_person(true);
    f->set_serious_research_misconduct(false);
    f->set_abnormal_operation_list(false);
    f->set_serious_dishonest_list(false);
    f->set_major_accident(false);
    f->set_prohibited_catalogue(false);
    f->set_hte_score_ip(25);
    f->set_hte_score_conversion(22);
    f->set_hte_score_org(15);
    pb::Filing response;
    return stub_->UpdateFiling(Context(token.empty() ? admin_ : token).get(), request, &response);
  }

  grpc::Status Transition(const std::string& uscc, const std::string& program, pb::Stage to, pb::Pipeline* out,
                          const std::string& effective = "2021-06-30",
                          pb::WithdrawalReason reason = pb::WITHDRAWAL_REASON_UNSPECIFIED) {
    pb::TransitionPipelineRequest request;
    request.set_name(absl::StrCat("enterprises/", uscc, "/pipelines/", program));
    request.set_to_stage(to);
    request.set_reason("integration test");
    request.set_effective_date(effective);
    request.set_withdrawal_reason(reason);
    pb::Pipeline response;
    grpc::Status status = stub_->TransitionPipeline(Context(admin_).get(), request, &response);
    if (out != nullptr) *out = response;
    return status;
  }

  std::string admin_;
  std::string enterprises_csv_, filings_csv_;
  testing::ServiceProcess* service_ = nullptr;
  std::unique_ptr<pb::CultivationService::Stub> stub_;
};

const std::string kUscc = ds::UsccOf(999999);

TEST_F(CultivationTest, ImportIsIdempotentAndReportsRejectedRows) {
  ImportDataset();
  pb::ImportCsvResponse again = Import(pb::ENTERPRISES, enterprises_csv_, admin_);
  EXPECT_EQ(again.unchanged(), kEnterprises);
  EXPECT_EQ(again.created() + again.updated(), 0);
  pb::ImportCsvResponse filings = Import(pb::FILINGS, filings_csv_, admin_);
  EXPECT_EQ(filings.created() + filings.updated(), 0);
  std::string bad = "统一社会信用代码,企业名称,注册日期,所属街道园区,行业\r\n" + ds::UsccOf(1).substr(0, 17) +
                    (ds::UsccOf(1)[17] == '0' ? "1" : "0") + ",坏企业,2020-01-01,huaming,新材料\r\n";
  pb::ImportCsvResponse rejected = Import(pb::ENTERPRISES, bad, admin_);
  ASSERT_EQ(rejected.rejections_size(), 1);
  EXPECT_EQ(rejected.rejections(0).row(), 1);
  EXPECT_EQ(rejected.rejections(0).column(), "统一社会信用代码");
  EXPECT_NE(rejected.rejections(0).reason().find("校验位"), std::string::npos);

  pb::ListEnterprisesRequest list;
  list.set_org_unit("huaming");
  pb::ListEnterprisesResponse listed;
  ASSERT_TRUE(stub_->ListEnterprises(Context(admin_).get(), list, &listed).ok());
  EXPECT_EQ(listed.total_size(), (kEnterprises + 14) / 15);

  // Export streams the same rows back.
  std::string exported = Export(pb::ENTERPRISES);
  EXPECT_EQ(std::count(exported.begin(), exported.end(), '\n'), kEnterprises + 1);
}

TEST_F(CultivationTest, ExcelCsvInGbkAndUnicodeTextImport) {
  const std::string enterprises =
      "统一社会信用代码,企业名称,注册日期,所属街道园区,行业,技术领域,状态\r\n"
      "91120110MA00001013,天津东丽智造科技有限公司,2017/4/18,huaming,智能制造,先进制造与自动化,存续\r\n"
      "91120110MA00001026,天津华明新材料有限公司,2019年9月2日,huaming,新材料,新材料,存续\r\n";
  pb::ImportCsvResponse gbk = Import(pb::ENTERPRISES, stip::testing::EncodeAs(enterprises, "GBK"), admin_);
  EXPECT_EQ(gbk.encoding(), "GB18030");
  EXPECT_EQ(gbk.created(), 2) << (gbk.rejections_size() > 0 ? gbk.rejections(0).reason() : "");
  EXPECT_EQ(gbk.rejected(), 0);
  pb::GetEnterpriseRequest get;
  get.set_name("enterprises/91120110MA00001026");
  pb::Enterprise got;
  ASSERT_TRUE(stub_->GetEnterprise(Context(admin_).get(), get, &got).ok());
  EXPECT_EQ(got.display_name(), "天津华明新材料有限公司");
  EXPECT_EQ(got.registration_date(), "2019-09-02");

  const std::string filings =
      "统一社会信用代码\t年度\t销售收入(元)\t研发费用(元)\t职工总数\r\n"
      "91120110MA00001013\t2021\t\"8,600,000\"\t950,000\t45\r\n";
  pb::ImportCsvResponse utf16 = Import(pb::FILINGS, "\xFF\xFE" + stip::testing::EncodeAs(filings, "UTF-16LE"), admin_);
  EXPECT_EQ(utf16.encoding(), "UTF-16");
  EXPECT_EQ(utf16.created(), 1) << (utf16.rejections_size() > 0 ? utf16.rejections(0).reason() : "");
  pb::GetFilingRequest filing_request;
  filing_request.set_name("enterprises/91120110MA00001013/filings/2021");
  pb::Filing filing;
  ASSERT_TRUE(stub_->GetFiling(Context(admin_).get(), filing_request, &filing).ok());
  EXPECT_EQ(filing.sales_revenue(), 8600000);
  EXPECT_EQ(filing.rd_expense(), 950000);

  // Money columns headed in 万元, as on the statistics forms: exact 元, and a fraction of a 元 refused.
  const std::string in_wan =
      "统一社会信用代码,年度,销售收入（万元）,研发费用(万元),职工总数\r\n"
      "91120110MA00001013,2020,\"1,234.5678\",86.05,40\r\n"
      "91120110MA00001026,2020,12.00001,1,10\r\n";
  pb::ImportCsvResponse wan = Import(pb::FILINGS, in_wan, admin_);
  EXPECT_EQ(wan.created(), 1);
  ASSERT_EQ(wan.rejections_size(), 1);
  EXPECT_EQ(wan.rejections(0).row(), 2);
  EXPECT_EQ(wan.rejections(0).column(), "销售收入（万元）");
  EXPECT_NE(wan.rejections(0).reason().find("4位小数"), std::string::npos) << wan.rejections(0).reason();
  filing_request.set_name("enterprises/91120110MA00001013/filings/2020");
  ASSERT_TRUE(stub_->GetFiling(Context(admin_).get(), filing_request, &filing).ok());
  EXPECT_EQ(filing.sales_revenue(), 12345678);
  EXPECT_EQ(filing.rd_expense(), 860500);

  grpc::Status status;
  Import(pb::ENTERPRISES, std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), admin_, &status);  // an old .xls
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("另存为"), std::string::npos) << status.error_message();
}

// A workbook written by libxlsxwriter (a real spreadsheet writer): shared strings, a date cell in a date format,
// a number, and the filings on a second sheet chosen by name.
std::string WriteWorkbook(const std::string& dir) {
  std::string path = dir + "/企业.xlsx";
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_format* date = workbook_add_format(workbook);
  format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "企业名录");
  const char* headers[] = {"统一社会信用代码", "企业名称", "注册日期", "所属街道园区", "行业", "技术领域", "状态"};
  for (int c = 0; c < 7; ++c) worksheet_write_string(sheet, 0, c, headers[c], nullptr);
  worksheet_write_string(sheet, 1, 0, "91120110MA00001013", nullptr);
  worksheet_write_string(sheet, 1, 1, "天津东丽智造科技有限公司", nullptr);
  lxw_datetime registered = {2017, 4, 18, 0, 0, 0};
  worksheet_write_datetime(sheet, 1, 2, &registered, date);
  worksheet_write_string(sheet, 1, 3, "huaming", nullptr);
  worksheet_write_string(sheet, 1, 4, "智能制造", nullptr);
  worksheet_write_string(sheet, 1, 5, "先进制造与自动化", nullptr);
  worksheet_write_string(sheet, 1, 6, "存续", nullptr);
  lxw_worksheet* filings = workbook_add_worksheet(workbook, "年度填报");
  const char* filing_headers[] = {"统一社会信用代码", "年度", "销售收入(元)", "研发费用(元)", "职工总数"};
  for (int c = 0; c < 5; ++c) worksheet_write_string(filings, 0, c, filing_headers[c], nullptr);
  worksheet_write_string(filings, 1, 0, "91120110MA00001013", nullptr);
  worksheet_write_number(filings, 1, 1, 2021, nullptr);
  worksheet_write_number(filings, 1, 2, 8600000, nullptr);
  worksheet_write_number(filings, 1, 3, 950000, nullptr);
  worksheet_write_number(filings, 1, 4, 45, nullptr);
  EXPECT_EQ(workbook_close(workbook), LXW_NO_ERROR);
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_F(CultivationTest, ExcelWorkbookImportsFromItsSheets) {
  std::string workbook = WriteWorkbook(dir());
  pb::ImportCsvResponse enterprises = Import(pb::ENTERPRISES, workbook, admin_);
  EXPECT_EQ(enterprises.encoding(), "xlsx");
  EXPECT_EQ(enterprises.created(), 1) << (enterprises.rejections_size() > 0 ? enterprises.rejections(0).reason() : "");
  pb::GetEnterpriseRequest get;
  get.set_name("enterprises/91120110MA00001013");
  pb::Enterprise got;
  ASSERT_TRUE(stub_->GetEnterprise(Context(admin_).get(), get, &got).ok());
  EXPECT_EQ(got.registration_date(), "2017-04-18");  // a date serial in a 年月日 format
  EXPECT_EQ(got.industry(), "智能制造");

  pb::ImportCsvRequest first;
  first.set_kind(pb::FILINGS);
  first.set_sheet("年度填报");
  pb::ImportCsvResponse filings = Import(first, workbook, admin_);
  EXPECT_EQ(filings.created(), 1) << (filings.rejections_size() > 0 ? filings.rejections(0).reason() : "");
  pb::GetFilingRequest filing_request;
  filing_request.set_name("enterprises/91120110MA00001013/filings/2021");
  pb::Filing filing;
  ASSERT_TRUE(stub_->GetFiling(Context(admin_).get(), filing_request, &filing).ok());
  EXPECT_EQ(filing.sales_revenue(), 8600000);

  first.set_sheet("Sheet9");
  grpc::Status missing;
  Import(first, workbook, admin_, &missing);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(missing.error_message().find("企业名录"), std::string::npos) << missing.error_message();
}

// DownloadCsv as CSV (BOM, CRLF) and as .xlsx, both read back: what was imported comes out.
TEST_F(CultivationTest, ExportsDownloadAsCsvAndXlsxAndReadBack) {
  Import(pb::ENTERPRISES, WriteWorkbook(dir()), admin_);
  auto download = [&](type::v1::ExportFormat format, std::string* content_type) {
    pb::DownloadCsvRequest request;
    request.set_kind(pb::ENTERPRISES);
    request.set_format(format);
    auto context = Context(admin_);
    auto reader = stub_->DownloadCsv(context.get(), request);
    google::api::HttpBody body;
    std::string bytes;
    while (reader->Read(&body)) {
      if (!body.content_type().empty()) *content_type = body.content_type();
      bytes += body.data();
    }
    EXPECT_TRUE(reader->Finish().ok());
    return bytes;
  };
  std::string type;
  std::string csv = download(type::v1::CSV, &type);
  EXPECT_EQ(type, "text/csv; charset=utf-8");
  ASSERT_TRUE(absl::StartsWith(csv, "\xEF\xBB\xBF统一社会信用代码,")) << csv;
  EXPECT_NE(csv.find("\r\n91120110MA00001013,天津东丽智造科技有限公司,2017-04-18,huaming"), std::string::npos) << csv;

  std::string xlsx = download(type::v1::XLSX, &type);
  EXPECT_EQ(type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  std::vector<std::vector<std::string>> rows;
  ASSERT_TRUE(cultivation::ReadXlsxRows(xlsx, "", [&](const std::vector<std::string>& row) {
                rows.push_back(row);
                return true;
              }).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "统一社会信用代码");
  EXPECT_EQ(rows[1][0], "91120110MA00001013");
  EXPECT_EQ(rows[1][1], "天津东丽智造科技有限公司");
  EXPECT_EQ(rows[1][2], "2017-04-18");
  // The exported workbook imports again unchanged: a round trip through Excel's format loses nothing.
  pb::ImportCsvResponse again = Import(pb::ENTERPRISES, xlsx, admin_);
  EXPECT_EQ(again.unchanged(), 1) << again.ShortDebugString();
}

// A dry run previews each row exactly as the import would decide it, and writes nothing.
TEST_F(CultivationTest, DryRunPreviewsCreateUpdateUnchangedAndRejectedRows) {
  const std::string header = "统一社会信用代码,企业名称,注册日期,所属街道园区,行业,技术领域,状态\n";
  Import(pb::ENTERPRISES,
         header +
             "91120110MA00001013,天津东丽智造科技有限公司,2017-04-18,huaming,智能制造,先进制造与自动化,存续\n"
             "91120110MA00001026,天津华明新材料有限公司,2019-09-02,huaming,新材料,新材料,存续\n",
         admin_);
  pb::ImportCsvRequest dry_run_request;
  dry_run_request.set_kind(pb::ENTERPRISES);
  dry_run_request.set_dry_run(true);
  auto dry_run = [&](const std::string& csv) { return Import(dry_run_request, csv, admin_); };
  pb::ImportCsvResponse preview =
      dry_run(header +
              "91120110MA00001013,天津东丽智造科技股份有限公司,2017-04-18,huaming,智能制造,电子信息,存续\n"
              "91120110MA00001026,天津华明新材料有限公司,2019-09-02,huaming,新材料,新材料,存续\n"
              "91120110MA0000104C,天津东丽新企业有限公司,2021-03-09,huaming,新材料,,存续\n"
              "91120110MA00001030,天津校验位有误科技有限公司,2020-01-06,huaming,电子信息,电子信息,存续\n");
  EXPECT_EQ(preview.updated(), 1);
  EXPECT_EQ(preview.unchanged(), 1);
  EXPECT_EQ(preview.created(), 1);
  EXPECT_EQ(preview.rejected(), 1);
  ASSERT_EQ(preview.preview_size(), 3);
  EXPECT_EQ(preview.preview(0).row(), 1);
  EXPECT_EQ(preview.preview(0).outcome(), pb::ROW_UPDATE);
  EXPECT_THAT(std::vector<std::string>(preview.preview(0).changed_columns().begin(),
                                       preview.preview(0).changed_columns().end()),
              ::testing::ElementsAre("企业名称", "技术领域"));
  EXPECT_EQ(preview.preview(1).outcome(), pb::ROW_UNCHANGED);
  EXPECT_EQ(preview.preview(2).outcome(), pb::ROW_CREATE);
  EXPECT_EQ(preview.rejections(0).row(), 4);
  // Nothing was written: the same file for real still creates and updates.
  pb::GetEnterpriseRequest get;
  get.set_name("enterprises/91120110MA0000104C");
  pb::Enterprise got;
  EXPECT_EQ(stub_->GetEnterprise(Context(admin_).get(), get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  get.set_name("enterprises/91120110MA00001013");
  ASSERT_TRUE(stub_->GetEnterprise(Context(admin_).get(), get, &got).ok());
  EXPECT_EQ(got.display_name(), "天津东丽智造科技有限公司");
}

TEST_F(CultivationTest, WrongCheckDigitIsInvalidArgumentSayingSo) {
  grpc::Status status;
  std::string wrong = kUscc.substr(0, 17) + (kUscc[17] == '0' ? "1" : "0");
  CreateEnterprise(wrong, "huaming", "2018-01-01", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("校验位"), std::string::npos);
  ASSERT_FALSE(FieldViolationsOf(status).empty());
  EXPECT_EQ(FieldViolationsOf(status)[0].first, "enterprise.uscc");
}

TEST_F(CultivationTest, EvaluateExplainsEveryCriterionAndGap) {
  CreateEnterprise(kUscc, "huaming", "2016-04-01");
  for (int year = 2019; year <= 2021; ++year)
    ASSERT_TRUE(PutFiling(kUscc, year, 30000000LL + (year - 2019) * 9000000LL).ok());
  pb::EvaluateEnterpriseRequest request;
  request.set_name("enterprises/" + kUscc);
  request.set_program("high_tech");
  request.set_year(2021);
  pb::Evaluation evaluation;
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  EXPECT_EQ(evaluation.edition(), "programs/high_tech/editions/national-2016");
  EXPECT_TRUE(evaluation.eligible());
  using ::testing::Not;
  using ::testing::Property;
  using Criterion = stip::type::v1::CriterionResult;
  EXPECT_THAT(evaluation.criteria(),
              testing::HasCriterion(
                  "H5a", ::testing::AllOf(testing::Outcome(stip::type::v1::PASS), Property(&Criterion::actual, "6%"),
                                          Property(&Criterion::threshold, HasSubstr("≥ 5%")),
                                          Property(&Criterion::description, Not("")))));
  EXPECT_THAT(evaluation.criteria(), testing::HasCriterion("H7", Property(&Criterion::provisional, true)));

  // The application year names the fiscal years used; the verdict says the outcome in words.
  request.set_year(0);
  request.set_application_year(2022);
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  EXPECT_EQ(evaluation.year(), 2021);
  EXPECT_EQ(evaluation.application_year(), 2022);
  EXPECT_THAT(evaluation.fiscal_years(), ::testing::ElementsAre(2019, 2020, 2021));
  EXPECT_EQ(evaluation.verdict(), "符合");
  EXPECT_EQ(evaluation.as_of_date(), "2022-12-31");
  // H5a shows its arithmetic: the sums over the three years and the band's sales figure.
  EXPECT_THAT(evaluation.criteria(),
              testing::HasCriterion("H5a", Property(&Criterion::figures, ::testing::SizeIs(::testing::Ge(3)))));
  request.set_year(2020);  // contradicts the application year
  grpc::Status contradict = stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation);
  EXPECT_EQ(contradict.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.set_application_year(0);
  request.set_year(2021);

  // 瞪羚: G1/G2 are sourced; G3/G4 have no published threshold, so they are unknown and provisional.
  request.set_program("dengling");
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  EXPECT_TRUE(evaluation.provisional());
  EXPECT_EQ(evaluation.outcome(), stip::type::v1::UNKNOWN);
  EXPECT_THAT(evaluation.criteria(),
              testing::HasCriterion("G3", ::testing::AllOf(testing::Outcome(stip::type::v1::UNKNOWN),
                                                           Property(&Criterion::provisional, true))));
  EXPECT_THAT(evaluation.criteria(), testing::HasCriterion("G1", testing::Outcome(stip::type::v1::PASS)));

  // Missing data is reported as missing: no 2022 filing.
  request.set_program("chuying");
  request.set_year(2022);
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  EXPECT_EQ(evaluation.outcome(), stip::type::v1::MISSING_DATA);
  EXPECT_THAT(evaluation.criteria(), testing::HasCriterion("E4", testing::Outcome(stip::type::v1::MISSING_DATA)));

  // Gap for the next programme up: pooled as 雏鹰, so the target is 瞪羚, with shortfalls.
  pb::Pipeline pipeline;
  ASSERT_TRUE(Transition(kUscc, "chuying", pb::SCREENED, &pipeline).ok());
  ASSERT_TRUE(Transition(kUscc, "chuying", pb::POOLED, &pipeline).ok());
  pb::AnalyzeGapRequest gap_request;
  gap_request.set_name("enterprises/" + kUscc);
  gap_request.set_year(2021);
  pb::GapAnalysis gap;
  ASSERT_TRUE(stub_->AnalyzeGap(Context(admin_).get(), gap_request, &gap).ok());
  EXPECT_EQ(gap.current_program(), "chuying");
  EXPECT_EQ(gap.target_program(), "dengling");
  EXPECT_EQ(gap.application_year(), 2022);
  EXPECT_THAT(gap.fiscal_years(), ::testing::Contains(2021));
  EXPECT_EQ(gap.outcome(), stip::type::v1::UNKNOWN);
  gap_request.set_as_of_date("2022-05-20");
  ASSERT_TRUE(stub_->AnalyzeGap(Context(admin_).get(), gap_request, &gap).ok());
  EXPECT_EQ(gap.as_of_date(), "2022-05-20");
  gap_request.clear_as_of_date();
  EXPECT_TRUE(gap.provisional());
  // G3's threshold is not published: the gap lists it as unknown, never as passed.
  EXPECT_THAT(gap.gaps(), ::testing::Each(Not(testing::Outcome(stip::type::v1::PASS))));
  EXPECT_THAT(gap.gaps(), testing::HasCriterion("G3", ::testing::AllOf(testing::Outcome(stip::type::v1::UNKNOWN),
                                                                       Property(&Criterion::provisional, true))));
  // Against 领军 (target given) L4's 5亿 fails with a shortfall in 元.
  gap_request.set_target_program("lingjun");
  ASSERT_TRUE(stub_->AnalyzeGap(Context(admin_).get(), gap_request, &gap).ok());
  EXPECT_THAT(gap.gaps(),
              testing::HasCriterion("L4", ::testing::AllOf(testing::Outcome(stip::type::v1::FAIL),
                                                           Property(&Criterion::shortfall,
                                                                    ::testing::DoubleEq(500000000.0 - 48000000.0)))));
}

// 雏鹰 E5.x from records the officer enters (an award with its year and level), not from a yes/no flag.
TEST_F(CultivationTest, RecordsDecideChuyingInnovationCriteria) {
  CreateEnterprise(kUscc, "huaming", "2016-04-01");
  pb::Filing filing_response;
  pb::UpdateFilingRequest filing;
  filing.set_allow_missing(true);
  filing.mutable_filing()->set_name(absl::StrCat("enterprises/", kUscc, "/filings/2021"));
  filing.mutable_filing()->set_sales_revenue(5000000);
  filing.mutable_filing()->set_class1_ip_count(0);
  filing.mutable_filing()->set_class2_ip_count(0);
  filing.mutable_filing()->set_independent_legal_person(true);
  filing.mutable_filing()->set_st_award(true);  // a flag of the first edition: no longer read, listed for re-entry
  ASSERT_TRUE(stub_->UpdateFiling(Context(admin_).get(), filing, &filing_response).ok());
  pb::EvaluateEnterpriseRequest request;
  request.set_name("enterprises/" + kUscc);
  request.set_program("chuying");
  request.set_application_year(2022);
  pb::Evaluation evaluation;
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  EXPECT_EQ(evaluation.edition(), "programs/chuying/editions/tianjin-2021");
  EXPECT_THAT(evaluation.criteria(), testing::HasCriterion("E5.5", testing::Outcome(stip::type::v1::FAIL)));

  // A record that cannot be stored says which field and why, and stores nothing.
  pb::CreateRecordRequest create;
  create.set_parent("enterprises/" + kUscc);
  create.mutable_record()->set_kind(pb::AWARD);
  create.mutable_record()->set_level("provincial");
  pb::Record record;
  grpc::Status bad = stub_->CreateRecord(Context(admin_).get(), create, &record);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::set<std::string> fields;
  for (const auto& [field, reason] : FieldViolationsOf(bad)) fields.insert(field);
  EXPECT_EQ(fields, (std::set<std::string>{"record.year", "record.rank"}));

  create.mutable_record()->set_year(2020);
  create.mutable_record()->set_rank(2);
  create.mutable_record()->set_title("天津市科学技术进步奖");
  ASSERT_TRUE(stub_->CreateRecord(Context(admin_).get(), create, &record).ok());
  EXPECT_THAT(record.name(), HasSubstr("/records/"));
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  EXPECT_THAT(
      evaluation.criteria(),
      testing::HasCriterion("E5.5", ::testing::AllOf(testing::Outcome(stip::type::v1::PASS),
                                                     ::testing::Property(&stip::type::v1::CriterionResult::figures,
                                                                         ::testing::SizeIs(1)))));
  EXPECT_THAT(evaluation.criteria(), testing::HasCriterion("E5", testing::Outcome(stip::type::v1::PASS)));

  pb::ListRecordsRequest list;
  list.set_parent("enterprises/" + kUscc);
  pb::ListRecordsResponse listed;
  ASSERT_TRUE(stub_->ListRecords(Context(admin_).get(), list, &listed).ok());
  ASSERT_EQ(listed.records_size(), 1);
  EXPECT_EQ(listed.records(0).kind_display_name(), "科技奖励");
  ASSERT_EQ(listed.legacy_flags_size(), 1);
  EXPECT_THAT(listed.legacy_flags(0), HasSubstr("省部级以上科技奖励"));
  list.set_kind(pb::CONTEST);  // the kind filter
  ASSERT_TRUE(stub_->ListRecords(Context(admin_).get(), list, &listed).ok());
  EXPECT_EQ(listed.records_size(), 0);

  pb::DeleteRecordRequest remove;
  remove.set_name(record.name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(stub_->DeleteRecord(Context(admin_).get(), remove, &empty).ok());
  EXPECT_EQ(stub_->DeleteRecord(Context(admin_).get(), remove, &empty).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  EXPECT_THAT(evaluation.criteria(), testing::HasCriterion("E5.5", testing::Outcome(stip::type::v1::FAIL)));
}

// Records by CSV with Chinese headers and names, as the README tells an officer: rows that cannot be records
// are rejected with their column; the same file twice adds nothing; the export reads back the same rows.
TEST_F(CultivationTest, RecordsCsvImportIsIdempotentAndExportsBack) {
  CreateEnterprise(kUscc, "huaming", "2016-04-01");
  std::string csv =
      "统一社会信用代码,记录类别,类型,级别,年份,排名,奖项,角色,开始日期,截止日期,金额(元),投资机构,名称\n" + kUscc +
      ",科技奖励,,省部级,2020,2,,,,,,,天津市科学技术进步奖\n" + kUscc +
      ",创新创业大赛,,国家级,2021,,优秀奖,,,,,,中国创新创业大赛\n" + kUscc +
      ",证书,软件产品证书,,,,,,2021-03-01,2026-02-28,,,\n" + kUscc + ",创业投资,,,,,,,2021-05-10,,1200000,天津创投,\n" +
      kUscc + ",标准,,团体,2019,,,牵头,,,,,\n" +   // 牵头 is not a role the template knows
      kUscc + ",科技奖励,,省部级,2020,,,,,,,,\n";  // an award without its rank
  for (int round = 0; round < 2; ++round) {
    pb::ImportCsvResponse imported = Import(pb::RECORDS, csv, admin_);
    EXPECT_EQ(imported.rows(), 6);
    EXPECT_EQ(imported.created(), round == 0 ? 4 : 0);
    EXPECT_EQ(imported.unchanged(), round == 0 ? 0 : 4);
    ASSERT_EQ(imported.rejected(), 2);
    EXPECT_EQ(imported.rejections(0).column(), "角色");
    EXPECT_EQ(imported.rejections(1).column(), "排名");
  }
  pb::EvaluateEnterpriseRequest request;
  request.set_name("enterprises/" + kUscc);
  request.set_program("chuying");
  request.set_application_year(2022);
  request.set_as_of_date("2022-06-30");
  pb::Evaluation evaluation;
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  for (const char* id : {"E5.5", "E5.3a1", "E5.2b", "E5.8"}) {
    EXPECT_THAT(evaluation.criteria(), testing::HasCriterion(id, testing::Outcome(stip::type::v1::PASS))) << id;
  }
  std::string exported = Export(pb::RECORDS);
  EXPECT_EQ(std::count(exported.begin(), exported.end(), '\n'), 5);  // header + 4 records
  EXPECT_THAT(exported, HasSubstr("省部级"));
  EXPECT_THAT(exported, HasSubstr("软件产品证书"));
  // The export imports back unchanged.
  pb::ImportCsvResponse again = Import(pb::RECORDS, exported, admin_);
  EXPECT_EQ(again.unchanged(), 4);
  EXPECT_EQ(again.rejected(), 0);
}

// The enterprise's own facts win over the filings', and an update can set them.
TEST_F(CultivationTest, EnterpriseFactsDecideTheIdentityCriteria) {
  CreateEnterprise(kUscc, "huaming", "2016-04-01");
  ASSERT_TRUE(PutFiling(kUscc, 2021, 30000000).ok());  // the filing says 独立法人: 是
  pb::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name("enterprises/" + kUscc);
  update.mutable_enterprise()->set_independent_legal_person(false);  // e.g. a branch (分公司)
  update.mutable_update_mask()->add_paths("independent_legal_person");
  pb::Enterprise updated;
  ASSERT_TRUE(stub_->UpdateEnterprise(Context(admin_).get(), update, &updated).ok());
  EXPECT_TRUE(updated.has_independent_legal_person());
  EXPECT_FALSE(updated.independent_legal_person());
  pb::EvaluateEnterpriseRequest request;
  request.set_name("enterprises/" + kUscc);
  request.set_program("chuying");
  request.set_application_year(2022);
  pb::Evaluation evaluation;
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  EXPECT_THAT(evaluation.criteria(), testing::HasCriterion("E1b", testing::Outcome(stip::type::v1::FAIL)));
  // A first-edition enterprise CSV (7 columns) leaves the recorded fact alone.
  std::string csv = "统一社会信用代码,企业名称,注册日期,所属街道园区,行业,技术领域,状态\n" + kUscc +
                    ",天津华明科技有限公司,2016-04-01,huaming,新材料,新材料,存续\n";
  Import(pb::ENTERPRISES, csv, admin_);
  pb::GetEnterpriseRequest get;
  get.set_name("enterprises/" + kUscc);
  pb::Enterprise got;
  ASSERT_TRUE(stub_->GetEnterprise(Context(admin_).get(), get, &got).ok());
  EXPECT_TRUE(got.has_independent_legal_person());
  // The template's fact columns set them; a cell that is neither 是 nor 否 is rejected with its column.
  std::string with_facts = "统一社会信用代码,企业名称,注册日期,所属街道园区,行业,技术领域,状态,独立法人,居民企业\n" +
                           kUscc + ",天津华明科技有限公司,2016-04-01,huaming,新材料,新材料,存续,是,是\n" + kUscc +
                           ",天津华明科技有限公司,2016-04-01,huaming,新材料,新材料,存续,也许,\n";
  pb::ImportCsvResponse imported = Import(pb::ENTERPRISES, with_facts, admin_);
  EXPECT_EQ(imported.updated(), 1);
  ASSERT_EQ(imported.rejected(), 1);
  EXPECT_EQ(imported.rejections(0).column(), "独立法人");
  ASSERT_TRUE(stub_->GetEnterprise(Context(admin_).get(), get, &got).ok());
  EXPECT_TRUE(got.independent_legal_person());
  EXPECT_TRUE(got.resident_enterprise());
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), request, &evaluation).ok());
  EXPECT_THAT(evaluation.criteria(), testing::HasCriterion("E1b", testing::Outcome(stip::type::v1::PASS)));
}

// 四个一批 for 高企: 遴选 draws from the 科技型中小企业 and 雏鹰 pools; 入库 of 瞪羚 is recorded as a first pass,
// and the annual 复评 records per year whether revenue grew.
TEST_F(CultivationTest, HighTechScreensFromThePoolsAndTheReviewIsRecordedPerYear) {
  CreateEnterprise(kUscc, "huaming", "2016-04-01");
  for (int year = 2019; year <= 2021; ++year)
    ASSERT_TRUE(PutFiling(kUscc, year, 30000000LL + (year - 2019) * 9000000LL).ok());
  pb::ScreenEnterprisesRequest screen;
  screen.set_program("programs/high_tech");
  screen.set_application_year(2022);
  screen.set_dry_run(true);
  pb::ScreenEnterprisesResponse screened;
  ASSERT_TRUE(stub_->ScreenEnterprises(Context(admin_).get(), screen, &screened).ok());
  EXPECT_EQ(screened.outside_pools(), 1);  // in no pool yet
  EXPECT_EQ(screened.evaluated(), 0);
  EXPECT_THAT(screened.pools(), ::testing::ElementsAre("tech_sme", "chuying"));
  EXPECT_EQ(screened.application_year(), 2022);
  EXPECT_EQ(screened.fiscal_year(), 2021);
  EXPECT_EQ(screened.as_of_date(), "2022-12-31");
  screen.set_as_of_date("2022-03-01");  // an as-of date inside the application year is used as given
  ASSERT_TRUE(stub_->ScreenEnterprises(Context(admin_).get(), screen, &screened).ok());
  EXPECT_EQ(screened.as_of_date(), "2022-03-01");
  screen.set_as_of_date("2022-02-30");
  EXPECT_EQ(stub_->ScreenEnterprises(Context(admin_).get(), screen, &screened).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  screen.clear_as_of_date();
  pb::Pipeline pipeline;
  ASSERT_TRUE(Transition(kUscc, "tech_sme", pb::SCREENED, &pipeline).ok());
  ASSERT_TRUE(Transition(kUscc, "tech_sme", pb::POOLED, &pipeline).ok());
  ASSERT_TRUE(stub_->ScreenEnterprises(Context(admin_).get(), screen, &screened).ok());
  EXPECT_EQ(screened.outside_pools(), 0);
  EXPECT_EQ(screened.evaluated(), 1);
  EXPECT_EQ(screened.eligible(), 1);

  // 瞪羚 入库 in 2021 (application year 2021): a first pass. The 2022 复评 reads 2021 against 2020: grew.
  ASSERT_TRUE(Transition(kUscc, "dengling", pb::SCREENED, &pipeline).ok());
  ASSERT_TRUE(Transition(kUscc, "dengling", pb::POOLED, &pipeline).ok());
  pb::ReviewTierRequest review;
  review.set_program("programs/dengling");
  review.set_application_year(2022);
  pb::ReviewTierResponse reviewed;
  ASSERT_TRUE(stub_->ReviewTier(Context(admin_).get(), review, &reviewed).ok());
  EXPECT_EQ(reviewed.reviewed(), 1);
  EXPECT_EQ(reviewed.passed(), 1);
  EXPECT_EQ(reviewed.edition(), "programs/tier_review/editions/tianjin-2021");
  // Revenue falls in 2022: the 2023 复评 fails and says why; nothing else changes.
  ASSERT_TRUE(PutFiling(kUscc, 2022, 40000000).ok());
  review.set_application_year(2023);
  ASSERT_TRUE(stub_->ReviewTier(Context(admin_).get(), review, &reviewed).ok());
  EXPECT_EQ(reviewed.failed(), 1);
  ASSERT_EQ(reviewed.evaluations_size(), 1);
  EXPECT_THAT(reviewed.evaluations(0).reason(), HasSubstr("R1"));
  pb::ListTierEvaluationsRequest list;
  list.set_parent("enterprises/" + kUscc);
  pb::ListTierEvaluationsResponse evaluations;
  ASSERT_TRUE(stub_->ListTierEvaluations(Context(admin_).get(), list, &evaluations).ok());
  ASSERT_EQ(evaluations.evaluations_size(), 3);
  EXPECT_EQ(evaluations.evaluations(0).outcome(), pb::PASSED);
  EXPECT_TRUE(evaluations.evaluations(0).first_pass());
  EXPECT_EQ(evaluations.evaluations(1).outcome(), pb::REVIEW_PASSED);
  EXPECT_FALSE(evaluations.evaluations(1).first_pass());
  EXPECT_EQ(evaluations.evaluations(2).outcome(), pb::REVIEW_FAILED);
  // A 高企 certificate entered as a record counts in the tier statistics (indicator 3) while valid, and its
  // expiry three years after issue gives the alert that 减少流失 needs.
  pb::CreateRecordRequest certificate;
  certificate.set_parent("enterprises/" + kUscc);
  certificate.mutable_record()->set_kind(pb::CERTIFICATE);
  certificate.mutable_record()->set_type("hte_national");
  certificate.mutable_record()->set_number("GR202112000123");
  certificate.mutable_record()->set_start_date("2021-11-01");
  pb::Record stored;
  ASSERT_TRUE(stub_->CreateRecord(Context(admin_).get(), certificate, &stored).ok());
  pb::GetTierStatisticsRequest stats_request;
  stats_request.set_year(2022);
  pb::TierStatistics stats;
  ASSERT_TRUE(stub_->GetTierStatistics(Context(admin_).get(), stats_request, &stats).ok());
  EXPECT_EQ(stats.high_tech(), 1);
  stats_request.set_year(2024);
  ASSERT_TRUE(stub_->GetTierStatistics(Context(admin_).get(), stats_request, &stats).ok());
  EXPECT_EQ(stats.high_tech(), 0);  // expired 2024-11-01
  pb::ListAlertsRequest alerts_request;
  alerts_request.set_application_year(2025);
  alerts_request.set_as_of_date("2024-09-01");
  alerts_request.set_kind(pb::CERTIFICATE_EXPIRING);
  pb::ListAlertsResponse alerts;
  ASSERT_TRUE(stub_->ListAlerts(Context(admin_).get(), alerts_request, &alerts).ok());
  ASSERT_EQ(alerts.alerts_size(), 1);
  EXPECT_EQ(alerts.alerts(0).valid_until(), "2024-11-01");
  // A park account cannot run the 复评 (a bureau decision).
  std::string park = Token(Role::kPark, "huaming", "it-park");
  EXPECT_EQ(stub_->ReviewTier(Context(park).get(), review, &reviewed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CultivationTest, PipelineTransitionsAllowedAndRefusedWithHistory) {
  CreateEnterprise(kUscc, "xinli", "2016-04-01");
  pb::Pipeline pipeline;
  grpc::Status refused = Transition(kUscc, "high_tech", pb::CERTIFIED, &pipeline);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("未进入"), std::string::npos) << refused.error_message();
  ASSERT_TRUE(Transition(kUscc, "high_tech", pb::SCREENED, &pipeline, "2020-03-01").ok());
  refused = Transition(kUscc, "high_tech", pb::CERTIFIED, &pipeline, "2020-03-02");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("当前阶段为“遴选”"), std::string::npos) << refused.error_message();
  ASSERT_TRUE(Transition(kUscc, "high_tech", pb::POOLED, &pipeline, "2020-06-01").ok());
  // Back-dating before the current stage would rewrite history: refused.
  EXPECT_EQ(Transition(kUscc, "high_tech", pb::CULTIVATING, &pipeline, "2020-05-01").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(Transition(kUscc, "high_tech", pb::CULTIVATING, &pipeline, "2020-07-01").ok());
  ASSERT_TRUE(Transition(kUscc, "high_tech", pb::CERTIFIED, &pipeline, "2020-11-12").ok());
  EXPECT_EQ(pipeline.valid_until(), "2023-11-12");  // three years from issue
  EXPECT_EQ(Transition(kUscc, "high_tech", pb::WITHDRAWN, &pipeline).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  pb::ListPipelineEventsRequest events_request;
  events_request.set_parent(absl::StrCat("enterprises/", kUscc, "/pipelines/high_tech"));
  pb::ListPipelineEventsResponse events;
  ASSERT_TRUE(stub_->ListPipelineEvents(Context(admin_).get(), events_request, &events).ok());
  ASSERT_EQ(events.events_size(), 4);
  EXPECT_EQ(events.events(3).to_stage(), pb::CERTIFIED);
  EXPECT_EQ(events.events(3).actor(), "it-admin");

  // Indicator 3 counts the valid certificate at the end of 2021, not at the end of 2019.
  pb::GetTierStatisticsRequest stats_request;
  stats_request.set_year(2021);
  pb::TierStatistics stats;
  ASSERT_TRUE(stub_->GetTierStatistics(Context(admin_).get(), stats_request, &stats).ok());
  EXPECT_EQ(stats.high_tech(), 1);
  EXPECT_EQ(stats.as_of_date(), "2021-12-31");
  stats_request.set_year(2019);
  ASSERT_TRUE(stub_->GetTierStatistics(Context(admin_).get(), stats_request, &stats).ok());
  EXPECT_EQ(stats.high_tech(), 0);

  // 流失 with a reason.
  ASSERT_TRUE(Transition(kUscc, "high_tech", pb::WITHDRAWN, &pipeline, "2022-01-05", pb::REASON_MOVED_OUT).ok());
  EXPECT_EQ(pipeline.withdrawal_reason(), pb::REASON_MOVED_OUT);
}

TEST_F(CultivationTest, MovedOutIn2022StillCountsFor2021ButNotFor2022) {
  CreateEnterprise(kUscc, "xinli", "2016-04-01");
  pb::Pipeline pipeline;
  ASSERT_TRUE(Transition(kUscc, "chuying", pb::SCREENED, &pipeline, "2021-03-01").ok());
  ASSERT_TRUE(Transition(kUscc, "chuying", pb::POOLED, &pipeline, "2021-06-30").ok());
  ASSERT_TRUE(PutFiling(kUscc, 2021, 50'000'000).ok());
  pb::UpdateFilingRequest certificate;
  certificate.mutable_filing()->set_name(absl::StrCat("enterprises/", kUscc, "/filings/2021"));
  certificate.mutable_filing()->set_hte_cert_issue_date("2020-11-12");
  certificate.mutable_update_mask()->add_paths("hte_cert_issue_date");
  pb::Filing filing;
  ASSERT_TRUE(stub_->UpdateFiling(Context(admin_).get(), certificate, &filing).ok());

  auto stats = [&](int year) {
    pb::GetTierStatisticsRequest request;
    request.set_year(year);
    pb::TierStatistics response;
    grpc::Status status = stub_->GetTierStatistics(Context(admin_).get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  };
  EXPECT_EQ(stats(2021).chuying(), 1);
  EXPECT_EQ(stats(2022).chuying(), 1);
  EXPECT_EQ(stats(2022).high_tech(), 1);  // the certificate runs to 2023-11-12

  auto move = [&](pb::EnterpriseStatus to, const std::string& effective) {
    pb::UpdateEnterpriseRequest request;
    request.mutable_enterprise()->set_name("enterprises/" + kUscc);
    request.mutable_enterprise()->set_status(to);
    request.mutable_update_mask()->add_paths("status");
    request.set_status_effective_date(effective);
    pb::Enterprise response;
    return stub_->UpdateEnterprise(Context(admin_).get(), request, &response);
  };
  // The effective date is validated: a real date, not before registration, not in the future.
  for (const char* bad : {"2022-02-30", "2015-12-31", "2999-01-01"}) {
    grpc::Status refused = move(pb::MOVED_OUT, bad);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    ASSERT_FALSE(FieldViolationsOf(refused).empty()) << bad;
    EXPECT_EQ(FieldViolationsOf(refused)[0].first, "status_effective_date") << bad;
  }
  EXPECT_EQ(stats(2022).chuying(), 1);  // the refusals wrote nothing

  grpc::Status moved = move(pb::MOVED_OUT, "2022-05-20");
  ASSERT_TRUE(moved.ok()) << moved.error_message();
  pb::TierStatistics y2021 = stats(2021), y2022 = stats(2022);
  EXPECT_EQ(y2021.chuying(), 1);  // active on 2021-12-31
  EXPECT_EQ(y2021.high_tech(), 1);
  EXPECT_EQ(y2022.chuying(), 0);  // moved out before 2022-12-31
  EXPECT_EQ(y2022.high_tech(), 0);
  // No back-dating under the move-out.
  EXPECT_EQ(move(pb::ACTIVE, "2022-05-19").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CultivationTest, CreateRetryWithRequestIdGetsTheFirstResponse) {
  pb::CreateEnterpriseRequest request;
  request.set_request_id("6f1c2a52-0d6e-4b7e-9f65-2b1e0c9a7d10");
  pb::Enterprise* e = request.mutable_enterprise();
  e->set_uscc(kUscc);
  e->set_display_name("天津东丽测试科技有限公司");
  e->set_registration_date("2019-03-01");
  e->set_org_unit("huaming");
  e->set_industry("新材料");
  pb::Enterprise first, retry;
  ASSERT_TRUE(stub_->CreateEnterprise(Context(admin_).get(), request, &first).ok());

  pb::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name("enterprises/" + kUscc);
  update.mutable_enterprise()->set_display_name("天津东丽测试科技股份有限公司");
  update.mutable_update_mask()->add_paths("display_name");
  pb::Enterprise updated;
  ASSERT_TRUE(stub_->UpdateEnterprise(Context(admin_).get(), update, &updated).ok());
  ASSERT_NE(updated.etag(), first.etag());

  // The retry (the first response was lost) returns the first response, although the enterprise changed since.
  grpc::Status status = stub_->CreateEnterprise(Context(admin_).get(), request, &retry);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());

  // The same request_id with a different payload is refused, naming request_id, and writes nothing.
  pb::CreateEnterpriseRequest reused = request;
  reused.mutable_enterprise()->set_uscc(ds::UsccOf(999998));
  status = stub_->CreateEnterprise(Context(admin_).get(), reused, &retry);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_FALSE(FieldViolationsOf(status).empty());
  EXPECT_EQ(FieldViolationsOf(status)[0].first, "request_id");
  pb::GetEnterpriseRequest get;
  get.set_name("enterprises/" + ds::UsccOf(999998));
  pb::Enterprise missing;
  EXPECT_EQ(stub_->GetEnterprise(Context(admin_).get(), get, &missing).error_code(), grpc::StatusCode::NOT_FOUND);

  // Without a request_id, registering the same USCC again is ALREADY_EXISTS.
  request.clear_request_id();
  EXPECT_EQ(stub_->CreateEnterprise(Context(admin_).get(), request, &retry).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(CultivationTest, AnnualRecheckAndProvisionalValidityInTheApi) {
  const std::string kept = kUscc, lost = ds::UsccOf(999998);
  for (const std::string& uscc : {kept, lost}) {
    CreateEnterprise(uscc, "huaming", "2017-04-01");
    ASSERT_TRUE(PutFiling(uscc, 2020, 5'000'000).ok());
    ASSERT_TRUE(PutFiling(uscc, 2021, uscc == lost ? 50'000 : 5'000'000).ok());  // E4: revenue ≥ 10万元
    pb::Pipeline pipeline;
    ASSERT_TRUE(Transition(uscc, "chuying", pb::SCREENED, &pipeline, "2021-09-01").ok());
    ASSERT_TRUE(Transition(uscc, "chuying", pb::POOLED, &pipeline, "2021-12-01").ok());
    grpc::Status certified = Transition(uscc, "chuying", pb::CERTIFIED, &pipeline, "2022-01-10");
    ASSERT_TRUE(certified.ok()) << certified.error_message();
    // The 1-year validity of the pools is provisional, and the API says so.
    EXPECT_EQ(pipeline.valid_until(), "2023-01-10");
    EXPECT_TRUE(pipeline.validity_provisional());
    EXPECT_NE(pipeline.validity_note().find("暂定"), std::string::npos) << pipeline.validity_note();
  }
  pb::GetPipelineRequest get;
  get.set_name(absl::StrCat("enterprises/", kept, "/pipelines/chuying"));
  pb::Pipeline read;
  ASSERT_TRUE(stub_->GetPipeline(Context(admin_).get(), get, &read).ok());
  EXPECT_TRUE(read.validity_provisional());

  // The annual re-check for 2022 uses each enterprise's latest filing (2021) under 雏鹰's default edition.
  pb::ListAlertsRequest request;
  request.set_year(2022);
  request.set_kind(pb::NO_LONGER_ELIGIBLE);
  request.set_as_of_date("2022-06-30");
  pb::ListAlertsResponse alerts;
  ASSERT_TRUE(stub_->ListAlerts(Context(admin_).get(), request, &alerts).ok());
  ASSERT_EQ(alerts.alerts_size(), 1);
  const pb::Alert& alert = alerts.alerts(0);
  EXPECT_EQ(alert.enterprise(), "enterprises/" + lost);
  EXPECT_EQ(alert.program(), "chuying");
  EXPECT_EQ(alert.reason(), "no longer meets");
  ASSERT_EQ(alert.failing_criteria_size(), 1);
  EXPECT_EQ(alert.failing_criteria(0), "E4");
  EXPECT_EQ(alert.filing_year(), 2021);
  EXPECT_EQ(alert.edition(), "programs/chuying/editions/tianjin-2021");

  // Rule editions carry the label too: 雏鹰/瞪羚/领军(培育) provisional, 高企's three years not.
  for (const auto& [name, provisional] :
       std::vector<std::pair<std::string, bool>>{{"programs/chuying/editions/tianjin-2021", true},
                                                 {"programs/dengling/editions/tianjin-2021", true},
                                                 {"programs/lingjun_peiyu/editions/tianjin-2021", true},
                                                 {"programs/lingjun/editions/tianjin-2021", true},
                                                 {"programs/high_tech/editions/national-2016", false}}) {
    pb::GetRuleEditionRequest edition_request;
    edition_request.set_name(name);
    pb::RuleEdition edition;
    ASSERT_TRUE(stub_->GetRuleEdition(Context(admin_).get(), edition_request, &edition).ok()) << name;
    EXPECT_EQ(edition.validity_provisional(), provisional) << name;
    EXPECT_FALSE(edition.validity_note().empty()) << name;
  }
}

TEST_F(CultivationTest, ParkScopeRefusalWritesNothing) {
  pb::Enterprise created = CreateEnterprise(kUscc, "xinli", "2016-04-01");
  std::string park = Token(Role::kPark, "huaming");
  // Reading, updating, filing and moving another unit's enterprise are all refused.
  pb::GetEnterpriseRequest get;
  get.set_name("enterprises/" + kUscc);
  pb::Enterprise seen;
  EXPECT_EQ(stub_->GetEnterprise(Context(park).get(), get, &seen).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  pb::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name("enterprises/" + kUscc);
  update.mutable_enterprise()->set_display_name("被篡改");
  update.mutable_update_mask()->add_paths("display_name");
  EXPECT_EQ(stub_->UpdateEnterprise(Context(park).get(), update, &seen).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(PutFiling(kUscc, 2021, 1000000, park).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status status;
  CreateEnterprise(ds::UsccOf(888888), "xinli", "2016-04-01", &status, park);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Nothing was written.
  ASSERT_TRUE(stub_->GetEnterprise(Context(admin_).get(), get, &seen).ok());
  EXPECT_EQ(seen.display_name(), created.display_name());
  EXPECT_EQ(seen.etag(), created.etag());
  pb::GetFilingRequest filing;
  filing.set_name(absl::StrCat("enterprises/", kUscc, "/filings/2021"));
  pb::Filing none;
  EXPECT_EQ(stub_->GetFiling(Context(admin_).get(), filing, &none).error_code(), grpc::StatusCode::NOT_FOUND);
  get.set_name("enterprises/" + ds::UsccOf(888888));
  EXPECT_EQ(stub_->GetEnterprise(Context(admin_).get(), get, &seen).error_code(), grpc::StatusCode::NOT_FOUND);
  // A park account's own enterprise is fine; a viewer cannot write at all.
  CreateEnterprise(ds::UsccOf(777777), "huaming", "2016-04-01", nullptr, park);
  EXPECT_EQ(PutFiling(ds::UsccOf(777777), 2021, 1000000, Token(Role::kViewer)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(PutFiling(ds::UsccOf(777777), 2021, 1000000, park).ok());
}

TEST_F(CultivationTest, KillDashNineLosesNoCommittedWrite) {
  CreateEnterprise(kUscc, "linkong", "2016-04-01");
  ASSERT_TRUE(PutFiling(kUscc, 2021, 12345678).ok());
  pb::Pipeline pipeline;
  ASSERT_TRUE(Transition(kUscc, "chuying", pb::SCREENED, &pipeline).ok());
  ASSERT_TRUE(service_->KillAndRestart().ok());
  Connect();
  pb::GetFilingRequest filing_request;
  filing_request.set_name(absl::StrCat("enterprises/", kUscc, "/filings/2021"));
  pb::Filing filing;
  ASSERT_TRUE(stub_->GetFiling(Context(admin_).get(), filing_request, &filing).ok());
  EXPECT_EQ(filing.sales_revenue(), 12345678);
  EXPECT_FALSE(filing.has_listed_company());  // never written: still missing, not false
  pb::GetPipelineRequest pipeline_request;
  pipeline_request.set_name(absl::StrCat("enterprises/", kUscc, "/pipelines/chuying"));
  ASSERT_TRUE(stub_->GetPipeline(Context(admin_).get(), pipeline_request, &pipeline).ok());
  EXPECT_EQ(pipeline.stage(), pb::SCREENED);
}

TEST_F(CultivationTest, ScreeningGeneratedDataFillsTheFirstStage) {
  ImportDataset();
  pb::ScreenEnterprisesRequest request;
  request.set_program("programs/chuying");
  request.set_year(2021);
  request.set_effective_date("2022-03-01");
  pb::ScreenEnterprisesResponse first;
  ASSERT_TRUE(stub_->ScreenEnterprises(Context(admin_).get(), request, &first).ok());
  EXPECT_EQ(first.edition(), "programs/chuying/editions/tianjin-2021");
  EXPECT_EQ(first.evaluated(), kEnterprises);
  EXPECT_GT(first.screened(), 0);
  EXPECT_EQ(first.screened(), first.eligible());
  EXPECT_GT(first.missing_data(), 0);  // some generated filings lack sales revenue
  pb::ScreenEnterprisesResponse second;
  ASSERT_TRUE(stub_->ScreenEnterprises(Context(admin_).get(), request, &second).ok());
  EXPECT_EQ(second.screened(), 0);
  EXPECT_EQ(second.already_in_pipeline(), first.screened());

  // One park screens only its own enterprises; another unit is refused.
  request.set_program("programs/tech_sme");
  request.set_org_unit("huaming");
  pb::ScreenEnterprisesResponse park;
  ASSERT_TRUE(stub_->ScreenEnterprises(Context(Token(Role::kPark, "huaming")).get(), request, &park).ok());
  EXPECT_LE(park.evaluated(), (kEnterprises + 14) / 15);
  request.set_org_unit("xinli");
  EXPECT_EQ(stub_->ScreenEnterprises(Context(Token(Role::kPark, "huaming")).get(), request, &park).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  pb::GetPipelineStatisticsRequest stats_request;
  stats_request.set_year(2022);
  stats_request.set_program("chuying");
  pb::PipelineStatistics stats;
  ASSERT_TRUE(stub_->GetPipelineStatistics(Context(admin_).get(), stats_request, &stats).ok());
  int total = 0;
  for (const auto& c : stats.counts()) total += c.count();
  EXPECT_EQ(total, first.screened());

  // Alerts: generated filings stop in 2021, so 2022 filings are missing for everyone.
  pb::ListAlertsRequest alerts_request;
  alerts_request.set_year(2022);
  alerts_request.set_kind(pb::FILING_MISSING);
  alerts_request.set_as_of_date("2022-06-30");
  alerts_request.set_page_size(10);
  pb::ListAlertsResponse alerts;
  ASSERT_TRUE(stub_->ListAlerts(Context(admin_).get(), alerts_request, &alerts).ok());
  EXPECT_EQ(alerts.alerts_size(), 10);
  EXPECT_FALSE(alerts.next_page_token().empty());
  alerts_request.set_year(2021);
  alerts_request.set_kind(pb::CERTIFICATE_EXPIRING);
  alerts_request.set_within_days(365);
  alerts_request.set_page_size(1000);
  ASSERT_TRUE(stub_->ListAlerts(Context(admin_).get(), alerts_request, &alerts).ok());
  EXPECT_GT(alerts.alerts_size(), 0);
  for (const auto& a : alerts.alerts()) EXPECT_LE(a.days_left(), 365);
}

TEST_F(CultivationTest, AdminAddsAnEditionAndEvaluationsNameIt) {
  CreateEnterprise(kUscc, "huaming", "2016-04-01");
  ASSERT_TRUE(PutFiling(kUscc, 2021, 5000000).ok());
  pb::CreateRuleEditionRequest request;
  request.set_parent("programs/dengling");
  request.mutable_edition()->set_json(R"({"format":"stip.rules/v1","program":"dengling","edition":"dongli-trial-2022",
    "title":"瞪羚（试行）","document":"test","effective_from":"2022-01-01","provisional":true,
    "criteria":[{"id":"G4","zh":"营业收入不低于100万元","metric":"revenue_prev_year","op":">=","threshold":1000000,
    "unit":"yuan","status":"MISSING","source":"test"}]})");
  pb::RuleEdition created;
  EXPECT_EQ(stub_->CreateRuleEdition(Context(Token(Role::kBureau, "kjj")).get(), request, &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(stub_->CreateRuleEdition(Context(admin_).get(), request, &created).ok());
  EXPECT_EQ(created.name(), "programs/dengling/editions/dongli-trial-2022");
  EXPECT_EQ(stub_->CreateRuleEdition(Context(admin_).get(), request, &created).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  ASSERT_TRUE(service_->KillAndRestart().ok());  // the added edition survives a restart
  Connect();
  pb::EvaluateEnterpriseRequest evaluate;
  evaluate.set_name("enterprises/" + kUscc);
  evaluate.set_program("dengling");
  evaluate.set_year(2021);
  evaluate.set_edition("dongli-trial-2022");
  pb::Evaluation evaluation;
  ASSERT_TRUE(stub_->EvaluateEnterprise(Context(admin_).get(), evaluate, &evaluation).ok());
  EXPECT_EQ(evaluation.edition(), "programs/dengling/editions/dongli-trial-2022");
  EXPECT_TRUE(evaluation.eligible());
  EXPECT_TRUE(evaluation.provisional());
}

}  // namespace
}  // namespace stip
