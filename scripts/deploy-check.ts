import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as v from 'valibot';
import {
  BUNDLE_BUDGET,
  bundleProblems,
  exampleSecrets,
  kB,
  type ModuleSize,
  missingBindings,
  requiredEnvMembers,
  sizesByPackage,
} from './deploy/bundle-check';
import { declaredBindings, parseConfig } from './deploy/config';
import { runWrangler } from './wrangler';

/**
 * `npm run deploy:check` (part of `npm test`, offline): every deployed environment declares each binding and
 * variable the code's `Env` requires, and the production bundle (`wrangler deploy --dry-run`, which builds
 * without calling Cloudflare) stays within BUNDLE_BUDGET. Prints what makes up the bundle.
 */
const ENVIRONMENTS = ['staging', 'production'];
const MAIN = 'index.js';
// outputs of the dry run that are not uploaded
const NOT_UPLOADED = /\.map$|^README\.md$|^bundle-meta\.json$/;

const problems: string[] = [];
const config = parseConfig(readFileSync('wrangler.toml', 'utf8'));
const required = requiredEnvMembers(readFileSync('worker-configuration.d.ts', 'utf8'));
const secrets = exampleSecrets(readFileSync('.dev.vars.example', 'utf8'));
for (const env of ENVIRONMENTS) {
  const missing = missingBindings(required, declaredBindings(config, env), secrets);
  if (missing.length > 0) problems.push(`[env.${env}] does not declare ${missing.join(', ')}`);
}

const outdir = mkdtempSync(join(tmpdir(), 'deploy-check-'));
try {
  runWrangler(['deploy', '--dry-run', '--env', 'production', '--outdir', outdir, '--metafile']);
  const modules: ModuleSize[] = readdirSync(outdir)
    .filter((name) => !NOT_UPLOADED.test(name))
    .map((name) => {
      const bytes = readFileSync(join(outdir, name));
      return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
  problems.push(...bundleProblems(modules, MAIN, BUNDLE_BUDGET));
  for (const m of modules) console.log(`${m.name}: ${kB(m.raw)} raw, ${kB(m.gzip)} gzip`);
  const Meta = v.object({
    outputs: v.record(
      v.string(),
      v.object({ inputs: v.record(v.string(), v.object({ bytesInOutput: v.number() })) }),
    ),
  });
  const meta = v.parse(Meta, JSON.parse(readFileSync(join(outdir, 'bundle-meta.json'), 'utf8')));
  const main = Object.entries(meta.outputs).find(([path]) => path.endsWith(`/${MAIN}`))?.[1];
  if (main) {
    const top = sizesByPackage(main.inputs).slice(0, 10);
    console.log(`largest parts of ${MAIN}: ${top.map((p) => `${p.name} ${kB(p.bytes)}`).join(', ')}`);
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`Deploy check failed:\n- ${problems.join('\n- ')}`);
  process.exitCode = 1;
} else {
  console.log(
    `Deploy check passed (budget: ${MAIN} ${kB(BUNDLE_BUDGET.mainRaw)} raw / ${kB(BUNDLE_BUDGET.mainGzip)} gzip, upload ${kB(BUNDLE_BUDGET.totalGzip)} gzip).`,
  );
}
