// The ES module entry: the same objects as the CommonJS entry, so `instanceof` works across both.
import cjs from './index.js';

export const {
  watchBlocks,
  BlockWatcher,
  exportRecords,
  RecordExport,
  WfpBlocksError,
  WfpOptionError,
  BLOCK_KINDS,
  AUDIT_SUBCATEGORIES,
  defaultAuditStateFile,
  enableBlockAuditing,
  getAuditPolicy,
  restoreAuditPolicy,
  toEcs,
  toOtelLogRecord,
  toOtlpJson,
} = cjs;
export type * from './index.js';
