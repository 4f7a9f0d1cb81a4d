import type { ImportJobRow } from '../../../db/queries/imports';
import type { ImportKindSpec } from '../kind-spec';
import { CsvReader, type CsvRecord, detectDelimiter } from './csv';
import { ImportFileError, JsonArrayReader, type JsonRecord, NdjsonReader } from './json-records';
import { checkColumnNames, columnsOf, type RecordOutcome, recordFromCells, recordFromJson } from './records';

/** Where each record of the file goes, in file order. */
export type RecordTarget = (rowNo: number, outcome: RecordOutcome, raw: string) => Promise<void>;

/**
 * Reads the decoded text of an upload as it streams and hands every data record to `target`: CSV by its
 * header (delimiter found again the way the upload's check found it), NDJSON by line, a JSON array by
 * element. A file that cannot be read on throws ImportFileError, naming the row.
 */
export async function readRecords(
  text: ReadableStream<string>,
  job: Pick<ImportJobRow, 'format'>,
  spec: ImportKindSpec,
  target: RecordTarget,
  onDelimiter: (delimiter: string) => void = () => undefined,
): Promise<void> {
  const cols = columnsOf(spec);
  if (job.format !== 'csv') {
    const reader = job.format === 'ndjson' ? new NdjsonReader() : new JsonArrayReader();
    const pending: JsonRecord[] = [];
    const drain = async () => {
      for (const r of pending.splice(0)) await target(r.rowNo, recordFromJson(cols, r), r.raw);
    };
    for await (const piece of text) {
      reader.push(piece, (r) => pending.push(r));
      await drain();
    }
    reader.finish((r) => pending.push(r));
    await drain();
    return;
  }

  let reader: CsvReader | null = null;
  let columns: string[] = [];
  let head = '';
  const pending: CsvRecord[] = [];
  const start = (text: string) => {
    const delimiter = detectDelimiter(text).delimiter ?? ',';
    onDelimiter(delimiter);
    reader = new CsvReader(delimiter.charCodeAt(0));
    reader.push(text, (r) => pending.push(r));
    return reader;
  };
  const drain = async () => {
    for (const r of pending.splice(0)) {
      if (r.rowNo > 0) await target(r.rowNo, recordFromCells(columns, r), r.raw);
      else {
        const named = checkColumnNames(cols, r.cells);
        if (!named.ok)
          throw new ImportFileError(
            0,
            `the header does not match: ${named.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          );
        columns = named.columns;
      }
    }
  };
  for await (const piece of text) {
    if (reader) (reader as CsvReader).push(piece, (r) => pending.push(r));
    else {
      head += piece;
      if (!head.includes('\n')) continue;
      start(head);
      head = '';
    }
    await drain();
  }
  const last: CsvReader = reader ?? start(head);
  const unclosed = last.finish((r) => pending.push(r));
  await drain();
  if (unclosed)
    throw new ImportFileError(
      unclosed.unclosedQuoteAtRow,
      'a quoted field opened in this row is never closed',
    );
}
