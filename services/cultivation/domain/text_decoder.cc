#include "services/cultivation/domain/text_decoder.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace stip::cultivation {
namespace {

constexpr size_t kSniffBytes = 4096;  // enough non-ASCII text to tell UTF-8 from GB18030

// Whether `text` is UTF-8; a character cut off at its end counts as valid unless `at_end`.
bool ValidUtf8(absl::string_view text, bool at_end) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || (length == 2 && c < 0xC2)) return false;
    if (i + length > text.size()) return !at_end;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

absl::Status NotText(absl::string_view start) {
  if (absl::StartsWith(start, "PK\x03\x04")) {
    return absl::InvalidArgumentError(
        "这是 Excel 工作簿（.xlsx），不是 CSV 文件：请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后再导入");
  }
  if (absl::StartsWith(start, "\xD0\xCF\x11\xE0")) {
    return absl::InvalidArgumentError(
        "这是旧版 Excel 文件（.xls）：请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后再导入");
  }
  return absl::OkStatus();
}

}  // namespace

TextDecoder::~TextDecoder() {
  if (iconv_ != nullptr) iconv_close(static_cast<iconv_t>(iconv_));
}

const char* TextDecoder::encoding_name() const {
  switch (encoding_) {
    case Encoding::kGb18030: return "GB18030";
    case Encoding::kUtf16Le:
    case Encoding::kUtf16Be: return "UTF-16";
    default: return "UTF-8";
  }
}

absl::Status TextDecoder::Decide(bool at_end) {
  if (absl::StartsWith(pending_, "\xEF\xBB\xBF")) {
    encoding_ = Encoding::kUtf8;
    pending_.erase(0, 3);
  } else if (absl::StartsWith(pending_, "\xFF\xFE") || absl::StartsWith(pending_, "\xFE\xFF")) {
    encoding_ = pending_[0] == '\xFF' ? Encoding::kUtf16Le : Encoding::kUtf16Be;
    pending_.erase(0, 2);
  } else {
    // pending_ starts at the first byte that is not ASCII (the ASCII before it was passed on as it is).
    if (!at_end && pending_.size() < 64) return absl::OkStatus();
    absl::string_view sample = absl::string_view(pending_).substr(0, kSniffBytes);
    encoding_ = ValidUtf8(sample, at_end && sample.size() == pending_.size()) ? Encoding::kUtf8 : Encoding::kGb18030;
  }
  if (encoding_ == Encoding::kUtf8) return absl::OkStatus();
  const char* from = encoding_ == Encoding::kGb18030   ? "GB18030"
                     : encoding_ == Encoding::kUtf16Le ? "UTF-16LE"
                                                       : "UTF-16BE";
  iconv_t handle = iconv_open("UTF-8", from);
  if (reinterpret_cast<intptr_t>(handle) == -1) return absl::InternalError(absl::StrCat("iconv cannot read ", from));
  iconv_ = handle;
  return absl::OkStatus();
}

absl::StatusOr<std::string> TextDecoder::Convert(bool at_end) {
  if (encoding_ == Encoding::kUndecided) return std::string();
  if (encoding_ == Encoding::kUtf8) {
    if (!ValidUtf8(pending_, at_end)) {
      return absl::InvalidArgumentError("文件编码无法识别：请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后再导入");
    }
    size_t cut = pending_.size();
    if (!at_end) {  // keep a character split across chunks for the next one
      size_t lead = cut;
      while (lead > 0 && cut - lead < 4 && (static_cast<unsigned char>(pending_[lead - 1]) & 0xC0) == 0x80) --lead;
      if (lead > 0) {
        unsigned char c = static_cast<unsigned char>(pending_[lead - 1]);
        size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        if (lead - 1 + length > cut) cut = lead - 1;
      }
    }
    std::string out = pending_.substr(0, cut);
    pending_.erase(0, cut);
    return out;
  }
  std::string out;
  char* in = pending_.data();
  size_t in_left = pending_.size();
  while (in_left > 0) {
    char buffer[16384];
    char* out_ptr = buffer;
    size_t out_left = sizeof(buffer);
    size_t done = iconv(static_cast<iconv_t>(iconv_), &in, &in_left, &out_ptr, &out_left);
    out.append(buffer, sizeof(buffer) - out_left);
    if (done != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    if (errno == EINVAL && !at_end) break;  // a character split across chunks: keep its bytes
    return absl::InvalidArgumentError(absl::StrCat(
        "文件中有无法按 ", encoding_name(), " 解码的字节：请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后再导入"));
  }
  pending_.erase(0, pending_.size() - in_left);
  if (absl::StartsWith(out, "\xEF\xBB\xBF")) out.erase(0, 3);  // a UTF-16 file's BOM, converted
  return out;
}

absl::StatusOr<std::string> TextDecoder::Feed(absl::string_view bytes) {
  pending_.append(bytes.data(), bytes.size());
  if (!sniffed_) {
    if (pending_.size() < 4) return std::string();
    if (absl::Status not_text = NotText(pending_); !not_text.ok()) return not_text;
    sniffed_ = true;
  }
  std::string ascii;
  if (encoding_ == Encoding::kUndecided) {
    bool bom = absl::StartsWith(pending_, "\xEF\xBB\xBF") || absl::StartsWith(pending_, "\xFF\xFE") ||
               absl::StartsWith(pending_, "\xFE\xFF");
    if (!bom) {  // ASCII reads the same in every candidate: pass it on, decide on what follows
      size_t n = 0;
      while (n < pending_.size() && static_cast<unsigned char>(pending_[n]) < 0x80) ++n;
      ascii = pending_.substr(0, n);
      pending_.erase(0, n);
      if (pending_.empty()) return ascii;
    }
    if (absl::Status decided = Decide(false); !decided.ok()) return decided;
  }
  absl::StatusOr<std::string> rest = Convert(false);
  if (!rest.ok()) return rest.status();
  return ascii + *rest;
}

absl::StatusOr<std::string> TextDecoder::Finish() {
  if (!sniffed_) {
    if (absl::Status not_text = NotText(pending_); !not_text.ok()) return not_text;
    sniffed_ = true;
  }
  if (encoding_ == Encoding::kUndecided) {
    if (pending_.empty()) return std::string();
    if (absl::Status decided = Decide(true); !decided.ok()) return decided;
  }
  return Convert(true);
}

}  // namespace stip::cultivation
