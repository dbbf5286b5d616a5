#include "common/rules/criterion_proto.h"

#include "common/enum_table.h"

namespace stip::rules {
namespace {

namespace type = ::stip::type::v1;

constexpr auto kOutcomes = MakeEnumTable<Outcome, type::Outcome>({{Outcome::kPass, type::PASS},
                                                                  {Outcome::kFail, type::FAIL},
                                                                  {Outcome::kNotApplicable, type::NOT_APPLICABLE},
                                                                  {Outcome::kMissingData, type::MISSING_DATA}});
static_assert(kOutcomes.Bijective());

constexpr auto kStatuses =
    MakeEnumTable<SourceStatus, type::SourceStatus>({{SourceStatus::kVerified, type::VERIFIED},
                                                     {SourceStatus::kPartial, type::PARTIALLY_VERIFIED},
                                                     {SourceStatus::kRecalled, type::RECALLED},
                                                     {SourceStatus::kInferred, type::INFERRED},
                                                     {SourceStatus::kMissing, type::MISSING}});
static_assert(kStatuses.Bijective());

}  // namespace

type::Outcome ToProto(Outcome outcome) {
  return kOutcomes.ToWire(outcome, type::OUTCOME_UNSPECIFIED);
}

type::SourceStatus ToProto(SourceStatus status) {
  return kStatuses.ToWire(status, type::SOURCE_STATUS_UNSPECIFIED);
}

void ToProto(const CriterionResult& r, type::CriterionResult* out) {
  out->set_id(r.id);
  out->set_description(r.description);
  out->set_actual(r.actual);
  out->set_threshold(r.threshold);
  out->set_outcome(ToProto(r.outcome));
  out->set_provisional(r.provisional);
  out->set_source_status(ToProto(r.status));
  out->set_source(r.source);
  if (r.actual_value) out->set_actual_value(*r.actual_value);
  if (r.threshold_value) out->set_threshold_value(*r.threshold_value);
  out->set_shortfall(r.shortfall);
}

}  // namespace stip::rules
