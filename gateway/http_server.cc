#include "gateway/http_server.h"

#include <algorithm>
#include <deque>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/error.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/chunk_encode.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/error.hpp"
#include "boost/beast/http/parser.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"
#include "common/telemetry.h"
#include "gateway/transcoder.h"

namespace stip::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class HttpServer::Session : public std::enable_shared_from_this<HttpServer::Session> {
 public:
  Session(tcp::socket socket, HttpServer* server) : stream_(std::move(socket)), server_(server) {
    ++server_->connections_;
    boost::system::error_code error;
    tcp::endpoint remote = stream_.socket().remote_endpoint(error);
    if (!error) peer_ = remote.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), error);
  }
  ~Session() { --server_->connections_; }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_->options_.header_limit));
    // Beast checks Content-Length against the limit while parsing the header: the largest one until the route
    // is known (ReadBody sets the route's own before a byte of body is read).
    parser_->body_limit(std::max(server_->options_.body_limit, server_->options_.upload_limit));
    stream_.expires_after(absl::ToChronoNanoseconds(server_->options_.read_timeout));
    limit_ = server_->options_.body_limit;
    http::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code error, size_t) {
      if (error) return self->OnRead(error);
      self->ReadBody();
    });
  }

  // The body's limit depends on the route (an import may be a large file): decided between header and body.
  void ReadBody() {
    const auto& header = parser_->get();
    std::string_view target(header.target().data(), header.target().size());
    if (server_->handler_->IsUpload(header.method(), target)) limit_ = server_->options_.upload_limit;
    // Beast compared Content-Length with the larger limit; a chunked body meets this one as it arrives.
    if (parser_->content_length() && *parser_->content_length() > limit_) return OnRead(http::error::body_limit);
    parser_->body_limit(limit_);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code error, size_t) { self->OnRead(error); });
  }

  void OnRead(beast::error_code error) {
    if (error == http::error::end_of_stream || error == beast::error::timeout ||
        error == asio::error::connection_reset || error == asio::error::eof) {
      Close();
      return;
    }
    if (error) {
      int status = 400;
      std::string message = absl::StrCat("请求格式错误 (bad request): ", error.message());
      if (error == http::error::body_limit) {
        status = 413;
        message =
            absl::StrCat("请求体过大：本接口最多接受 ", limit_ >> 20, " MB (request body too large, limit ", limit_,
                         " bytes)。导入文件请拆分后分批导入（每行按统一社会信用代码/年度为键，可按任意顺序重复导入），"
                         "或由园区系统通过 gRPC 直接调用 ImportCsv（不限大小）");
      } else if (error == http::error::header_limit) {
        status = 431;
        message = "请求头过大 (request headers too large)";
      }
      HttpResponse response{static_cast<http::status>(status), 11};
      response.set(http::field::content_type, "application/json");
      response.body() = StatusJson(status == 400 ? 3 : 8, message);
      response.keep_alive(false);
      Write(std::move(response));
      return;
    }
    HttpRequest request = parser_->release();
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    stream_.expires_never();
    server_->handler_->Handle(
        std::move(request), peer_,
        [self = shared_from_this()](HttpResponse response) {
          asio::post(self->stream_.get_executor(),
                     [self, response = std::move(response)]() mutable { self->Write(std::move(response)); });
        },
        [self = shared_from_this()](HttpResponse head) -> std::shared_ptr<ResponseStream> {
          auto out = std::make_shared<Chunked>(self);
          asio::post(self->stream_.get_executor(),
                     [self, head = std::move(head)]() mutable { self->BeginStream(head); });
          return out;
        });
  }

  // ---- chunked responses (streaming RPCs): one queue of pieces, written in order on the session's strand.
  class Chunked : public ResponseStream {
   public:
    explicit Chunked(std::shared_ptr<Session> session) : session_(std::move(session)) {}
    ~Chunked() override { Finish(); }  // a stream dropped without Finish still ends the response
    void Write(std::string data, std::function<void(bool)> done) override {
      auto session = session_;
      asio::post(session->stream_.get_executor(), [session, data = std::move(data), done = std::move(done)]() mutable {
        session->Enqueue(Piece{false, std::move(data), std::move(done)});
      });
    }
    void Finish() override {
      if (finished_.exchange(true)) return;
      auto session = session_;
      asio::post(session->stream_.get_executor(), [session] { session->Enqueue(Piece{true, "", nullptr}); });
    }

   private:
    std::shared_ptr<Session> session_;
    std::atomic<bool> finished_{false};
  };
  struct Piece {
    bool last = false;
    std::string data;
    std::function<void(bool)> done;
  };

  void BeginStream(const HttpResponse& head) {
    head_ = std::make_shared<http::response<http::empty_body>>(head.result(), version_);
    for (const auto& field : head) head_->set(field.name_string(), field.value());
    if (!keep_alive_ || version_ < 11) head_->keep_alive(false);  // HTTP/1.0: no chunks; the close ends it
    keep_alive_ = head_->keep_alive();
    if (version_ >= 11) head_->chunked(true);
    head_serializer_.emplace(*head_);
    writing_ = true;
    stream_.expires_after(absl::ToChronoNanoseconds(server_->options_.write_timeout));
    http::async_write_header(stream_, *head_serializer_, [self = shared_from_this()](beast::error_code error, size_t) {
      self->OnPieceWritten(error);
    });
  }

  void Enqueue(Piece piece) {
    pieces_.push_back(std::move(piece));
    if (!writing_) NextPiece();
  }

  void NextPiece() {
    if (pieces_.empty()) return;
    if (broken_) {
      Piece piece = std::move(pieces_.front());
      pieces_.pop_front();
      if (piece.done) piece.done(false);
      NextPiece();
      return;
    }
    writing_ = true;
    Piece& piece = pieces_.front();
    stream_.expires_after(absl::ToChronoNanoseconds(server_->options_.write_timeout));
    auto handler = [self = shared_from_this()](beast::error_code error, size_t) { self->OnPieceWritten(error); };
    if (version_ < 11) {
      if (piece.last) {
        writing_ = false;
        pieces_.pop_front();
        Close();
        return;
      }
      asio::async_write(stream_, asio::buffer(piece.data), handler);
    } else if (piece.last) {
      asio::async_write(stream_, http::make_chunk_last(), handler);
    } else if (piece.data.empty()) {
      // An empty chunk would end the body: nothing to send.
      writing_ = false;
      Piece done = std::move(pieces_.front());
      pieces_.pop_front();
      if (done.done) done.done(true);
      NextPiece();
    } else {
      asio::async_write(stream_, http::make_chunk(asio::buffer(piece.data)), handler);
    }
  }

  void OnPieceWritten(beast::error_code error) {
    writing_ = false;
    if (error) broken_ = true;
    if (!in_body_) {  // the header
      in_body_ = true;
      if (broken_) Close();
      NextPiece();
      return;
    }
    Piece piece = std::move(pieces_.front());
    pieces_.pop_front();
    if (piece.done) piece.done(!broken_);
    if (piece.last) {
      head_serializer_.reset();
      head_.reset();
      in_body_ = false;
      if (broken_ || !keep_alive_) {
        Close();
        return;
      }
      Read();
      return;
    }
    if (broken_) Close();
    NextPiece();
  }

  void Write(HttpResponse response) {
    response_ = std::make_shared<HttpResponse>(std::move(response));
    response_->version(version_);
    if (!keep_alive_) response_->keep_alive(false);
    keep_alive_ = response_->keep_alive();
    response_->prepare_payload();
    stream_.expires_after(absl::ToChronoNanoseconds(server_->options_.write_timeout));
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code error, size_t) { self->OnWrite(error); });
  }

  void OnWrite(beast::error_code error) {
    response_.reset();
    if (error || !keep_alive_) {
      Close();
      return;
    }
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  HttpServer* server_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  size_t limit_ = 0;  // the body limit of the request being read
  std::shared_ptr<HttpResponse> response_;
  std::shared_ptr<http::response<http::empty_body>> head_;
  std::optional<http::response_serializer<http::empty_body>> head_serializer_;
  std::deque<Piece> pieces_;
  bool writing_ = false;
  bool in_body_ = false;
  bool broken_ = false;
  bool keep_alive_ = true;
  unsigned version_ = 11;
};

