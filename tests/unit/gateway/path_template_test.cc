#include "gateway/path_template.h"

#include "gtest/gtest.h"

namespace stip::gateway {
namespace {

PathTemplate MustParse(absl::string_view text) {
  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return *parsed;
}

TEST(PathTemplateTest, BindsAResourceName) {
  PathTemplate t = MustParse("/v1/{name=plans/*}");
  auto bindings = t.Match("/v1/plans/dongli-2020-2022");
  ASSERT_TRUE(bindings.has_value());
  ASSERT_EQ(bindings->size(), 1u);
  EXPECT_EQ((*bindings)[0].first, "name");
  EXPECT_EQ((*bindings)[0].second, "plans/dongli-2020-2022");
  EXPECT_FALSE(t.Match("/v1/plans/a/b").has_value());
  EXPECT_FALSE(t.Match("/v1/plans").has_value());
  EXPECT_FALSE(t.Match("/v1/plans/").has_value());
  EXPECT_FALSE(t.Match("/v2/plans/a").has_value());
}

TEST(PathTemplateTest, PlainVariableAndLiteralsAfterIt) {
  PathTemplate t = MustParse("/v1/{plan=plans/*}/progress");
  auto bindings = t.Match("/v1/plans/p1/progress");
  ASSERT_TRUE(bindings.has_value());
  EXPECT_EQ((*bindings)[0].second, "plans/p1");
  PathTemplate simple = MustParse("/v1/shelves/{shelf}/books/{book}");
  bindings = simple.Match("/v1/shelves/s1/books/b2");
  ASSERT_TRUE(bindings.has_value());
  EXPECT_EQ((*bindings)[0], std::make_pair(std::string("shelf"), std::string("s1")));
  EXPECT_EQ((*bindings)[1], std::make_pair(std::string("book"), std::string("b2")));
}

TEST(PathTemplateTest, CustomVerb) {
  PathTemplate t = MustParse("/v1/{name=plans/*/indicators/*}:aggregate");
  EXPECT_EQ(t.verb(), "aggregate");
  auto bindings = t.Match("/v1/plans/p/indicators/rd-intensity:aggregate");
  ASSERT_TRUE(bindings.has_value());
  EXPECT_EQ((*bindings)[0].second, "plans/p/indicators/rd-intensity");
  EXPECT_FALSE(t.Match("/v1/plans/p/indicators/rd-intensity").has_value());
  EXPECT_FALSE(t.Match("/v1/plans/p/indicators/rd-intensity:other").has_value());
}

TEST(PathTemplateTest, DoubleWildcardKeepsEncodedSlashes) {
  PathTemplate t = MustParse("/v1/files/{path=**}");
  auto bindings = t.Match("/v1/files/a/b/c%2Fd");
  ASSERT_TRUE(bindings.has_value());
  EXPECT_EQ((*bindings)[0].second, "a/b/c%2Fd");
  bindings = t.Match("/v1/files/x");
  ASSERT_TRUE(bindings.has_value());
  EXPECT_EQ((*bindings)[0].second, "x");
}

TEST(PathTemplateTest, SingleSegmentVariablesArePercentDecoded) {
  PathTemplate t = MustParse("/v1/{name=things/*}");
  auto bindings = t.Match("/v1/things/a%20b%2Fc");
  ASSERT_TRUE(bindings.has_value());
  EXPECT_EQ((*bindings)[0].second, "things/a b/c");
  EXPECT_FALSE(t.Match("/v1/things/bad%zz").has_value());
}

TEST(PathTemplateTest, RejectsMalformedTemplates) {
  EXPECT_FALSE(PathTemplate::Parse("v1/x").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1/{name").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1/**/x/**").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1/{1bad=x}").ok());
  EXPECT_FALSE(PathTemplate::Parse("/v1/x:").ok());
}

TEST(PercentTest, DecodeAndEncode) {
  EXPECT_EQ(PercentDecode("a+b%20c", false, true).value(), "a b c");
  EXPECT_EQ(PercentDecode("a+b").value(), "a+b");
  EXPECT_FALSE(PercentDecode("%4").has_value());
  EXPECT_EQ(PercentEncode("东丽 a/b"), "%E4%B8%9C%E4%B8%BD%20a%2Fb");
}

}  // namespace
}  // namespace stip::gateway
