/** Public surface of the seed step: real-data readers and the synthetic generator, all Neo4j-free. */
export { readGroupLens, streamGroupLensRatings, parseMovieTitle, movielensProductId, movielensUserId, genreCategoryId } from './readers/grouplens.reader';
export type { GroupLensOptions, GroupLensTagMode } from './readers/grouplens.reader';
export { readGenericCsv, parseTimestamp, deriveEventId } from './readers/generic-csv.reader';
export type { GenericCsvOptions } from './readers/generic-csv.reader';
export { parseCsv, readCsvRecords, readCsvTable, DataFileError, DataFileErrors } from './readers/csv';
export type { CsvRecord, CsvRow } from './readers/csv';
export { generateSynthetic, DEFAULT_END_AT } from './synthetic/generate-synthetic';
export type { SyntheticOptions } from './synthetic/generate-synthetic';
