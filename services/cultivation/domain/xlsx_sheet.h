// The rows of one worksheet of an .xlsx workbook (Office Open XML, what Excel and WPS save), as text cells:
// shared and inline strings, numbers as written, booleans as 是/否, and cells in a date format (built-in or
// custom, 1900 or 1904 date system) as YYYY-MM-DD. libzip opens the container and expat reads the sheet's XML as
// a stream (no DOM of a 100,000-row sheet in memory).
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_XLSX_SHEET_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_XLSX_SHEET_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace stip::cultivation {

// Calls `row` for every row of the sheet named `sheet` ("" = the first one), in order; cells missing in a row
// are "", and a row is at least as wide as the first (the header). Errors (not a workbook, no such sheet) are
// INVALID_ARGUMENT in Chinese; a false from `row` stops.
absl::Status ReadXlsxRows(absl::string_view workbook, const std::string& sheet,
                          const std::function<bool(const std::vector<std::string>&)>& row);

// Whether `bytes` begin like a ZIP container (an .xlsx).
bool LooksLikeXlsx(absl::string_view bytes);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_XLSX_SHEET_H_
