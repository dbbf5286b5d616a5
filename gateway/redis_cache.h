// The gateway's Redis: cache GET/SET and the change-notice subscription, on hiredis's async API driven by Asio
// (a strand of the HTTP io_context, or a dedicated thread), so no HTTP or gRPC thread ever waits on Redis.
// Sharing the HTTP io_context saves two thread hand-offs per cache lookup.
//
// Failure handling (Redis optional for correctness):
//  - every command has a short timeout; a timeout or error counts as a failure and the caller gets kError
//    (the gateway then serves without the cache: BYPASS);
//  - `failure_threshold` consecutive failures open the circuit: the connection is dropped, usable() turns
//    false at once, and reconnection is retried with backoff; a PING must answer before it closes again;
//  - the subscriber connection follows "stip:changes" and a private heartbeat channel: if a heartbeat does
//    not come back within `heartbeat_grace`, the subscription is presumed broken and is rebuilt;
//  - every (re)subscription bumps every generation (notices may have been missed) before usable() is true.
#ifndef STIP_GATEWAY_REDIS_CACHE_H_
#define STIP_GATEWAY_REDIS_CACHE_H_

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "gateway/generations.h"

struct redisAsyncContext;

namespace stip::gateway {

class RedisCache {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 6379;
    absl::Duration command_timeout = absl::Milliseconds(25);
    absl::Duration connect_timeout = absl::Milliseconds(250);
    int failure_threshold = 3;
    absl::Duration min_backoff = absl::Milliseconds(100);
    absl::Duration max_backoff = absl::Seconds(2);
    absl::Duration heartbeat_interval = absl::Milliseconds(250);
    absl::Duration heartbeat_grace = absl::Milliseconds(1000);
    std::string change_channel = "stip:changes";
  };
  enum class Outcome { kHit, kMiss, kError };
  struct Events {
    std::function<void(bool up)> on_state;              // usable() changed
    std::function<void()> on_error;                     // a command failed or timed out
    std::function<void(const std::string&)> on_notice;  // a change notice arrived (after the bump)
    std::function<void()> on_subscribed;                // (re)subscribed; every generation was bumped
  };
  using GetCallback = std::function<void(Outcome, std::string value)>;

  // With `io`, runs on a strand of that io_context (its threads must be running while the cache is used, and it
  // must outlive this object); without, on a thread of its own.
  RedisCache(Options options, Generations* generations, Events events, boost::asio::io_context* io = nullptr);
  ~RedisCache();
  RedisCache(const RedisCache&) = delete;
  RedisCache& operator=(const RedisCache&) = delete;

  void Start();
  void Stop();

  // Both connections are up, subscribed and not in the open circuit.
  bool usable() const {
    return command_ready_.load(std::memory_order_acquire) && subscriber_ready_.load(std::memory_order_acquire);
  }

  // `done` runs on the Redis thread; keep it short (post elsewhere for real work).
  void Get(std::string key, GetCallback done);
  void Set(std::string key, std::string value, int ttl_seconds);
  void Publish(std::string channel, std::string message);
  // Tells the other gateway replicas that `collection` changed. The notice carries this instance's id, so its
  // own echo is ignored: the caller has already bumped locally, and a second bump would orphan entries cached
  // between the two.
  void PublishChange(absl::string_view collection);

  struct Connection;
  struct Pending;

 private:
  void Connect(Connection* connection);
  void OnConnected(Connection* connection, bool ok);
  void OnDisconnected(Connection* connection);
  void Drop(Connection* connection, const char* why);
  void ScheduleReconnect(Connection* connection);
  void Issue(int argc, const char** argv, const size_t* lengths, std::unique_ptr<Pending> pending);
  void OnReply(Pending* pending, void* reply);
  void OnSubscriberMessage(void* reply);
  void Sweep();
  void ArmSweep();
  void Heartbeat();
  void CommandFailed(const char* why);
  void SetCommandReady(bool ready);
  void SetSubscriberReady(bool ready);

  static void ConnectCallback(const redisAsyncContext* context, int status);
  static void DisconnectCallback(const redisAsyncContext* context, int status);
  static void ReplyCallback(redisAsyncContext* context, void* reply, void* privdata);
  static void SubscribeCallback(redisAsyncContext* context, void* reply, void* privdata);

  Options options_;
  Generations* generations_;
  Events events_;
  std::string instance_;  // random per process: names the heartbeat channel and signs change notices
  std::string heartbeat_channel_;
  boost::asio::io_context own_io_;
  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  bool external_io_;
  std::unique_ptr<Connection> command_;
  std::unique_ptr<Connection> subscriber_;
  std::deque<std::unique_ptr<Pending>> pending_;
  boost::asio::steady_timer sweep_timer_;
  bool sweep_armed_ = false;
  boost::asio::steady_timer heartbeat_timer_;
  absl::Time last_heartbeat_ = absl::InfinitePast();
  int consecutive_failures_ = 0;
  int subscriptions_confirmed_ = 0;
  std::atomic<bool> command_ready_{false};
  std::atomic<bool> subscriber_ready_{false};
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  bool last_usable_ = false;
  std::thread thread_;
};

}  // namespace stip::gateway

#endif  // STIP_GATEWAY_REDIS_CACHE_H_
