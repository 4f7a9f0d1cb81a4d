import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Runs the project's own wrangler (the pinned version) with this Node, without `npx`: npx adds an npm
 * and a shell process that swallow signals, leaving an orphaned `wrangler dev` behind on SIGTERM.
 */
export const WRANGLER_BIN = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin',
  'wrangler.js',
);

// CI=true: wrangler never prompts (migrations apply, d1 execute), so scripts run unattended
export const UNATTENDED_ENV = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };

/** A wrangler command whose output we need; its stderr and stdout end up in the error when it fails. */
export function runWrangler(args: string[]): string {
  try {
    return execFileSync(process.execPath, [WRANGLER_BIN, ...args], {
      env: UNATTENDED_ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(
      `wrangler ${args.slice(0, 3).join(' ')} failed:\n${failed.stderr ?? ''}${failed.stdout ?? ''}`.trim(),
    );
  }
}

/** A long-running wrangler (dev); bin/wrangler.js forwards SIGINT and SIGTERM to the real CLI. */
export function spawnWrangler(args: string[], options: SpawnOptions): ChildProcess {
  return spawn(process.execPath, [WRANGLER_BIN, ...args], options);
}
