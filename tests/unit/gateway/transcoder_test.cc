#include "gateway/transcoder.h"

#include "common/grpc_status.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "stip/gwtest/v1/gwtest.pb.h"
#include "stip/indicators/v1/indicators.pb.h"

namespace stip::gateway {
namespace {

namespace gw = ::stip::gwtest::v1;

class TranscoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = RouteTable::FromGeneratedPool("stip.");
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = std::make_unique<RouteTable>(*std::move(table));
  }
  // Builds the request of `method path?query` with `body` into `out`.
  absl::Status Build(absl::string_view method, absl::string_view target, absl::string_view body,
                     google::protobuf::Message* out) {
    size_t q = target.find('?');
    RouteMatch match = table_->Match(method, target.substr(0, q));
    EXPECT_EQ(match.outcome, RouteMatch::Outcome::kFound) << target;
    if (match.outcome != RouteMatch::Outcome::kFound) return absl::NotFoundError("no route");
    EXPECT_EQ(match.route->method->input_type(), out->GetDescriptor());
    auto params = ParseQuery(q == absl::string_view::npos ? "" : target.substr(q + 1));
    if (!params.ok()) return params.status();
    return BuildRequest(*match.route, match.bindings, *params, body, out);
  }
  std::string Normalize(absl::string_view target) {
    size_t q = target.find('?');
    RouteMatch match = table_->Match("GET", target.substr(0, q));
    auto params = ParseQuery(target.substr(q + 1));
    auto normalized = NormalizeQuery(*match.route, *params);
    return normalized.ok() ? *normalized : "ERROR: " + std::string(normalized.status().message());
  }
  std::unique_ptr<RouteTable> table_;
};

TEST_F(TranscoderTest, QueryScalarsRepeatedNestedMaskAndWellKnownTypes) {
  gw::GetThingRequest request;
  absl::Status status =
      Build("GET",
            "/v1/shelves/s1/things/t1?year=2021&colors=RED&colors=2&filter.note=a%20b&filter.deeper.level=7"
            "&readMask=displayTitle,inner.note&flag=true&big=9007199254740993&ratio=0.25&since=2021-01-02T03:04:05Z"
            "&limit=5&blob=aGk%3D&labels=x&labels=y",
            "", &request);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(request.name(), "shelves/s1/things/t1");
  EXPECT_EQ(request.year(), 2021);
  ASSERT_EQ(request.colors_size(), 2);
  EXPECT_EQ(request.colors(0), gw::RED);
  EXPECT_EQ(request.colors(1), gw::GREEN);
  EXPECT_EQ(request.filter().note(), "a b");
  EXPECT_EQ(request.filter().deeper().level(), 7);
  ASSERT_EQ(request.read_mask().paths_size(), 2);
  EXPECT_EQ(request.read_mask().paths(0), "display_title");
  EXPECT_EQ(request.read_mask().paths(1), "inner.note");
  EXPECT_TRUE(request.flag());
  EXPECT_EQ(request.big(), 9007199254740993LL);
  EXPECT_DOUBLE_EQ(request.ratio(), 0.25);
  EXPECT_EQ(request.since().seconds(), 1609556645);
  EXPECT_EQ(request.limit().value(), 5);
  EXPECT_EQ(request.blob(), "hi");
  EXPECT_EQ(request.labels_size(), 2);
}

TEST_F(TranscoderTest, ProtoNamesAreAcceptedAsWellAsJsonNames) {
  gw::GetThingRequest request;
  ASSERT_TRUE(Build("GET", "/v1/things/t?read_mask=display_title", "", &request).ok());
  EXPECT_EQ(request.read_mask().paths(0), "display_title");
}

