#include "services/evaluation/domain/statistics.h"

#include "gtest/gtest.h"

namespace stip::evaluation {
namespace {

Carrier Park(const std::string& id, std::vector<LevelGrant> levels, bool in_dongli = true) {
  Carrier c;
  c.id = id;
  c.kind = CarrierKind::kUniversityPark;
  c.levels = std::move(levels);
  c.in_dongli = in_dongli;
  return c;
}

TEST(Statistics, IndicatorsEightAndNineCountGrantsFromThePlanStart) {
  std::vector<Carrier> carriers = {
      Park("old", {{CarrierLevel::kMunicipal, 2018, "", 0}}),  // before the plan: not "new"
      Park("a", {{CarrierLevel::kMunicipal, 2021, "", 0}, {CarrierLevel::kNational, 2022, "", 0}}),
      Park("b", {{CarrierLevel::kMunicipal, 2022, "", 0}}),
      Park("elsewhere", {{CarrierLevel::kMunicipal, 2021, "", 0}}, false),
  };
  Carrier incubator;
  incubator.id = "inc";
  incubator.kind = CarrierKind::kComprehensiveIncubator;
  incubator.levels = {{CarrierLevel::kMunicipal, 2021, "", 0}};
  carriers.push_back(incubator);

  CarrierStats s2020 = ComputeStatistics(carriers, {}, {}, 2020, kPlanStartYear);
  EXPECT_EQ(s2020.municipal_parks, 0);
  EXPECT_EQ(s2020.national_parks, 0);
  EXPECT_EQ(s2020.municipal_parks_all_time, 1);
  CarrierStats s2021 = ComputeStatistics(carriers, {}, {}, 2021, kPlanStartYear);
  EXPECT_EQ(s2021.municipal_parks, 1);
  EXPECT_EQ(s2021.national_parks, 0);
  CarrierStats s2022 = ComputeStatistics(carriers, {{"a", Grade::kB}}, {"a"}, 2022, kPlanStartYear);
  EXPECT_EQ(s2022.municipal_parks, 2);  // a stays counted after its upgrade
  EXPECT_EQ(s2022.national_parks, 1);
  EXPECT_EQ(s2022.municipal_park_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s2022.national_park_ids, (std::vector<std::string>{"a"}));
  EXPECT_EQ(s2022.carriers, 4);  // "elsewhere" is not in Dongli
  EXPECT_EQ(s2022.by_kind[CarrierKind::kUniversityPark], 3);
  EXPECT_EQ(s2022.by_level[CarrierLevel::kNational], 1);
  EXPECT_EQ(s2022.by_level[CarrierLevel::kMunicipal], 3);
  EXPECT_EQ(s2022.by_grade[Grade::kB], 1);
  EXPECT_EQ(s2022.by_grade[Grade::kNone], 3);
  EXPECT_EQ(s2022.national_status_at_risk, 1);
  CarrierStats since2018 = ComputeStatistics(carriers, {}, {}, 2022, 2018);
  EXPECT_EQ(since2018.municipal_parks, 3);
}

}  // namespace
}  // namespace stip::evaluation
