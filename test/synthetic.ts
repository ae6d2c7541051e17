// Synthetic records for cases the real fixtures do not cover. Each one says so in its Computer field.
export interface RecordSpec {
  eventId?: number;
  version?: number;
  recordId?: number | string;
  time?: string;
  provider?: string;
  quote?: '"' | "'";
  namespace?: boolean;
  data?: Array<[string, string]>;
}

export const SYNTHETIC_COMPUTER = 'synthetic.wfp-blocks.test';

export function record(spec: RecordSpec = {}): string {
  const q = spec.quote ?? "'";
  const ns = spec.namespace === false ? '' : ` xmlns=${q}http://schemas.microsoft.com/win/2004/08/events/event${q}`;
  const data = (spec.data ?? []).map(([name, value]) => `<Data Name=${q}${name}${q}>${value}</Data>`).join('');
  return (
    `<Event${ns}><System><Provider Name=${q}${spec.provider ?? 'Microsoft-Windows-Security-Auditing'}${q} ` +
    `Guid=${q}{54849625-5478-4994-A5BA-3E3B0328C30D}${q}/><EventID>${spec.eventId ?? 5157}</EventID>` +
    `<Version>${spec.version ?? 1}</Version><Level>0</Level><Task>12810</Task><Opcode>0</Opcode>` +
    `<Keywords>0x8010000000000000</Keywords><TimeCreated SystemTime=${q}${spec.time ?? '2024-05-06T07:08:09.1234567Z'}${q}/>` +
    `<EventRecordID>${spec.recordId ?? 1}</EventRecordID><Correlation/><Execution ProcessID=${q}4${q} ThreadID=${q}8${q}/>` +
    `<Channel>Security</Channel><Computer>${SYNTHETIC_COMPUTER}</Computer><Security/></System>` +
    `<EventData>${data}</EventData></Event>`
  );
}

/** A Windows 11 5157 (v3 layout per the manifest catalogue): InterfaceIndex and FilterOrigin sit between Protocol and FilterRTID. */
export const WIN11_5157_DATA: Array<[string, string]> = [
  ['ProcessID', '7412'],
  ['Application', '\\device\\harddiskvolume3\\program files\\app\\app.exe'],
  ['Direction', '%%14593'],
  ['SourceAddress', '192.168.1.20'],
  ['SourcePort', '51544'],
  ['DestAddress', '192.0.2.1'],
  ['DestPort', '443'],
  ['Protocol', '6'],
  ['InterfaceIndex', '12'],
  ['FilterOrigin', '{A549B7CF-0542-4B67-93F9-EEBCDD584377}'],
  ['FilterRTID', '206474'],
  ['LayerName', '%%14611'],
  ['LayerRTID', '48'],
  ['RemoteUserID', 'S-1-0-0'],
  ['RemoteMachineID', 'S-1-0-0'],
  ['OriginalProfile', 'Domain'],
  ['CurrentProfile', 'Domain'],
  ['IsLoopback', 'false'],
  ['HasRemoteDynamicKeywordAddress', 'false'],
];
