// Drives a hiredis async context from an Asio io_context: hiredis 0.14 (Debian 12) ships adapters for libev,
// libevent and others but none for Asio, so its five event hooks are written here on a stream_descriptor.
#pragma once

#include "boost/asio/io_context.hpp"
#include "boost/asio/strand.hpp"

struct redisAsyncContext;

namespace stip::gateway {

using HiredisStrand = boost::asio::strand<boost::asio::io_context::executor_type>;

// Registers `context`'s read/write hooks; every hiredis callback then runs on `strand`. hiredis owns the fd and
// calls the cleanup hook when the context is freed.
void AttachToAsio(boost::asio::io_context& io, const HiredisStrand& strand, redisAsyncContext* context);

}  // namespace stip::gateway
