#include "gateway/redis_cache.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <chrono>
#include <future>
#include <random>

#include "absl/strings/str_cat.h"
#include "boost/asio/bind_executor.hpp"
#include "boost/asio/post.hpp"
#include "common/telemetry.h"
#include "gateway/hiredis_asio.h"

namespace stip::gateway {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::nanoseconds ToChrono(absl::Duration duration) {
  return absl::ToChronoNanoseconds(duration);
}

std::string RandomHex() {
  std::random_device device;
  return absl::StrCat(absl::Hex(device()), absl::Hex(device()));
}

}  // namespace

struct RedisCache::Connection {
  Connection(RedisCache* owner, bool subscriber, boost::asio::io_context& io)
      : owner(owner), subscriber(subscriber), connect_timer(io), reconnect_timer(io) {}
  RedisCache* owner;
  bool subscriber;
  redisAsyncContext* context = nullptr;
  bool ready = false;
  bool reconnect_pending = false;
  uint64_t attempt = 0;
  absl::Duration backoff;
  boost::asio::steady_timer connect_timer;
  boost::asio::steady_timer reconnect_timer;
};

struct RedisCache::Pending {
  GetCallback done;
  Clock::time_point deadline;
  bool completed = false;
  bool probe = false;
};

RedisCache::RedisCache(Options options, Generations* generations, Events events, boost::asio::io_context* io)
    : options_(std::move(options)),
      generations_(generations),
      events_(std::move(events)),
      instance_(RandomHex()),
      heartbeat_channel_(absl::StrCat("stip:gateway-heartbeat:", instance_)),
      io_(io != nullptr ? *io : own_io_),
      strand_(boost::asio::make_strand(io_)),
      external_io_(io != nullptr),
      command_(std::make_unique<Connection>(this, false, io_)),
      subscriber_(std::make_unique<Connection>(this, true, io_)),
      sweep_timer_(io_),
      heartbeat_timer_(io_) {
  command_->backoff = subscriber_->backoff = options_.min_backoff;
}

RedisCache::~RedisCache() {
  Stop();
}

void RedisCache::Start() {
  started_ = true;
  boost::asio::post(strand_, [this] {
    Connect(command_.get());
    Connect(subscriber_.get());
    Heartbeat();
  });
  if (!external_io_) {
    thread_ = std::thread([this] {
      auto guard = boost::asio::make_work_guard(io_);
      io_.run();
    });
  }
}

void RedisCache::Stop() {
  if (!started_ || stopping_.exchange(true)) return;
  std::promise<void> stopped;
  boost::asio::post(strand_, [this, &stopped] {
    Drop(command_.get(), "stopping");
    Drop(subscriber_.get(), "stopping");
    sweep_timer_.cancel();
    heartbeat_timer_.cancel();
    command_->connect_timer.cancel();
    command_->reconnect_timer.cancel();
    subscriber_->connect_timer.cancel();
    subscriber_->reconnect_timer.cancel();
    stopped.set_value();
  });
  // With a shared io_context that is no longer running, there is nothing left to clean up in time.
  stopped.get_future().wait_for(std::chrono::seconds(2));
  if (!external_io_) {
    io_.stop();
    thread_.join();
  }
}

