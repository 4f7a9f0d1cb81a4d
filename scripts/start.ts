import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { migrateLocalD1, seedLocalD1 } from './local-d1';

const HOST = '127.0.0.1';
const PORT = 8787;
const base = `http://${HOST}:${PORT}`;

if (!existsSync('.dev.vars')) {
  writeFileSync(
    '.dev.vars',
    `# local secrets for wrangler dev (git-ignored); see .dev.vars.example\nJWT_SECRET=${randomBytes(32).toString('hex')}\n`,
  );
  console.log('Created .dev.vars with a fresh random JWT_SECRET.');
}

console.log('Applying migrations to the local D1…');
migrateLocalD1();
console.log('Seeding demo data if the database is empty (20,000 products, ~30 s the first time)…');
const { seeded, credentials, ms } = await seedLocalD1();
console.log(
  seeded
    ? `Seeded in ${(ms / 1000).toFixed(1)} s.`
    : 'Existing data kept (delete .wrangler/state to reseed).',
);

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`
┌──────────────────────────────────────────────────────────────────────────────
│ Edge B2B commerce backend — local
│   API        ${base}/v1
│   OpenAPI    ${base}/openapi.json
│   Docs       ${base}/docs
│   Health     ${base}/health
│
│ Demo logins (password demo1234)
${credentials.logins.map((l) => `│   ${pad(l.email, 26)} ${pad(l.role, 15)} ${l.company}`).join('\n')}
│
│ API keys (demo only)
│   ERP       ${credentials.apiKeys.erp}
│   Partner   ${credentials.apiKeys.partner}
│
│ Try:
│   TOKEN=$(curl -s ${base}/v1/auth/login -H 'content-type: application/json' \\
│     -d '{"email":"buyer@acme.example","password":"demo1234"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\\1/')
│   curl -s "${base}/v1/catalog/products?q=hex%20bolt&limit=5" -H "authorization: Bearer $TOKEN"
└──────────────────────────────────────────────────────────────────────────────
`);

const dev = spawn('npx', ['wrangler', 'dev', '--ip', HOST, '--port', String(PORT)], {
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
