// gMock matchers for the API messages the tests look into: a criterion of an explanation by id, with what it
// should hold, instead of hand-rolled searches with "saw_x" flags.
#ifndef STIP_TESTS_SUPPORT_MATCHERS_H_
#define STIP_TESTS_SUPPORT_MATCHERS_H_

#include <string>

#include "gmock/gmock.h"
#include "stip/type/v1/criterion.pb.h"

namespace stip::testing {

// A repeated criterion field contains the criterion `id` and it matches `matcher`.
template <typename Matcher>
auto HasCriterion(const std::string& id, Matcher matcher) {
  return ::testing::Contains(
      ::testing::AllOf(::testing::Property("id", &stip::type::v1::CriterionResult::id, id), matcher));
}

// The criterion's outcome.
inline auto Outcome(stip::type::v1::Outcome outcome) {
  return ::testing::Property("outcome", &stip::type::v1::CriterionResult::outcome, outcome);
}

}  // namespace stip::testing

#endif  // STIP_TESTS_SUPPORT_MATCHERS_H_
