// The dashboard's static files (gateway/assets/*), embedded at build time.
#ifndef STIP_GATEWAY_ASSETS_H_
#define STIP_GATEWAY_ASSETS_H_

#include <string_view>
#include <vector>

namespace stip::gateway {

struct Asset {
  std::string_view path;  // "/index.html"
  std::string_view content;
};

const std::vector<Asset>& Assets();

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_ASSETS_H_
