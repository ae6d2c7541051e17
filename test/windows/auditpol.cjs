// Reads `auditpol /get /subcategory:{GUID},... /r` (CSV), independently of this library, for the
// real-Windows check. Real output has blank lines (before the header and between rows), CRLF or CR CR LF
// line ends, and a localised header: rows are told by their GUID cell, not by their place.
'use strict';

const GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/i;

/** @returns {Array<{ guid: string, setting: string }>} one per subcategory row, sorted by GUID */
function parseAuditpolCsv(text) {
  return text
    .split(/\r*\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.split(','))
    .flatMap((cells) => {
      const at = cells.findIndex((c) => GUID.test(c.trim()));
      return at < 0 ? [] : [{ guid: cells[at].trim().toUpperCase(), setting: (cells[at + 1] ?? '').trim() }];
    })
    .sort((a, b) => a.guid.localeCompare(b.guid));
}

module.exports = { parseAuditpolCsv };
