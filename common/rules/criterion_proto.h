// The rule engine's explanations as API messages (stip.type.v1), shared by cultivation and evaluation.
#ifndef STIP_COMMON_RULES_CRITERION_PROTO_H_
#define STIP_COMMON_RULES_CRITERION_PROTO_H_

#include "common/rules/rule_engine.h"
#include "stip/type/v1/criterion.pb.h"

namespace stip::rules {

stip::type::v1::Outcome ToProto(Outcome outcome);
stip::type::v1::SourceStatus ToProto(SourceStatus status);
void ToProto(const Figure& figure, stip::type::v1::Figure* out);
void ToProto(const CriterionResult& result, stip::type::v1::CriterionResult* out);

}  // namespace stip::rules

#endif  // STIP_COMMON_RULES_CRITERION_PROTO_H_