void RedisCache::Connect(Connection* connection) {
  if (stopping_) return;
  ++connection->attempt;
  connection->ready = false;
  redisAsyncContext* context = redisAsyncConnect(options_.host.c_str(), options_.port);
  if (context == nullptr || context->err) {
    if (context != nullptr) redisAsyncFree(context);
    ScheduleReconnect(connection);
    return;
  }
  context->data = connection;
  AttachToAsio(io_, strand_, context);
  redisAsyncSetConnectCallback(context, ConnectCallback);
  redisAsyncSetDisconnectCallback(context, DisconnectCallback);
  connection->context = context;
  uint64_t attempt = connection->attempt;
  connection->connect_timer.expires_after(ToChrono(options_.connect_timeout));
  connection->connect_timer.async_wait(
      boost::asio::bind_executor(strand_, [this, connection, attempt](const boost::system::error_code& error) {
        if (error || connection->attempt != attempt || connection->ready) return;
        Drop(connection, "connect timeout");
      }));
  if (connection->subscriber) {
    subscriptions_confirmed_ = 0;
    redisAsyncCommand(context, SubscribeCallback, this, "SUBSCRIBE %b %b", options_.change_channel.data(),
                      options_.change_channel.size(), heartbeat_channel_.data(), heartbeat_channel_.size());
  } else {
    // The probe: the circuit closes only when Redis answers.
    auto pending = std::make_unique<Pending>();
    pending->probe = true;
    pending->deadline = Clock::now() + ToChrono(options_.connect_timeout);
    const char* argv[] = {"PING"};
    size_t lengths[] = {4};
    Issue(1, argv, lengths, std::move(pending));
  }
}

void RedisCache::ConnectCallback(const redisAsyncContext* context, int status) {
  auto* connection = static_cast<Connection*>(context->data);
  if (status != REDIS_OK && connection->context == context) {
    connection->context = nullptr;  // hiredis frees it after this callback
    connection->owner->ScheduleReconnect(connection);
  }
}

void RedisCache::DisconnectCallback(const redisAsyncContext* context, int status) {
  auto* connection = static_cast<Connection*>(context->data);
  if (connection->context != context) return;  // we dropped it ourselves
  connection->context = nullptr;
  connection->owner->OnDisconnected(connection);
}

void RedisCache::OnDisconnected(Connection* connection) {
  connection->ready = false;
  if (connection->subscriber) {
    SetSubscriberReady(false);
  } else {
    SetCommandReady(false);
    Drop(subscriber_.get(), "command connection lost");  // notices may be lost with it: resubscribe
  }
  if (!stopping_) LogJson("warning", "redis connection lost", absl::StrCat("\"subscriber\":", connection->subscriber));
  ScheduleReconnect(connection);
}

void RedisCache::Drop(Connection* connection, const char* why) {
  connection->ready = false;
  if (connection->subscriber) {
    SetSubscriberReady(false);
  } else {
    SetCommandReady(false);
  }
  if (connection->context != nullptr) {
    redisAsyncContext* context = connection->context;
    connection->context = nullptr;
    if (!stopping_) {
      LogJson("warning", "dropping redis connection",
              absl::StrCat("\"why\":", JsonQuote(why), ",\"subscriber\":", connection->subscriber));
    }
    redisAsyncFree(context);  // pending callbacks run with a null reply
  }
  if (!connection->subscriber && subscriber_->context != nullptr) Drop(subscriber_.get(), why);
  ScheduleReconnect(connection);
}

void RedisCache::ScheduleReconnect(Connection* connection) {
  if (stopping_ || connection->reconnect_pending) return;
  connection->reconnect_pending = true;
  connection->reconnect_timer.expires_after(ToChrono(connection->backoff));
  connection->backoff = std::min(connection->backoff * 2, options_.max_backoff);
  connection->reconnect_timer.async_wait(
      boost::asio::bind_executor(strand_, [this, connection](const boost::system::error_code& error) {
        connection->reconnect_pending = false;
        if (error || stopping_ || connection->context != nullptr) return;
        Connect(connection);
      }));
}

void RedisCache::SetCommandReady(bool ready) {
  command_ready_.store(ready, std::memory_order_release);
  bool now = usable();
  if (now != last_usable_) {
    last_usable_ = now;
    if (events_.on_state) events_.on_state(now);
  }
}

void RedisCache::SetSubscriberReady(bool ready) {
  subscriber_ready_.store(ready, std::memory_order_release);
  bool now = usable();
  if (now != last_usable_) {
    last_usable_ = now;
    if (events_.on_state) events_.on_state(now);
  }
}

