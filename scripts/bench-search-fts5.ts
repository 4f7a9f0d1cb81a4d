import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import type { Engine } from './bench-search-libraries';
import { expandSynonyms, fieldsOf, fold, partNumbersBySku } from './bench-search-libraries';

/**
 * SQLite FTS5 in the comparison, through libSQL on a temporary file (what D1 runs): `trigram` is what the
 * catalog's `q` does today (migrations/0001_products_search.sql: every word of 3+ characters as a quoted
 * substring, AND-ed), ranked here by bm25 with column weights; `unicode61` folds accents and matches each word
 * as a prefix, AND-ed, falling back to OR when the AND finds nothing.
 */
const COLUMNS = ['sku', 'refs', 'name', 'fr', 'de', 'family', 'brand', 'category', 'description'] as const;
const WEIGHTS = [6, 6, 3, 3, 3, 1.5, 1, 1, 0.5];

export function fts5Engine(tokenizer: 'trigram' | 'unicode61'): Engine {
  return {
    name: tokenizer === 'trigram' ? 'FTS5 trigram (today’s q)' : 'FTS5 unicode61, prefix',
    async build(docs, fixture) {
      const dir = mkdtempSync(join(tmpdir(), 'fts5-'));
      const file = join(dir, 'search.db');
      const db = createClient({ url: `file:${file}` });
      const tokenize = tokenizer === 'trigram' ? 'trigram' : 'unicode61 remove_diacritics 2';
      await db.execute(`CREATE VIRTUAL TABLE docs USING fts5(${COLUMNS.join(', ')}, tokenize='${tokenize}')`);
      const partNumbers = partNumbersBySku(fixture);
      const placeholders = COLUMNS.map(() => '?').join(',');
      for (let i = 0; i < docs.length; i += 500) {
        await db.batch(
          docs.slice(i, i + 500).map((d) => {
            const f = fieldsOf(d, partNumbers);
            return {
              sql: `INSERT INTO docs (${COLUMNS.join(',')}) VALUES (${placeholders})`,
              args: COLUMNS.map((c) => f[c]),
            };
          }),
          'write',
        );
      }
      await db.execute("INSERT INTO docs(docs) VALUES ('optimize')");
      const rank = `bm25(docs, ${WEIGHTS.join(', ')})`;
      const run = async (match: string) =>
        (
          await db.execute({
            sql: `SELECT sku FROM docs WHERE docs MATCH ? ORDER BY ${rank} LIMIT 3`,
            args: [match],
          })
        ).rows.map((r) => String(r.sku));
      return {
        search: async (q) => {
          const words = fold(expandSynonyms(q, fixture.synonyms))
            .replace(/[^\p{L}\p{N}\s.²°/-]/gu, ' ')
            .split(/\s+/)
            .filter(Boolean);
          if (tokenizer === 'trigram') {
            const long = words.filter((w) => w.length >= 3);
            if (long.length === 0) return [];
            return run(long.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND '));
          }
          const terms = words.map((w) => w.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()).filter(Boolean);
          if (terms.length === 0) return [];
          const phrase = (t: string) => `"${t}"*`;
          const all = await run(terms.map(phrase).join(' AND '));
          return all.length > 0 ? all : run(terms.map(phrase).join(' OR '));
        },
        serializedBytes: () => statSync(file).size,
        close: () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  };
}
