import { Hono } from 'hono';
import { sha256Hex } from '../domain/api-keys';
import type { AppEnv } from '../http/context';
import scalarScript from '../vendor/scalar-api-reference.txt';

/**
 * `/docs`: the API reference (Scalar) rendered in the browser from `/openapi.json`. Every byte comes from
 * this Worker — the script is the installed @scalar/api-reference bundle (pinned by the lockfile), not a
 * CDN copy — so the page works without internet access and under a CSP that allows only this origin.
 */
const TITLE = 'Edge B2B commerce API';

// Scalar's options: no web fonts, no telemetry, no hosted services (the page must not call out)
const INIT_SCRIPT = `(function () {
  // not #api-reference, data-spec or data-spec-url: those make the bundle mount a second, default copy
  var app = document.getElementById('reference');
  Scalar.createApiReference(app, {
    url: app.dataset.openapi,
    withDefaultFonts: false,
    telemetry: false,
    hideClientButton: true,
    mcp: { disabled: true },
  });
})();
`;

let scriptVersion: Promise<string> | undefined;
/** A content hash in the script URL: the script can then be cached for a year and still change. */
const versionOfScript = () => {
  scriptVersion ??= sha256Hex(scalarScript).then((hex) => hex.slice(0, 16));
  return scriptVersion;
};

const page = (version: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${TITLE}</title>
  </head>
  <body>
    <div id="reference" data-openapi="/openapi.json"></div>
    <script src="/docs/scalar.js?v=${version}"></script>
    <script src="/docs/init.js?v=${version}"></script>
  </body>
</html>
`;

// Scripts only from this origin. Styles also inline: the reference (Vue) sets style attributes and
// injects style elements as it renders, and a CSS injection cannot run code.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const YEAR = 'public, max-age=31536000, immutable';

export const docsRoutes = new Hono<AppEnv>()
  .get('/docs', async (c) =>
    c.html(page(await versionOfScript()), 200, {
      'content-security-policy': CSP,
      'cache-control': 'no-cache',
    }),
  )
  .get('/docs/scalar.js', (c) =>
    c.body(scalarScript, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': YEAR }),
  )
  .get('/docs/init.js', (c) =>
    c.body(INIT_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': YEAR }),
  );
