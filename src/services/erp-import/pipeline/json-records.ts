import { MAX_RECORD_CHARS, RAW_CHARS } from './limits';

/** One JSON record as read: its value (when it parsed), the text it came from (cut) and its fault. */
export interface JsonRecord {
  rowNo: number;
  value: unknown;
  raw: string;
  fault: string | null;
}

/** The file as a whole cannot be read on from here: the job fails, naming the row. */
export class ImportFileError extends Error {
  constructor(
    readonly rowNo: number,
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

const overlong = `the record is longer than ${MAX_RECORD_CHARS} characters`;

function recordOf(rowNo: number, text: string, tooLong: boolean): JsonRecord {
  const raw = text.slice(0, RAW_CHARS);
  if (tooLong) return { rowNo, value: undefined, raw, fault: overlong };
  try {
    return { rowNo, value: JSON.parse(text), raw, fault: null };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { rowNo, value: undefined, raw, fault: `not valid JSON (${why})` };
  }
}

/** Pieces of one record's text across chunks, held up to MAX_RECORD_CHARS. */
class Carry {
  text = '';
  tooLong = false;
  add(part: string): void {
    if (this.tooLong) return;
    if (this.text.length + part.length > MAX_RECORD_CHARS) {
      this.tooLong = true;
      this.text = this.text.slice(0, RAW_CHARS);
    } else this.text += part;
  }
  take(): { text: string; tooLong: boolean } {
    const out = { text: this.text, tooLong: this.tooLong };
    this.text = '';
    this.tooLong = false;
    return out;
  }
}

/** NDJSON: one JSON value per line; line n is row n; blank lines are counted and skipped. */
export class NdjsonReader {
  private line = new Carry();
  private rowNo = 1;

  push(text: string, emit: (record: JsonRecord) => void): void {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      this.line.add(text.slice(from, nl));
      this.endLine(emit);
      from = nl + 1;
    }
    this.line.add(text.slice(from));
  }

  finish(emit: (record: JsonRecord) => void): void {
    this.endLine(emit);
  }

  private endLine(emit: (record: JsonRecord) => void): void {
    const { text, tooLong } = this.line.take();
    const rowNo = this.rowNo++;
    if (!tooLong && text.trim() === '') return;
    emit(recordOf(rowNo, text.replace(/\r$/, ''), tooLong));
  }
}

enum At {
  Start,
  /** after `[` or `,`: an element or (after `[`) the end */
  ElementStart,
  Element,
  AfterElement,
  End,
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * A JSON array read element by element as its text arrives, never as a whole: each element's text is
 * parsed on its own (element n is row n). Only the array's own punctuation is checked here; a bad element
 * is a fault of its row, a broken array an ImportFileError.
 */
export class JsonArrayReader {
  private at = At.Start;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** a number, true, false or null: it ends at `,`, `]` or a space */
  private bare = false;
  private element = new Carry();
  private rowNo = 0;

  push(text: string, emit: (record: JsonRecord) => void): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.at === At.Element) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 92) this.escaped = true;
          else if (c === 34) {
            this.inString = false;
            if (this.depth === 0) this.endElement(text, start, i + 1, emit);
          }
        } else if (this.bare) {
          if (c === 44 || c === 93 || isSpace(c)) {
            this.endElement(text, start, i, emit);
            i--; // the punctuation is read again after the element
          }
        } else if (c === 34) this.inString = true;
        else if (c === 123 || c === 91) this.depth++;
        else if (c === 125 || c === 93) {
          this.depth--;
          if (this.depth === 0) this.endElement(text, start, i + 1, emit);
        }
        continue;
      }
      if (isSpace(c)) continue;
      if (this.at === At.Start) {
        if (c !== 91) throw new ImportFileError(0, 'the body is not a JSON array: it must start with [');
        this.at = At.ElementStart;
      } else if (this.at === At.ElementStart) {
        if (c === 93 && this.rowNo === 0) this.at = At.End;
        else {
          this.at = At.Element;
          this.rowNo++;
          start = i;
          this.depth = c === 123 || c === 91 ? 1 : 0;
          this.inString = c === 34;
          this.bare = !this.inString && this.depth === 0;
        }
      } else if (this.at === At.AfterElement) {
        if (c === 44) this.at = At.ElementStart;
        else if (c === 93) this.at = At.End;
        else
          throw new ImportFileError(
            this.rowNo,
            `unexpected "${String.fromCharCode(c)}" after element ${this.rowNo} of the array: expected , or ]`,
          );
      } else {
        throw new ImportFileError(this.rowNo, 'text after the end of the JSON array');
      }
    }
    if (this.at === At.Element) this.element.add(text.slice(start));
  }

  finish(emit: (record: JsonRecord) => void): void {
    if (this.at === At.Element && this.bare) {
      this.endElement('', 0, 0, emit);
    }
    if (this.at === At.Start) throw new ImportFileError(0, 'the body is empty');
    if (this.at !== At.End)
      throw new ImportFileError(
        Math.max(this.rowNo, 1),
        `the JSON array is not closed (the file ends inside or after element ${this.rowNo})`,
      );
  }

  private endElement(text: string, from: number, to: number, emit: (record: JsonRecord) => void): void {
    this.element.add(text.slice(from, to));
    const { text: element, tooLong } = this.element.take();
    this.at = At.AfterElement;
    this.bare = false;
    this.depth = 0;
    emit(recordOf(this.rowNo, element, tooLong));
  }
}
