import { MAX_RECORD_CHARS, RAW_CHARS } from './limits';

/** One CSV record as read: its cells, the text it came from (cut) and what is wrong with it, if anything. */
export interface CsvRecord {
  /** 0 for the header, then 1, 2 … per line that starts a record (a quoted line break starts none) */
  rowNo: number;
  cells: string[];
  raw: string;
  /** a syntax fault of this record; `cell` is the 0-based cell it was found in */
  fault: { cell: number; reason: string } | null;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** a quote inside a quoted field: the field ends, or it was the first of a doubled quote */
  QuoteInQuoted,
  /** a field ended by a CR: only a delimiter or the line break may follow */
  AfterField,
}

/**
 * RFC 4180 records from text that arrives in pieces: quoted fields may hold the delimiter, doubled quotes
 * and line breaks; CRLF and LF files read the same. A stray quote in an unquoted field or text after a
 * closing quote is a fault of that record only, so one broken row is one reject. A record is held only up
 * to MAX_RECORD_CHARS, so a quote that is never closed cannot make the reader hold the rest of a 50 MB file.
 * Blank lines count as rows (so row numbers follow the lines of a plain file) but are not emitted.
 */
export class CsvReader {
  private state = State.FieldStart;
  private cells: string[] = [];
  private carry = '';
  private rawCarry = '';
  private chars = 0;
  private overlong = false;
  private fault: CsvRecord['fault'] = null;
  private rowNo = 0;
  private started = false;
  /** the row where the current quoted field opened, for an unclosed quote at the end */
  private quoteOpenedAt = 0;

  constructor(private readonly delimiter: number) {}

  /** Reads `text`, handing every completed record to `emit`. */
  push(text: string, emit: (record: CsvRecord) => void): void {
    const d = this.delimiter;
    let seg = 0;
    let rec = 0;
    const len = text.length;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case State.FieldStart:
          if (c === QUOTE) {
            this.state = State.Quoted;
            this.quoteOpenedAt = this.rowNo;
            seg = i + 1;
          } else if (c === d) this.cells.push('');
          else if (c === LF) {
            // after a delimiter the line ends with one more, empty, cell
            if (this.cells.length > 0) this.cells.push('');
            this.endRecord(text, rec, i, emit);
            rec = i + 1;
          } else if (c !== CR) {
            this.state = State.Unquoted;
            seg = i;
          }
          break;
        case State.Unquoted:
          if (c === d || c === LF || c === CR) {
            this.endField(text, seg, i);
            this.state = c === CR ? State.AfterField : State.FieldStart;
            if (c === LF) {
              this.endRecord(text, rec, i, emit);
              rec = i + 1;
            }
          } else if (c === QUOTE) {
            this.faultAt('a quote inside an unquoted field (quote the whole field and double the quote)');
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            this.append(text, seg, i);
            this.state = State.QuoteInQuoted;
          }
          break;
        case State.QuoteInQuoted:
        case State.AfterField:
          if (c === QUOTE && this.state === State.QuoteInQuoted) {
            // a doubled quote: the second one is text
            this.state = State.Quoted;
            seg = i;
          } else if (c === d || c === LF) {
            if (this.state === State.QuoteInQuoted) this.endField(text, i, i);
            this.state = State.FieldStart;
            if (c === LF) {
              this.endRecord(text, rec, i, emit);
              rec = i + 1;
            }
          } else if (c === CR) {
            if (this.state === State.QuoteInQuoted) this.endField(text, i, i);
            this.state = State.AfterField;
          } else {
            this.faultAt('text after the closing quote of a quoted field');
            this.state = State.Unquoted;
            seg = i;
          }
          break;
      }
    }
    if (this.state === State.Unquoted || this.state === State.Quoted) this.append(text, seg, len);
    this.keepRaw(text, rec, len);
  }

  /** At the end of the text: emits the last record (without a final line break), or names an unclosed quote. */
  finish(emit: (record: CsvRecord) => void): { unclosedQuoteAtRow: number } | null {
    switch (this.state) {
      case State.Quoted:
        return { unclosedQuoteAtRow: this.quoteOpenedAt };
      case State.Unquoted:
      case State.QuoteInQuoted:
        this.endField('', 0, 0);
        break;
      case State.FieldStart:
        if (this.cells.length > 0) this.cells.push('');
        break;
      case State.AfterField:
        break;
    }
    if (this.cells.length > 0) this.endRecord('', 0, 0, emit);
    this.state = State.FieldStart;
    return null;
  }

  private faultAt(reason: string): void {
    this.fault ??= { cell: this.cells.length, reason };
  }

  private append(text: string, from: number, to: number): void {
    if (to <= from || this.overlong) return;
    this.chars += to - from;
    if (this.chars > MAX_RECORD_CHARS) {
      this.overlong = true;
      this.carry = '';
      return;
    }
    this.carry += text.slice(from, to);
  }

  private endField(text: string, from: number, to: number): void {
    this.append(text, from, to);
    this.cells.push(this.carry);
    this.carry = '';
  }

  private keepRaw(text: string, from: number, to: number): void {
    const room = RAW_CHARS - this.rawCarry.length;
    if (room > 0 && to > from) this.rawCarry += text.slice(from, Math.min(to, from + room));
  }

  private endRecord(text: string, from: number, to: number, emit: (record: CsvRecord) => void): void {
    this.keepRaw(text, from, to);
    const cells = this.cells;
    if (cells.length > 0 || this.started) {
      const rowNo = this.rowNo++;
      this.started = true;
      if (cells.length > 0) {
        const fault = this.overlong
          ? { cell: 0, reason: `the row is longer than ${MAX_RECORD_CHARS} characters` }
          : this.fault;
        emit({ rowNo, cells, raw: this.rawCarry.replace(/\r$/, ''), fault });
      }
    }
    this.cells = [];
    this.rawCarry = '';
    this.chars = 0;
    this.overlong = false;
    this.fault = null;
  }
}

/**
 * The delimiter of the header (the first line of `text`): the one of `;` and `,` that occurs more often
 * outside quotes. A tab
 * without either, or neither at all while the kind needs several columns, is answered by the caller.
 */
export function detectDelimiter(text: string): { delimiter: ',' | ';' | null; tabs: number } {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
    else if (!quoted && c === '\t') tabs++;
  }
  if (semicolons === 0 && commas === 0) return { delimiter: null, tabs };
  return { delimiter: semicolons > commas ? ';' : ',', tabs };
}

/** One record written back as a CSV line (rejects of rows that passed parsing, the rejects download). */
export function csvLine(cells: readonly string[], delimiter = ','): string {
  return cells
    .map((cell) =>
      /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replaceAll('"', '""')}"` : cell,
    )
    .join(delimiter);
}
