// What Excel on Chinese Windows saves, turned into UTF-8 as it streams in: "CSV UTF-8" (with its BOM), plain
// "CSV (逗号分隔)" in GBK/GB18030, and "Unicode 文本" in UTF-16 (with its BOM). The encoding is decided once, from
// the BOM or from the first bytes that are not ASCII (text that is not valid UTF-8 is GB18030, which GBK is a
// subset of); glibc's iconv converts. A file that is not text at all (an .xlsx is a ZIP) is refused with advice.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_TEXT_DECODER_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_TEXT_DECODER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip::cultivation {

class TextDecoder {
 public:
  enum class Encoding { kUndecided, kUtf8, kGb18030, kUtf16Le, kUtf16Be };

  TextDecoder() = default;
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  // The UTF-8 of the bytes so far (possibly empty while undecided or mid-character); a BOM is dropped.
  absl::StatusOr<std::string> Feed(absl::string_view bytes);
  // The rest, at the end of the file; a character cut off at the end is an error.
  absl::StatusOr<std::string> Finish();

  Encoding encoding() const { return encoding_; }
  // "UTF-8", "GB18030", "UTF-16": for the import summary.
  const char* encoding_name() const;

 private:
  absl::Status Decide(bool at_end);
  absl::StatusOr<std::string> Convert(bool at_end);

  Encoding encoding_ = Encoding::kUndecided;
  bool sniffed_ = false;   // the file's first bytes were checked for a ZIP or OLE container
  std::string pending_;    // bytes not yet converted
  void* iconv_ = nullptr;  // iconv_t, opened once the encoding is known (not UTF-8)
};

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_TEXT_DECODER_H_
