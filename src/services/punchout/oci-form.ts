import type { PunchoutLanguage } from '../../domain/punchout-terms';
import type { OciField } from './oci-transfer';
import type { TransferFormInput } from './transfer-form';

const esc = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** What an OCI function answers with: the hook form (transfer-form.ts) for these fields. */
export interface OciFormInput {
  hookUrl: string;
  /** `~target`: the frame the procurement system wants the answer in (`_top` when it names none) */
  target: string | undefined;
  fields: readonly OciField[];
  language: PunchoutLanguage;
}

export const ociForm = (input: OciFormInput): TransferFormInput => ({
  action: input.hookUrl,
  fields: input.fields,
  target: input.target?.trim() || '_top',
  language: input.language,
});

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
