import type { FieldIssue } from '../errors';
import { MAX_QUANTITY } from '../pricing/engine';
import type { Row } from './parse';
import { readQuantity } from './quantity';

/**
 * A company's part numbers as a file: `partNumber, sku, preferredQuantity, packQuantity, description`, in
 * that order, or in any order under a header row naming them (CSV, pasted columns or an XLSX sheet).
 */
export interface PartNumberRow {
  line: number;
  partNumber: string;
  sku: string;
  preferredQuantity: number | null;
  packQuantity: number;
  description: string | null;
}

type Field = 'partNumber' | 'sku' | 'preferredQuantity' | 'packQuantity' | 'description';
const ORDER: Field[] = ['partNumber', 'sku', 'preferredQuantity', 'packQuantity', 'description'];
const NAMES: Record<string, Field> = {
  partnumber: 'partNumber',
  part: 'partNumber',
  reference: 'partNumber',
  ourreference: 'partNumber',
  ref: 'partNumber',
  sku: 'sku',
  preferredquantity: 'preferredQuantity',
  quantity: 'preferredQuantity',
  qty: 'preferredQuantity',
  packquantity: 'packQuantity',
  pack: 'packQuantity',
  description: 'description',
};
const plain = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

function quantityCell(text: string, line: number, field: Field, issues: FieldIssue[]): number | null {
  const read = readQuantity(text);
  if (read.kind === 'none') return null;
  if (read.kind === 'value' && Number.isInteger(read.value) && read.value <= MAX_QUANTITY) return read.value;
  issues.push({ path: `rows.${line}.${field}`, message: `"${text}" is not a whole number of units` });
  return null;
}

export function partNumberRows(rows: readonly Row[]): { rows: PartNumberRow[]; issues: FieldIssue[] } {
  const filled = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const head = filled[0]?.cells.map((c) => NAMES[plain(c)]);
  const hasHeader = head?.includes('sku') ?? false;
  const columns = hasHeader && head ? head : ORDER;
  const issues: FieldIssue[] = [];
  const out = (hasHeader ? filled.slice(1) : filled).map((r) => {
    const cell = (f: Field) => (r.cells[columns.indexOf(f)] ?? '').trim();
    const partNumber = cell('partNumber');
    const sku = cell('sku');
    if (!partNumber || partNumber.length > 64)
      issues.push({ path: `rows.${r.line}.partNumber`, message: 'a reference of 1 to 64 characters' });
    if (!sku || sku.length > 64)
      issues.push({ path: `rows.${r.line}.sku`, message: 'a SKU of 1 to 64 characters' });
    const description = cell('description');
    return {
      line: r.line,
      partNumber,
      sku,
      preferredQuantity: quantityCell(cell('preferredQuantity'), r.line, 'preferredQuantity', issues),
      packQuantity: quantityCell(cell('packQuantity'), r.line, 'packQuantity', issues) ?? 1,
      description: description ? description.slice(0, 200) : null,
    };
  });
  return { rows: out, issues };
}
