import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { text, untrimmedText } from '../../src/routes/schemas';

const line = text({ max: 50 });
const multiline = text({ max: 50, min: 0, multiline: true });
const password = untrimmedText({ max: 50, min: 1 });
const ok = (schema: v.GenericSchema, value: string) => v.safeParse(schema, value).success;

describe('the shared text schema', () => {
  it.each([
    ['NUL', '\u0000'],
    ['SOH', '\u0001'],
    ['ESC', '\u001b'],
    ['US', '\u001f'],
    ['DEL', '\u007f'],
    ['C1 NEL', '\u0085'],
    ['C1 APC', '\u009f'],
    ['lone high surrogate', '\ud800'],
    ['lone low surrogate', '\udfff'],
    ['vertical tab', '\u000b'],
    ['form feed', '\u000c'],
  ])('refuses %s everywhere', (_name, bad) => {
    for (const schema of [line, multiline, password]) expect(ok(schema, `ab${bad}cd`)).toBe(false);
  });

  it('takes line breaks and tabs only in multi-line text', () => {
    expect(ok(multiline, 'first line\n\tsecond\r\nthird')).toBe(true);
    expect(ok(line, 'first\nsecond')).toBe(false);
    expect(ok(line, 'a\tb')).toBe(false);
    expect(ok(password, 'pass\tword')).toBe(false);
  });

  it('keeps real text: accents, emoji (paired surrogates), CJK, non-breaking spaces', () => {
    for (const value of ['Écrou à œil', 'Bolt 🔩 M8', '六角ボルト', 'a\u00a0b', 'ß\u200d']) {
      expect(ok(line, value)).toBe(true);
    }
  });

  it('trims (line breaks around a single-line value are trimmed away, not refused) and keeps passwords as sent', () => {
    expect(v.parse(line, '  hex bolt\n')).toBe('hex bolt');
    expect(v.parse(password, ' secret ')).toBe(' secret ');
    expect(ok(line, '   ')).toBe(false);
  });
});
