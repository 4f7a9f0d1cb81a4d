import type { Database } from '../db/client';
import { batchGroups } from '../db/queries/bulk';
import {
  type CompanyConfig,
  companyConfigFrom,
  companyConfigQueries,
  type UserFacts,
  userFactQueries,
  userFactsFrom,
} from '../db/queries/orders';
import { fingerprintQuery } from '../db/queries/pricing-inputs';
import { spendPeriodBounds } from '../domain/approvals';

/**
 * How long the object trusts its copy of the company's checkout facts without hearing of a change. The
 * company's configuration routes tell the object at once (`companyFactsChanged`, routes/company-facts.ts);
 * this bound only heals a lost message or a change made outside the API (SQL by hand).
 */
export const COMPANY_FACTS_MAX_AGE_MS = 30_000;
const MAX_USERS = 1_000;

interface Dated<T> {
  value: T;
  at: number;
}

const isFresh = (d: Dated<unknown> | undefined | null, now: number): d is Dated<unknown> =>
  d !== undefined && d !== null && now >= d.at && now - d.at < COMPANY_FACTS_MAX_AGE_MS;

/** The cap orders were read for the period the user's cap is in now (a new day, week or month reads again). */
const coversNow = (u: UserFacts, now: number): boolean =>
  u.periodLimit === null || spendPeriodBounds(u.periodLimit.period, now).start === u.capBounds?.start;

/**
 * What checkout decides with, held by the company's object so that a checkout needs no SQL read before its
 * decision: the company's configuration (addresses, cost centers, the cost-center rule, approval policies,
 * budgets) and, per user, their limits, last order and the orders SQL counts against their cap. The object
 * keeps its copy current itself where it is the writer (every order goes through it: `ordered`,
 * `ordersChanged`); the configuration routes tell it of their writes (`changed`). A read that was under way
 * when a change arrived serves its own checkout (which then ran before the change) but is not kept.
 */
export class CompanyFacts {
  private config: Dated<CompanyConfig> | null = null;
  private readonly users = new Map<string, Dated<UserFacts>>();
  private configEpoch = 0;
  private userEpoch = 0;

  constructor(private readonly companyId: string) {}

  /** The facts of the company and the user, reading what is missing or too old (and the fingerprint when asked) in one batch. */
  async read(db: Database, userId: string, now: number, withFingerprint: boolean) {
    const config = isFresh(this.config, now) ? this.config.value : null;
    const cached = this.users.get(userId);
    const user = isFresh(cached, now) && coversNow(cached.value, now) ? cached.value : null;
    if (config && user && !withFingerprint) return { config, user, fingerprint: undefined };
    const [configEpoch, userEpoch] = [this.configEpoch, this.userEpoch];
    const rows = await batchGroups(db, {
      config: config ? null : companyConfigQueries(db, this.companyId),
      user: user ? null : userFactQueries(db, this.companyId, userId, now),
      assignment: withFingerprint ? { row: fingerprintQuery(db, this.companyId) } : null,
    });
    const readConfig = rows.config ? companyConfigFrom(rows.config) : null;
    const readUser = rows.user ? userFactsFrom(rows.user, now) : null;
    if (readConfig && configEpoch === this.configEpoch) this.config = { value: readConfig, at: now };
    if (readUser && userEpoch === this.userEpoch) this.remember(userId, readUser, now);
    const both = { config: config ?? readConfig, user: user ?? readUser };
    if (!both.config || !both.user) throw new Error('checkout facts missing after their read');
    return {
      config: both.config,
      user: both.user,
      /** null: the company has no fingerprint yet; undefined: not asked for */
      fingerprint: rows.assignment ? (rows.assignment.row[0]?.fingerprint ?? null) : undefined,
    };
  }

  /** The company's configuration changed (a configuration route wrote): read everything again. */
  changed(): void {
    this.configEpoch++;
    this.userEpoch++;
    this.config = null;
    this.users.clear();
  }

  /** The object wrote an order for the user: it is their last order, and they have ordered. */
  ordered(userId: string, order: { shipToSiteId: string; costCenterId: string | null; at: number }): void {
    this.userEpoch++;
    const hit = this.users.get(userId);
    if (!hit || (hit.value.lastAt !== null && hit.value.lastAt > order.at)) return;
    const last = { shipToSiteId: order.shipToSiteId, costCenterId: order.costCenterId };
    hit.value = { ...hit.value, last, lastAt: order.at };
  }

  /** An order was rejected, cancelled or recovered: what SQL counts against caps may differ. */
  ordersChanged(): void {
    this.userEpoch++;
    this.users.clear();
  }

  private remember(userId: string, facts: UserFacts, now: number): void {
    this.users.delete(userId);
    this.users.set(userId, { value: facts, at: now });
    for (const key of this.users.keys()) {
      if (this.users.size <= MAX_USERS) break;
      this.users.delete(key);
    }
  }
}
