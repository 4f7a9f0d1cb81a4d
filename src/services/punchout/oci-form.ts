import type { PunchoutLanguage } from '../../domain/punchout-terms';
import type { OciField } from './oci-transfer';

/**
 * The OCI hook form: an HTML page whose form posts the fields to the HOOK_URL in the browser (OCI has no
 * server-to-server leg), submitted by a one-line script, with a button for browsers without scripts. UTF-8
 * throughout: the form says `accept-charset="UTF-8"`, so German umlauts arrive as sent. Its CSP allows that
 * one script (by hash) and a form post to the hook's origin only.
 */
const esc = (text: string): string =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\t', '&#9;');

const SUBMIT_SCRIPT = "document.getElementById('oci-transfer').submit();";

const TEXT: Record<PunchoutLanguage, { title: string; sending: string; button: string }> = {
  en: {
    title: 'Transfer to your procurement system',
    sending: 'Sending the items to your procurement system…',
    button: 'Continue',
  },
  de: {
    title: 'Übertragung an Ihr Beschaffungssystem',
    sending: 'Die Artikel werden an Ihr Beschaffungssystem übertragen…',
    button: 'Weiter',
  },
  fr: {
    title: 'Transfert vers votre système d’achat',
    sending: 'Les articles sont transmis à votre système d’achat…',
    button: 'Continuer',
  },
};

export interface OciFormInput {
  hookUrl: string;
  /** `~target`: the frame the procurement system wants the answer in (`_top` when it names none) */
  target: string | undefined;
  fields: readonly OciField[];
  language: PunchoutLanguage;
}

export function ociFormHtml(input: OciFormInput): string {
  const text = TEXT[input.language];
  const target = input.target?.trim() || '_top';
  const inputs = input.fields
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${input.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(text.title)}</title></head>
<body>
<form id="oci-transfer" method="post" action="${esc(input.hookUrl)}" target="${esc(target)}" accept-charset="UTF-8">
${inputs}
<p>${esc(text.sending)}</p>
<noscript><button type="submit">${esc(text.button)}</button></noscript>
</form>
<script>${SUBMIT_SCRIPT}</script>
</body>
</html>
`;
}

let scriptHash: Promise<string> | undefined;
const submitScriptHash = (): Promise<string> => {
  scriptHash ??= crypto.subtle
    .digest('SHA-256', new TextEncoder().encode(SUBMIT_SCRIPT))
    .then((d) => `'sha256-${btoa(String.fromCharCode(...new Uint8Array(d)))}'`);
  return scriptHash;
};

/** The form page as a response: no caching (it carries prices), a CSP naming the hook's origin. */
export async function ociFormResponse(input: OciFormInput): Promise<Response> {
  const origin = new URL(input.hookUrl).origin;
  return new Response(ociFormHtml(input), {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; script-src ${await submitScriptHash()}; form-action ${origin}; base-uri 'none'`,
    },
  });
}

/** A refusal for the buyer's browser (OCI calls come from one): a short HTML page, never problem+json. */
export function ociRefusalPage(status: 400 | 401 | 403 | 413 | 415, message: string): Response {
  const html = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Punch-out refused</title></head>
<body><h1>Punch-out refused</h1><p>${esc(message)}</p></body>
</html>
`;
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  });
}
