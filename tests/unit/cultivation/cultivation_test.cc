// Unit tests of the cultivation domain: USCC check digit, dates and ages, the growth formulas, metrics with
// missing data, the pipeline state machine, the CSV reader and idempotent import.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/rules/edition_registry.h"
#include "common/sqlite_db.h"
#include "gtest/gtest.h"
#include "services/cultivation/domain/csv.h"
#include "services/cultivation/domain/cultivation_engine.h"
#include "services/cultivation/domain/dated_record.h"
#include "services/cultivation/domain/enterprise_metrics.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/domain/pipeline.h"
#include "services/cultivation/domain/pipeline_service.h"
#include "services/cultivation/domain/status_history.h"
#include "services/cultivation/domain/uscc.h"
#include "services/cultivation/domain/vocabulary.h"
#include "services/cultivation/store/cultivation_store.h"
#include "services/cultivation/store/sqlite/sqlite_cultivation_store.h"

namespace stip::cultivation {
namespace {

using rules::Rational;

// The exact value of a metric (the low end of a band).
Rational Exact(const rules::MetricSource& source, const char* metric) {
  std::optional<rules::Value> value = source.Get(metric);
  EXPECT_TRUE(value.has_value()) << metric;
  return value ? std::get<rules::Number>(*value).low : Rational::Invalid();
}

double Number(const rules::MetricSource& source, const char* metric) {
  return Exact(source, metric).ToDouble();
}

// A valid USCC with the given 17-character prefix.
std::string Uscc(const std::string& first17) {
  return first17 + *UsccCheckCharacter(first17);
}

TEST(Uscc, PublishedExamplesAreValid) {
  EXPECT_TRUE(ValidateUscc("91350100M000100Y43").ok());
  EXPECT_TRUE(ValidateUscc("91110108551385082Q").ok());
}

TEST(Uscc, WrongCheckDigitSaysWhichOneIsRight) {
  absl::Status status = ValidateUscc("91350100M000100Y44");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("校验位"), absl::string_view::npos);
  EXPECT_NE(status.message().find("“3”"), absl::string_view::npos);
}

TEST(Uscc, LengthCharsetAndDivisionCode) {
  EXPECT_FALSE(ValidateUscc("91350100M000100Y4").ok());
  EXPECT_FALSE(ValidateUscc("91350100M000100Y433").ok());
  EXPECT_FALSE(ValidateUscc("91350100MO00100Y43").ok());  // O is not in the set
  EXPECT_FALSE(ValidateUscc(Uscc("913A0100M000100Y4")).ok());
  EXPECT_EQ(NormalizeUscc(" 91350100m000100y43 "), "91350100M000100Y43");
}

TEST(Dates, YearsBetweenIsExactAtTheBoundary) {
  EXPECT_EQ(ExactYearsBetween(absl::CivilDay(2013, 12, 31), absl::CivilDay(2021, 12, 31)), Rational(8));
  EXPECT_EQ(ExactYearsBetween(absl::CivilDay(2013, 12, 30), absl::CivilDay(2021, 12, 31)),
            Rational::Of(8 * 365 + 1, 365));
  EXPECT_LT(ExactYearsBetween(absl::CivilDay(2014, 1, 1), absl::CivilDay(2021, 12, 31)), Rational(8));
  // Leap days: 2016-02-29 to 2024-02-29 is 8 years; to 2024-02-28 it is not yet.
  EXPECT_EQ(ExactYearsBetween(absl::CivilDay(2016, 2, 29), absl::CivilDay(2024, 2, 29)), Rational(8));
  EXPECT_LT(ExactYearsBetween(absl::CivilDay(2016, 2, 29), absl::CivilDay(2024, 2, 27)), Rational(8));
  EXPECT_EQ(AddYears(absl::CivilDay(2020, 2, 29), 1), absl::CivilDay(2021, 2, 28));
  EXPECT_FALSE(ParseDate("2021-02-30").has_value());
  EXPECT_TRUE(ParseDate("2020-02-29").has_value());
}

// The as-of date of an application when none is given (criteria.md, conventions 1).
TEST(Dates, DefaultAsOfIsTodayWithinTheApplicationYear) {
  EXPECT_EQ(DefaultAsOf(2022, absl::CivilDay(2022, 5, 20)), absl::CivilDay(2022, 5, 20));
  EXPECT_EQ(DefaultAsOf(2021, absl::CivilDay(2022, 5, 20)), absl::CivilDay(2021, 12, 31));  // a past year
  EXPECT_EQ(DefaultAsOf(2023, absl::CivilDay(2022, 5, 20)), absl::CivilDay(2023, 1, 1));    // a future year
}

TEST(Growth, OfficialFormulasExactly) {
  EXPECT_EQ(GrowthRate({100, 120, 144}), Rational::Of(1, 5));  // 1/2(1.2 + 1.2) − 1
  EXPECT_EQ(GrowthRate({100, 200, 200}), Rational::Of(1, 2));  // 1/2(2 + 1) − 1
  EXPECT_EQ(GrowthRate({0, 100, 150}), Rational::Of(1, 2));    // first year 0: last two years only
  EXPECT_EQ(GrowthRate({100, 0, 50}), Rational(0));            // second year 0: 0
  EXPECT_EQ(GrowthRate({100, 150}), Rational::Of(1, 2));       // operating two years
  EXPECT_EQ(GrowthRate({100}), Rational(0));
  EXPECT_LT(GrowthRate({100, 90, 81}), Rational(0));
  // 15% exactly, which a double computes as 0.1499999…: 1/2(115/100 + 13225/11500) − 1 = 3/20.
  EXPECT_EQ(GrowthRate({10000000, 11500000, 13225000}), Rational::Of(3, 20));
  EXPECT_EQ(GrowthRate({20000000, 23000000}), Rational::Of(3, 20));
}

class Metrics : public ::testing::Test {
 protected:
  EnterpriseFacts Facts(const std::string& registered) {
    EnterpriseFacts facts;
    facts.uscc = Uscc("91120110MA05JXX01");
    facts.registration_date = registered;
    facts.tech_field = "电子信息";
    return facts;
  }
  static FilingData Filing(int64_t sales, int64_t rd, int64_t assets, int64_t liabilities) {
    return FilingData{{"sales_revenue", sales},
                      {"rd_expense", rd},
                      {"rd_expense_domestic", rd},
                      {"total_assets", assets},
                      {"total_liabilities", liabilities}};
  }
};

TEST_F(Metrics, IdentityAndAges) {
  EnterpriseFacts facts = Facts("2013-12-31");
  EnterpriseMetrics m = ComputeMetrics(facts, 2021, YearEnd(2021), 3);
  EXPECT_EQ(Number(m, "registered_in_tianjin"), 1.0);
  EXPECT_EQ(Exact(m, "reg_age_years_end_prev"), Rational(8));
  EXPECT_EQ(Number(m, "registered_before_apply_year"), 1.0);
  facts.registration_date = "2022-03-01";
  EXPECT_EQ(Number(ComputeMetrics(facts, 2021, YearEnd(2021), 3), "registered_before_apply_year"), 0.0);
}

TEST_F(Metrics, Day365FromBothSides) {
  rules::EditionRegistry registry;
  ASSERT_TRUE(registry.LoadDirectory(STIP_RULES_DIR).ok());
  auto hte = *registry.Find("high_tech", "", 2021);
  auto h1 = [&](const std::string& registered) {
    EnterpriseMetrics m = ComputeMetrics(Facts(registered), 2021, YearEnd(2021), 3);
    for (const auto& r : rules::Evaluate(*hte, m).results) {
      if (r.id == "H1") return r.outcome;
    }
    return rules::Outcome::kMissingData;
  };
  EXPECT_EQ(h1("2020-12-31"), rules::Outcome::kPass);  // 365 days
  EXPECT_EQ(h1("2021-01-01"), rules::Outcome::kFail);  // 364 days
}

TEST_F(Metrics, ChuyingAgeRuleFromBothSides) {
  rules::EditionRegistry registry;
  ASSERT_TRUE(registry.LoadDirectory(STIP_RULES_DIR).ok());
  auto chuying = *registry.Find("chuying", "tianjin-2021", 2021);
  auto e2 = [&](const std::string& registered) {
    EnterpriseMetrics m = ComputeMetrics(Facts(registered), 2021, YearEnd(2021), 3);
    for (const auto& r : rules::Evaluate(*chuying, m).results) {
      if (r.id == "E2") return r.outcome;
    }
    return rules::Outcome::kMissingData;
  };
  EXPECT_EQ(e2("2013-12-31"), rules::Outcome::kPass);  // exactly 8 years at 2021-12-31
  EXPECT_EQ(e2("2013-12-30"), rules::Outcome::kFail);
  EXPECT_EQ(e2("2021-06-01"), rules::Outcome::kPass);  // registered in Y, applying in Y+1
  EXPECT_EQ(e2("2022-01-01"), rules::Outcome::kFail);  // registered in the application year
}

TEST_F(Metrics, ThreeYearRatiosAndGrowth) {
  EnterpriseFacts facts = Facts("2015-05-01");
  facts.filings[2019] = Filing(1000, 50, 1000, 500);
  facts.filings[2020] = Filing(2000, 80, 1500, 700);
  facts.filings[2021] = Filing(3000, 120, 2000, 800);
  EnterpriseMetrics m = ComputeMetrics(facts, 2021, YearEnd(2021), 3);
  EXPECT_EQ(Exact(m, "rd_ratio_3y"), Rational::Of(250, 6000));
  EXPECT_EQ(Exact(m, "sales_growth"), Rational::Of(3, 4));           // 1/2 (2 + 1.5) − 1
  EXPECT_EQ(Exact(m, "net_asset_growth"), Rational::Of(11, 20));     // 1/2 (800/500 + 1200/800) − 1
  EXPECT_EQ(Exact(m, "revenue_avg_growth_3y"), Rational::Of(3, 4));  // 领军 L5, the same mean of ratios
  EXPECT_EQ(m.fiscal_years(), (std::vector<int>{2019, 2020, 2021}));
  // A missing year makes the 3-year ratio missing, never a smaller sum.
  facts.filings.erase(2020);
  EnterpriseMetrics gap = ComputeMetrics(facts, 2021, YearEnd(2021), 3);
  EXPECT_FALSE(gap.Get("rd_ratio_3y").has_value());
  EXPECT_FALSE(gap.Get("sales_growth").has_value());
}

TEST_F(Metrics, ShortOperatingPeriodUsesActualYears) {
  EnterpriseFacts facts = Facts("2020-03-01");
  facts.filings[2020] = Filing(1000, 100, 1000, 500);
  facts.filings[2021] = Filing(3000, 100, 2000, 500);
  EnterpriseMetrics m = ComputeMetrics(facts, 2021, YearEnd(2021), 3);
  EXPECT_EQ(Exact(m, "rd_ratio_3y"), Rational::Of(200, 4000));
  EXPECT_EQ(Exact(m, "sales_growth"), Rational(2));
}

TEST_F(Metrics, MissingFilingFieldIsMissing) {
  EnterpriseFacts facts = Facts("2015-05-01");
  facts.filings[2021] = FilingData{{"total_staff", int64_t{10}}};
  EnterpriseMetrics m = ComputeMetrics(facts, 2021, YearEnd(2021), 3);
  EXPECT_FALSE(m.Get("revenue_prev_year").has_value());
  EXPECT_FALSE(m.Get("sci_tech_staff_ratio").has_value());
  EXPECT_EQ(Number(m, "total_staff"), 10.0);
}

TEST_F(Metrics, HighTechCertificateLastsThreeYearsFromIssue) {
  EnterpriseFacts facts = Facts("2010-01-01");
  facts.filings[2019] = FilingData{{"hte_cert_issue_date", std::string("2019-03-01")}};
  EXPECT_TRUE(ValidHteCertificate(facts, 2021, absl::CivilDay(2022, 2, 28), 3).has_value());
  EXPECT_FALSE(ValidHteCertificate(facts, 2021, absl::CivilDay(2022, 3, 1), 3).has_value());
  EXPECT_FALSE(ValidHteCertificate(facts, 2021, absl::CivilDay(2019, 2, 28), 3).has_value());
  facts.filings.clear();
  facts.hte_certificates.push_back("2020-10-10");
  EXPECT_TRUE(ValidHteCertificate(facts, 2021, YearEnd(2021), 3).has_value());
}

// The windows and levels of record queries at their edges (criteria.md, conventions 4): "近五年" for
// application year Y is Y − record year ≤ 5; certificates count while valid on the as-of date.
TEST(Records, WindowsLevelsAndValidityAtTheirEdges) {
  rules::RecordQuery awards;
  awards.kind = "award";
  awards.levels = {"national", "provincial"};
  awards.within_years = 5;
  awards.max_rank = 3;
  DatedRecord award;
  award.kind = RecordKind::kAward;
  award.level = "provincial";
  award.year = 2017;
  award.rank = 3;
  absl::CivilDay as_of(2022, 6, 30);
  EXPECT_TRUE(Matches(award, awards, 2022, as_of, 3));  // 2022 − 2017 = 5
  award.year = 2016;
  EXPECT_FALSE(Matches(award, awards, 2022, as_of, 3));  // 6 years
  award.year = 2023;
  EXPECT_FALSE(Matches(award, awards, 2022, as_of, 3));  // after the application year
  award.year = 2020;
  award.rank = 4;
  EXPECT_FALSE(Matches(award, awards, 2022, as_of, 3));  // not in the top three
  award.rank = 1;
  award.level = "district";
  EXPECT_FALSE(Matches(award, awards, 2022, as_of, 3));

  rules::RecordQuery valid;
  valid.kind = "certificate";
  valid.types = {"software_product"};
  valid.valid_on_as_of = true;
  DatedRecord cert;
  cert.kind = RecordKind::kCertificate;
  cert.type = "software_product";
  cert.start_date = "2020-02-29";
  cert.end_date = "2022-06-30";
  EXPECT_FALSE(Matches(cert, valid, 2022, as_of, 3));  // expires on the as-of date
  EXPECT_TRUE(Matches(cert, valid, 2022, absl::CivilDay(2022, 6, 29), 3));
  cert.end_date = "";  // no expiry given: the validity years from a leap-day issue
  EXPECT_TRUE(Matches(cert, valid, 2023, absl::CivilDay(2023, 2, 27), 3));
  EXPECT_FALSE(Matches(cert, valid, 2023, absl::CivilDay(2023, 2, 28), 3));
  cert.start_date = "2022-07-01";  // issued after the as-of date
  EXPECT_FALSE(Matches(cert, valid, 2022, as_of, 3));

  rules::RecordQuery money;
  money.kind = "venture_investment";
  money.min_amount = rules::Rational(1000000);
  DatedRecord investment;
  investment.kind = RecordKind::kVentureInvestment;
  investment.start_date = "2021-03-01";
  investment.amount = 1000000;
  EXPECT_TRUE(Matches(investment, money, 2022, as_of, 3));
  investment.amount = 999999;
  EXPECT_FALSE(Matches(investment, money, 2022, as_of, 3));

  rules::RecordQuery contest;
  contest.kind = "contest";
  contest.min_prize = "third";
  DatedRecord prize;
  prize.kind = RecordKind::kContest;
  prize.year = 2021;
  prize.prize = "third";
  EXPECT_TRUE(Matches(prize, contest, 2022, as_of, 3));
  prize.prize = "excellence";
  EXPECT_FALSE(Matches(prize, contest, 2022, as_of, 3));
}

// A violation inside "申报当年及上一年" fails E3 whatever the filing says; without the latest filing and without
// an event the check is missing; with the filing and no event it is known to be clear (conventions 5).
TEST_F(Metrics, ViolationEventsByWindow) {
  EnterpriseFacts facts = Facts("2015-05-01");
  EnterpriseMetrics none = ComputeMetrics(facts, 2021, absl::CivilDay(2022, 5, 1), 3);
  EXPECT_FALSE(none.Get("serious_dishonest_list").has_value());
  facts.filings[2021] = FilingData{{"sales_revenue", int64_t{1000}}};
  EXPECT_EQ(Number(ComputeMetrics(facts, 2021, absl::CivilDay(2022, 5, 1), 3), "serious_dishonest_list"), 0.0);
  DatedRecord listed;
  listed.kind = RecordKind::kViolation;
  listed.type = "serious_dishonest_list";
  listed.start_date = "2020-06-01";
  listed.end_date = "2020-12-31";  // lifted before the window (2021-01-01 ..) opens
  facts.records.push_back(listed);
  EXPECT_EQ(Number(ComputeMetrics(facts, 2021, absl::CivilDay(2022, 5, 1), 3), "serious_dishonest_list"), 0.0);
  facts.records[0].end_date = "2021-01-01";  // one day inside
  EXPECT_EQ(Number(ComputeMetrics(facts, 2021, absl::CivilDay(2022, 5, 1), 3), "serious_dishonest_list"), 1.0);
  // Zero staff is a known value: the ratio fails, it is not missing.
  facts.filings[2021] = FilingData{{"total_staff", int64_t{0}}, {"sci_tech_staff", int64_t{0}}};
  EXPECT_EQ(Exact(ComputeMetrics(facts, 2021, YearEnd(2021), 3), "sci_tech_staff_ratio"), Rational(0));
}

TEST(PipelineStateMachine, AllowedTransitions) {
  EXPECT_TRUE(CheckTransition(Stage::kNone, Stage::kScreened, WithdrawalReason::kUnspecified, "").ok());
  EXPECT_TRUE(CheckTransition(Stage::kScreened, Stage::kPooled, WithdrawalReason::kUnspecified, "").ok());
  EXPECT_TRUE(CheckTransition(Stage::kPooled, Stage::kCultivating, WithdrawalReason::kUnspecified, "").ok());
  EXPECT_TRUE(CheckTransition(Stage::kPooled, Stage::kCertified, WithdrawalReason::kUnspecified, "").ok());
  EXPECT_TRUE(CheckTransition(Stage::kCultivating, Stage::kCertified, WithdrawalReason::kUnspecified, "").ok());
  EXPECT_TRUE(CheckTransition(Stage::kCertified, Stage::kExpired, WithdrawalReason::kUnspecified, "").ok());
  EXPECT_TRUE(CheckTransition(Stage::kExpired, Stage::kScreened, WithdrawalReason::kUnspecified, "").ok());
  EXPECT_TRUE(CheckTransition(Stage::kWithdrawn, Stage::kScreened, WithdrawalReason::kUnspecified, "").ok());
  EXPECT_TRUE(CheckTransition(Stage::kCultivating, Stage::kWithdrawn, WithdrawalReason::kMovedOut, "").ok());
}

TEST(PipelineStateMachine, RefusedTransitionsNameTheCurrentStage) {
  absl::Status skip = CheckTransition(Stage::kScreened, Stage::kCertified, WithdrawalReason::kUnspecified, "");
  EXPECT_EQ(skip.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(skip.message().find("当前阶段为“遴选”"), absl::string_view::npos) << skip.message();
  EXPECT_NE(skip.message().find("(current stage: SCREENED)"), absl::string_view::npos) << skip.message();
  EXPECT_EQ(CheckTransition(Stage::kNone, Stage::kPooled, WithdrawalReason::kUnspecified, "").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckTransition(Stage::kCertified, Stage::kPooled, WithdrawalReason::kUnspecified, "").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckTransition(Stage::kWithdrawn, Stage::kCertified, WithdrawalReason::kUnspecified, "").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckTransition(Stage::kExpired, Stage::kExpired, WithdrawalReason::kUnspecified, "").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PipelineStateMachine, WithdrawalNeedsAReason) {
  EXPECT_EQ(CheckTransition(Stage::kPooled, Stage::kWithdrawn, WithdrawalReason::kUnspecified, "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckTransition(Stage::kPooled, Stage::kWithdrawn, WithdrawalReason::kOther, "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckTransition(Stage::kPooled, Stage::kWithdrawn, WithdrawalReason::kOther, "并购重组").ok());
  EXPECT_TRUE(CheckTransition(Stage::kPooled, Stage::kWithdrawn, WithdrawalReason::kLostQualification, "").ok());
}

TEST(Csv, RowsAcrossChunksWithQuotesAndNewlines) {
  CsvReader reader;
  std::string text =
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x,\"\"y\"\"\nz\",3\n4,5,6";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  for (char c : text) {  // one byte at a time: the hardest split
    reader.Feed(std::string(1, c));
    while (reader.Next(&row)) rows.push_back(row);
  }
  reader.Finish();
  while (reader.Next(&row)) rows.push_back(row);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", "x,\"y\"\nz", "3"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"4", "5", "6"}));
  EXPECT_EQ(CsvEscape("x,\"y\""), "\"x,\"\"y\"\"\"");
}

TEST(Csv, FilingCells) {
  const FilingField* money = FindFilingField("sales_revenue");
  const FilingField* flag = FindFilingField("listed_company");
  ASSERT_NE(money, nullptr);
  EXPECT_FALSE(ParseFieldText(*money, "")->has_value());  // empty = missing, not zero
  EXPECT_EQ(std::get<int64_t>(**ParseFieldText(*money, "0")), 0);
  EXPECT_FALSE(ParseFieldText(*money, "12.5").ok());
  EXPECT_FALSE(ParseFieldText(*money, "-1").ok());
  EXPECT_TRUE(std::get<bool>(**ParseFieldText(*flag, "是")));
  EXPECT_FALSE(ParseFieldText(*flag, "maybe").ok());
}

// ---- status history and the year-end rule of the tier statistics
TEST(StatusHistory, YearEndRuleFromBothSides) {
  using S = EnterpriseStatus;
  // Moved out effective 31 December: not active at the end of that day, so not counted for that year.
  std::vector<StatusChange> dec31 = {{"2018-05-01", S::kActive}, {"2022-12-31", S::kMovedOut}};
  EXPECT_TRUE(ActiveAtYearEnd(dec31, 2021, S::kMovedOut));
  EXPECT_FALSE(ActiveAtYearEnd(dec31, 2022, S::kMovedOut));
  // Moved out effective 1 January of the next year: still active on 31 December.
  std::vector<StatusChange> jan1 = {{"2018-05-01", S::kActive}, {"2023-01-01", S::kMovedOut}};
  EXPECT_TRUE(ActiveAtYearEnd(jan1, 2022, S::kMovedOut));
  EXPECT_FALSE(ActiveAtYearEnd(jan1, 2023, S::kMovedOut));
  // Deregistered, then (a correction) active again.
  std::vector<StatusChange> back = {
      {"2018-05-01", S::kActive}, {"2020-03-01", S::kDeregistered}, {"2021-12-31", S::kActive}};
  EXPECT_FALSE(ActiveAtYearEnd(back, 2020, S::kActive));
  EXPECT_TRUE(ActiveAtYearEnd(back, 2021, S::kActive));
}

TEST(StatusHistory, SameDayLaterRecordWinsAndBeforeTheFirstChange) {
  using S = EnterpriseStatus;
  std::vector<StatusChange> h = {
      {"2019-01-01", S::kMovedOut}, {"2019-01-01", S::kActive}, {"2021-06-01", S::kMovedOut}};
  EXPECT_EQ(StatusOn(h, absl::CivilDay(2019, 1, 1), S::kUnspecified), S::kActive);
  EXPECT_EQ(StatusOn(h, absl::CivilDay(2021, 5, 31), S::kUnspecified), S::kActive);
  EXPECT_EQ(StatusOn(h, absl::CivilDay(2021, 6, 1), S::kUnspecified), S::kMovedOut);
  EXPECT_EQ(StatusOn(h, absl::CivilDay(2018, 6, 1), S::kUnspecified), S::kMovedOut);  // the first recorded status
  EXPECT_EQ(StatusOn({}, absl::CivilDay(2018, 6, 1), S::kDeregistered), S::kDeregistered);
}

TEST(StatusHistory, ChangesAreNotBackDatedOrInTheFuture) {
  using S = EnterpriseStatus;
  std::vector<StatusChange> h = {{"2018-05-01", S::kActive}, {"2021-06-01", S::kMovedOut}};
  absl::CivilDay today(2024, 3, 1);
  EXPECT_TRUE(CheckStatusChange(h, "2018-05-01", absl::CivilDay(2021, 6, 1), today).ok());
  EXPECT_TRUE(CheckStatusChange(h, "2018-05-01", today, today).ok());
  for (absl::CivilDay refused : {absl::CivilDay(2021, 5, 31), absl::CivilDay(2024, 3, 2)}) {
    absl::Status status = CheckStatusChange(h, "2018-05-01", refused, today);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << refused;
    EXPECT_NE(status.message().find("生效日期"), absl::string_view::npos);
  }
  EXPECT_FALSE(CheckStatusChange({}, "2018-05-01", absl::CivilDay(2018, 4, 30), today).ok());  // before registration
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("cult-unit-", getpid(), "-", ::testing::UnitTest::GetInstance()->random_seed());
    std::filesystem::create_directories(dir_);
    store_ = *SqliteCultivationStore::Open((dir_ / "c.db").string());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::unique_ptr<CultivationStore> store_;
  std::map<std::string, std::string> units_{{"huaming", "华明高新区"}, {"xinli", "新立街道"}};
};

TEST_F(StoreTest, ImportingTheSameFileTwiceChangesNothing) {
  std::string csv = CsvLine({"统一社会信用代码", "企业名称", "注册日期", "所属街道园区", "行业", "技术领域",
                             "状态"}) /* the first edition's 7 columns still import */;
  csv += CsvLine({Uscc("91120110MA05JXX01"), "甲公司", "2018-05-01", "huaming", "新材料", "新材料", "存续"});
  csv += CsvLine({Uscc("91120110MA05JXX02"), "乙公司", "2019-05-01", "新立街道", "智能制造", "", ""});
  csv += CsvLine({"91120110MA05JXX033", "丙公司", "2019-05-01", "xinli", "智能制造", "", ""});  // bad check digit
  csv += CsvLine({Uscc("91120110MA05JXX04"), "丁公司", "2019-05-01", "nowhere", "智能制造", "", ""});
  for (int round = 0; round < 2; ++round) {
    CsvImport import(CsvKindCode::kEnterprises, store_.get(), &units_, "", false, nullptr);
    ASSERT_TRUE(import.Feed(csv).ok());
    ASSERT_TRUE(import.Finish().ok());
    const ImportSummary& s = import.summary();
    EXPECT_EQ(s.rows, 4);
    EXPECT_EQ(s.created, round == 0 ? 2 : 0);
    EXPECT_EQ(s.unchanged, round == 0 ? 0 : 2);
    ASSERT_EQ(s.rejected, 2);
    EXPECT_EQ(s.rejections[0].row, 3);
    EXPECT_EQ(s.rejections[0].column, "统一社会信用代码");
    EXPECT_NE(s.rejections[0].reason.find("校验位"), std::string::npos);
    EXPECT_EQ(s.rejections[1].row, 4);
    EXPECT_EQ(s.rejections[1].column, "所属街道园区");
  }
  std::optional<EnterpriseRecord> b = *store_->GetEnterprise(Uscc("91120110MA05JXX02"));
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->org_unit, "xinli");
  EXPECT_EQ(b->version, 1);
}

