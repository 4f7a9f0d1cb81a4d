/** Small helpers shared by the command-line scripts. */
export function parseProducts(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--products must be a positive integer, got "${text}"`);
  return n;
}

export const describeRows = (rows: Record<string, number>): string =>
  Object.entries(rows)
    .map(([table, n]) => `${table} ${n}`)
    .join(', ');

export const totalRows = (rows: Record<string, number>): number =>
  Object.values(rows).reduce((s, n) => s + n, 0);
