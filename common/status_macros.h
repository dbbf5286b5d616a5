// Early-return helpers for absl::Status / absl::StatusOr (Abseil 20220623 ships none).
#ifndef STIP_COMMON_STATUS_MACROS_H_
#define STIP_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define STIP_RETURN_IF_ERROR(expr)                                                   \
  do {                                                                               \
    if (absl::Status stip_status_ = (expr); !stip_status_.ok()) return stip_status_; \
  } while (0)

#define STIP_STATUS_CONCAT_INNER_(a, b) a##b
#define STIP_STATUS_CONCAT_(a, b) STIP_STATUS_CONCAT_INNER_(a, b)
#define STIP_ASSIGN_OR_RETURN(lhs, expr)                                                                      \
  auto STIP_STATUS_CONCAT_(stip_or_, __LINE__) = (expr);                                                      \
  if (!STIP_STATUS_CONCAT_(stip_or_, __LINE__).ok()) return STIP_STATUS_CONCAT_(stip_or_, __LINE__).status(); \
  lhs = std::move(*STIP_STATUS_CONCAT_(stip_or_, __LINE__))  // NOLINT(bugprone-macro-parentheses): lhs declares

#endif  // STIP_COMMON_STATUS_MACROS_H_