TEST_F(StoreTest, ParkScopedImportRejectsOtherUnits) {
  std::string csv = CsvLine({"统一社会信用代码", "企业名称", "注册日期", "所属街道园区", "行业", "技术领域",
                             "状态"}) /* the first edition's 7 columns still import */;
  csv += CsvLine({Uscc("91120110MA05JXX01"), "甲公司", "2018-05-01", "huaming", "新材料", "", ""});
  csv += CsvLine({Uscc("91120110MA05JXX02"), "乙公司", "2019-05-01", "xinli", "智能制造", "", ""});
  CsvImport import(CsvKindCode::kEnterprises, store_.get(), &units_, "huaming", false, nullptr);
  ASSERT_TRUE(import.Feed(csv).ok());
  ASSERT_TRUE(import.Finish().ok());
  EXPECT_EQ(import.summary().created, 1);
  EXPECT_EQ(import.summary().rejected, 1);
  EXPECT_FALSE(store_->GetEnterprise(Uscc("91120110MA05JXX02"))->has_value());
}

TEST_F(StoreTest, TransitionsRecordHistoryAndStatistics) {
  EnterpriseRecord e;
  e.uscc = Uscc("91120110MA05JXX01");
  e.name = "甲公司";
  e.registration_date = "2018-05-01";
  e.org_unit = "huaming";
  e.industry = "新材料";
  ASSERT_TRUE(store_->CreateEnterprise(e, "", "tester", CreateDeciderFor(e, "")).ok());
  TransitionSpec spec;
  spec.actor = "tester";
  spec.year = 2020;
  for (auto [stage, date] : {std::pair{Stage::kScreened, "2021-03-01"}, std::pair{Stage::kPooled, "2021-06-01"}}) {
    spec.to = stage;
    spec.effective_date = date;
    ASSERT_TRUE(store_->Transition(e.uscc, "chuying", spec, std::nullopt, TransitionCheckFor(spec)).ok());
  }
  spec.to = Stage::kCertified;
  absl::StatusOr<PipelineRecord> refused =
      store_->Transition(e.uscc, "chuying", spec, 1, TransitionCheckFor(spec));  // stale etag
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAborted);
  std::vector<PipelineEventRecord> events = *store_->ListEvents(e.uscc, "chuying", 0, 100);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].from, Stage::kScreened);
  EXPECT_EQ(events[1].actor, "tester");
  rules::EditionRegistry registry;
  ASSERT_TRUE(registry.LoadDirectory(STIP_RULES_DIR).ok());
  CultivationEngine engine(store_.get(), &registry);
  EXPECT_EQ(engine.TierStatistics(2020, "")->chuying, 0);  // pooled in 2021
  EXPECT_EQ(engine.TierStatistics(2021, "")->chuying, 1);
  EXPECT_EQ(engine.TierStatistics(2021, "xinli")->chuying, 0);
}

