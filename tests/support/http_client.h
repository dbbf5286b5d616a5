// A minimal blocking HTTP/1.1 client for the gateway's integration tests (and the walkthrough tests): one
// request per connection, the whole response (a chunked body is joined), headers by name.
// Include proto headers before this one: Asio brings <netdb.h> and its macros.
#ifndef STIP_TESTS_SUPPORT_HTTP_CLIENT_H_
#define STIP_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "nlohmann/json.hpp"

namespace stip::testing {

struct HttpResponseData {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
  // A newline-delimited JSON body, one value per non-empty line.
  std::vector<nlohmann::json> Lines() const {
    std::vector<nlohmann::json> out;
    for (absl::string_view line : absl::StrSplit(body, '\n', absl::SkipEmpty())) {
      out.push_back(nlohmann::json::parse(line, nullptr, false));
    }
    return out;
  }
};

inline HttpResponseData HttpFetch(int port, boost::beast::http::verb method, const std::string& target,
                                  const std::string& token = "", const std::string& body = "",
                                  const std::map<std::string, std::string>& extra = {}) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = boost::asio::ip::tcp;
  HttpResponseData out;
  try {
    boost::asio::io_context io;
    tcp::socket socket(io);
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1");
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    for (const auto& [name, value] : extra) request.set(name, value);
    if (!body.empty()) {
      request.set(http::field::content_type, "application/json");
      request.body() = body;
    }
    request.prepare_payload();
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(socket, buffer, parser);
    http::response<http::string_body> response = parser.release();
    out.status = response.result_int();
    for (const auto& field : response) out.headers[std::string(field.name_string())] = std::string(field.value());
    out.body = response.body();
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
  } catch (const std::exception& error) {
    out.status = -1;
    out.body = error.what();
  }
  return out;
}

// A sample's value on the gateway's /metrics (Prometheus text), -1 when absent. Matches whole sample lines:
// a HELP line mentions the name too.
inline double GatewayMetric(int port, absl::string_view sample) {
  std::string body = HttpFetch(port, boost::beast::http::verb::get, "/metrics").body;
  for (absl::string_view line : absl::StrSplit(body, '\n', absl::SkipEmpty())) {
    if (absl::ConsumePrefix(&line, sample) && absl::ConsumePrefix(&line, " ")) return std::stod(std::string(line));
  }
  return -1;
}

// The gateway connects to Redis in the background: tests that expect cache hits wait until it is usable.
inline bool WaitUntilGatewayCacheUp(int port) {
  absl::Time deadline = absl::Now() + absl::Seconds(15);
  while (absl::Now() < deadline) {
    if (GatewayMetric(port, "stip_gateway_redis_up") == 1) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

}  // namespace stip::testing

#endif  // STIP_TESTS_SUPPORT_HTTP_CLIENT_H_
