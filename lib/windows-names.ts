/**
 * The names Windows and Elastic give to the System values and `%%` tokens of WFP records, as the
 * ECS mapping (lib/ecs.ts) needs them. Sources: winmeta.xml of the Windows SDK (levels, opcodes,
 * keywords, as Winlogbeat's `winevent` package holds them), the message table of msobjs.dll (the
 * `%%` tokens and the Security log's task names, as Elastic's security pipeline holds them), and
 * that pipeline's table of well-known SIDs (for `RemoteUserDescription`/`RemoteMachineDescription`).
 */

/** winmeta.xml levels (Level 0, "Log Always", is shown as Information). */
export const LEVELS: Readonly<Record<number, string>> = { 0: 'Information', 1: 'Critical', 2: 'Error', 3: 'Warning', 4: 'Information', 5: 'Verbose' };

export const OPCODES: Readonly<Record<number, string>> = {
  0: 'Info', 1: 'Start', 2: 'Stop', 3: 'DCStart', 4: 'DCStop', 5: 'Extension', 6: 'Reply', 7: 'Resume', 8: 'Suspend', 9: 'Send',
};

/** winmeta.xml keyword bits, in bit order. */
export const KEYWORDS: ReadonlyArray<readonly [bigint, string]> = [
  [0x1000000000000n, 'Response Time'],
  [0x4000000000000n, 'WDI Diag'],
  [0x8000000000000n, 'SQM'],
  [0x10000000000000n, 'Audit Failure'],
  [0x20000000000000n, 'Audit Success'],
  [0x40000000000000n, 'Correlation Hint'],
  [0x80000000000000n, 'Classic'],
];

export const AUDIT_FAILURE = 0x10000000000000n;
export const AUDIT_SUCCESS = 0x20000000000000n;

/** The Security log's task names of the WFP events (their audit subcategories). */
export const TASKS: Readonly<Record<number, string>> = {
  12809: 'Filtering Platform Packet Drop',
  12810: 'Filtering Platform Connection',
  13572: 'Filtering Platform Policy Change',
};

/** msobjs.dll message table: the `%%` tokens WFP records use (Direction, LayerName and the like). */
export const MESSAGES: Readonly<Record<number, string>> = {
  14592: 'Inbound', 14593: 'Outbound', 14594: 'Forward', 14595: 'Bidirectional', 14596: 'IP Packet', 14597: 'Transport',
  14598: 'Forward', 14599: 'Stream', 14600: 'Datagram Data', 14601: 'ICMP Error', 14602: 'MAC 802.3', 14603: 'MAC Native',
  14604: 'vSwitch', 14608: 'Resource Assignment', 14609: 'Listen', 14610: 'Receive/Accept', 14611: 'Connect',
  14612: 'Flow Established', 14614: 'Resource Release', 14615: 'Endpoint Closure', 14616: 'Connect Redirect',
  14617: 'Bind Redirect', 14624: 'Stream Packet', 14640: 'ICMP Echo-Request', 14641: 'vSwitch Ingress', 14642: 'vSwitch Egress',
};