TEST_F(StoreTest, PastYearsCountAnEnterpriseByItsStatusOnTheirLastDay) {
  rules::EditionRegistry registry;
  ASSERT_TRUE(registry.LoadDirectory(STIP_RULES_DIR).ok());
  CultivationEngine engine(store_.get(), &registry);
  TransitionSpec spec;
  spec.actor = "tester";
  spec.year = 2020;
  // Both pooled in 雏鹰 in 2021; A moves out effective 2022-12-31, B effective 2023-01-01.
  std::vector<std::pair<std::string, std::string>> moves = {{Uscc("91120110MA05JXX01"), "2022-12-31"},
                                                            {Uscc("91120110MA05JXX02"), "2023-01-01"}};
  for (const auto& [uscc, moved_out] : moves) {
    EnterpriseRecord e;
    e.uscc = uscc;
    e.name = "公司" + uscc.substr(15);
    e.registration_date = "2018-05-01";
    e.org_unit = "huaming";
    e.industry = "新材料";
    ASSERT_TRUE(store_->CreateEnterprise(e, "", "tester", CreateDeciderFor(e, "")).ok());
    for (auto [stage, date] : {std::pair{Stage::kScreened, "2021-03-01"}, std::pair{Stage::kPooled, "2021-06-01"}}) {
      spec.to = stage;
      spec.effective_date = date;
      ASSERT_TRUE(store_->Transition(e.uscc, "chuying", spec, std::nullopt, TransitionCheckFor(spec)).ok());
    }
    EXPECT_EQ(engine.TierStatistics(2022, "")->chuying, 1);  // A alone, then B alone (A has left by then)
    e.status = EnterpriseStatus::kMovedOut;
    absl::StatusOr<EnterpriseRecord> refused = store_->UpdateEnterprise(e, std::nullopt, "2018-04-30", "tester",
                                                                        StatusChangeCheckFor(*ParseDate("2018-04-30")));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);  // before registration
    ASSERT_TRUE(
        store_->UpdateEnterprise(e, std::nullopt, moved_out, "tester", StatusChangeCheckFor(*ParseDate(moved_out)))
            .ok());
  }
  EXPECT_EQ(engine.TierStatistics(2021, "")->chuying, 2);  // both active on 2021-12-31
  EXPECT_EQ(engine.TierStatistics(2022, "")->chuying, 1);  // A left on 2022-12-31, B on 2023-01-01
  EXPECT_EQ(engine.TierStatistics(2023, "")->chuying, 0);
  std::map<std::string, std::vector<StatusChange>> histories = *store_->StatusHistories("huaming");
  ASSERT_EQ(histories[moves[0].first].size(), 2u);
  EXPECT_EQ(histories[moves[0].first][0].effective_date, "2018-05-01");
  EXPECT_EQ(histories[moves[0].first][1].status, EnterpriseStatus::kMovedOut);
  EXPECT_TRUE(store_->StatusHistories("xinli")->empty());
  // Pipeline statistics apply the same rule; year 0 means the current status.
  absl::StatusOr<std::vector<StageCount>> at_2022 = engine.PipelineStatistics(2022, "", "chuying");
  absl::StatusOr<std::vector<StageCount>> now = engine.PipelineStatistics(0, "", "chuying");
  ASSERT_TRUE(at_2022.ok() && now.ok());
  int pooled_2022 = 0, pooled_now = 0;
  for (const StageCount& c : *at_2022) pooled_2022 += c.count;
  for (const StageCount& c : *now) pooled_now += c.count;
  EXPECT_EQ(pooled_2022, 1);
  EXPECT_EQ(pooled_now, 0);
}

