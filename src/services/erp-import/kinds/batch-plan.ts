import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../../../db/client';
import { runBatch } from '../../../db/queries/bulk';

/**
 * The statements of one chunk's batch (atomic), each group named so its rows can be picked from the
 * answers afterwards: `plan.add('written', statements)`, then `(await plan.run(db)).rows('written')`.
 */
export class BatchPlan {
  private readonly statements: BatchItem<'sqlite'>[] = [];
  private readonly slots = new Map<string, [number, number]>();

  add(name: string, statements: readonly BatchItem<'sqlite'>[]): this {
    const [from, to] = this.slots.get(name) ?? [this.statements.length, this.statements.length];
    if (to !== this.statements.length) throw new Error(`batch group ${name} must be added in one run`);
    this.statements.push(...statements);
    this.slots.set(name, [from, this.statements.length]);
    return this;
  }

  async run(db: Database): Promise<{ rows<T>(name: string): T[] }> {
    const results = await runBatch<unknown[]>(db, this.statements);
    return {
      rows: <T>(name: string) => {
        const [from, to] = this.slots.get(name) ?? [0, 0];
        return results.slice(from, to).flat() as T[];
      },
    };
  }
}
