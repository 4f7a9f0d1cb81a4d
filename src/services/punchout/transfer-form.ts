import type { PunchoutLanguage } from '../../domain/punchout-terms';

/**
 * The page that carries a cart back to the procurement system: a form posted to its return URL, submitted
 * by a small inline script (allowed by this response's CSP nonce only), with a visible button when scripts
 * are off. The CSP lets the form post nowhere but the return URL's origin.
 */
const WORDS: Record<PunchoutLanguage, { title: string; wait: string; button: string }> = {
  en: {
    title: 'Returning your cart',
    wait: 'Your cart is being returned to your procurement system.',
    button: 'Return the cart to my procurement system',
  },
  fr: {
    title: 'Retour de votre panier',
    wait: 'Votre panier est renvoyé vers votre système d’achats.',
    button: 'Renvoyer le panier vers mon système d’achats',
  },
  de: {
    title: 'Warenkorb wird übertragen',
    wait: 'Ihr Warenkorb wird an Ihr Beschaffungssystem übertragen.',
    button: 'Warenkorb an mein Beschaffungssystem übertragen',
  },
};

// line breaks and tabs as references: an OCI long text keeps its lines through the attribute value
export const html = (value: string): string =>
  value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\t', '&#9;');

const nonce = (): string =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))))
    .replaceAll('+', '-')
    .replaceAll('/', '_');

export interface TransferFormInput {
  action: string;
  fields: readonly (readonly [string, string])[];
  /** the frame the procurement system wants the answer in (OCI `~target`) */
  target?: string | null;
  language: PunchoutLanguage;
}

/** The page's HTML alone (the punch-out log keeps it as sent). */
export function transferFormHtml(input: TransferFormInput, scriptNonce = ''): string {
  const words = WORDS[input.language];
  const target = input.target ? ` target="${html(input.target)}"` : '';
  const hidden = input.fields
    .map(([name, value]) => `<input type="hidden" name="${html(name)}" value="${html(value)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="${input.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(words.title)}</title></head>
<body>
<form id="punchout-transfer" method="post" action="${html(input.action)}"${target} accept-charset="UTF-8">
${hidden}
<p>${html(words.wait)}</p>
<noscript><button type="submit">${html(words.button)}</button></noscript>
</form>
<script nonce="${scriptNonce}">document.getElementById('punchout-transfer').submit();</script>
</body>
</html>
`;
}

export function transferForm(input: TransferFormInput): Response {
  const scriptNonce = nonce();
  const origin = new URL(input.action).origin;
  return new Response(transferFormHtml(input, scriptNonce), {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      // the procurement system often frames the shop: its origin (the return URL's) may frame this page
      'content-security-policy': `default-src 'none'; script-src 'nonce-${scriptNonce}'; form-action ${origin}; base-uri 'none'; frame-ancestors 'self' ${origin}`,
    },
  });
}
