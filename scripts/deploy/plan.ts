import type { AccountState } from './account';
import { type ConfigNeeds, generatedConfigPath } from './config';

/**
 * The deployment as a list of steps, computed from what the account holds and what the environment needs:
 * a pure function, so an empty, a partial and a complete account are tested without Cloudflare, and a dry
 * run prints exactly what a real run would do. Only what is missing is created; a second run against the
 * account the first one left plans no creation and no secret.
 */

export type StepKind =
  | 'create-d1'
  | 'create-kv'
  | 'create-r2'
  | 'create-queue'
  | 'write-config'
  | 'migrate-d1'
  | 'migrate-libsql'
  | 'secret'
  | 'deploy';

export interface Step {
  kind: StepKind;
  /** what the step does, in a sentence */
  summary: string;
  /** the command it runs (`npx` omitted); null when the step runs inside the script or with another step */
  command: string[] | null;
  /** a secret step: the secret's name */
  secret?: string;
}

export const CREATE_KINDS: readonly StepKind[] = ['create-d1', 'create-kv', 'create-r2', 'create-queue'];

/** Secrets the environment needs: its own list, plus the libSQL token when LIBSQL_URL is already a secret. */
export function requiredSecrets(account: AccountState, needs: ConfigNeeds): string[] {
  const libsqlBySecret = account.secrets?.includes('LIBSQL_URL') ?? false;
  return [...new Set([...needs.secrets, ...(libsqlBySecret ? ['LIBSQL_AUTH_TOKEN'] : [])])];
}

export function plan(account: AccountState, needs: ConfigNeeds, env: string): Step[] {
  if (needs.env !== env) throw new Error(`the needs were read for ${needs.env}, not ${env}`);
  const config = generatedConfigPath(env);
  const target = ['--config', config, '--env', env];
  const steps: Step[] = [];
  const d1Names = new Set(account.d1.map((d) => d.name));
  const kvTitles = new Set(account.kv.map((k) => k.title));
  const buckets = new Set(account.r2);
  const queues = new Set(account.queues);

  for (const d of needs.d1.filter((d) => !d1Names.has(d.name)))
    steps.push({
      kind: 'create-d1',
      summary: `create the D1 database ${d.name} (${d.binding})`,
      command: ['wrangler', 'd1', 'create', d.name],
    });
  for (const k of needs.kv.filter((k) => !kvTitles.has(k.title)))
    steps.push({
      kind: 'create-kv',
      summary: `create the KV namespace ${k.title} (${k.binding})`,
      command: ['wrangler', 'kv', 'namespace', 'create', k.title],
    });
  for (const name of needs.r2.filter((name) => !buckets.has(name)))
    steps.push({
      kind: 'create-r2',
      summary: `create the R2 bucket ${name}`,
      command: ['wrangler', 'r2', 'bucket', 'create', name],
    });
  for (const name of needs.queues.filter((name) => !queues.has(name)))
    steps.push({
      kind: 'create-queue',
      summary: `create the queue ${name}`,
      command: ['wrangler', 'queues', 'create', name],
    });

  const resources = [...needs.d1.map((d) => d.name), ...needs.kv.map((k) => k.title)].join(', ');
  steps.push({
    kind: 'write-config',
    summary: `write ${config} (git-ignored) with the ids of ${resources}`,
    command: null,
  });
  // the schema first: the code about to go out may read columns the migrations add (docs/deploy.md)
  for (const d of needs.d1)
    steps.push({
      kind: 'migrate-d1',
      summary: `apply the pending migrations to ${d.name}`,
      command: ['wrangler', 'd1', 'migrations', 'apply', d.binding, '--remote', ...target],
    });
  if (needs.libsql)
    steps.push({
      kind: 'migrate-libsql',
      summary: `apply the pending migrations to the libSQL database ${needs.vars.LIBSQL_URL} (LIBSQL_AUTH_TOKEN from the shell)`,
      command: ['tsx', 'scripts/libsql.ts', 'migrate', '--url', needs.vars.LIBSQL_URL ?? ''],
    });

  const workerExists = account.secrets !== null;
  const present = new Set(account.secrets ?? []);
  for (const name of requiredSecrets(account, needs).filter((name) => !present.has(name)))
    steps.push(
      workerExists
        ? {
            kind: 'secret',
            summary: `set the secret ${name} (missing)`,
            command: ['wrangler', 'secret', 'put', name, ...target],
            secret: name,
          }
        : {
            kind: 'secret',
            summary: `set the secret ${name} with the first deploy (the Worker does not exist yet)`,
            command: null,
            secret: name,
          },
    );
  steps.push({
    kind: 'deploy',
    summary: `deploy the Worker ${needs.workerName}`,
    command: ['wrangler', 'deploy', ...target],
  });
  return steps;
}

export function describePlan(steps: Step[]): string {
  return steps
    .map((step, i) => {
      const command = step.command ? `\n     $ npx ${step.command.join(' ')}` : '';
      return `${String(i + 1).padStart(2)}. ${step.summary}${command}`;
    })
    .join('\n');
}
