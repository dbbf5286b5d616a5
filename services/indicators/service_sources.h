// ExternalSources over gRPC: asks the cultivation and evaluation services for the counts they own.
#ifndef STIP_SERVICES_INDICATORS_SERVICE_SOURCES_H_
#define STIP_SERVICES_INDICATORS_SERVICE_SOURCES_H_

#include <memory>
#include <string>

#include "services/indicators/external_sources.h"

namespace stip::indicators {

// Empty address = that service is not deployed: Fetch answers NOT_FOUND and progress uses approved reports.
std::unique_ptr<ExternalSources> MakeServiceSources(const std::string& cultivation_addr,
                                                    const std::string& evaluation_addr);

}  // namespace stip::indicators

#endif  // STIP_SERVICES_INDICATORS_SERVICE_SOURCES_H_
