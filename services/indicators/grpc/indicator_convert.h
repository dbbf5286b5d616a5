// Domain ↔ API messages of the indicators service: one place for every conversion the handlers need.
#ifndef STIP_SERVICES_INDICATORS_GRPC_INDICATOR_CONVERT_H_
#define STIP_SERVICES_INDICATORS_GRPC_INDICATOR_CONVERT_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "services/indicators/domain/plan_catalog.h"
#include "services/indicators/domain/progress_report.h"
#include "services/indicators/domain/value_reporting.h"
#include "stip/indicators/v1/indicators.pb.h"

namespace stip::indicators {

namespace pb = ::stip::indicators::v1;

void ToProto(const OrgUnitDef& unit, pb::OrgUnit* out);
void ToProto(const PlanDef& plan, pb::Plan* out);
void ToProto(const MeasureDef& measure, pb::Indicator* out);
void ToProto(const PlanDef& plan, const KeyTaskDef& task, const PlanCatalog& catalog, pb::KeyTask* out);
void ToProto(const StoredValue& value, pb::ReportedValue* out);
void ToProto(const std::string& value_name, const ValueRevisionRecord& record, pb::ValueRevision* out);
void ToProto(const PlanProgressView& view, pb::PlanProgress* out);
void ToProto(const AggregateView& view, pb::Aggregate* out);

pb::OrgUnitKind ToProto(OrgUnitKind kind);
ValueReport FromProto(const pb::ReportValueRequest& request);
ValueEdit FromProto(const pb::UpdateValueRequest& request);
// The states of a ListValues filter; INVALID_ARGUMENT for a value the API does not define.
absl::StatusOr<std::vector<ValueState>> StatesFromProto(const google::protobuf::RepeatedField<int>& states);

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_GRPC_INDICATOR_CONVERT_H_
