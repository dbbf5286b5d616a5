#include "common/change_notifier.h"

#include <hiredis/hiredis.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/telemetry.h"

namespace stip {
namespace {

class NoopNotifier : public ChangeNotifier {
 public:
  void Publish(absl::string_view) override {}
};

class RedisNotifier : public ChangeNotifier {
 public:
  RedisNotifier(std::string host, int port) : host_(std::move(host)), port_(port), thread_([this] { Run(); }) {}
  ~RedisNotifier() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    if (context_ != nullptr) redisFree(context_);
  }

  void Publish(absl::string_view collection) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (queue_.size() >= 10000) queue_.pop_front();  // bounded: a dead Redis must not grow memory
      queue_.emplace_back(collection);
    }
    wake_.notify_one();
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      std::string collection = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      Send(collection);
      lock.lock();
    }
  }

  void Send(const std::string& collection) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (context_ == nullptr) {
        timeval timeout{0, 200000};
        context_ = redisConnectWithTimeout(host_.c_str(), port_, timeout);
        if (context_ == nullptr || context_->err) {
          if (context_ != nullptr) redisFree(context_);
          context_ = nullptr;
          return;  // dropped: see ChangeNotifier::Publish
        }
        redisSetTimeout(context_, timeout);
      }
      auto* reply = static_cast<redisReply*>(redisCommand(
          context_, "PUBLISH %s %b", std::string(kChangeChannel).c_str(), collection.data(), collection.size()));
      if (reply != nullptr) {
        freeReplyObject(reply);
        return;
      }
      redisFree(context_);
      context_ = nullptr;
    }
  }

  std::string host_;
  int port_;
  redisContext* context_ = nullptr;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<ChangeNotifier> MakeChangeNotifier(const std::string& address) {
  std::vector<std::string> parts = absl::StrSplit(address, ':');
  int port = 0;
  if (address.empty() || parts.size() != 2 || !absl::SimpleAtoi(parts[1], &port)) {
    if (!address.empty())
      LogJson("warning", "ignoring malformed redis address", "\"redis_addr\":" + JsonQuote(address));
    return std::make_unique<NoopNotifier>();
  }
  return std::make_unique<RedisNotifier>(parts[0], port);
}

}  // namespace stip
