// An asynchronous HTTP/1.1 server (Boost.Beast) with keep-alive, header and body limits and timeouts for
// slow clients. Handlers answer through a callback that may run on any thread.
#ifndef STIP_GATEWAY_HTTP_SERVER_H_
#define STIP_GATEWAY_HTTP_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/http/message.hpp"
#include "boost/beast/http/string_body.hpp"

namespace stip::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
using Reply = std::function<void(HttpResponse)>;

// A response sent in pieces (HTTP/1.1 chunked transfer encoding), for streaming RPCs. Writes are queued in
// order; `done(ok)` runs on an I/O thread once the piece is on the wire (ok = false: the client is gone or too
// slow, and every later write fails too). Finish() sends the last chunk; the connection then reads the next
// request (keep-alive) or closes.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  virtual void Write(std::string data, std::function<void(bool ok)> done) = 0;
  virtual void Finish() = 0;
};
// Sends the status line and headers of `head` (its body is ignored) and returns the stream for the body.
using StreamReply = std::function<std::shared_ptr<ResponseStream>(HttpResponse head)>;

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Called on an I/O thread; must not block. `peer` is the client's address. The handler answers exactly
  // once: either `reply` with a whole response, or `stream` and then the pieces.
  virtual void Handle(HttpRequest request, const std::string& peer, Reply reply, StreamReply stream) = 0;
  // Whether the request whose headers these are may carry an upload body (up to Options::upload_limit rather
  // than body_limit): asked once the headers are read, before the body.
  virtual bool IsUpload(boost::beast::http::verb /*method*/, std::string_view /*target*/) const { return false; }
};

class HttpServer {
 public:
  struct Options {
    std::string address = "127.0.0.1:8080";
    int threads = 2;
    size_t header_limit = size_t{16} * 1024;
    size_t body_limit = size_t{1024} * 1024;
    size_t upload_limit = size_t{64} << 20;           // for requests the handler calls uploads (file imports)
    absl::Duration read_timeout = absl::Seconds(30);  // idle keep-alive + receiving one request
    absl::Duration write_timeout = absl::Seconds(30);
    int max_connections = 10000;
  };

  HttpServer(Options options, HttpHandler* handler);
  ~HttpServer();

  void set_handler(HttpHandler* handler) { handler_ = handler; }
  absl::Status Start();
  int port() const { return port_; }
  // Stops accepting; open connections finish their current exchange, then the threads end.
  void Stop();
  void Wait();
  boost::asio::io_context& io() { return io_; }
  int open_connections() const { return connections_.load(); }

 private:
  class Session;
  void Accept();

  Options options_;
  HttpHandler* handler_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::vector<std::thread> threads_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_HTTP_SERVER_H_
