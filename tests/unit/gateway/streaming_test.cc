// Streaming routes: the route table keeps client- and server-streaming methods, the body of a client stream
// is split into JSON messages, and server-stream lines have grpc-gateway's shape.
#include "stip/cultivation/v1/cultivation.pb.h"

#include "gateway/route_table.h"
#include "gateway/transcoder.h"
#include "gtest/gtest.h"

namespace stip::gateway {
namespace {

TEST(StreamingRoutes, ClientAndServerStreamingMethodsAreRouted) {
  auto table = RouteTable::FromGeneratedPool("stip.");
  ASSERT_TRUE(table.ok()) << table.status();
  RouteMatch import = table->Match("POST", "/v1/enterprises:importCsv");
  ASSERT_EQ(import.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(import.route->grpc_path, "/stip.cultivation.v1.CultivationService/ImportCsv");
  EXPECT_TRUE(import.route->method->client_streaming());
  EXPECT_EQ(import.route->body, "*");
  RouteMatch exported = table->Match("GET", "/v1/enterprises:exportCsv");
  ASSERT_EQ(exported.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(exported.route->grpc_path, "/stip.cultivation.v1.CultivationService/ExportCsv");
  EXPECT_TRUE(exported.route->method->server_streaming());
  // The neighbours still resolve to their own methods.
  EXPECT_EQ(table->Match("POST", "/v1/enterprises").route->method->name(), "CreateEnterprise");
  EXPECT_EQ(table->Match("GET", "/v1/enterprises:csvTemplate").route->method->name(), "GetCsvTemplate");
}

TEST(SplitJsonSequence, NewlineAndWhitespaceSeparatedObjects) {
  auto parts = SplitJsonSequence("{\"a\":1}\n{\"b\":\"}{\\\"\"}\r\n  {\"c\":{\"d\":[1,{}]}}\n");
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0], "{\"a\":1}");
  EXPECT_EQ((*parts)[1], "{\"b\":\"}{\\\"\"}");  // braces and escaped quotes inside strings
  EXPECT_EQ((*parts)[2], "{\"c\":{\"d\":[1,{}]}}");
  auto same_line = SplitJsonSequence("{}{} {}");
  ASSERT_TRUE(same_line.ok());
  EXPECT_EQ(same_line->size(), 3u);
}

TEST(SplitJsonSequence, EmptyBodyIsNoMessage) {
  auto parts = SplitJsonSequence(" \n\t");
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE(parts->empty());
}

TEST(SplitJsonSequence, RejectsWhatIsNotASequenceOfObjects) {
  auto array = SplitJsonSequence("[{\"a\":1}]");
  EXPECT_EQ(array.status().code(), absl::StatusCode::kInvalidArgument);
  auto trailing = SplitJsonSequence("{\"a\":1}\n42");
  ASSERT_FALSE(trailing.ok());
  EXPECT_NE(trailing.status().message().find("message 2"), absl::string_view::npos) << trailing.status();
  auto open = SplitJsonSequence("{\"a\":1}\n{\"b\":\"x}");
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("message 2"), absl::string_view::npos) << open.status();
}

TEST(StreamLines, GrpcGatewayShapes) {
  EXPECT_EQ(StreamResultLine("{\"data\":\"YQ==\"}"), "{\"result\":{\"data\":\"YQ==\"}}\n");
  EXPECT_EQ(StreamErrorLine(StatusJson(9, "stopped")),
            "{\"error\":{\"code\":9,\"message\":\"stopped\",\"details\":[]}}\n");
}

TEST(StreamingTranscoding, EachMessageIsTranscodedWithBase64Bytes) {
  auto table = RouteTable::FromGeneratedPool("stip.");
  ASSERT_TRUE(table.ok());
  RouteMatch import = table->Match("POST", "/v1/enterprises:importCsv");
  ASSERT_EQ(import.outcome, RouteMatch::Outcome::kFound);
  auto parts = SplitJsonSequence("{\"kind\":\"ENTERPRISES\",\"data\":\"YSxi\"}\n{\"data\":\"Yw==\",\"dryRun\":true}");
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 2u);
  ::stip::cultivation::v1::ImportCsvRequest first, second;
  ASSERT_TRUE(BuildRequest(*import.route, import.bindings, {}, (*parts)[0], &first).ok());
  ASSERT_TRUE(BuildRequest(*import.route, {}, {}, (*parts)[1], &second).ok());
  EXPECT_EQ(first.kind(), ::stip::cultivation::v1::ENTERPRISES);
  EXPECT_EQ(first.data(), "a,b");
  EXPECT_EQ(second.data(), "c");
  EXPECT_TRUE(second.dry_run());
}

}  // namespace
}  // namespace stip::gateway
