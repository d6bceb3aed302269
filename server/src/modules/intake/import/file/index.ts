// Reading uploaded tables (CSV in any Chinese encoding, XLSX) and writing safe exports.
export { detectEncoding, ENCODINGS, type EncodingName } from './encoding.js'
export { columnLetter, FileError, type FileErrorCode, type Row } from './errors.js'
export { type MappingTarget, type Suggestion, suggestMapping } from './headers.js'
export { findHeader, openTable, type Table } from './open.js'
export { neutralizeFormula, writeCsv } from './safe-export.js'
export { buildTableTemplate, buildTemplate, type TemplateColumn } from './template.js'
