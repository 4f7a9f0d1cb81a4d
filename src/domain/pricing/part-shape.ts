import type { UnorderableReason } from './assortment';
import { type CharReader, type CharWriter, CorruptPart, uintChars } from './chars';
import type { LadderStep } from './engine';
import type { CatalogEntry } from './evaluate';
import type { RuleIds } from './rule-ids';

/**
 * Everything of a catalog entry but its SKU, list price, unit prices and replacement: orderability, lead
 * time, and the ladder's quantities and rule ids. Most products of a customer share one of a few dozen
 * shapes ("orderable, list price", "orderable, the category discount"), so a part stores each shared shape
 * once and a product refers to it; a shape used once (a SKU's own net price) is written inline.
 */
export interface Shape {
  orderable: boolean;
  reason: UnorderableReason | null;
  reasonRuleId: string | null;
  leadTimeDays: number;
  listNull: boolean;
  hasReplacement: boolean;
  steps: ShapeStep[];
}

interface ShapeStep {
  fromQuantity: number;
  tierMinQuantity: number;
  /** false: the step's unit price is the list price */
  explicit: boolean;
  /** the base rule is ruleIds[0]; false when the price starts from the list price (stacked discounts only) */
  hasBase: boolean;
  ruleIds: string[];
}

/** What skipping a record needs to know of its shape. */
export interface ShapeSummary {
  listNull: boolean;
  hasReplacement: boolean;
  explicitSteps: number;
  /** rule ids the record itself carries (its shape is a template) */
  recordRuleIds: number;
}

/** A shape as stored: in full, or as a template whose rule ids each record carries (a SKU's own rules). */
export interface StoredShape {
  shape: Shape;
  template: boolean;
}

const REASONS: (UnorderableReason | null)[] = [null, 'obsolete', 'not_orderable', 'no_price'];
// bits 1–2: the reason; the common flags stay below 64, one char
const F_ORDERABLE = 1;
const F_TEMPLATE = 8;
const F_REPLACEMENT = 16;
const F_REASON_RULE = 32;
const F_LIST_NULL = 64;

export function shapeOf(entry: CatalogEntry): Shape {
  return {
    orderable: entry.orderable,
    reason: entry.reason,
    reasonRuleId: entry.reasonRuleId,
    leadTimeDays: entry.leadTimeDays,
    listNull: entry.listMinor === null,
    hasReplacement: entry.replacementSku !== null,
    steps: entry.ladder.map((s) => ({
      fromQuantity: s.fromQuantity,
      tierMinQuantity: s.tierMinQuantity,
      explicit: entry.listMinor === null || s.unitMinor !== entry.listMinor,
      hasBase: s.ruleId !== null,
      ruleIds: s.ruleIds,
    })),
  };
}

/** Equal shapes give equal keys (a flat list: each step's head says how many rule ids follow it). */
export const shapeKey = (s: Shape): string =>
  JSON.stringify([
    flagsOf(s, false),
    s.leadTimeDays,
    s.reasonRuleId,
    ...s.steps.flatMap((step) => [step.fromQuantity, step.tierMinQuantity, stepHead(step), ...step.ruleIds]),
  ]);

/** Shapes that differ only in their rule ids give equal keys. */
export const templateKey = (s: Shape): string =>
  JSON.stringify([
    flagsOf(s, true),
    s.leadTimeDays,
    s.reasonRuleId,
    ...s.steps.flatMap((step) => [step.fromQuantity, step.tierMinQuantity, stepHead(step)]),
  ]);

export const ruleIdsOf = (s: Shape): string[] => s.steps.flatMap((step) => step.ruleIds);

const flagsOf = (s: Shape, template: boolean): number =>
  (s.orderable ? F_ORDERABLE : 0) |
  (REASONS.indexOf(s.reason) << 1) |
  (s.reasonRuleId !== null ? F_REASON_RULE : 0) |
  (s.hasReplacement ? F_REPLACEMENT : 0) |
  (s.listNull ? F_LIST_NULL : 0) |
  (template ? F_TEMPLATE : 0);

const stepHead = (step: ShapeStep): number =>
  step.ruleIds.length * 4 + (step.hasBase ? 0 : 2) + (step.explicit ? 1 : 0);

