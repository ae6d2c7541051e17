/** `wfp-blocks audit`: show, turn on (only what is off) or put back the WFP audit subcategories. */
import { AUDIT_SUBCATEGORIES, enableBlockAuditing, getAuditPolicy, restoreAuditPolicy, WfpBlocksError, type AuditChange } from '../index';
import { has, UsageError, valueOf, type Flag } from './args';
import { PROGRAM, say, type Command } from './command';

const FLAGS: readonly Flag[] = [
  { name: 'packet-drops', help: "enable: also 'Filtering Platform Packet Drop' (5150-5153; very noisy)" },
  { name: 'allowed', help: 'enable: also success auditing, for permitted traffic (5154, 5156, 5158)' },
  {
    name: 'rule-changes',
    help: "enable: also 'MPSSVC Rule-Level Policy Change' and 'Filtering Platform Policy Change' (4944-4958, 5440-5450)",
  },
  { name: 'filter-changes', help: "enable: also 'Other Policy Change Events', for WFP filter changes (5447; noisy)" },
  {
    name: 'state-file',
    value: 'FILE',
    help: 'where enable records what it changed, for restore (default: %ProgramData%\\wfp-blocks\\audit-state.json)',
  },
];

const bits = (e: { success: boolean; failure: boolean }) => [e.success && 'success', e.failure && 'failure'].filter(Boolean).join(' and ');

function describe(change: AuditChange, done: 'turned on' | 'turned off', none: string): string {
  if (change.turnedOn.length === 0) return none;
  return change.turnedOn.map((e) => `${done} ${bits(e)} auditing of ${AUDIT_SUBCATEGORIES[e.subcategory].name} ${e.guid}`).join('\n');
}

const SUBCOMMANDS = ['status', 'enable', 'restore'];

export const audit: Command = {
  name: 'audit',
  summary: 'show, turn on or put back the audit policy WFP events need (Windows, elevated)',
  usage: 'status | enable [--packet-drops] [--allowed] [--rule-changes] [--filter-changes] | restore   [--state-file FILE]',
  description: [
    'status   shows both WFP audit subcategories, by name and GUID.',
    "enable   turns on what is off: failure auditing of 'Filtering Platform Connection' (the blocks",
    '         watch reports by default); --packet-drops and --allowed add the rest, --rule-changes and',
    '         --filter-changes the change events that say why. What it changed is',
    '         recorded first, so that restore (or a later restore after a crash) can put it back.',
    'restore  turns off exactly what enable turned on, and nothing else.',
  ].join('\n'),
  flags: FLAGS,
  examples: ['wfp-blocks audit status', 'wfp-blocks audit enable', 'wfp-blocks audit restore'],
  run(parsed, io) {
    const [sub, ...extra] = parsed.positionals;
    if (sub === undefined) throw new UsageError(`needs one of ${SUBCOMMANDS.join(', ')}`);
    if (!SUBCOMMANDS.includes(sub)) throw new UsageError(`unknown audit command '${sub}' (one of ${SUBCOMMANDS.join(', ')})`);
    if (extra.length > 0) throw new UsageError(`unexpected '${extra.join(' ')}' after '${sub}'`);
    const enableOnly = ['packet-drops', 'allowed', 'rule-changes', 'filter-changes'];
    if (sub !== 'enable' && enableOnly.some((flag) => has(parsed, flag))) {
      throw new UsageError(`--${enableOnly.join(', --')} belong to 'audit enable', not 'audit ${sub}'`);
    }
    const stateFile = valueOf(parsed, 'state-file');
    if (process.platform !== 'win32') {
      say(io, `ERR_UNSUPPORTED_PLATFORM: the Windows audit policy does not exist on ${process.platform}`, 'audit');
      return 1;
    }
    try {
      switch (sub) {
        case 'status': {
          const policy = getAuditPolicy();
          for (const [key, { name, guid }] of Object.entries(AUDIT_SUBCATEGORIES)) {
            const p = policy[key as keyof typeof policy];
            io.stdout.write(`${name} ${guid}: success ${p.success ? 'on' : 'off'}, failure ${p.failure ? 'on' : 'off'}\n`);
          }
          return 0;
        }
        case 'enable': {
          const change = enableBlockAuditing({
            packetDrops: has(parsed, 'packet-drops'),
            allowed: has(parsed, 'allowed'),
            ruleChanges: has(parsed, 'rule-changes'),
            filterChanges: has(parsed, 'filter-changes'),
            stateFile,
          });
          io.stdout.write(`${describe(change, 'turned on', 'nothing to turn on: the auditing asked for is on already')}\n`);
          if (change.stateFile) io.stdout.write(`recorded in ${change.stateFile}; '${PROGRAM} audit restore' puts it back\n`);
          return 0;
        }
        default: {
          const restored = restoreAuditPolicy(null, { stateFile });
          io.stdout.write(`${describe(restored, 'turned off', `nothing to turn off: ${restored.stateFile} records no change`)}\n`);
          return 0;
        }
      }
    } catch (error) {
      say(io, error instanceof WfpBlocksError ? error.message : String(error), 'audit');
      return 1;
    }
  },
};
