#include "common/rules/criterion_proto.h"

#include "common/enum_table.h"

namespace stip::rules {
namespace {

namespace type = ::stip::type::v1;

constexpr auto kOutcomes =
    MakeEnumTable<Outcome, type::Outcome>({{Outcome::kPass, type::PASS},
                                           {Outcome::kFail, type::FAIL},
                                           {Outcome::kNotApplicable, type::NOT_APPLICABLE},
                                           {Outcome::kMissingData, type::MISSING_DATA},
                                           {Outcome::kDependsOnExperts, type::DEPENDS_ON_EXPERT_SCORING},
                                           {Outcome::kUnknown, type::UNKNOWN}});
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

void ToProto(const Figure& f, type::Figure* out) {
  out->set_metric(f.metric);
  out->set_label(f.label);
  out->set_text(f.text);
  if (!f.value) return;
  out->set_low(f.value->low.ToDouble());
  out->set_high(f.value->high.ToDouble());
  out->set_exact_low(f.value->low.ToString());
  out->set_exact_high(f.value->high.ToString());
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
  if (r.actual_number) {
    // actual_value stays the low end for clients of the first edition; an exact value has low == high.
    out->set_actual_value(r.actual_number->low.ToDouble());
    out->set_actual_low(r.actual_number->low.ToDouble());
    out->set_actual_high(r.actual_number->high.ToDouble());
    out->set_actual_exact_low(r.actual_number->low.ToString());
    out->set_actual_exact_high(r.actual_number->high.ToString());
  }
  if (r.threshold_number) {
    out->set_threshold_value(r.threshold_number->ToDouble());
    out->set_threshold_exact(r.threshold_number->ToString());
  }
  out->set_shortfall(r.shortfall.ToDouble());
  out->set_margin(r.margin);
  for (const Figure& figure : r.figures) ToProto(figure, out->add_figures());
}

}  // namespace stip::rules