TEST_F(StoreTest, MigrationBackfillsOneStatusRowPerEnterpriseFromItsRegistrationDate) {
  std::string path = (dir_ / "v1.db").string();
  {
    // A database at schema version 1 (the enterprises table as migration 1 created it), with one active and
    // one moved-out enterprise.
    std::vector<absl::string_view> v1 = {
        "CREATE TABLE enterprises (uscc TEXT PRIMARY KEY, name TEXT NOT NULL, registration_date TEXT NOT NULL, "
        "org_unit TEXT NOT NULL, industry TEXT NOT NULL, tech_field TEXT NOT NULL, status INTEGER NOT NULL, "
        "version INTEGER NOT NULL, create_time INTEGER NOT NULL, update_time INTEGER NOT NULL);"
        "CREATE TABLE filings (uscc TEXT NOT NULL, year INTEGER NOT NULL, data TEXT NOT NULL, "
        "version INTEGER NOT NULL, update_time INTEGER NOT NULL, PRIMARY KEY (uscc, year));"};
    std::unique_ptr<SqliteDb> db = *SqliteDb::Open(path, v1);
    ASSERT_TRUE(db->Exec(absl::StrCat("INSERT INTO enterprises VALUES ('", Uscc("91120110MA05JXX01"),
                                      "','甲','2017-02-03','huaming','新材料','',1,1,0,0), ('",
                                      Uscc("91120110MA05JXX02"), "','乙','2019-09-30','xinli','新材料','',2,3,0,0)"))
                    .ok());
    // A filing of the first edition with flags: the violation and the 高企 issue date become records.
    ASSERT_TRUE(db->Exec(absl::StrCat("INSERT INTO filings VALUES ('", Uscc("91120110MA05JXX01"),
                                      "', 2020, '{\"major_accident\":true,\"serious_dishonest_list\":false,"
                                      "\"hte_cert_issue_date\":\"2019-11-28\",\"st_award\":true}', 1, 0)"))
                    .ok());
  }
  std::unique_ptr<SqliteCultivationStore> store = *SqliteCultivationStore::Open(path);
  std::vector<DatedRecord> records = *store->ListRecords(Uscc("91120110MA05JXX01"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, RecordKind::kViolation);
  EXPECT_EQ(records[0].type, "major_accident");
  EXPECT_EQ(records[0].start_date, "2020-01-01");
  EXPECT_EQ(records[0].end_date, "2020-12-31");
  EXPECT_EQ(records[1].kind, RecordKind::kCertificate);
  EXPECT_EQ(records[1].start_date, "2019-11-28");
  // The filing itself is untouched (nothing stored is lost).
  EXPECT_TRUE(BoolField(store->GetFiling(Uscc("91120110MA05JXX01"), 2020)->value().data, "st_award").value());
  std::map<std::string, std::vector<StatusChange>> histories = *store->StatusHistories("");
  ASSERT_EQ(histories.size(), 2u);
  ASSERT_EQ(histories[Uscc("91120110MA05JXX01")].size(), 1u);
  EXPECT_EQ(histories[Uscc("91120110MA05JXX01")][0].effective_date, "2017-02-03");
  EXPECT_EQ(histories[Uscc("91120110MA05JXX01")][0].status, EnterpriseStatus::kActive);
  ASSERT_EQ(histories[Uscc("91120110MA05JXX02")].size(), 1u);
  EXPECT_EQ(histories[Uscc("91120110MA05JXX02")][0].effective_date, "2019-09-30");
  EXPECT_EQ(histories[Uscc("91120110MA05JXX02")][0].status, EnterpriseStatus::kMovedOut);
}

TEST_F(StoreTest, CreateRequestIdReturnsTheFirstResponseAndRefusesAnotherPayload) {
  EnterpriseRecord e;
  e.uscc = Uscc("91120110MA05JXX01");
  e.name = "甲公司";
  e.registration_date = "2018-05-01";
  e.org_unit = "huaming";
  e.industry = "新材料";
  absl::StatusOr<EnterpriseRecord> first = store_->CreateEnterprise(e, "req-1", "tester", CreateDeciderFor(e, "req-1"));
  ASSERT_TRUE(first.ok()) << first.status();
  // The enterprise changes after the create.
  EnterpriseRecord renamed = e;
  renamed.name = "甲科技公司";
  ASSERT_TRUE(store_
                  ->UpdateEnterprise(renamed, std::nullopt, "2024-01-01", "tester",
                                     StatusChangeCheckFor(*ParseDate("2024-01-01")))
                  .ok());
  // A retry with the same request id and payload gets the first response, not the current enterprise.
  absl::StatusOr<EnterpriseRecord> retry = store_->CreateEnterprise(e, "req-1", "tester", CreateDeciderFor(e, "req-1"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name, "甲公司");
  EXPECT_EQ(retry->version, 1);
  EXPECT_EQ(retry->create_micros, first->create_micros);
  EXPECT_EQ(retry->update_micros, first->update_micros);
  // The same request id with another payload: INVALID_ARGUMENT naming request_id.
  EnterpriseRecord other = e;
  other.uscc = Uscc("91120110MA05JXX02");
  for (const EnterpriseRecord& different : {renamed, other}) {
    absl::StatusOr<EnterpriseRecord> refused =
        store_->CreateEnterprise(different, "req-1", "tester", CreateDeciderFor(different, "req-1"));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(refused.status().message().find("request_id"), absl::string_view::npos);
  }
  EXPECT_FALSE(store_->GetEnterprise(other.uscc)->has_value());
  // A new request id for a taken USCC is ALREADY_EXISTS unless the data is identical (a retry from before ids
  // were stored), and without a request id it is always ALREADY_EXISTS.
  EXPECT_EQ(store_->CreateEnterprise(e, "req-2", "tester", CreateDeciderFor(e, "req-2")).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateEnterprise(renamed, "", "tester", CreateDeciderFor(renamed, "")).status().code(),
            absl::StatusCode::kAlreadyExists);
  absl::StatusOr<EnterpriseRecord> same =
      store_->CreateEnterprise(renamed, "req-3", "tester", CreateDeciderFor(renamed, "req-3"));
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(same->version, 2);
}

TEST(Validity, ThePoolsOneYearValidityIsProvisionalTheHighTechThreeYearsAreNot) {
  rules::EditionRegistry registry;
  ASSERT_TRUE(registry.LoadDirectory(STIP_RULES_DIR).ok());
  for (const char* program : {"chuying", "dengling", "lingjun_peiyu", "lingjun"}) {
    std::shared_ptr<const rules::RuleEdition> edition = *registry.Find(program, "", 2021);
    EXPECT_EQ(edition->validity_years.value_or(0), 1) << program;
    EXPECT_TRUE(ValidityProvisional(edition.get())) << program;
  }
  EXPECT_TRUE(ValidityProvisional(registry.Find("chuying", "tianjin-2019", 0)->get()));
  EXPECT_FALSE(ValidityProvisional(registry.Find("high_tech", "", 2021)->get()));
  EXPECT_FALSE(ValidityProvisional(registry.Find("tech_sme", "", 2021)->get()));
  EXPECT_TRUE(ValidityProvisional(nullptr));  // no edition: the 1-year default is an assumption
}

TEST_F(StoreTest, AnnualRecheckFlagsCertifiedEnterprisesWhoseLatestFilingNoLongerMeetsTheTier) {
  rules::EditionRegistry registry;
  ASSERT_TRUE(registry.LoadDirectory(STIP_RULES_DIR).ok());
  CultivationEngine engine(store_.get(), &registry);
  // Two 雏鹰 certified in 2022 on 2020 data; their latest filing (2021) passes for one and fails E4 for the other.
  std::vector<std::pair<std::string, int64_t>> enterprises = {{Uscc("91120110MA05JXX01"), 5'000'000},
                                                              {Uscc("91120110MA05JXX02"), 50'000}};
  for (const auto& [uscc, revenue_2021] : enterprises) {
    EnterpriseRecord e;
    e.uscc = uscc;
    e.name = "公司" + uscc.substr(15);
    e.registration_date = "2018-05-01";
    e.org_unit = "huaming";
    e.industry = "新材料";
    ASSERT_TRUE(store_->CreateEnterprise(e, "", "tester", CreateDeciderFor(e, "")).ok());
    for (auto [year, revenue] :
         {std::pair<int, int64_t>{2020, 5'000'000}, std::pair<int, int64_t>{2021, revenue_2021}}) {
      FilingData data{{"sales_revenue", revenue},
                      {"independent_legal_person", true},
                      {"serious_research_misconduct", false},
                      {"abnormal_operation_list", false},
                      {"serious_dishonest_list", false},
                      {"class1_ip_count", int64_t{1}}};
      ASSERT_TRUE(store_->PutFiling(uscc, year, data, CultivationStore::PutMode::kUpsert, std::nullopt).ok());
    }
    TransitionSpec spec;
    spec.actor = "tester";
    spec.year = 2020;
    for (auto [stage, date] : {std::pair{Stage::kScreened, "2021-09-01"}, std::pair{Stage::kPooled, "2021-12-01"},
                               std::pair{Stage::kCertified, "2022-01-10"}}) {
      spec.to = stage;
      spec.effective_date = date;
      spec.cert_issue_date = stage == Stage::kCertified ? date : "";
      spec.valid_until = stage == Stage::kCertified ? "2023-01-10" : "";
      ASSERT_TRUE(store_->Transition(uscc, "chuying", spec, std::nullopt, TransitionCheckFor(spec)).ok());
    }
  }
  // Re-check for 2022: nobody has a 2022 filing yet, so the latest one (2021) is used.
  absl::StatusOr<std::vector<AlertInfo>> alerts =
      engine.Alerts(2022, 90, "", absl::CivilDay(2022, 6, 30), AlertKindCode::kNoLongerEligible);
  ASSERT_TRUE(alerts.ok()) << alerts.status();
  ASSERT_EQ(alerts->size(), 1u);
  const AlertInfo& a = alerts->front();
  EXPECT_EQ(a.uscc, enterprises[1].first);
  EXPECT_EQ(a.program, "chuying");
  EXPECT_EQ(a.reason, "no longer meets");
  EXPECT_EQ(a.failing, std::vector<std::string>{"E4"});
  EXPECT_EQ(a.filing_year, 2021);
  EXPECT_EQ(a.edition, "chuying/tianjin-2021");
  EXPECT_NE(a.message.find("E4"), std::string::npos);
  // On 2020 data both still met the tier.
  alerts = engine.Alerts(2020, 90, "", absl::CivilDay(2022, 6, 30), AlertKindCode::kNoLongerEligible);
  ASSERT_TRUE(alerts.ok());
  EXPECT_TRUE(alerts->empty());
  // The expiring certification says its validity is provisional.
  alerts = engine.Alerts(2022, 30, "", absl::CivilDay(2022, 12, 20), AlertKindCode::kCertificateExpiring);
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 2u);
  EXPECT_TRUE(alerts->front().provisional);
  EXPECT_NE(alerts->front().message.find("暂定"), std::string::npos);
}

}  // namespace
}  // namespace stip::cultivation
