#include "services/cultivation/grpc/csv_stream.h"

#include <cstdio>
#include <memory>

#include "common/status.h"
#include "common/status_macros.h"
#include "services/cultivation/domain/cultivation_access.h"
#include "services/cultivation/grpc/cultivation_convert.h"

namespace stip::cultivation {
namespace {

class ImportReactor : public grpc::ServerReadReactor<pb::ImportCsvRequest> {
 public:
  ImportReactor(const RpcRuntime* runtime, grpc::CallbackServerContext* context, const EnterpriseRegistry* registry,
                CultivationStore* store, ChangeNotifier* notifier, pb::ImportCsvResponse* response)
      : call_(runtime, context, "ImportCsv"),
        registry_(registry),
        store_(store),
        notifier_(notifier),
        response_(response) {
    if (!call_.caller().ok()) {
      Done(call_.caller().status());
      return;
    }
    if (absl::Status allowed = CultivationAccess::CanWrite(*call_.caller(), "导入数据"); !allowed.ok()) {
      Done(allowed);
      return;
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    absl::Status status = ok ? Feed() : Finished();
    if (!status.ok() || !ok) {
      Done(status);
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  absl::Status Feed() {
    if (!import_) {
      STIP_ASSIGN_OR_RETURN(CsvKindCode kind, FromProto(request_.kind(), "kind"));
      const Caller& caller = *call_.caller();
      import_ = std::make_unique<CsvImport>(kind, store_, &registry_->org_units(),
                                            caller.role == Role::kPark ? caller.org_unit : std::string(),
                                            request_.dry_run(), registry_->FilingChecker());
    }
    return import_->Feed(request_.data());
  }

  absl::Status Finished() {
    if (!import_) return absl::InvalidArgumentError("没有收到 CSV 数据");
    STIP_RETURN_IF_ERROR(import_->Finish());
    ToProto(import_->summary(), response_);
    return absl::OkStatus();
  }

  void Done(const absl::Status& status) {
    if (import_ && import_->summary().created + import_->summary().updated > 0 && notifier_ != nullptr) {
      notifier_->Publish("cultivation");
    }
    Finish(call_.End(status));
  }

  StreamCall call_;
  const EnterpriseRegistry* registry_;
  CultivationStore* store_;
  ChangeNotifier* notifier_;
  pb::ImportCsvResponse* response_;
  pb::ImportCsvRequest request_;
  std::unique_ptr<CsvImport> import_;
};

// Writes the export to an unnamed temporary file first (bounded memory, short database lock), then streams
// it in 64 KiB chunks.
class ExportReactor : public grpc::ServerWriteReactor<pb::CsvChunk> {
 public:
  ExportReactor(const RpcRuntime* runtime, grpc::CallbackServerContext* context, const EnterpriseRegistry* registry,
                CultivationStore* store, const pb::ExportCsvRequest* request)
      : call_(runtime, context, "ExportCsv"), registry_(registry), store_(store) {
    absl::Status status = Prepare(*request);
    if (!status.ok()) {
      Done(status);
      return;
    }
    NextWrite();
  }
  ~ExportReactor() override {
    if (file_ != nullptr) std::fclose(file_);
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
  absl::Status Prepare(const pb::ExportCsvRequest& request) {
    STIP_RETURN_IF_ERROR(call_.caller().status());
    STIP_ASSIGN_OR_RETURN(CsvKindCode kind, FromProto(request.kind(), "kind"));
    STIP_ASSIGN_OR_RETURN(std::string org_unit, CultivationAccess::ScopedOrgUnit(*call_.caller(), request.org_unit()));
    file_ = std::tmpfile();
    if (file_ == nullptr) return absl::InternalError("cannot create a temporary file for the export");
    std::fputs("\xEF\xBB\xBF", file_);
    STIP_RETURN_IF_ERROR(ExportCsv(kind, store_, registry_->org_units(), org_unit, request.year(),
                                   [&](std::string line) { std::fwrite(line.data(), 1, line.size(), file_); }));
    std::rewind(file_);
    return absl::OkStatus();
  }

  void NextWrite() {
    std::string buffer(size_t{64} * 1024, '\0');
    size_t read = std::fread(buffer.data(), 1, buffer.size(), file_);
    if (read == 0) {
      Done(absl::OkStatus());
      return;
    }
    buffer.resize(read);
    chunk_.set_data(std::move(buffer));
    StartWrite(&chunk_);
  }

  void Done(const absl::Status& status) { Finish(call_.End(status)); }

  StreamCall call_;
  const EnterpriseRegistry* registry_;
  CultivationStore* store_;
  std::FILE* file_ = nullptr;
  pb::CsvChunk chunk_;
};

}  // namespace

grpc::ServerReadReactor<pb::ImportCsvRequest>* NewImportReactor(const RpcRuntime* runtime,
                                                                grpc::CallbackServerContext* context,
                                                                const EnterpriseRegistry* registry,
                                                                CultivationStore* store, ChangeNotifier* notifier,
                                                                pb::ImportCsvResponse* response) {
  return new ImportReactor(runtime, context, registry, store, notifier, response);
}

grpc::ServerWriteReactor<pb::CsvChunk>* NewExportReactor(const RpcRuntime* runtime,
                                                         grpc::CallbackServerContext* context,
                                                         const EnterpriseRegistry* registry, CultivationStore* store,
                                                         const pb::ExportCsvRequest* request) {
  return new ExportReactor(runtime, context, registry, store, request);
}

}  // namespace stip::cultivation
