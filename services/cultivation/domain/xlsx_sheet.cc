#include "services/cultivation/domain/xlsx_sheet.h"

#include <expat.h>
#include <zip.h>

#include <map>
#include <memory>
#include <optional>
#include <set>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace stip::cultivation {
namespace {

constexpr char kAdvice[] = "请确认文件是 Excel 工作簿（.xlsx），或另存为“CSV UTF-8（逗号分隔）”后再导入";

using Attributes = std::map<std::string, std::string>;

// A SAX pass over one XML document: `start(name, attributes)`, `text(chars)`, `end(name)`.
struct XmlHandlers {
  std::function<void(const std::string&, const Attributes&)> start;
  std::function<void(absl::string_view)> text;
  std::function<void(const std::string&)> end;
};

// The local name: "x:row" → "row" (namespaces are not resolved; OOXML's are fixed).
std::string Local(const char* name) {
  absl::string_view view(name);
  size_t colon = view.rfind(':');
  return std::string(colon == absl::string_view::npos ? view : view.substr(colon + 1));
}

absl::Status ParseXml(absl::string_view xml, XmlHandlers* handlers) {
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"), XML_ParserFree);
  XML_SetUserData(parser.get(), handlers);
  XML_SetElementHandler(
      parser.get(),
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        auto* h = static_cast<XmlHandlers*>(data);
        if (!h->start) return;
        Attributes map;
        for (int i = 0; attributes[i] != nullptr; i += 2) map[Local(attributes[i])] = attributes[i + 1];
        h->start(Local(name), map);
      },
      [](void* data, const XML_Char* name) {
        auto* h = static_cast<XmlHandlers*>(data);
        if (h->end) h->end(Local(name));
      });
  XML_SetCharacterDataHandler(parser.get(), [](void* data, const XML_Char* chars, int length) {
    auto* h = static_cast<XmlHandlers*>(data);
    if (h->text) h->text(absl::string_view(chars, static_cast<size_t>(length)));
  });
  if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_ERROR) {
    return absl::InvalidArgumentError(
        absl::StrCat("工作簿内容损坏（XML 第 ", XML_GetCurrentLineNumber(parser.get()), " 行）：", kAdvice));
  }
  return absl::OkStatus();
}

class Workbook {
 public:
  absl::Status Open(absl::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source != nullptr) archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive_ == nullptr) {
      if (source != nullptr) zip_source_free(source);
      zip_error_fini(&error);
      return absl::InvalidArgumentError(absl::StrCat("无法打开工作簿：", kAdvice));
    }
    zip_error_fini(&error);
    return absl::OkStatus();
  }
  ~Workbook() {
    if (archive_ != nullptr) zip_discard(archive_);
  }
  // The entry's bytes; nullopt when the workbook has no such part.
  std::optional<std::string> Read(const std::string& name) {
    zip_stat_t stat;
    if (zip_stat(archive_, name.c_str(), 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0) return std::nullopt;
    zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
    if (file == nullptr) return std::nullopt;
    std::string out(stat.size, '\0');
    zip_int64_t read = zip_fread(file, out.data(), stat.size);
    zip_fclose(file);
    if (read < 0 || static_cast<zip_uint64_t>(read) != stat.size) return std::nullopt;
    return out;
  }

 private:
  zip_t* archive_ = nullptr;
};

