// ExternalSources over gRPC: asks the cultivation and evaluation services for the counts they own.
#ifndef STIP_SERVICES_INDICATORS_SERVICE_SOURCES_H_
#define STIP_SERVICES_INDICATORS_SERVICE_SOURCES_H_

#include <map>
#include <memory>
#include <string>

#include "services/indicators/domain/external_sources.h"

namespace stip::indicators {

struct ServiceSourcesConfig {
  std::string cultivation_addr;  // empty = not deployed: Fetch answers NOT_FOUND, progress uses reports
  std::string evaluation_addr;
  // How this service proves itself to the others: an HS256 secret to mint short-lived viewer tokens, or a
  // pre-issued token (RS256 deployments), or nothing when auth is disabled.
  std::string hs256_secret;
  std::string service_token;
  int deadline_ms = 3000;
};

std::unique_ptr<ExternalSources> MakeServiceSources(ServiceSourcesConfig config);

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_SERVICE_SOURCES_H_
