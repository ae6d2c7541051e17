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
  type AuditPolicyStore,
  type AuditSetting,
  type AuditSubcategory,
  type EnableOptions,
} from './audit';
export { exportRecords, RecordExport, type ExportFormat, type ExportOptions, type RecordExportEvents } from './export';
export { WfpBlocksError, WfpOptionError, type WfpErrorCode, type WfpErrorDetails } from './errors';
export type { AuditMode, AuditWatchOptions, ReplaySourceOptions, SourceOption, StartOption, WatchOptions } from './options';
export { toEcs, type EcsDocument, type EcsEndpoint } from './ecs';
export { toOtelLogRecord, toOtlpJson, type OtelLogRecord } from './otel';
export { BLOCK_KINDS, type BlockAction, type BlockEvent, type BlockKind, type Direction, type Endpoint, type SystemFields } from './types';

/**
 * Starts watching for traffic the Windows Filtering Platform blocked (and, with includeAllowed,
 * permitted). Throws a WfpOptionError for invalid options; every other problem arrives as 'error'.
 */
export function watchBlocks(options?: WatchOptions): BlockWatcher {
  return new BlockWatcher(resolveOptions(options));
}
