// HTTP/JSON ↔ protobuf for one route, with grpc-gateway's rules: path variables, body "*" or a field, the
// remaining fields from the query string; protobuf's JSON mapping; google.rpc.Status error bodies.
#ifndef STIP_GATEWAY_TRANSCODER_H_
#define STIP_GATEWAY_TRANSCODER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gateway/route_table.h"
#include "gateway/status_table.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

namespace stip::gateway {

struct QueryParam {
  std::string name;   // decoded, as sent (json or proto names, dotted)
  std::string value;  // decoded
};

// Splits "a=1&b=x%20y" into decoded pairs. INVALID_ARGUMENT on a malformed escape.
absl::StatusOr<std::vector<QueryParam>> ParseQuery(absl::string_view raw);

// The proto path ("page_size", "value.note") of a query parameter of `route`, or INVALID_ARGUMENT when the
// request message has no such field, or it is bound by the path or the body, or it cannot come from a query.
absl::StatusOr<std::string> ResolveQueryField(const Route& route, absl::string_view name);

// The query string in a canonical form for cache keys: names resolved to proto paths, sorted by name
// (repeated values keep their order), re-encoded. INVALID_ARGUMENT for unknown parameters.
absl::StatusOr<std::string> NormalizeQuery(const Route& route, const std::vector<QueryParam>& params);

// Fills `request` (of the route's input type) from the body, the path bindings and the query.
// Errors are INVALID_ARGUMENT with google.rpc.BadRequest field violations where a field is known.
absl::Status BuildRequest(const Route& route, const PathBindings& bindings, const std::vector<QueryParam>& params,
                          absl::string_view body, google::protobuf::Message* request);

// The body of a client-streaming call, grpc-gateway style: a sequence of JSON objects, one per request
// message, separated by whitespace (newline-delimited JSON is the usual form). Returns each object's text;
// INVALID_ARGUMENT (naming the message number and byte offset) for anything else between them.
absl::StatusOr<std::vector<absl::string_view>> SplitJsonSequence(absl::string_view body);

// One line of a server-streaming response (newline-delimited JSON, as grpc-gateway): {"result":<message>}
// or, after a mid-stream error, {"error":<google.rpc.Status>}.
std::string StreamResultLine(absl::string_view message_json);
std::string StreamErrorLine(absl::string_view status_json);

// The response (or its response_body field) as JSON.
absl::StatusOr<std::string> ResponseToJson(const Route& route, const google::protobuf::Message& response,
                                           const google::protobuf::util::JsonPrintOptions& options);

// The same, straight from the backend's serialized response (no parse into a message first: protobuf's JSON
// printer works from the wire format anyway).
absl::StatusOr<std::string> ResponseBytesToJson(const Route& route, const std::string& bytes,
                                                const google::protobuf::util::JsonPrintOptions& options);

// "Grpc-Timeout: 100m" → 100 ms (units H M S m u n; at most 8 digits). INVALID_ARGUMENT when malformed.
absl::StatusOr<absl::Duration> ParseGrpcTimeout(absl::string_view value);

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_TRANSCODER_H_