/** Chars of a shape (a template leaves out the rule ids of its steps). */
export function shapeChars(shape: Shape, ids: RuleIds, template: boolean): number {
  let n = uintChars(flagsOf(shape, template)) + uintChars(shape.leadTimeDays) + uintChars(shape.steps.length);
  if (shape.reasonRuleId !== null) n += ids.chars(shape.reasonRuleId);
  for (const step of shape.steps) {
    n += uintChars(step.fromQuantity) + uintChars(step.tierMinQuantity) + uintChars(stepHead(step));
  }
  if (!template) n += ruleIdChars(shape, ids);
  return n;
}

export const ruleIdChars = (shape: Shape, ids: RuleIds): number =>
  ruleIdsOf(shape).reduce((n, id) => n + ids.chars(id), 0);

export function writeShape(out: CharWriter, shape: Shape, ids: RuleIds, template: boolean): void {
  out.uint(flagsOf(shape, template));
  out.uint(shape.leadTimeDays);
  if (shape.reasonRuleId !== null) ids.write(out, shape.reasonRuleId);
  out.uint(shape.steps.length);
  for (const step of shape.steps) {
    out.uint(step.fromQuantity);
    out.uint(step.tierMinQuantity);
    out.uint(stepHead(step));
  }
  if (!template) for (const id of ruleIdsOf(shape)) ids.write(out, id);
}

export function readShape(r: CharReader, ids: RuleIds): StoredShape {
  const flags = r.uint();
  const reason = REASONS[(flags >> 1) & 3];
  if (reason === undefined || flags >= F_LIST_NULL * 2) throw new CorruptPart('shape flags');
  const template = (flags & F_TEMPLATE) !== 0;
  const leadTimeDays = r.uint();
  const reasonRuleId = flags & F_REASON_RULE ? ids.read(r) : null;
  const count = r.uint();
  const heads: { fromQuantity: number; tierMinQuantity: number; head: number }[] = [];
  for (let i = 0; i < count; i++)
    heads.push({ fromQuantity: r.uint(), tierMinQuantity: r.uint(), head: r.uint() });
  const steps = heads.map(({ fromQuantity, tierMinQuantity, head }): ShapeStep => {
    const ruleIds: string[] = [];
    for (let k = 0; k < Math.floor(head / 4); k++) ruleIds.push(template ? '' : ids.read(r));
    return { fromQuantity, tierMinQuantity, explicit: (head & 1) === 1, hasBase: (head & 2) === 0, ruleIds };
  });
  const shape: Shape = {
    orderable: (flags & F_ORDERABLE) !== 0,
    reason,
    reasonRuleId,
    leadTimeDays,
    listNull: (flags & F_LIST_NULL) !== 0,
    hasReplacement: (flags & F_REPLACEMENT) !== 0,
    steps,
  };
  return { shape, template };
}

/** A template's shape with the rule ids a record carries. */
export function withRuleIds(template: Shape, r: CharReader, ids: RuleIds): Shape {
  return {
    ...template,
    steps: template.steps.map((step) => ({ ...step, ruleIds: step.ruleIds.map(() => ids.read(r)) })),
  };
}

export const summaryOf = ({ shape, template }: StoredShape): ShapeSummary => ({
  listNull: shape.listNull,
  hasReplacement: shape.hasReplacement,
  explicitSteps: shape.steps.filter((s) => s.explicit).length,
  recordRuleIds: template ? ruleIdsOf(shape).length : 0,
});

/** The entry a record describes: its shape filled with its own SKU, prices and replacement. */
export function entryOf(
  sku: string,
  shape: Shape,
  listMinor: number | null,
  units: readonly number[],
  replacementSku: string | null,
): CatalogEntry {
  let u = 0;
  const ladder = shape.steps.map((step): LadderStep => {
    const unitMinor = step.explicit ? units[u++] : listMinor;
    if (unitMinor === undefined || unitMinor === null) throw new CorruptPart('unit price');
    return {
      unitMinor,
      listMinor,
      ruleId: step.hasBase ? (step.ruleIds[0] ?? null) : null,
      // a copy: entries sharing a shape must not share arrays a caller could change
      ruleIds: [...step.ruleIds],
      tierMinQuantity: step.tierMinQuantity,
      fromQuantity: step.fromQuantity,
    };
  });
  return {
    sku,
    orderable: shape.orderable,
    reason: shape.reason,
    reasonRuleId: shape.reasonRuleId,
    leadTimeDays: shape.leadTimeDays,
    replacementSku,
    listMinor,
    ladder,
  };
}