void RedisCache::Issue(int argc, const char** argv, const size_t* lengths, std::unique_ptr<Pending> pending) {
  if (command_->context == nullptr) {
    if (pending->done) pending->done(Outcome::kError, "");
    return;
  }
  Pending* raw = pending.get();
  pending_.push_back(std::move(pending));
  if (redisAsyncCommandArgv(command_->context, ReplyCallback, raw, argc, argv, lengths) != REDIS_OK) {
    std::unique_ptr<Pending> failed = std::move(pending_.back());
    pending_.pop_back();
    if (failed->done) failed->done(Outcome::kError, "");
    CommandFailed("cannot queue command");
    return;
  }
  ArmSweep();
}

void RedisCache::ReplyCallback(redisAsyncContext* context, void* reply, void* privdata) {
  auto* connection = static_cast<Connection*>(context->data);
  connection->owner->OnReply(static_cast<Pending*>(privdata), reply);
}

void RedisCache::OnReply(Pending* raw, void* reply_data) {
  std::unique_ptr<Pending> pending;
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (it->get() == raw) {
      pending = std::move(*it);
      pending_.erase(it);
      break;
    }
  }
  if (!pending || pending->completed) return;
  pending->completed = true;
  auto* reply = static_cast<redisReply*>(reply_data);
  if (reply == nullptr) {  // the connection is going away
    if (pending->done) pending->done(Outcome::kError, "");
    return;
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    if (pending->done) pending->done(Outcome::kError, "");
    if (pending->probe) {
      Drop(command_.get(), "probe failed");
    } else {
      CommandFailed(reply->str);
    }
    return;
  }
  consecutive_failures_ = 0;
  if (pending->probe) {
    command_->ready = true;
    command_->backoff = options_.min_backoff;
    last_heartbeat_ = absl::Now();
    SetCommandReady(true);
    LogJson("info", "redis command connection ready",
            absl::StrCat("\"redis\":", JsonQuote(absl::StrCat(options_.host, ":", options_.port))));
    return;
  }
  if (!pending->done) return;
  if (reply->type == REDIS_REPLY_STRING) {
    pending->done(Outcome::kHit, std::string(reply->str, reply->len));
  } else {
    pending->done(Outcome::kMiss, "");
  }
}

void RedisCache::CommandFailed(const char* why) {
  if (events_.on_error) events_.on_error();
  if (++consecutive_failures_ >= options_.failure_threshold) {
    consecutive_failures_ = 0;
    Drop(command_.get(), why);  // the circuit opens: usable() is false until a probe answers
  }
}

void RedisCache::ArmSweep() {
  if (sweep_armed_ || pending_.empty()) return;
  sweep_armed_ = true;
  sweep_timer_.expires_after(std::chrono::milliseconds(5));
  sweep_timer_.async_wait(boost::asio::bind_executor(strand_, [this](const boost::system::error_code& error) {
    sweep_armed_ = false;
    if (error) return;
    Sweep();
    ArmSweep();
  }));
}

void RedisCache::Sweep() {
  Clock::time_point now = Clock::now();
  std::vector<GetCallback> expired;
  int failures = 0;
  bool probe_expired = false;
  for (auto& pending : pending_) {
    if (pending->completed) continue;
    if (pending->deadline > now) break;
    pending->completed = true;
    if (pending->done) expired.push_back(std::move(pending->done));
    if (pending->probe) {
      probe_expired = true;
    } else {
      ++failures;
    }
  }
  for (auto& done : expired) done(Outcome::kError, "");
  if (probe_expired) {
    Drop(command_.get(), "probe timed out");
    return;
  }
  for (int i = 0; i < failures && command_->context != nullptr; ++i) CommandFailed("command timed out");
}

void RedisCache::Heartbeat() {
  if (stopping_) return;
  if (command_ready_ && command_->context != nullptr) {
    if (subscriber_ready_ && absl::Now() - last_heartbeat_ > options_.heartbeat_grace) {
      Drop(subscriber_.get(), "heartbeat lost");
    }
    Publish(heartbeat_channel_, "1");
  }
  heartbeat_timer_.expires_after(ToChrono(options_.heartbeat_interval));
  heartbeat_timer_.async_wait(boost::asio::bind_executor(strand_, [this](const boost::system::error_code& error) {
    if (!error) Heartbeat();
  }));
}

