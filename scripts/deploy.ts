import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { AccountState, EMPTY_ACCOUNT } from './deploy/account';
import { checkLoggedIn, readAccount, wrangler } from './deploy/account-reader';
import {
  generatedConfig,
  generatedConfigPath,
  needsOf,
  parseConfig,
  type ResourceIds,
} from './deploy/config';
import { CREATE_KINDS, describePlan, plan, type Step } from './deploy/plan';
import { readSecret } from './deploy/secret-input';

/**
 * `npm run deploy [-- --env staging] [--dry-run [--account-state file.json]]`: creates what the environment
 * lacks in the account, writes wrangler.<env>.generated.toml with the real ids, migrates, checks the secrets
 * and deploys (docs/deploy.md). The steps come from `plan` (scripts/deploy/plan.ts); a dry run prints them
 * and touches nothing, offline.
 */
const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'production' },
    'dry-run': { type: 'boolean', default: false },
    'account-state': { type: 'string' },
  },
});
const env = values.env;
const config = parseConfig(readFileSync('wrangler.toml', 'utf8'));
const needs = needsOf(config, env);

if (values['dry-run']) {
  const file = values['account-state'];
  const account = file ? v.parse(AccountState, JSON.parse(readFileSync(file, 'utf8'))) : EMPTY_ACCOUNT;
  console.log(
    `Dry run for ${env} (${needs.workerName}), assuming ${file ? `the account described in ${file}` : 'an empty account'}; nothing is called:\n`,
  );
  console.log(describePlan(plan(account, needs, env)));
} else {
  await deploy();
}

async function deploy(): Promise<void> {
  checkLoggedIn();
  const account = readAccount(env);
  const steps = plan(account, needs, env);
  console.log(`Deploying ${env} (${needs.workerName}):\n${describePlan(steps)}\n`);
  for (const step of steps.filter((s) => CREATE_KINDS.includes(s.kind))) run(step);

  // the ids of what was just created: read back from the account rather than from creation messages
  const after = steps.some((s) => CREATE_KINDS.includes(s.kind)) ? readAccount(env) : account;
  const ids: ResourceIds = {
    d1: Object.fromEntries(
      needs.d1.map((d) => [d.binding, after.d1.find((a) => a.name === d.name)?.id ?? '']),
    ),
    kv: Object.fromEntries(
      needs.kv.map((k) => [k.binding, after.kv.find((a) => a.title === k.title)?.id ?? '']),
    ),
  };
  writeFileSync(generatedConfigPath(env), generatedConfig(config, needs, ids));
  console.log(`Wrote ${generatedConfigPath(env)}.`);

  for (const step of steps.filter((s) => s.kind === 'migrate-d1' || s.kind === 'migrate-libsql')) run(step);

  const firstDeploySecrets: Record<string, string> = {};
  for (const step of steps.filter((s) => s.kind === 'secret')) {
    const name = step.secret ?? '';
    const value = await readSecret(name, step.command);
    if (step.command) {
      wrangler(step.command.slice(1), value);
      console.log(`Set ${name}.`);
    } else firstDeploySecrets[name] = value;
  }

  const deployCommand = steps.find((s) => s.kind === 'deploy')?.command;
  if (!deployCommand) throw new Error('the plan has no deploy step');
  const output = withSecretsFile(firstDeploySecrets, (file) =>
    wrangler([...deployCommand.slice(1), ...(file ? ['--secrets-file', file] : [])]),
  );
  console.log(output);
  const urls = [...new Set(output.match(/https:\/\/[^\s)]+/g) ?? [])].filter(
    (u) => !u.includes('cloudflare.com'),
  );
  console.log(urls.length > 0 ? `Deployed: ${urls.join(' ')}` : 'Deployed (no URL in wrangler’s answer).');
}

function run(step: Step): void {
  if (!step.command) return;
  console.log(`→ ${step.summary}`);
  const [program, ...args] = step.command;
  if (program === 'wrangler') console.log(wrangler(args).trim());
  else execFileSync('npx', step.command, { stdio: 'inherit' });
}

/** Secrets for a Worker that does not exist yet go with its first deploy, from a file only the user can read. */
function withSecretsFile<T>(secrets: Record<string, string>, use: (file: string | null) => T): T {
  if (Object.keys(secrets).length === 0) return use(null);
  const dir = mkdtempSync(join(tmpdir(), 'deploy-secrets-'));
  const file = join(dir, 'secrets.json');
  try {
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
