// Happens-before across gRPC for ThreadSanitizer. Debian's gRPC is not built with TSan, so an object made on
// one of our threads and used in gRPC's callback on another looks unsynchronised to it. The gateway hands
// objects to gRPC in one place (backends.cc): it releases them there and acquires them in the callbacks.
// Without TSan these are no-ops.
#ifndef STIP_GATEWAY_TSAN_HANDOFF_H_
#define STIP_GATEWAY_TSAN_HANDOFF_H_

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace stip::gateway {

// Before `object` goes to gRPC.
inline void HandToGrpc([[maybe_unused]] void* object) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(object);
#endif
}

// In gRPC's callback, before `object` is used.
inline void TakeFromGrpc([[maybe_unused]] void* object) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(object);
#endif
}

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_TSAN_HANDOFF_H_