/** Well-known SIDs, as Elastic's security pipeline names them. */
export const WELL_KNOWN_SIDS: Readonly<Record<string, string>> = {
  'S-1-0': 'Null Authority', 'S-1-0-0': 'Nobody', 'S-1-1': 'World Authority', 'S-1-1-0': 'Everyone',
  'S-1-16-0': 'Untrusted Mandatory Level', 'S-1-16-12288': 'High Mandatory Level', 'S-1-16-16384': 'System Mandatory Level',
  'S-1-16-20480': 'Protected Process Mandatory Level', 'S-1-16-28672': 'Secure Process Mandatory Level',
  'S-1-16-4096': 'Low Mandatory Level', 'S-1-16-8192': 'Medium Mandatory Level', 'S-1-16-8448': 'Medium Plus Mandatory Level',
  'S-1-2': 'Local Authority', 'S-1-2-0': 'Local', 'S-1-2-1': 'Console Logon', 'S-1-3': 'Creator Authority',
  'S-1-3-0': 'Creator Owner', 'S-1-3-1': 'Creator Group', 'S-1-3-2': 'Creator Owner Server', 'S-1-3-3': 'Creator Group Server',
  'S-1-3-4': 'Owner Rights', 'S-1-4': 'Non-unique Authority', 'S-1-5': 'NT Authority', 'S-1-5-1': 'Dialup',
  'S-1-5-10': 'Principal Self', 'S-1-5-11': 'Authenticated Users', 'S-1-5-12': 'Restricted Code', 'S-1-5-13': 'Terminal Server Users',
  'S-1-5-14': 'Remote Interactive Logon', 'S-1-5-15': 'This Organization', 'S-1-5-17': 'This Organization',
  'S-1-5-18': 'Local System', 'S-1-5-19': 'NT Authority', 'S-1-5-2': 'Network', 'S-1-5-20': 'NT Authority', 'S-1-5-3': 'Batch',
  'S-1-5-32-544': 'Administrators', 'S-1-5-32-545': 'Users', 'S-1-5-32-546': 'Guests', 'S-1-5-32-547': 'Power Users',
  'S-1-5-32-548': 'Account Operators', 'S-1-5-32-549': 'Server Operators', 'S-1-5-32-550': 'Print Operators',
  'S-1-5-32-551': 'Backup Operators', 'S-1-5-32-552': 'Replicators', 'S-1-5-32-554': 'Builtin\\Pre-Windows 2000 Compatible Access',
  'S-1-5-32-555': 'Builtin\\Remote Desktop Users', 'S-1-5-32-556': 'Builtin\\Network Configuration Operators',
  'S-1-5-32-557': 'Builtin\\Incoming Forest Trust Builders', 'S-1-5-32-558': 'Builtin\\Performance Monitor Users',
  'S-1-5-32-559': 'Builtin\\Performance Log Users', 'S-1-5-32-560': 'Builtin\\Windows Authorization Access Group',
  'S-1-5-32-561': 'Builtin\\Terminal Server License Servers', 'S-1-5-32-562': 'Builtin\\Distributed COM Users',
  'S-1-5-32-569': 'Builtin\\Cryptographic Operators', 'S-1-5-32-573': 'Builtin\\Event Log Readers',
  'S-1-5-32-574': 'Builtin\\Certificate Service DCOM Access', 'S-1-5-32-575': 'Builtin\\RDS Remote Access Servers',
  'S-1-5-32-576': 'Builtin\\RDS Endpoint Servers', 'S-1-5-32-577': 'Builtin\\RDS Management Servers',
  'S-1-5-32-578': 'Builtin\\Hyper-V Administrators', 'S-1-5-32-579': 'Builtin\\Access Control Assistance Operators',
  'S-1-5-32-580': 'Builtin\\Remote Management Users', 'S-1-5-32-582': 'Storage Replica Administrators', 'S-1-5-4': 'Interactive',
  'S-1-5-5-X-Y': 'Logon Session', 'S-1-5-6': 'Service', 'S-1-5-64-10': 'NTLM Authentication', 'S-1-5-64-14': 'SChannel Authentication',
  'S-1-5-64-21': 'Digest Authentication', 'S-1-5-7': 'Anonymous', 'S-1-5-8': 'Proxy', 'S-1-5-80': 'NT Service',
  'S-1-5-80-0': 'All Services', 'S-1-5-83-0': 'NT Virtual Machine\\Virtual Machines', 'S-1-5-9': 'Enterprise Domain Controllers',
  'S-1-5-90-0': 'Windows Manager\\Windows Manager Group',
};

/** The pipeline's IANA keywords for network.transport (its table, which names fewer protocols than IANA). */
export const TRANSPORT_NAMES: Readonly<Record<string, string>> = {
  1: 'icmp', 2: 'igmp', 4: 'ipv4', 6: 'tcp', 8: 'egp', 9: 'igp', 12: 'pup', 17: 'udp', 27: 'rdp', 28: 'irtp', 33: 'dccp', 35: 'idpr',
  41: 'ipv6', 43: 'ipv6-route', 44: 'ipv6-frag', 46: 'rsvp', 47: 'gre', 50: 'esp', 58: 'ipv6-icmp', 59: 'ipv6-nonxt', 60: 'ipv6-opts',
};
