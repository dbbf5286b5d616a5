// stipctl: small operator client. `health ADDR [SERVICE]`, `services ADDR` (via server reflection only),
// `token --secret_file F --role R [--org_unit U] [--subject S] [--ttl_hours H]`.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/auth.h"
#include "common/config.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/grpcpp.h"

ABSL_FLAG(std::string, secret_file, "", "HS256 secret file (token)");
ABSL_FLAG(std::string, role, "viewer", "admin | bureau | park | viewer (token)");
ABSL_FLAG(std::string, org_unit, "", "org unit code for bureau and park tokens (token)");
ABSL_FLAG(std::string, subject, "local-user", "subject (token)");
ABSL_FLAG(int, ttl_hours, 12, "validity in hours (token)");
ABSL_FLAG(int, timeout_ms, 2000, "deadline of health and reflection calls");

namespace {

std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(absl::GetFlag(FLAGS_timeout_ms)));
}

int Health(const std::string& address, const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(Connect(address));
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    std::cerr << "health check failed: " << status.error_code() << " " << status.error_message() << "\n";
    return 2;
  }
  std::cout << grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()) << "\n";
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING ? 0 : 1;
}

int Services(const std::string& address) {
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(Connect(address));
  grpc::ClientContext context;
  SetDeadline(context);
  auto stream = stub->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  stream->Write(request);
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  int count = 0;
  while (stream->Read(&response)) {
    for (const auto& service : response.list_services_response().service()) {
      std::cout << service.name() << "\n";
      ++count;
    }
  }
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    std::cerr << "reflection failed: " << status.error_code() << " " << status.error_message() << "\n";
    return 2;
  }
  return count > 0 ? 0 : 1;
}

int Token() {
  absl::StatusOr<std::string> secret = stip::ReadFile(absl::GetFlag(FLAGS_secret_file));
  if (!secret.ok()) {
    std::cerr << secret.status() << "\n";
    return 2;
  }
  std::optional<stip::Role> role = stip::ParseRole(absl::GetFlag(FLAGS_role));
  if (!role) {
    std::cerr << "unknown role: " << absl::GetFlag(FLAGS_role) << " (admin, bureau, park, viewer)\n";
    return 2;
  }
  if ((*role == stip::Role::kBureau || *role == stip::Role::kPark) && absl::GetFlag(FLAGS_org_unit).empty()) {
    std::cerr << "bureau and park tokens need --org-unit (e.g. kjj, huaming)\n";
    return 2;
  }
  stip::TokenClaims claims;
  claims.subject = absl::GetFlag(FLAGS_subject);
  claims.role = *role;
  claims.org_unit = absl::GetFlag(FLAGS_org_unit);
  claims.not_before = absl::Now() - absl::Minutes(1);
  claims.expires = absl::Now() + absl::Hours(absl::GetFlag(FLAGS_ttl_hours));
  absl::StatusOr<std::string> token = stip::MintHs256Token(claims, absl::StripTrailingAsciiWhitespace(*secret));
  if (!token.ok()) {
    std::cerr << token.status() << "\n";
    return 2;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("stipctl health ADDR [SERVICE] | services ADDR | token --secret_file F --role R");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  std::string command = args.size() > 1 ? args[1] : "";
  if (command == "health" && args.size() >= 3) return Health(args[2], args.size() > 3 ? args[3] : "");
  if (command == "services" && args.size() >= 3) return Services(args[2]);
  if (command == "token") return Token();
  std::cerr << "usage: stipctl health ADDR [SERVICE] | services ADDR | token --secret_file F --role R "
               "[--org_unit U] [--subject S] [--ttl_hours H]\n";
  return 2;
}
