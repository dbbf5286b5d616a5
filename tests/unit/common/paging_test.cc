#include "common/paging.h"

#include "gtest/gtest.h"

namespace stip {
namespace {

TEST(PagingTest, DefaultsAndCaps) {
  EXPECT_EQ(ParsePage(0, "", "q")->size, kDefaultPageSize);
  EXPECT_EQ(ParsePage(5000, "", "q")->size, kMaxPageSize);
  EXPECT_EQ(ParsePage(-1, "", "q").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PagingTest, TokenRoundTripsAndEndsWithEmptyToken) {
  PageRequest first = *ParsePage(10, "", "plans/x");
  std::string token = NextPageToken(first, 10, "plans/x");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(ParsePage(10, token, "plans/x")->offset, 10);
  EXPECT_TRUE(NextPageToken(first, 7, "plans/x").empty());
}

TEST(PagingTest, TokenFromAnotherQueryIsRejected) {
  std::string token = NextPageToken(*ParsePage(10, "", "year=2021"), 10, "year=2021");
  auto page = ParsePage(10, token, "year=2022");
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParsePage(10, "garbage!", "q").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stip
