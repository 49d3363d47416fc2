// The readers' public surface, used by the `analyze`, `demo` and bench commands.
export type {
  ReadItem,
  Reader,
  BatchReader,
  ReadOptions,
  EventLogOptions,
  InputFormat,
  SkippedRecord,
  SourceLocation,
} from './types.ts';
export { INPUT_FORMATS } from './types.ts';
export { DEFAULT_EVENT_LOG_OPTIONS, defineReadOptions } from './read-options.ts';
export { readInputs, readInputBatches, READERS } from './read-inputs.ts';
export { detectFormat, formatFromName, formatFromContent } from './detect-format.ts';
export { readXes } from './xes-reader.ts';
export { CsvNeedsTwoPasses, readCsv } from './csv-reader.ts';
export { readJira, createJiraReader, readChangelogs } from './jira-reader.ts';
export type { ChangelogIndex } from './jira-reader.ts';