TEST_F(TranscoderTest, WrongTypesAndUnknownParametersAreInvalidArgument) {
  gw::GetThingRequest request;
  absl::Status status = Build("GET", "/v1/things/t?year=abc", "", &request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(FieldViolationsIn(status).empty());
  EXPECT_EQ(Build("GET", "/v1/things/t?colors=PURPLE", "", &request).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("GET", "/v1/things/t?flag=maybe", "", &request).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("GET", "/v1/things/t?year=99999999999", "", &request).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("GET", "/v1/things/t?nope=1", "", &request).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("GET", "/v1/things/t?filter=1", "", &request).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("GET", "/v1/things/t?attrs=1", "", &request).code(), absl::StatusCode::kInvalidArgument);
  // A field bound by the path cannot also come from the query.
  EXPECT_EQ(Build("GET", "/v1/things/t?name=other", "", &request).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("GET", "/v1/things/t?year=%zz", "", &request).code(), absl::StatusCode::kInvalidArgument);
  // GET routes take no body.
  EXPECT_EQ(Build("GET", "/v1/things/t", "{\"year\":1}", &request).code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(TranscoderTest, BodyStarTakesEveryFieldAndThePathWins) {
  gw::ActionRequest request;
  absl::Status status =
      Build("POST", "/v1/shelves/s/things/t:act", R"({"name":"ignored","comment":"hi","count":3})", &request);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(request.name(), "shelves/s/things/t");
  EXPECT_EQ(request.comment(), "hi");
  EXPECT_EQ(request.count(), 3);
  // With body "*", nothing may come from the query.
  EXPECT_EQ(Build("POST", "/v1/shelves/s/things/t:act?comment=x", "{}", &request).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Build("POST", "/v1/shelves/s/things/t:act", "", &request).ok());
}

TEST_F(TranscoderTest, MalformedJsonAndUnknownOrMistypedFieldsAreInvalidArgument) {
  gw::ActionRequest request;
  EXPECT_EQ(Build("POST", "/v1/shelves/s/things/t:act", "{\"comment\":", &request).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("POST", "/v1/shelves/s/things/t:act", R"({"unknown":1})", &request).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Build("POST", "/v1/shelves/s/things/t:act", R"({"count":"many"})", &request).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TranscoderTest, BodyFieldAndQueryForTheRest) {
  gw::CreateThingRequest request;
  absl::Status status = Build("POST", "/v1/shelves/s1/things?thingId=t9",
                              R"({"displayTitle":"东丽","inner":{"note":"n"},"big_count":"12"})", &request);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(request.parent(), "shelves/s1");
  EXPECT_EQ(request.thing_id(), "t9");
  EXPECT_EQ(request.thing().display_title(), "东丽");
  EXPECT_EQ(request.thing().inner().note(), "n");
  EXPECT_EQ(request.thing().big_count(), 12);
  // Fields inside the body field cannot come from the query.
  EXPECT_EQ(Build("POST", "/v1/shelves/s1/things?thing.display_title=x", "{}", &request).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(TranscoderTest, PatchFillsUpdateMaskFromTheBodyUnlessGiven) {
  gw::UpdateThingRequest request;
  ASSERT_TRUE(Build("PATCH", "/v1/shelves/s/things/t", R"({"displayTitle":"x","inner":{"note":"y"}})", &request).ok());
  EXPECT_EQ(request.thing().name(), "shelves/s/things/t");
  ASSERT_EQ(request.update_mask().paths_size(), 2);
  EXPECT_EQ(request.update_mask().paths(0), "display_title");
  EXPECT_EQ(request.update_mask().paths(1), "inner.note");
  gw::UpdateThingRequest explicit_mask;
  ASSERT_TRUE(Build("PATCH", "/v1/shelves/s/things/t?updateMask=tags", R"({"displayTitle":"x"})", &explicit_mask).ok());
  ASSERT_EQ(explicit_mask.update_mask().paths_size(), 1);
  EXPECT_EQ(explicit_mask.update_mask().paths(0), "tags");
}

TEST_F(TranscoderTest, IndicatorRoutes) {
  stip::indicators::v1::GetProgressRequest progress;
  ASSERT_TRUE(Build("GET", "/v1/plans/dongli-2020-2022/progress?year=2021&includeSubmitted=true", "", &progress).ok());
  EXPECT_EQ(progress.plan(), "plans/dongli-2020-2022");
  EXPECT_EQ(progress.year(), 2021);
  EXPECT_TRUE(progress.include_submitted());
  stip::indicators::v1::ListValuesRequest list;
  ASSERT_TRUE(
      Build("GET", "/v1/plans/p/indicators/rd/values?states=DRAFT&states=SUBMITTED&pageSize=5", "", &list).ok());
  EXPECT_EQ(list.states_size(), 2);
  EXPECT_EQ(list.page_size(), 5);
  stip::indicators::v1::UpdateValueRequest update;
  ASSERT_TRUE(
      Build("PATCH", "/v1/plans/p/indicators/rd/values/2021-kjj", R"({"value":3.5,"etag":"e1"})", &update).ok());
  EXPECT_EQ(update.value().name(), "plans/p/indicators/rd/values/2021-kjj");
  EXPECT_DOUBLE_EQ(update.value().value(), 3.5);
  ASSERT_EQ(update.update_mask().paths_size(), 2);
}

TEST_F(TranscoderTest, NormalizedQueryIgnoresOrderAndNameForm) {
  EXPECT_EQ(Normalize("/v1/things/t?year=2021&readMask=a"), Normalize("/v1/things/t?read_mask=a&year=2021"));
  EXPECT_EQ(Normalize("/v1/things/t?year=2021&readMask=a"), "read_mask=a&year=2021");
  EXPECT_NE(Normalize("/v1/things/t?labels=a&labels=b"), Normalize("/v1/things/t?labels=b&labels=a"));
  EXPECT_EQ(Normalize("/v1/things/t?filter.note=%E4%B8%9C+x"), "filter.note=%E4%B8%9C%20x");
  EXPECT_EQ(Normalize("/v1/things/t?bogus=1").rfind("ERROR", 0), 0u);
}

TEST_F(TranscoderTest, ResponseJsonUsesLowerCamelCase) {
  RouteMatch match = table_->Match("GET", "/v1/things/t");
  gw::Thing thing;
  thing.set_display_title("东丽");
  thing.set_big_count(5);
  google::protobuf::util::JsonPrintOptions options;
  auto json = ResponseToJson(*match.route, thing, options);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, R"({"displayTitle":"东丽","bigCount":"5"})");
}

TEST_F(TranscoderTest, JsonFromWireBytesEqualsJsonFromTheMessage) {
  RouteMatch match = table_->Match("GET", "/v1/plans/p/progress");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  stip::indicators::v1::PlanProgress progress;
  progress.set_plan("plans/p");
  progress.set_year(2021);
  auto* indicator = progress.add_indicators();
  indicator->set_display_name("全社会研发投入强度 \"R&D\"");
  indicator->set_attainment(0.5);
  indicator->set_status(stip::indicators::v1::AT_RISK);
  google::protobuf::util::JsonPrintOptions options;
  auto from_message = ResponseToJson(*match.route, progress, options);
  auto from_bytes = ResponseBytesToJson(*match.route, progress.SerializeAsString(), options);
  ASSERT_TRUE(from_message.ok() && from_bytes.ok());
  EXPECT_EQ(*from_bytes, *from_message);
}

TEST(StatusMappingTest, GrpcCodesToHttpAsGrpcGatewayAndEnvoy) {
  const int expected[] = {200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401};
  for (int code = 0; code <= 16; ++code) EXPECT_EQ(HttpStatusFromCode(code), expected[code]) << code;
  EXPECT_EQ(HttpStatusFromCode(99), 500);
}

TEST(StatusMappingTest, ErrorBodyIsGoogleRpcStatusWithDetails) {
  absl::Status status = InvalidField("year", "年份超出规划期 (year out of range)");
  nlohmann::json body = nlohmann::json::parse(StatusJson(status));
  EXPECT_EQ(body["code"], 3);
  EXPECT_EQ(body["message"], "年份超出规划期 (year out of range)");
  ASSERT_EQ(body["details"].size(), 1u);
  EXPECT_EQ(body["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "year");

  grpc::Status grpc_status = ToGrpcStatus(status);
  body = nlohmann::json::parse(
      StatusJson(static_cast<int>(grpc_status.error_code()), grpc_status.error_message(), grpc_status.error_details()));
  EXPECT_EQ(body["details"][0]["fieldViolations"][0]["field"], "year");

  body = nlohmann::json::parse(StatusJson(5, "not found"));
  EXPECT_EQ(body["code"], 5);
  EXPECT_TRUE(body["details"].is_array());
  EXPECT_TRUE(body["details"].empty());
}

TEST(GrpcTimeoutTest, Parses) {
  EXPECT_EQ(*ParseGrpcTimeout("100m"), absl::Milliseconds(100));
  EXPECT_EQ(*ParseGrpcTimeout("2S"), absl::Seconds(2));
  EXPECT_EQ(*ParseGrpcTimeout("1H"), absl::Hours(1));
  EXPECT_EQ(*ParseGrpcTimeout("5u"), absl::Microseconds(5));
  EXPECT_FALSE(ParseGrpcTimeout("abc").ok());
  EXPECT_FALSE(ParseGrpcTimeout("10").ok());
  EXPECT_FALSE(ParseGrpcTimeout("123456789S").ok());
}

}  // namespace
}  // namespace stip::gateway
