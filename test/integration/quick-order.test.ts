import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';
import { buildFor } from './pricing-helpers';
import { acmeCases, type QuickLine, resolve, resolved, setMpn } from './quick-order-helpers';

let buyer: string;
let cases: Awaited<ReturnType<typeof acmeCases>>;

beforeAll(async () => {
  buyer = await loginAs('buyer@acme.example');
  await buildFor('co_acme');
  cases = await acmeCases();
  // before the first resolve of this file: the isolate keeps the catalog's references (checked every 30 s)
  await setMpn(cases.second, 'MK-4410-B');
});

const byLine = (lines: QuickLine[], n: number) => lines.find((l) => l.line === n);
// a letter where the dash was: one edit away after normalisation, and no SKU of the catalog
const typo = (sku: string) => sku.replace('-', 'X');

describe('POST /v1/quick-order/resolve', () => {
  it('answers every line in input order with exactly one outcome, and counts them', async () => {
    const { plain, plainStock, second, multiple, hidden, blocked, obsolete } = cases;
    const paste = [
      `${plain}\t2\tpour le chantier Dupont`,
      `${multiple.sku}\t${multiple.order_multiple + 1}`,
      `${obsolete.sku}\t1`,
      `${typo(second)}\t3`,
      `${hidden}\t1`,
      `${blocked}\t1`,
      `${plain}\t${plainStock + 5}`,
      '',
      `${second}\t4`,
      `${second.toLowerCase()}\t6\tpour l'atelier`,
    ].join('\n');
    const answer = await resolved(buyer, paste);
    expect(answer.lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10]);
    // two lines name `plain`: they merge (2 + stock+5 → short stock on the first line)
    const first = byLine(answer.lines, 1);
    expect(first).toMatchObject({
      outcome: 'short_stock',
      sku: plain,
      quantity: plainStock + 7,
      availableQuantity: plainStock,
    });
    expect(first?.text).toBe(`${plain}\t2\tpour le chantier Dupont`);
    expect(first?.price?.unitMinor).toBeGreaterThan(0);
    expect(byLine(answer.lines, 7)).toMatchObject({ outcome: 'merged', mergedInto: 1 });
    expect(byLine(answer.lines, 2)).toMatchObject({
      outcome: 'adjusted',
      quantity: multiple.order_multiple * 2,
      rules: ['multiple'],
    });
    expect(byLine(answer.lines, 3)).toMatchObject({
      outcome: 'replaced',
      replacement: { sku: obsolete.replacement_sku },
    });
    expect(byLine(answer.lines, 3)?.replacement?.price?.unitMinor).toBeGreaterThan(0);
    const unknown = byLine(answer.lines, 4);
    expect(unknown?.outcome).toBe('unknown');
    expect(unknown?.closeMatches?.map((m) => m.sku)).toContain(second);
    expect(unknown?.closeMatches?.length).toBeLessThanOrEqual(3);
    expect(byLine(answer.lines, 5)).toMatchObject({
      outcome: 'not_available',
      salesRep: { email: 'rep@supplier.example' },
    });
    expect(byLine(answer.lines, 6)).toMatchObject({ outcome: 'not_orderable', reason: 'not_orderable' });
    // the same SKU in another case is the same product; notes of merged lines are kept together
    expect(byLine(answer.lines, 9)).toMatchObject({ outcome: 'ok', sku: second, quantity: 10 });
    expect(byLine(answer.lines, 9)?.note).toBe("pour l'atelier");
    expect(byLine(answer.lines, 10)).toMatchObject({ outcome: 'merged', mergedInto: 9 });
    expect(answer.summary).toMatchObject({
      lines: 9,
      ok: 1,
      adjusted: 1,
      replaced: 1,
      unknown: 1,
      not_available: 1,
      not_orderable: 1,
      short_stock: 1,
      merged: 2,
    });
  });

  it('reads the usual shapes: CSV with a header, semicolons with a decimal comma, "qty x SKU", JSON lines and JSON', async () => {
    const { plain, second } = cases;
    const csv = await resolved(
      buyer,
      `Reference,Quantity,Note\n"${plain}",3,"chantier, lot 2"\n${second},2,`,
      'text/csv',
    );
    expect(csv.lines).toMatchObject([
      { line: 2, sku: plain, quantity: 3, note: 'chantier, lot 2', outcome: 'ok' },
      { line: 3, sku: second, quantity: 2 },
    ]);
    const semi = await resolved(buyer, `${plain};1,5;note A\n${second};2;`);
    expect(semi.lines[0]).toMatchObject({
      outcome: 'adjusted',
      quantity: 2,
      rules: ['whole_units'],
      note: 'note A',
    });
    const spaced = await resolved(
      buyer,
      `3 x ${plain}\n${second} 4 pour le chantier\n{"sku": "${plain.toLowerCase()}", "quantity": 1}`,
    );
    expect(spaced.lines[0]).toMatchObject({ sku: plain, quantity: 4, outcome: 'ok' });
    expect(spaced.lines[1]).toMatchObject({ sku: second, quantity: 4, note: 'pour le chantier' });
    expect(spaced.lines[2]).toMatchObject({ outcome: 'merged', mergedInto: 1 });
    const viaJson = await call('/v1/quick-order/resolve', {
      method: 'POST',
      token: buyer,
      body: { text: `${plain}\t2` },
    });
    expect(viaJson.status).toBe(200);
    expect((await json<{ lines: QuickLine[] }>(viaJson)).lines[0]).toMatchObject({ sku: plain, quantity: 2 });
  });

  it('offers close matches: dashes, leading zeros, the missing prefix, the maker’s reference, the company’s own', async () => {
    const { second } = cases;
    const number = second.replace(/^\D+-?0*/, '');
    const prefix = second.split('-')[0] ?? '';
    await call('/v1/company/part-numbers', {
      method: 'POST',
      token: buyer,
      body: { partNumber: 'ACME-VIS-001', sku: second },
    });
    const answer = await resolved(
      buyer,
      [`${prefix}${number} 1`, `${number} 1`, 'mk4410b 1', 'ACME-VIS-00l 1'].join('\n'),
    );
    const [dashless, numberOnly, maker, ownTypo] = answer.lines;
    expect(dashless?.closeMatches?.[0]).toMatchObject({ sku: second, matchedBy: 'normalised' });
    expect(numberOnly?.closeMatches?.[0]).toMatchObject({ sku: second, matchedBy: 'normalised' });
    expect(maker?.closeMatches?.[0]).toMatchObject({
      sku: second,
      matchedBy: 'manufacturer_part_number',
      matched: 'MK-4410-B',
    });
    expect(ownTypo?.closeMatches?.[0]).toMatchObject({ sku: second, matchedBy: 'company_part_number' });
    // the company's own reference, typed right, names the SKU directly
    const own = await resolved(buyer, 'acme vis 1\t5');
    expect(own.lines[0]).toMatchObject({
      outcome: 'ok',
      sku: second,
      matchedBy: 'company_part_number',
      quantity: 5,
    });
  });

  it('never suggests a hidden product, nor another company’s part numbers', async () => {
    const globex = await loginAs('buyer@globex.example');
    await call('/v1/company/part-numbers', {
      method: 'POST',
      token: await loginAs('admin@globex.example'),
      body: { partNumber: 'GLOBEX-SECRET-77', sku: cases.plain },
    });
    const answer = await resolved(
      buyer,
      [`${typo(cases.hidden)} 1`, 'GLOBEX-SECRET-77 1', 'GLOBEX-SECRET-78 1'].join('\n'),
    );
    expect(answer.lines[0]?.closeMatches?.map((m) => m.sku) ?? []).not.toContain(cases.hidden);
    expect(answer.lines[1]).toMatchObject({ outcome: 'unknown', closeMatches: [] });
    expect(answer.lines[2]).toMatchObject({ outcome: 'unknown', closeMatches: [] });
    // Globex itself resolves its own reference
    expect((await resolved(globex, 'GLOBEX-SECRET-77 1')).lines[0]).toMatchObject({ sku: cases.plain });
  });
});

