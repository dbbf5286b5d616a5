// The OpenAPI document of the REST surface, built from the same route table the gateway serves.
#ifndef STIP_GATEWAY_OPENAPI_H_
#define STIP_GATEWAY_OPENAPI_H_

#include <string>

#include "gateway/route_table.h"

namespace stip::gateway {

std::string BuildOpenApi(const RouteTable& routes);

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_OPENAPI_H_
