// The ways Excel writes what the templates ask for, read as the templates mean them: dates as 2019/5/1,
// 2019-5-1, 2019.5.1, 2019年5月1日 or with a midnight time ("2019/5/1 0:00") become 2019-05-01; numbers with
// thousands separators (8,600,000) lose the separators. Anything else is left exactly as written.
#ifndef STIP_SERVICES_CULTIVATION_DOMAIN_SPREADSHEET_CELLS_H_
#define STIP_SERVICES_CULTIVATION_DOMAIN_SPREADSHEET_CELLS_H_

#include <string>

namespace stip::cultivation {

// Rewrites `cell` in place when it is one of those forms; returns whether it did.
bool NormalizeSpreadsheetCell(std::string* cell);

}  // namespace stip::cultivation

#endif  // STIP_SERVICES_CULTIVATION_DOMAIN_SPREADSHEET_CELLS_H_
