#include "services/cultivation/grpc/csv_stream.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/tables/table_file.h"
#include "common/tables/xlsx_table.h"
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
      import_->set_sheet(request_.sheet());
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
// What an export is asked for: ExportCsv's request, or DownloadCsv's (which may ask for the template only).
struct ExportAsk {
  pb::CsvKind kind = pb::CSV_KIND_UNSPECIFIED;
  std::string org_unit;
  int year = 0;
  bool template_only = false;
  bool xlsx = false;
};

// The file a browser saves: 企业名录-huaming-2021.csv, with an ASCII fallback for old clients.
type::v1::DownloadFile FileNameFor(CsvKindCode kind, const ExportAsk& ask) {
  static const char* const kZh[] = {"", "企业名录", "年度填报", "企业记录"};
  static const char* const kAscii[] = {"", "enterprises", "filings", "records"};
  int index = static_cast<int>(kind);
  std::string suffix = ask.template_only ? "-模板" : "";
  std::string ascii_suffix = ask.template_only ? "-template" : "";
  if (!ask.org_unit.empty()) suffix += "-" + ask.org_unit, ascii_suffix += "-" + ask.org_unit;
  if (ask.year != 0) suffix += "-" + std::to_string(ask.year), ascii_suffix += "-" + std::to_string(ask.year);
  type::v1::DownloadFile file;
  const char* extension = ask.xlsx ? ".xlsx" : ".csv";
  file.set_filename(absl::StrCat(kZh[index], suffix, extension));
  file.set_ascii_filename(absl::StrCat(kAscii[index], ascii_suffix, extension));
  return file;
}

// Fills one streamed message with the next bytes: CsvChunk for ExportCsv, HttpBody for DownloadCsv (whose
// first message carries the content type and the file name).
void FillChunk(pb::CsvChunk* chunk, std::string data, const type::v1::DownloadFile&, bool, bool) {
  chunk->set_data(std::move(data));
}
void FillChunk(google::api::HttpBody* body, std::string data, const type::v1::DownloadFile& file, bool first,
               bool xlsx) {
  body->Clear();
  if (first) {
    body->set_content_type(xlsx ? kXlsxContentType : kCsvContentType);
    body->add_extensions()->PackFrom(file);
  }
  body->set_data(std::move(data));
}

// The export's CSV lines as an .xlsx in a temporary file, opened for reading (and already unlinked).
absl::StatusOr<std::FILE*> WriteXlsxExport(
    const std::function<absl::Status(const std::function<void(std::string)>&)>& write) {
  return XlsxTempFile([&](XlsxTable& table) {
    CsvReader reader;
    std::vector<std::string> row;
    absl::Status status = write([&](const std::string& line) {
      reader.Feed(line);
      while (reader.Next(&row)) table.AddRow(row);
    });
    reader.Finish();
    while (status.ok() && reader.Next(&row)) table.AddRow(row);
    return status;
  });
}

// Writes the CSV (with a BOM, so Excel reads UTF-8) to a temporary file first, then streams it in 64 KiB
// messages: the store is read once, in one go, and a slow client holds no transaction open.
template <typename Chunk>
class ExportReactor : public grpc::ServerWriteReactor<Chunk> {
 public:
  ExportReactor(const RpcRuntime* runtime, grpc::CallbackServerContext* context, absl::string_view method,
                const EnterpriseRegistry* registry, CultivationStore* store, const ExportAsk& ask)
      : call_(runtime, context, method), registry_(registry), store_(store) {
    absl::Status status = Prepare(ask);
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
  absl::Status Prepare(const ExportAsk& ask) {
    STIP_RETURN_IF_ERROR(call_.caller().status());
    STIP_ASSIGN_OR_RETURN(CsvKindCode kind, FromProto(ask.kind, "kind"));
    STIP_ASSIGN_OR_RETURN(std::string org_unit, CultivationAccess::ScopedOrgUnit(*call_.caller(), ask.org_unit));
    download_ = FileNameFor(kind, ask);
    xlsx_ = ask.xlsx;
    auto write = [&](const std::function<void(std::string)>& sink) -> absl::Status {
      if (ask.template_only) {
        sink(CsvTemplate(kind));
        return absl::OkStatus();
      }
      return ExportCsv(kind, store_, registry_->org_units(), org_unit, ask.year, sink);
    };
    if (xlsx_) {
      STIP_ASSIGN_OR_RETURN(file_, WriteXlsxExport(write));
    } else {
      file_ = std::tmpfile();
      if (file_ == nullptr) return absl::InternalError("cannot create a temporary file for the export");
      std::fputs("\xEF\xBB\xBF", file_);
      STIP_RETURN_IF_ERROR(write([&](std::string line) { std::fwrite(line.data(), 1, line.size(), file_); }));
    }
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
    FillChunk(&chunk_, std::move(buffer), download_, messages_++ == 0, xlsx_);
    this->StartWrite(&chunk_);
  }

  void Done(const absl::Status& status) { this->Finish(call_.End(status)); }

  StreamCall call_;
  const EnterpriseRegistry* registry_;
  CultivationStore* store_;
  std::FILE* file_ = nullptr;
  type::v1::DownloadFile download_;
  bool xlsx_ = false;
  int messages_ = 0;
  Chunk chunk_;
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
  ExportAsk ask{request->kind(), request->org_unit(), request->year(), false, false};
  return new ExportReactor<pb::CsvChunk>(runtime, context, "ExportCsv", registry, store, ask);
}

grpc::ServerWriteReactor<google::api::HttpBody>* NewDownloadReactor(const RpcRuntime* runtime,
                                                                    grpc::CallbackServerContext* context,
                                                                    const EnterpriseRegistry* registry,
                                                                    CultivationStore* store,
                                                                    const pb::DownloadCsvRequest* request) {
  ExportAsk ask{request->kind(), request->org_unit(), request->year(), request->template_(),
                request->format() == type::v1::XLSX};
  return new ExportReactor<google::api::HttpBody>(runtime, context, "DownloadCsv", registry, store, ask);
}

}  // namespace stip::cultivation
