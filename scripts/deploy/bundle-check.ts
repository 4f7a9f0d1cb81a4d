/**
 * The deploy check's rules, pure: module sizes against the budget, and the bindings the code's `Env` needs
 * against what an environment declares. scripts/deploy-check.ts measures and reads; this decides.
 */

export interface ModuleSize {
  name: string;
  raw: number;
  gzip: number;
}

export interface BundleBudget {
  /** the Worker's own code (the entry module) */
  mainRaw: number;
  mainGzip: number;
  /** everything uploaded (entry module + text modules): Cloudflare's limit is on the compressed total */
  totalGzip: number;
}

/**
 * Measured 2026-11-30 by this check (`wrangler deploy --dry-run --env production`, minified, gzip level 9):
 * index.js 1,515 kB raw, 436 kB gzip; the Scalar /docs text module 4,858 kB raw, 1,405 kB gzip; 1,841 kB
 * gzip uploaded in all. About 15 % headroom each; Workers Paid accepts 10 MB compressed, Workers Free 3 MB.
 */
export const BUNDLE_BUDGET: BundleBudget = {
  mainRaw: 1_750_000,
  mainGzip: 500_000,
  totalGzip: 2_100_000,
};

export function bundleProblems(modules: ModuleSize[], main: string, budget: BundleBudget): string[] {
  const entry = modules.find((m) => m.name === main);
  if (!entry) return [`the bundle has no ${main}`];
  const totalGzip = modules.reduce((sum, m) => sum + m.gzip, 0);
  const over = (what: string, size: number, limit: number) =>
    size > limit ? [`${what} is ${kB(size)}, over the budget of ${kB(limit)}`] : [];
  return [
    ...over(`${main} (raw)`, entry.raw, budget.mainRaw),
    ...over(`${main} (gzip)`, entry.gzip, budget.mainGzip),
    ...over('the whole upload (gzip)', totalGzip, budget.totalGzip),
  ];
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * The required members of `Cloudflare.Env` in worker-configuration.d.ts (what `wrangler types` generated
 * from the top level): every binding and variable the code may read without checking for undefined.
 */
export function requiredEnvMembers(declarations: string): string[] {
  const body = /interface Env \{\n([\s\S]*?)\n\t?\}/.exec(declarations)?.[1] ?? '';
  return [...body.matchAll(/^\s*([A-Z0-9_]+):/gm)].map((m) => m[1] ?? '');
}

/** Required members an environment does not declare; secrets come from `wrangler secret`, not the file. */
export function missingBindings(required: string[], declared: string[], secrets: string[]): string[] {
  const present = new Set([...declared, ...secrets]);
  return required.filter((name) => !present.has(name));
}

/** The secrets .dev.vars.example names (uncommented lines): the ones `wrangler types` adds to Env. */
export function exampleSecrets(example: string): string[] {
  return [...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1] ?? '');
}

/** Bytes per npm package (or top-level source folder) from an esbuild metafile's output, largest first. */
export function sizesByPackage(
  inputs: Record<string, { bytesInOutput: number }>,
): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const at = path.lastIndexOf('node_modules/');
    const parts = (at === -1 ? path.replace(/^(\.\.\/)+/, '') : path.slice(at + 13)).split('/');
    const name =
      at === -1
        ? parts.slice(0, 2).join('/')
        : parts[0]?.startsWith('@')
          ? `${parts[0]}/${parts[1]}`
          : (parts[0] ?? path);
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}
