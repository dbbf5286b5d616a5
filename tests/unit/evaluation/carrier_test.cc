#include "services/evaluation/domain/carrier.h"

#include "gtest/gtest.h"
#include "tests/unit/evaluation/test_util.h"

namespace stip::evaluation {
namespace {

TEST(Carrier, SeedFileHasThePlansCarriers) {
  auto carriers = ParseCarriers(testing::ReadData("carriers/dongli-2020-2022.json"));
  ASSERT_TRUE(carriers.ok()) << carriers.status();
  auto org_units = LoadOrgUnitCodes(std::string(STIP_SOURCE_DATA_DIR) + "/plans");
  ASSERT_TRUE(org_units.ok()) << org_units.status();
  std::map<std::string, Carrier> by_id;
  for (const Carrier& c : *carriers) {
    EXPECT_TRUE(ValidateCarrier(c, *org_units).empty()) << c.id;
    by_id[c.id] = c;
  }
  ASSERT_EQ(by_id.count("cauc-park"), 1u);
  EXPECT_EQ(by_id["cauc-park"].display_name, "中国民航大学科技园");
  EXPECT_EQ(by_id["cauc-park"].kind, CarrierKind::kUniversityPark);
  EXPECT_EQ(by_id["cauc-park"].org_unit, "linkong");
  EXPECT_EQ(by_id["tsinghua-tj-park"].org_unit, "huaming");
  for (const char* id : {"zhixin-incubator", "binhang-incubator", "innomedi-incubator", "liandong-incubator"}) {
    EXPECT_EQ(by_id.count(id), 1u) << id;
  }
}

TEST(Carrier, LevelAtYearEndHonoursGrantsAndRevocations) {
  Carrier c = testing::Incubator();
  c.levels = {{CarrierLevel::kMunicipal, 2019, "", 0}, {CarrierLevel::kNational, 2021, "", 2023}};
  EXPECT_EQ(LevelAt(c, 2018), CarrierLevel::kNone);
  EXPECT_EQ(LevelAt(c, 2019), CarrierLevel::kMunicipal);
  EXPECT_EQ(LevelAt(c, 2021), CarrierLevel::kNational);
  EXPECT_EQ(LevelAt(c, 2023), CarrierLevel::kMunicipal);
  EXPECT_EQ(CurrentLevel(c), CarrierLevel::kMunicipal);
  EXPECT_EQ(GrantYear(c, CarrierLevel::kNational), 2021);
}

TEST(Carrier, ValidationNamesEachBadField) {
  Carrier c;
  c.id = "Bad Id";
  c.org_unit = "nowhere";
  c.established_date = "2021-02-30";
  c.levels = {{CarrierLevel::kNone, 1900, "", 0}};
  std::vector<Violation> v = ValidateCarrier(c, {"linkong"});
  std::set<std::string> fields;
  for (const Violation& x : v) fields.insert(x.field);
  for (const char* f : {"carrier.id", "carrier.display_name", "carrier.kind", "carrier.org_unit",
                        "carrier.established_date", "carrier.levels[0].level", "carrier.levels[0].year"}) {
    EXPECT_EQ(fields.count(f), 1u) << f;
  }
}

TEST(Carrier, KindAndLevelNames) {
  EXPECT_EQ(ParseKind("大学科技园"), CarrierKind::kUniversityPark);
  EXPECT_EQ(ParseKind("MAKERSPACE"), CarrierKind::kMakerspace);
  EXPECT_EQ(KindName(CarrierKind::kSpecializedIncubator), "专业孵化器");
  EXPECT_EQ(ParseLevel("市级"), CarrierLevel::kMunicipal);
  EXPECT_EQ(LevelName(CarrierLevel::kNational), "国家级");
  EXPECT_EQ(LevelsFromJson(LevelsToJson({{CarrierLevel::kNational, 2022, "doc", 0}}))[0].year, 2022);
}

}  // namespace
}  // namespace stip::evaluation
