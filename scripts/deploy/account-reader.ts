import { execFileSync } from 'node:child_process';
import { UNATTENDED_ENV, WRANGLER_BIN } from '../wrangler';
import {
  type AccountState,
  parseD1List,
  parseKvList,
  parseQueuesTable,
  parseR2List,
  parseSecretList,
} from './account';

/** Runs the project's wrangler unattended; the output is returned, a failure throws with wrangler's words. */
export function wrangler(args: string[], input?: string): string {
  try {
    return execFileSync(process.execPath, [WRANGLER_BIN, ...args], {
      env: UNATTENDED_ENV,
      encoding: 'utf8',
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(
      `wrangler ${args.join(' ')} failed:\n${failed.stderr ?? ''}${failed.stdout ?? ''}`.trim(),
    );
  }
}

/** `wrangler whoami --json` exits non-zero when nobody is logged in. */
export function checkLoggedIn(): void {
  try {
    wrangler(['whoami', '--json']);
  } catch {
    throw new Error(
      'wrangler is not logged in: run `npx wrangler login`, or set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID when the token reaches several accounts).',
    );
  }
}

// the queue listing is paged; an account past this many pages is not what this script is for
const MAX_QUEUE_PAGES = 50;

function listQueues(): string[] {
  const names: string[] = [];
  for (let page = 1; page <= MAX_QUEUE_PAGES; page++) {
    const found = parseQueuesTable(wrangler(['queues', 'list', '--page', String(page)]));
    if (found.length === 0) break;
    names.push(...found);
  }
  return names;
}

function listSecrets(env: string): string[] | null {
  try {
    return parseSecretList(
      wrangler(['secret', 'list', '--format', 'json', '--config', 'wrangler.toml', '--env', env]),
    );
  } catch (error) {
    // the first deploy: there is no Worker to hold secrets yet (API error 10007, "This Worker does not exist")
    if (/10007|does not exist|not found/i.test(String(error))) return null;
    throw error;
  }
}

export function readAccount(env: string): AccountState {
  return {
    d1: parseD1List(wrangler(['d1', 'list', '--json'])),
    kv: parseKvList(wrangler(['kv', 'namespace', 'list'])),
    r2: parseR2List(wrangler(['r2', 'bucket', 'list'])),
    queues: listQueues(),
    secrets: listSecrets(env),
  };
}
