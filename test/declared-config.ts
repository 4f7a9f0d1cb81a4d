/**
 * What wrangler.toml declares (read by test/read-declared-config.ts in Node), handed to the workerd tests as
 * the TEST_DECLARED binding, so they compare the running Worker with the deployment description instead of
 * with a hand-kept copy.
 */
export type BindingKind = 'd1' | 'kv' | 'r2' | 'durable_object' | 'queue' | 'var';

export interface DeclaredConfig {
  bindings: { name: string; kind: BindingKind }[];
  /** [vars]: plain values the Worker must see unchanged */
  vars: Record<string, string>;
  /** [triggers] crons */
  crons: string[];
}
