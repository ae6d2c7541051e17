import { resolveOptions, type WatchOptions } from './options';
import { BlockWatcher } from './watcher';

export { BlockWatcher, type AuditStatus, type BlockWatcherEvents, type GapInfo, type PolicyChange } from './watcher';
export {
  AUDIT_SUBCATEGORIES,
  defaultAuditStateFile,
  enableBlockAuditing,
  getAuditPolicy,
  restoreAuditPolicy,
  type AuditChange,
  type AuditOptions,
  type AuditPolicy,
  type AuditSetting,
  type AuditSubcategory,
  type EnableOptions,
} from './audit';
export { exportRecords, RecordExport, type ExportFormat, type ExportOptions, type RecordExportEvents } from './export';
export { WfpBlocksError, WfpOptionError, type WfpErrorCode, type WfpErrorDetails } from './errors';
export type { AuditMode, AuditWatchOptions, BlockFilter, ReplaySourceOptions, SourceOption, StartOption, WatchOptions } from './options';
export { toEcs, type EcsDocument, type EcsEndpoint } from './ecs';
export {
  BLOCK_KINDS,
  DECIDED_BY,
  RULE_CHANGE_KINDS,
  type BlockAction,
  type BlockEvent,
  type BlockKind,
  type DecidedBy,
  type Direction,
  type Endpoint,
  type EventChannel,
  type FirewallRuleInfo,
  type LastChange,
  type RuleChange,
  type RuleChangeKind,
  type SidesBy,
  type SystemFields,
} from './types';
export {
  toOtelLogRecord,
  toOtlpJson,
  type OtelLogRecord,
  type OtlpKeyValue,
  type OtlpLogsRequest,
  type OtlpOptions,
  type OtlpValue,
} from './otel';
export { communityId, type Flow } from './community-id';
export { Summarizer, DIMENSIONS, type BlockSummary, type Dimension, type SummaryCount, type TimelinePoint } from './summary';
export { summaryToHtml, type HtmlReportOptions } from './summary-html';

/**
 * Starts watching for traffic the Windows Filtering Platform blocked (and, with includeAllowed,
 * permitted). Throws a WfpOptionError for invalid options; every other problem arrives as 'error'.
 */
export function watchBlocks(options?: WatchOptions): BlockWatcher {
  return new BlockWatcher(resolveOptions(options));
}