describe('bad input', () => {
  it('documents the JSON body, so the shared text checks cover it', async () => {
    const doc = await json<{ paths: Record<string, { post?: { requestBody?: unknown } }> }>(
      await call('/openapi.json'),
    );
    expect(doc.paths['/v1/quick-order/resolve']?.post?.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { text: expect.anything() } } } },
    });
    const control = await resolve(buyer, JSON.stringify({ text: 'FAS\u0000 1' }), 'application/json');
    expect((await expectProblem(control, 400)).errors).toEqual([
      expect.objectContaining({ in: 'body', path: 'text' }),
    ]);
  });

  it('an empty paste, blank lines or binary garbage are a 400; 5,000 lines and 10 MB a 413 with the limit', async () => {
    expect((await expectProblem(await resolve(buyer, ''), 400)).errors?.[0]?.path).toBe('text');
    await expectProblem(await resolve(buyer, '\n   \n\t\n'), 400);
    await expectProblem(await resolve(buyer, 'AB\u0000\u0001\u0002CD\n'), 400);
    const garbage = new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0x9f, 0xc3, 0x28]);
    const bin = await call('/v1/quick-order/resolve', {
      method: 'POST',
      token: buyer,
      body: new TextDecoder('latin1').decode(garbage),
      headers: { 'content-type': 'text/plain' },
    });
    expect(bin.status).toBe(400);
    const many = await expectProblem(await resolve(buyer, `${cases.plain} 1\n`.repeat(5_000)), 413);
    expect(many.detail).toContain('1,000');
    const huge = await expectProblem(await resolve(buyer, 'x'.repeat(10 * 1024 * 1024)), 413);
    expect(huge.detail).toContain('2097152');
    await expectProblem(
      await call('/v1/quick-order/resolve', {
        method: 'POST',
        token: buyer,
        body: 'x',
        headers: { 'content-type': 'application/xml' },
      }),
      415,
    );
  });

  it('odd quantities and a 40-column line get a per-line outcome, and nothing reaches the cart', async () => {
    const before = await json<{ lines: unknown[]; version: number }>(
      await call('/v1/carts/current', { token: buyer }),
    );
    const wide = [cases.second, '2', 'note', ...Array.from({ length: 37 }, (_, i) => `col${i}`)].join(';');
    const answer = await resolved(
      buyer,
      [
        `${cases.plain};1e9`,
        `${cases.plain};-3`,
        `${cases.plain};abc`,
        `${cases.second};1,5`,
        wide,
        ';;;',
        ';7;x',
      ].join('\n'),
    );
    expect(answer.lines.map((l) => [l.outcome, l.reason ?? null])).toEqual([
      ['not_orderable', 'quantity_too_large'],
      ['not_orderable', 'invalid_quantity'],
      ['not_orderable', 'invalid_quantity'],
      ['adjusted', null],
      ['merged', null],
      ['unknown', null],
    ]);
    expect(answer.lines.at(-1)).toMatchObject({ line: 7, message: 'this line names no product' });
    const after = await json<{ lines: unknown[]; version: number }>(
      await call('/v1/carts/current', { token: buyer }),
    );
    expect(after.version).toBe(before.version);
    expect(after.lines.length).toBe(before.lines.length);
  });
});
