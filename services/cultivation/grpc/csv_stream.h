// The streaming CSV calls: ImportCsv (client streaming, any size, rows keyed so parts re-import safely) and
// ExportCsv and DownloadCsv (server streaming in 64 KiB chunks; DownloadCsv as google.api.HttpBody). They run in the
// same RpcRuntime as the unary calls.
#ifndef STIP_SERVICES_CULTIVATION_GRPC_CSV_STREAM_H_
#define STIP_SERVICES_CULTIVATION_GRPC_CSV_STREAM_H_

#include "common/change_notifier.h"
#include "common/rpc.h"
#include "services/cultivation/domain/enterprise_registry.h"
#include "services/cultivation/store/cultivation_store.h"
#include "stip/cultivation/v1/cultivation.grpc.pb.h"

namespace stip::cultivation {

grpc::ServerReadReactor<::stip::cultivation::v1::ImportCsvRequest>* NewImportReactor(
    const RpcRuntime* runtime, grpc::CallbackServerContext* context, const EnterpriseRegistry* registry,
    CultivationStore* store, ChangeNotifier* notifier, ::stip::cultivation::v1::ImportCsvResponse* response);

grpc::ServerWriteReactor<::stip::cultivation::v1::CsvChunk>* NewExportReactor(
    const RpcRuntime* runtime, grpc::CallbackServerContext* context, const EnterpriseRegistry* registry,
    CultivationStore* store, const ::stip::cultivation::v1::ExportCsvRequest* request);

grpc::ServerWriteReactor<google::api::HttpBody>* NewDownloadReactor(
    const RpcRuntime* runtime, grpc::CallbackServerContext* context, const EnterpriseRegistry* registry,
    CultivationStore* store, const ::stip::cultivation::v1::DownloadCsvRequest* request);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_GRPC_CSV_STREAM_H_
