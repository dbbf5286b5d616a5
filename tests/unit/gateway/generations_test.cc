#include "gateway/generations.h"

#include "gtest/gtest.h"

namespace stip::gateway {
namespace {

TEST(GenerationsTest, BumpChangesOnlyThatCollectionsTag) {
  Generations generations({"indicators", "cultivation", "evaluation"});
  std::string all = generations.Tag({0, 1, 2});
  std::string cultivation = generations.Tag({1});
  std::string indicators = generations.Tag({0});
  generations.Bump("indicators");
  EXPECT_NE(generations.Tag({0, 1, 2}), all);
  EXPECT_NE(generations.Tag({0}), indicators);
  EXPECT_EQ(generations.Tag({1}), cultivation);
}

TEST(GenerationsTest, UnknownCollectionAndBumpAllMoveEverything) {
  Generations generations({"a", "b"});
  std::string a = generations.Tag({0}), b = generations.Tag({1});
  generations.Bump("something-new");
  EXPECT_NE(generations.Tag({0}), a);
  EXPECT_NE(generations.Tag({1}), b);
  a = generations.Tag({0});
  generations.BumpAll();
  EXPECT_NE(generations.Tag({0}), a);
}

TEST(GenerationsTest, EachInstanceStartsAtItsOwnRandomEpoch) {
  Generations one({"a"}), two({"a"});
  EXPECT_NE(one.Get(0), two.Get(0));
}

}  // namespace
}  // namespace stip::gateway
