// The OpenAPI 3 document of the REST surface, built at start-up from the same route table the gateway serves and
// the protos' comments, as grpc-gateway's protoc-gen-openapiv2 would write it: one operation per binding
// (additional_bindings included, operationId Service_Method, +N for the Nth binding), resource-name variables
// expanded into their segments (/v1/plans/{plan}/progress, so generated clients build real paths), query
// parameters for every field the path and body leave, typed request and response schemas, google.rpc.Status
// errors, tags per service.
#ifndef STIP_GATEWAY_OPENAPI_H_
#define STIP_GATEWAY_OPENAPI_H_

#include <string>

#include "gateway/proto_comments.h"
#include "gateway/route_table.h"

namespace stip::gateway {

std::string BuildOpenApi(const RouteTable& routes, const ProtoComments& comments);

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_OPENAPI_H_
