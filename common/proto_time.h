// absl::Time as google.protobuf.Timestamp, for the adapters of every service.
#ifndef STIP_COMMON_PROTO_TIME_H_
#define STIP_COMMON_PROTO_TIME_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace stip {

inline google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  timestamp.set_nanos(static_cast<int>(absl::ToUnixNanos(time) % 1000000000));
  return timestamp;
}

}  // namespace stip

#endif  // STIP_COMMON_PROTO_TIME_H_
