// The ways Excel writes what the templates ask for, read as the templates mean them: dates as 2019/5/1,
// 2019-5-1, 2019.5.1, 2019年5月1日 or with a midnight time ("2019/5/1 0:00") become 2019-05-01; numbers with
// thousands separators (8,600,000) lose the separators; a column headed in 万元 is converted to 元. Anything else is
// left exactly as written.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_SPREADSHEET_CELLS_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_SPREADSHEET_CELLS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stip::cultivation {

// Rewrites `cell` in place when it is one of those forms; returns whether it did.
bool NormalizeSpreadsheetCell(std::string* cell);

// A money column may be headed in 万元 where the template says 元 ("销售收入(万元)" or "销售收入（万元）" for
// "销售收入(元)"), as the statistics forms officers copy from are. True when `header` is that column in 万元.
bool IsWanYuanHeader(absl::string_view header, absl::string_view yuan_header);

// "860.5" 万元 → "8605000" 元, exactly (decimal digits, no floating point). Up to four decimals, which is one 元;
// a fifth decimal would be a fraction of a 元 and is refused with that reason. Empty stays empty.
absl::StatusOr<std::string> WanYuanToYuan(absl::string_view text);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_SPREADSHEET_CELLS_H_
