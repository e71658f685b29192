export { exportNdjson, exportWxr } from './export.js';
export { fileChunks, formatFromFileName, importComments, type ImportInput } from './import.js';
export { IMPORT_FORMATS, type ImportFormat, ImportError, importedCommentId } from './model.js';
export { NdjsonComment } from './ndjson-reader.js';
export { IMPORT_BATCH_SIZE, type ImportCounts } from './writer.js';
