import { type CharReader, type CharWriter, CorruptPart, stringChars, uintChars } from './chars';

/**
 * Rule ids are long ("rule_3k9x…", 25 chars) and a part holds thousands: each is written as the number of
 * its prefix (everything up to the last char that is not a letter or digit) in a table the part holds
 * once, and the rest.
 */
export class RuleIds {
  readonly prefixes: string[];
  private readonly numbers = new Map<string, number>();

  constructor(prefixes: string[] = []) {
    this.prefixes = [...prefixes];
    for (const [i, p] of this.prefixes.entries()) this.numbers.set(p, i);
  }

  /** Chars of the prefix table itself. */
  get tableChars(): number {
    return this.prefixes.reduce((n, p) => n + stringChars(p), uintChars(this.prefixes.length));
  }

  /** Chars of one id (its prefix joins the table if new). */
  chars(id: string): number {
    const [prefix, rest] = split(id);
    return uintChars(this.number(prefix)) + stringChars(rest);
  }

  /** Forgets prefixes added after the table had `count` (an entry that did not fit after all). */
  truncate(count: number): void {
    for (const p of this.prefixes.splice(count)) this.numbers.delete(p);
  }

  writeTable(out: CharWriter): void {
    out.uint(this.prefixes.length);
    for (const p of this.prefixes) out.string(p);
  }

  static readTable(r: CharReader): RuleIds {
    const count = r.uint();
    const prefixes: string[] = [];
    for (let i = 0; i < count; i++) prefixes.push(r.string());
    return new RuleIds(prefixes);
  }

  write(out: CharWriter, id: string): void {
    const [prefix, rest] = split(id);
    out.uint(this.number(prefix));
    out.string(rest);
  }

  read(r: CharReader): string {
    const prefix = this.prefixes[r.uint()];
    if (prefix === undefined) throw new CorruptPart('rule id prefix');
    return prefix + r.string();
  }

  private number(prefix: string): number {
    let n = this.numbers.get(prefix);
    if (n === undefined) {
      n = this.prefixes.length;
      this.prefixes.push(prefix);
      this.numbers.set(prefix, n);
    }
    return n;
  }
}

const split = (id: string): [string, string] => {
  const prefix = /^.*[^0-9A-Za-z]/.exec(id)?.[0] ?? '';
  return [prefix, id.slice(prefix.length)];
};
