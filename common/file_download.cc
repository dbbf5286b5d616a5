#include "common/file_download.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "common/rpc.h"
#include "stip/type/v1/criterion.pb.h"

namespace stip {
namespace {

constexpr size_t kChunkBytes = size_t{64} * 1024;

class FileDownload : public grpc::ServerWriteReactor<google::api::HttpBody> {
 public:
  FileDownload(const RpcRuntime* runtime, grpc::CallbackServerContext* context, absl::string_view method,
               const std::function<absl::StatusOr<TableBytes>(const Caller&)>& make)
      : call_(runtime, context, method) {
    if (!call_.caller().ok()) {
      Done(call_.caller().status());
      return;
    }
    absl::StatusOr<TableBytes> file = Make(make);
    if (!file.ok()) {
      Done(file.status());
      return;
    }
    file_ = *std::move(file);
    NextWrite();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Done(absl::CancelledError("client went away"));
      return;
    }
    NextWrite();
  }
  void OnDone() override { delete this; }

 private:
  absl::StatusOr<TableBytes> Make(const std::function<absl::StatusOr<TableBytes>(const Caller&)>& make) {
    try {
      return make(*call_.caller());
    } catch (const std::exception& error) {
      return absl::InternalError(error.what());
    }
  }

  // The first message is sent even for an empty file, so the content type and name always arrive.
  void NextWrite() {
    if (sent_ > 0 && sent_ >= file_.data.size()) {
      Done(absl::OkStatus());
      return;
    }
    body_.Clear();
    if (sent_ == 0) {
      body_.set_content_type(file_.content_type);
      type::v1::DownloadFile name;
      name.set_filename(file_.filename);
      name.set_ascii_filename(file_.ascii_filename);
      body_.add_extensions()->PackFrom(name);
    }
    size_t n = std::min(kChunkBytes, file_.data.size() - sent_);
    body_.set_data(file_.data.substr(sent_, n));
    sent_ += std::max<size_t>(n, 1);
    this->StartWrite(&body_);
  }

  void Done(const absl::Status& status) { this->Finish(call_.End(status)); }

  StreamCall call_;
  TableBytes file_;
  size_t sent_ = 0;
  google::api::HttpBody body_;
};

}  // namespace

grpc::ServerWriteReactor<google::api::HttpBody>* NewFileDownload(
    const RpcRuntime* runtime, grpc::CallbackServerContext* context, absl::string_view method,
    const std::function<absl::StatusOr<TableBytes>(const Caller&)>& make) {
  return new FileDownload(runtime, context, method, make);
}

}  // namespace stip