void RedisCache::SubscribeCallback(redisAsyncContext* context, void* reply, void* privdata) {
  auto* connection = static_cast<Connection*>(context->data);
  if (connection->context != context) return;
  static_cast<RedisCache*>(privdata)->OnSubscriberMessage(reply);
}

void RedisCache::OnSubscriberMessage(void* reply_data) {
  auto* reply = static_cast<redisReply*>(reply_data);
  if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return;
  std::string_view kind(reply->element[0]->str, reply->element[0]->len);
  std::string_view channel(reply->element[1]->str, reply->element[1]->len);
  if (kind == "subscribe") {
    if (++subscriptions_confirmed_ == 2) {
      generations_->BumpAll();  // notices may have been missed while we were not subscribed
      subscriber_->ready = true;
      subscriber_->backoff = options_.min_backoff;
      last_heartbeat_ = absl::Now();
      SetSubscriberReady(true);
      if (events_.on_subscribed) events_.on_subscribed();
      LogJson("info", "redis change subscription ready",
              absl::StrCat("\"channel\":", JsonQuote(options_.change_channel)));
    }
  } else if (kind == "message" && reply->element[2]->type == REDIS_REPLY_STRING) {
    std::string payload(reply->element[2]->str, reply->element[2]->len);
    if (channel == heartbeat_channel_) {
      last_heartbeat_ = absl::Now();
    } else if (channel == options_.change_channel) {
      // "collection" from a service, "collection@instance" from a gateway replica.
      absl::string_view collection = payload;
      size_t at = collection.find('@');
      if (at != absl::string_view::npos) {
        if (collection.substr(at + 1) == instance_) return;  // our own notice, already applied
        collection = collection.substr(0, at);
      }
      generations_->Bump(collection);
      if (events_.on_notice) events_.on_notice(payload);
    }
  }
}

void RedisCache::Get(std::string key, GetCallback done) {
  boost::asio::post(strand_, [this, key = std::move(key), done = std::move(done)]() mutable {
    if (!command_ready_) {
      done(Outcome::kError, "");
      return;
    }
    auto pending = std::make_unique<Pending>();
    pending->done = std::move(done);
    pending->deadline = Clock::now() + ToChrono(options_.command_timeout);
    const char* argv[] = {"GET", key.data()};
    size_t lengths[] = {3, key.size()};
    Issue(2, argv, lengths, std::move(pending));
  });
}

void RedisCache::Set(std::string key, std::string value, int ttl_seconds) {
  boost::asio::post(strand_, [this, key = std::move(key), value = std::move(value), ttl_seconds] {
    if (!command_ready_) return;
    auto pending = std::make_unique<Pending>();
    pending->deadline = Clock::now() + ToChrono(options_.command_timeout);
    std::string ttl = std::to_string(std::max(1, ttl_seconds));
    const char* argv[] = {"SET", key.data(), value.data(), "EX", ttl.data()};
    size_t lengths[] = {3, key.size(), value.size(), 2, ttl.size()};
    Issue(5, argv, lengths, std::move(pending));
  });
}

void RedisCache::PublishChange(absl::string_view collection) {
  Publish(options_.change_channel, absl::StrCat(collection, "@", instance_));
}

void RedisCache::Publish(std::string channel, std::string message) {
  auto issue = [this, channel = std::move(channel), message = std::move(message)] {
    if (command_->context == nullptr) return;
    auto pending = std::make_unique<Pending>();
    pending->deadline = Clock::now() + ToChrono(options_.command_timeout);
    const char* argv[] = {"PUBLISH", channel.data(), message.data()};
    size_t lengths[] = {7, channel.size(), message.size()};
    Issue(3, argv, lengths, std::move(pending));
  };
  if (strand_.running_in_this_thread()) {
    issue();
  } else {
    boost::asio::post(strand_, std::move(issue));
  }
}

}  // namespace stip::gateway
