export { exportNdjson, exportWxr } from './export.js';
export { fileChunks, formatFromFileName, importComments, type ImportInput, type ImportResult } from './import.js';
export {
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportOptions,
  ImportError,
  type SkippedEntry,
  THREAD_KEY_MODES,
  type ThreadKeyMode,
  WXR_COMMENT_TYPES,
  type WxrCommentType,
  importedCommentId,
} from './model.js';
export { NdjsonComment } from './ndjson-reader.js';
export { IMPORT_BATCH_SIZE, type ImportCounts, MAX_LISTED_SKIPS } from './writer.js';