// The sheet's part name ("xl/worksheets/sheet1.xml") and the 1904 date system flag, from the workbook.
absl::StatusOr<std::pair<std::string, bool>> FindSheet(Workbook* book, const std::string& wanted) {
  std::optional<std::string> workbook = book->Read("xl/workbook.xml");
  std::optional<std::string> rels = book->Read("xl/_rels/workbook.xml.rels");
  if (!workbook || !rels) return absl::InvalidArgumentError(absl::StrCat("不是 Excel 工作簿：", kAdvice));
  std::vector<std::pair<std::string, std::string>> sheets;  // (name, relationship id)
  bool date1904 = false;
  XmlHandlers handlers;
  handlers.start = [&](const std::string& name, const Attributes& a) {
    if (name == "sheet" && a.count("name") > 0 && a.count("id") > 0) sheets.emplace_back(a.at("name"), a.at("id"));
    if (name == "workbookPr" && a.count("date1904") > 0)
      date1904 = a.at("date1904") == "1" || a.at("date1904") == "true";
  };
  if (absl::Status parsed = ParseXml(*workbook, &handlers); !parsed.ok()) return parsed;
  std::map<std::string, std::string> targets;
  XmlHandlers rel_handlers;
  rel_handlers.start = [&](const std::string& name, const Attributes& a) {
    if (name == "Relationship" && a.count("Id") > 0 && a.count("Target") > 0) targets[a.at("Id")] = a.at("Target");
  };
  if (absl::Status parsed = ParseXml(*rels, &rel_handlers); !parsed.ok()) return parsed;
  std::string names;
  for (const auto& [name, id] : sheets) {
    absl::StrAppend(&names, names.empty() ? "" : "、", name);
    if (!wanted.empty() && name != wanted) continue;
    auto target = targets.find(id);
    if (target == targets.end()) break;
    std::string part = target->second;
    if (absl::StartsWith(part, "/"))
      part = part.substr(1);
    else
      part = absl::StrCat("xl/", part);
    return std::make_pair(part, date1904);
  }
  return absl::InvalidArgumentError(absl::StrCat("工作簿中没有工作表“", wanted, "”；有：", names));
}

std::vector<std::string> SharedStrings(Workbook* book) {
  std::vector<std::string> strings;
  std::optional<std::string> xml = book->Read("xl/sharedStrings.xml");
  if (!xml) return strings;
  bool in_text = false, in_phonetic = false;
  XmlHandlers handlers;
  handlers.start = [&](const std::string& name, const Attributes&) {
    if (name == "si") strings.emplace_back();
    if (name == "rPh") in_phonetic = true;  // the furigana/pinyin guide of a run, not its text
    if (name == "t") in_text = !in_phonetic;
  };
  handlers.text = [&](absl::string_view chars) {
    if (in_text && !strings.empty()) strings.back().append(chars.data(), chars.size());
  };
  handlers.end = [&](const std::string& name) {
    if (name == "t") in_text = false;
    if (name == "rPh") in_phonetic = false;
  };
  (void)ParseXml(*xml, &handlers);
  return strings;
}

// Whether an Excel number format shows a date: the built-in date ids (incl. the CJK ones) or a format code with
// y, m-with-d or d outside quotes and brackets.
bool IsDateFormat(int id, const std::string& code) {
  if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return true;
  bool quoted = false, bracket = false;
  for (char c : code) {
    if (c == '"') quoted = !quoted;
    if (c == '[') bracket = true;
    if (c == ']') bracket = false;
    if (!quoted && !bracket && (c == 'y' || c == 'Y' || c == 'd' || c == 'D')) return true;
  }
  return false;
}

// The cell styles (cellXfs, by index) that format a date.
std::set<int> DateStyles(Workbook* book) {
  std::set<int> dates;
  std::optional<std::string> xml = book->Read("xl/styles.xml");
  if (!xml) return dates;
  std::map<int, std::string> codes;
  bool in_cell_xfs = false;
  int index = 0;
  XmlHandlers handlers;
  handlers.start = [&](const std::string& name, const Attributes& a) {
    int id = 0;
    if (name == "numFmt" && a.count("numFmtId") > 0 && absl::SimpleAtoi(a.at("numFmtId"), &id)) {
      codes[id] = a.count("formatCode") > 0 ? a.at("formatCode") : "";
    }
    if (name == "cellXfs") in_cell_xfs = true;
    if (name == "xf" && in_cell_xfs) {
      if (a.count("numFmtId") > 0 && absl::SimpleAtoi(a.at("numFmtId"), &id) && IsDateFormat(id, codes[id])) {
        dates.insert(index);
      }
      ++index;
    }
  };
  handlers.end = [&](const std::string& name) {
    if (name == "cellXfs") in_cell_xfs = false;
  };
  (void)ParseXml(*xml, &handlers);
  return dates;
}