HttpServer::HttpServer(Options options, HttpHandler* handler)
    : options_(std::move(options)), handler_(handler), acceptor_(io_) {}

HttpServer::~HttpServer() {
  Stop();
  Wait();
}

absl::Status HttpServer::Start() {
  size_t colon = options_.address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(options_.address.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat("bad --http_addr ", options_.address, " (want host:port)"));
  }
  std::string host = options_.address.substr(0, colon);
  if (host.empty()) host = "0.0.0.0";
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  boost::system::error_code error;
  asio::ip::address address = asio::ip::make_address(host, error);
  if (error) return absl::InvalidArgumentError(absl::StrCat("bad host in --http_addr: ", host));
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  acceptor_.open(endpoint.protocol(), error);
  if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.address, ": ", error.message()));
  port_ = acceptor_.local_endpoint().port();
  Accept();
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    threads_.emplace_back([this] {
      auto guard = asio::make_work_guard(io_);
      io_.run();
    });
  }
  return absl::OkStatus();
}

void HttpServer::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code error, tcp::socket socket) {
    if (error) {
      if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
      Accept();
      return;
    }
    if (connections_.load() >= options_.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<Session>(std::move(socket), this)->Start();
    }
    Accept();
  });
}

void HttpServer::Stop() {
  asio::post(io_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
}

void HttpServer::Wait() {
  io_.stop();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

}  // namespace stip::gateway
