// The cultivation use cases (EnterpriseRegistry, PipelineService) built directly on a real SQLite store and the
// rule editions of data/rules, no gRPC: scope, idempotent creates, the dated status history, filing patches,
// and the 四个一批 pipeline with its decisions and certificate validity.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/domain/pipeline_service.h"
#include "services/cultivation/domain/uscc.h"
#include "services/cultivation/store/sqlite/sqlite_cultivation_store.h"

namespace stip::cultivation {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::string Uscc(const std::string& first17) {
  return first17 + *UsccCheckCharacter(first17);
}

class UseCasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / absl::StrCat("cult-cases-", getpid());
    std::filesystem::create_directories(dir_);
    store_ = *SqliteCultivationStore::Open((dir_ / "c.db").string());
    ASSERT_TRUE(editions_.LoadDirectory(STIP_RULES_DIR).ok());
    registry_ = std::make_unique<EnterpriseRegistry>(store_.get(), &editions_, &units_, nullptr, YearRange{});
    engine_ = std::make_unique<CultivationEngine>(store_.get(), &editions_);
    pipelines_ = std::make_unique<PipelineService>(store_.get(), &editions_, registry_.get(), engine_.get(), nullptr);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static Caller As(Role role, const std::string& unit = "") { return Caller{"tester", role, unit}; }
  EnterpriseRecord Enterprise(const std::string& unit = "huaming") const {
    EnterpriseRecord e;
    e.uscc = uscc_;
    e.name = "天津测试科技有限公司";
    e.registration_date = "2018-05-01";
    e.org_unit = unit;
    e.industry = "新材料";
    e.status = EnterpriseStatus::kActive;
    return e;
  }
  TransitionRequest To(Stage stage, const std::string& date) const {
    TransitionRequest request;
    request.to = stage;
    request.effective_date = date;
    return request;
  }

  std::filesystem::path dir_;
  std::unique_ptr<CultivationStore> store_;
  rules::EditionRegistry editions_;
  std::map<std::string, std::string> units_{{"huaming", "华明高新区"}, {"xinli", "新立街道"}};
  std::unique_ptr<EnterpriseRegistry> registry_;
  std::unique_ptr<CultivationEngine> engine_;
  std::unique_ptr<PipelineService> pipelines_;
  std::string uscc_ = Uscc("91120110MA05JXX01");
};

TEST_F(UseCasesTest, ParkAccountsRegisterAndSeeTheirOwnUnitOnly) {
  EXPECT_EQ(registry_->Create(As(Role::kPark, "xinli"), Enterprise("huaming"), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(registry_->Create(As(Role::kViewer), Enterprise(), "").status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(registry_->Create(As(Role::kPark, "huaming"), Enterprise(), "").ok());
  EXPECT_EQ(registry_->Get(As(Role::kPark, "xinli"), uscc_).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(registry_->Get(As(Role::kViewer), uscc_).ok());
}

TEST_F(UseCasesTest, ARetriedCreateGetsTheFirstAnswerAndAReusedRequestIdIsRefused) {
  absl::StatusOr<EnterpriseRecord> first = registry_->Create(As(Role::kAdmin), Enterprise(), "req-1");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<EnterpriseRecord> retry = registry_->Create(As(Role::kAdmin), Enterprise(), "req-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->version, first->version);
  EnterpriseRecord other = Enterprise();
  other.name = "另一家公司";
  absl::Status reused = registry_->Create(As(Role::kAdmin), other, "req-1").status();
  EXPECT_THAT(FieldViolationsIn(reused), ElementsAre(Pair("request_id", HasSubstr("req-1"))));
  EXPECT_EQ(registry_->Create(As(Role::kAdmin), Enterprise(), "").status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(UseCasesTest, AStatusChangeCannotBeDatedBeforeTheRegistration) {
  ASSERT_TRUE(registry_->Create(As(Role::kAdmin), Enterprise(), "").ok());
  EnterpriseRecord moved = Enterprise();
  moved.status = EnterpriseStatus::kMovedOut;
  absl::Status early = registry_->Update(As(Role::kAdmin), moved, {"status"}, "", "2018-04-30").status();
  EXPECT_THAT(FieldViolationsIn(early), ElementsAre(Pair("status_effective_date", ::testing::_)));
  absl::StatusOr<EnterpriseRecord> later = registry_->Update(As(Role::kAdmin), moved, {"status"}, "", "2021-06-30");
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->status, EnterpriseStatus::kMovedOut);
  EXPECT_EQ(registry_->Update(As(Role::kAdmin), moved, {"status"}, "1", "").status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(UseCasesTest, AFilingPatchClearsANamedFieldItDoesNotCarry) {
  ASSERT_TRUE(registry_->Create(As(Role::kAdmin), Enterprise(), "").ok());
  FilingData data{{"sales_revenue", int64_t{8600000}}, {"rd_expense", int64_t{950000}}};
  ASSERT_TRUE(registry_->CreateFiling(As(Role::kAdmin), uscc_, 2021, data).ok());
  FilingPatch patch{{{"sales_revenue", int64_t{9000000}}}, {"sales_revenue", "rd_expense"}};
  absl::StatusOr<FilingRecord> patched = registry_->UpdateFiling(As(Role::kAdmin), uscc_, 2021, patch, false, "");
  ASSERT_TRUE(patched.ok()) << patched.status();
  EXPECT_EQ(std::get<int64_t>(patched->data.at("sales_revenue")), 9000000);
  EXPECT_EQ(patched->data.count("rd_expense"), 0u);  // missing now, never zero
  EXPECT_EQ(registry_->CreateFiling(As(Role::kAdmin), uscc_, 1800, data).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(UseCasesTest, PipelineDecisionsBelongToTheBureauAndTheOrderIsKept) {
  ASSERT_TRUE(registry_->Create(As(Role::kAdmin), Enterprise(), "").ok());
  Caller park = As(Role::kPark, "huaming"), bureau = As(Role::kBureau, "kjj");
  ASSERT_TRUE(pipelines_->Transition(park, uscc_, "chuying", To(Stage::kScreened, "2022-03-01")).ok());
  EXPECT_EQ(pipelines_->Transition(park, uscc_, "chuying", To(Stage::kPooled, "2022-04-01")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(pipelines_->Transition(bureau, uscc_, "chuying", To(Stage::kCultivating, "2022-04-01")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(pipelines_->Transition(bureau, uscc_, "chuying", To(Stage::kPooled, "2022-04-01")).ok());
  EXPECT_EQ(pipelines_->Transition(bureau, uscc_, "chuying", To(Stage::kCultivating, "2022-03-01")).status().code(),
            absl::StatusCode::kInvalidArgument);  // before the current stage's date
  ASSERT_TRUE(pipelines_->Transition(bureau, uscc_, "chuying", To(Stage::kCultivating, "2022-05-01")).ok());
  absl::StatusOr<PipelineView> certified =
      pipelines_->Transition(bureau, uscc_, "chuying", To(Stage::kCertified, "2022-09-01"));
  ASSERT_TRUE(certified.ok()) << certified.status();
  EXPECT_EQ(certified->record.cert_issue_date, "2022-09-01");
  EXPECT_FALSE(certified->record.valid_until.empty());
  absl::StatusOr<std::vector<PipelineEventRecord>> events = pipelines_->Events(bureau, uscc_, "chuying", 0, 10);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 4u);
}

}  // namespace
}  // namespace stip::cultivation