// "C12" → 2 (0-based column).
int ColumnOf(const std::string& reference) {
  int column = 0;
  for (char c : reference) {
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
  }
  return column - 1;
}

std::string SerialToDate(const std::string& value, bool date1904) {
  double serial = 0;
  if (!absl::SimpleAtod(value, &serial) || serial < 1) return value;
  int days = static_cast<int>(serial);
  // The 1900 system counts a 29 February 1900 that never was (Lotus 1-2-3's bug, kept by Excel).
  absl::CivilDay day = date1904 ? absl::CivilDay(1904, 1, 1) + days
                                : (days >= 61 ? absl::CivilDay(1899, 12, 30) : absl::CivilDay(1899, 12, 31)) + days;
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

}  // namespace

bool LooksLikeXlsx(absl::string_view bytes) {
  return absl::StartsWith(bytes, "PK\x03\x04");
}

absl::Status ReadXlsxRows(absl::string_view bytes, const std::string& sheet,
                          const std::function<bool(const std::vector<std::string>&)>& row) {
  Workbook book;
  if (absl::Status opened = book.Open(bytes); !opened.ok()) return opened;
  absl::StatusOr<std::pair<std::string, bool>> part = FindSheet(&book, sheet);
  if (!part.ok()) return part.status();
  std::optional<std::string> xml = book.Read(part->first);
  if (!xml) return absl::InvalidArgumentError(absl::StrCat("工作簿缺少工作表内容：", kAdvice));
  std::vector<std::string> strings = SharedStrings(&book);
  std::set<int> date_styles = DateStyles(&book);
  std::vector<std::string> cells;
  std::string type, value, reference;
  int style = 0;
  size_t width = 0;
  bool in_value = false, stopped = false;
  XmlHandlers handlers;
  handlers.start = [&](const std::string& name, const Attributes& a) {
    if (name == "row") cells.clear();
    if (name == "c") {
      type = a.count("t") > 0 ? a.at("t") : "n";
      reference = a.count("r") > 0 ? a.at("r") : "";
      style = 0;
      if (a.count("s") > 0) (void)absl::SimpleAtoi(a.at("s"), &style);
      value.clear();
    }
    if (name == "v" || (name == "t" && type == "inlineStr")) in_value = true;
  };
  handlers.text = [&](absl::string_view chars) {
    if (in_value) value.append(chars.data(), chars.size());
  };
  handlers.end = [&](const std::string& name) {
    if (name == "v" || name == "t") in_value = false;
    if (name == "c") {
      std::string text = value;
      int index = 0;
      if (type == "s")
        text = absl::SimpleAtoi(value, &index) && index >= 0 && static_cast<size_t>(index) < strings.size()
                   ? strings[index]
                   : "";
      if (type == "b") text = value == "1" ? "是" : "否";
      if (type == "n" && !value.empty() && date_styles.count(style) > 0) text = SerialToDate(value, part->second);
      int column = reference.empty() ? static_cast<int>(cells.size()) : ColumnOf(reference);
      if (column >= static_cast<int>(cells.size())) cells.resize(column + 1);
      if (column >= 0) cells[column] = std::move(text);
    }
    if (name == "row" && !stopped) {
      // A workbook omits empty trailing cells; every row is as wide as the first (the header).
      if (width == 0) width = cells.size();
      if (cells.size() < width) cells.resize(width);
      stopped = !row(cells);
    }
  };
  return ParseXml(*xml, &handlers);
}

}  // namespace stip::cultivation
