#include "gateway/route_table.h"

#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "stip/gwtest/v1/gwtest.pb.h"
#include "stip/indicators/v1/indicators.pb.h"

namespace stip::gateway {
namespace {

using Outcome = RouteMatch::Outcome;

class RouteTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = RouteTable::FromGeneratedPool("stip.");
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = std::make_unique<RouteTable>(*std::move(table));
  }
  std::string MethodOf(absl::string_view http, absl::string_view path) {
    RouteMatch match = table_->Match(http, path);
    return match.outcome == Outcome::kFound ? match.route->method->full_name() : "";
  }
  std::unique_ptr<RouteTable> table_;
};

TEST_F(RouteTableTest, ReadsEveryStipServiceFromTheGeneratedPool) {
  EXPECT_FALSE(table_->ServicesOf("indicators").empty());
  EXPECT_EQ(table_->ServicesOf("indicators")[0], "stip.indicators.v1.IndicatorService");
  EXPECT_FALSE(table_->ServicesOf("gwtest").empty());
}

TEST_F(RouteTableTest, GetWithPathVariable) {
  RouteMatch match = table_->Match("GET", "/v1/plans/dongli-2020-2022/progress");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->grpc_path, "/stip.indicators.v1.IndicatorService/GetProgress");
  EXPECT_EQ(match.route->backend, "indicators");
  ASSERT_EQ(match.bindings.size(), 1u);
  EXPECT_EQ(match.bindings[0].first, "plan");
  EXPECT_EQ(match.bindings[0].second, "plans/dongli-2020-2022");
  EXPECT_EQ(match.route->label, "GET /v1/{plan=plans/*}/progress");
}

TEST_F(RouteTableTest, CustomVerbWinsOverAWildcardThatWouldSwallowIt) {
  EXPECT_EQ(MethodOf("GET", "/v1/plans/p/indicators/rd:aggregate"),
            "stip.indicators.v1.IndicatorService.AggregateIndicator");
  EXPECT_EQ(MethodOf("GET", "/v1/plans/p/indicators/rd"), "stip.indicators.v1.IndicatorService.GetIndicator");
  EXPECT_EQ(MethodOf("POST", "/v1/plans/p/indicators/rd/values/2021-kjj:submit"),
            "stip.indicators.v1.IndicatorService.SubmitValue");
}

TEST_F(RouteTableTest, AdditionalBindings) {
  EXPECT_EQ(MethodOf("GET", "/v1/plans/p/indicators/rd/values"), "stip.indicators.v1.IndicatorService.ListValues");
  EXPECT_EQ(MethodOf("GET", "/v1/plans/p/keyTasks/3/milestones/m1/values"),
            "stip.indicators.v1.IndicatorService.ListValues");
  EXPECT_EQ(MethodOf("POST", "/v1/plans/p/keyTasks/3/milestones/m1/values"),
            "stip.indicators.v1.IndicatorService.ReportValue");
  EXPECT_EQ(MethodOf("GET", "/v1/things/t1"), "stip.gwtest.v1.ThingService.GetThing");
  EXPECT_EQ(MethodOf("GET", "/v1/shelves/s/things/t1"), "stip.gwtest.v1.ThingService.GetThing");
}

TEST_F(RouteTableTest, NestedFieldPathVariable) {
  RouteMatch match = table_->Match("PATCH", "/v1/plans/p/indicators/rd/values/2021-kjj");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.route->body, "value");
  EXPECT_EQ(match.bindings[0].first, "value.name");
}

TEST_F(RouteTableTest, DoubleWildcardAndCustomHttpMethod) {
  RouteMatch match = table_->Match("GET", "/v1/files/a/b/c.txt");
  ASSERT_EQ(match.outcome, Outcome::kFound);
  EXPECT_EQ(match.bindings[0].second, "a/b/c.txt");
  EXPECT_EQ(MethodOf("SEARCH", "/v1/shelves/s1:search"), "stip.gwtest.v1.ThingService.Search");
}

TEST_F(RouteTableTest, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(table_->Match("GET", "/v1/nothing/here").outcome, Outcome::kNotFound);
  EXPECT_EQ(table_->Match("GET", "/").outcome, Outcome::kNotFound);
  RouteMatch match = table_->Match("DELETE", "/v1/plans/p/progress");
  EXPECT_EQ(match.outcome, Outcome::kMethodNotAllowed);
  EXPECT_EQ(match.allowed_methods, std::vector<std::string>{"GET"});
}

TEST_F(RouteTableTest, ServicesCanBeGivenExplicitly) {
  // A service whose path variable names a message field is refused at start-up.
  const auto* service = stip::gwtest::v1::Thing::descriptor()->file()->FindServiceByName("ThingService");
  ASSERT_NE(service, nullptr);
  EXPECT_TRUE(RouteTable::FromServices({service}).ok());
}

// Two services binding the same method and path shape (variable names aside): the gateway could serve only one,
// so the table refuses to build, naming both (the clash /v1/ruleEditions once was).
TEST(RouteCollisionTest, TwoMethodsOnOneBindingFailStartUpNamingBoth) {
  google::protobuf::FileDescriptorProto file;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
                                                              name: "clash.proto"
                                                              package: "stip.clash.v1"
                                                              dependency: "google/api/annotations.proto"
                                                              dependency: "stip/gwtest/v1/gwtest.proto"
                                                              service {
                                                                name: "Tiers"
                                                                method {
                                                                  name: "GetEdition"
                                                                  input_type: ".stip.gwtest.v1.GetThingRequest"
                                                                  output_type: ".stip.gwtest.v1.Thing"
                                                                  options {
                                                                    [google.api.http] { get: "/v1/{name=editions/*}" }
                                                                  }
                                                                }
                                                              }
                                                              service {
                                                                name: "Carriers"
                                                                method {
                                                                  name: "GetEdition"
                                                                  input_type: ".stip.gwtest.v1.GetThingRequest"
                                                                  output_type: ".stip.gwtest.v1.Thing"
                                                                  options {
                                                                    [google.api.http] { get: "/v1/{name=editions/*}" }
                                                                  }
                                                                }
                                                              }
                                                            )pb",
                                                            &file));
  google::protobuf::DescriptorPool pool(google::protobuf::DescriptorPool::generated_pool());
  const google::protobuf::FileDescriptor* built = pool.BuildFile(file);
  ASSERT_NE(built, nullptr);
  EXPECT_TRUE(RouteTable::FromServices({built->service(0)}).ok());
  absl::StatusOr<RouteTable> both = RouteTable::FromServices({built->service(0), built->service(1)});
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(both.status().message().find("stip.clash.v1.Tiers.GetEdition"), std::string::npos) << both.status();
  EXPECT_NE(both.status().message().find("stip.clash.v1.Carriers.GetEdition"), std::string::npos) << both.status();
}

TEST_F(RouteTableTest, BindingIndexNumbersAdditionalBindings) {
  RouteMatch main = table_->Match("GET", "/v1/plans/p/indicators/rd/values");
  RouteMatch extra = table_->Match("GET", "/v1/plans/p/keyTasks/3/milestones/m1/values");
  ASSERT_EQ(main.outcome, Outcome::kFound);
  ASSERT_EQ(extra.outcome, Outcome::kFound);
  EXPECT_EQ(main.route->binding, 0);
  EXPECT_EQ(extra.route->binding, 1);
}

}  // namespace
}  // namespace stip::gateway
