#include "gateway/hiredis_asio.h"

#include <hiredis/async.h>

#include <memory>
#include <utility>

#include "boost/asio/bind_executor.hpp"
#include "boost/asio/posix/stream_descriptor.hpp"

namespace stip::gateway {
namespace {

struct Adapter {
  Adapter(boost::asio::io_context& io, HiredisStrand strand, redisAsyncContext* context)
      : descriptor(io), strand(std::move(strand)), context(context) {}
  boost::asio::posix::stream_descriptor descriptor;
  HiredisStrand strand;
  redisAsyncContext* context;
  bool want_read = false, want_write = false, reading = false, writing = false, dead = false;
};
using AdapterPtr = std::shared_ptr<Adapter>;

void ArmRead(const AdapterPtr& adapter) {
  if (adapter->reading || adapter->dead || !adapter->want_read) return;
  adapter->reading = true;
  adapter->descriptor.async_wait(
      boost::asio::posix::stream_descriptor::wait_read,
      boost::asio::bind_executor(adapter->strand, [adapter](const boost::system::error_code& error) {
        adapter->reading = false;
        if (error || adapter->dead) return;
        if (adapter->want_read) redisAsyncHandleRead(adapter->context);
        ArmRead(adapter);
      }));
}

void ArmWrite(const AdapterPtr& adapter) {
  if (adapter->writing || adapter->dead || !adapter->want_write) return;
  adapter->writing = true;
  adapter->descriptor.async_wait(
      boost::asio::posix::stream_descriptor::wait_write,
      boost::asio::bind_executor(adapter->strand, [adapter](const boost::system::error_code& error) {
        adapter->writing = false;
        if (error || adapter->dead) return;
        if (adapter->want_write) redisAsyncHandleWrite(adapter->context);
        ArmWrite(adapter);
      }));
}

AdapterPtr& AdapterOf(void* data) {
  return *static_cast<AdapterPtr*>(data);
}

void AddRead(void* data) {
  AdapterOf(data)->want_read = true;
  ArmRead(AdapterOf(data));
}
void DelRead(void* data) {
  AdapterOf(data)->want_read = false;
}
void AddWrite(void* data) {
  AdapterOf(data)->want_write = true;
  ArmWrite(AdapterOf(data));
}
void DelWrite(void* data) {
  AdapterOf(data)->want_write = false;
}
void Cleanup(void* data) {
  auto* holder = static_cast<AdapterPtr*>(data);
  (*holder)->dead = true;
  (*holder)->want_read = (*holder)->want_write = false;
  (*holder)->descriptor.release();  // hiredis closes the fd itself
  delete holder;
}

}  // namespace

void AttachToAsio(boost::asio::io_context& io, const HiredisStrand& strand, redisAsyncContext* context) {
  auto adapter = std::make_shared<Adapter>(io, strand, context);
  adapter->descriptor.assign(context->c.fd);
  context->ev.data = new AdapterPtr(adapter);
  context->ev.addRead = AddRead;
  context->ev.delRead = DelRead;
  context->ev.addWrite = AddWrite;
  context->ev.delWrite = DelWrite;
  context->ev.cleanup = Cleanup;
}

}  // namespace stip::gateway
