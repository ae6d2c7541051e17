// The real-Windows check reads the audit policy with auditpol.exe, independently of this library
// (test/windows/auditpol.cjs). Its output as Windows writes it: a blank line first, blank lines between
// rows, CR LF (CR CR LF when redirected), and a header in the system's language.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const { parseAuditpolCsv } = createRequire(__filename)('./windows/auditpol.cjs') as {
  parseAuditpolCsv: (text: string) => Array<{ guid: string; setting: string }>;
};

const ROWS = [
  'WIN-RUNNER,System,Filtering Platform Packet Drop,{0CCE9225-69AE-11D9-BED3-505054503030},No Auditing,',
  'WIN-RUNNER,System,Filtering Platform Connection,{0cce9226-69ae-11d9-bed3-505054503030},Failure,',
];
const EXPECTED = [
  { guid: '{0CCE9225-69AE-11D9-BED3-505054503030}', setting: 'No Auditing' },
  { guid: '{0CCE9226-69AE-11D9-BED3-505054503030}', setting: 'Failure' },
];

describe('auditpol /r output', () => {
  it('a blank first line and blank lines between rows', () => {
    const text = [
      '',
      'Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting',
      '',
      ROWS[1],
      '',
      ROWS[0],
      '',
    ].join('\r\n');
    expect(parseAuditpolCsv(text)).toEqual(EXPECTED);
  });

  it('CR CR LF line ends and a localised header', () => {
    const text = [
      '',
      'Computername,Richtlinienziel,Unterkategorie,GUID der Unterkategorie,Einschlusseinstellung,Ausschlusseinstellung',
      ...ROWS,
      '',
    ].join('\r\r\n');
    expect(parseAuditpolCsv(text)).toEqual(EXPECTED);
  });
});
