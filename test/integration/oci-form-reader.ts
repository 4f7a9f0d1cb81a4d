/**
 * Reads an OCI hook form the way a procurement system does: the form's action and target, its other
 * fields (`~OkCode`, `~caller`, noise such as `authenticity_token`), and the `NEW_ITEM-*` fields grouped
 * into items by their 1-based index. HTML is parsed by workerd's HTMLRewriter (a real HTML parser), not by
 * patterns over the markup; only the field *names* are matched by pattern.
 *
 * LONGTEXT names vary in the wild; all of these give item n's long text:
 * `NEW_ITEM-LONGTEXT_n:132[]` (the spec), `NEW_ITEM-LONGTEXT_n:132[n]`, `NEW_ITEM-LONGTEXT:132[n]`,
 * `NEW_ITEM-LONGTEXT[n]`, `NEW_ITEM-LONGTEXT_n:132[][n]`. Several long-text inputs of one item are its
 * lines, joined with a line break.
 */
export interface OciForm {
  action: string | null;
  method: string | null;
  target: string | null;
  acceptCharset: string | null;
  /** every input of the form in document order, names and values as posted */
  fields: [string, string][];
  /** items by index (1-based, in index order): field name without prefix and index → value */
  items: { index: number; fields: Record<string, string> }[];
  /** fields that are not NEW_ITEM-* (`~OkCode`, `~caller`, …) */
  others: Record<string, string>;
}

const ITEM_FIELD = /^NEW_ITEM-([A-Z0-9_]+)\[(\d+)\]$/i;
const LONGTEXT_FIELD = /^NEW_ITEM-LONGTEXT(?:_(\d+))?(?::\d+)?(?:\[\])?(?:\[(\d+)\])?$/i;

const NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", nbsp: '\u00a0' };

/** Character references in attribute values (HTMLRewriter hands attributes over as written). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** The item index and field of a NEW_ITEM name, or null for any other field. */
export function itemFieldOf(name: string): { index: number; field: string } | null {
  const longText = LONGTEXT_FIELD.exec(name);
  if (longText) {
    const index = Number(longText[2] ?? longText[1]);
    return Number.isInteger(index) && index > 0 ? { index, field: 'LONGTEXT' } : null;
  }
  const plain = ITEM_FIELD.exec(name);
  return plain?.[1] && plain[2] ? { index: Number(plain[2]), field: plain[1].toUpperCase() } : null;
}

/** An HTML page, or a raw HTTP response (status line and headers, then the page). */
export async function readOciForm(document: string): Promise<OciForm> {
  const html = /^HTTP\/\d/.test(document) ? document.slice(document.search(/\r?\n\r?\n/)) : document;
  const forms: { attrs: Record<string, string | null>; fields: [string, string][] }[] = [];
  let textarea: { name: string; text: string } | null = null;
  const current = () => forms.at(-1);
  await new HTMLRewriter()
    .on('form', {
      element(el) {
        forms.push({
          attrs: {
            action: el.getAttribute('action'),
            method: el.getAttribute('method'),
            target: el.getAttribute('target'),
            acceptCharset: el.getAttribute('accept-charset'),
          },
          fields: [],
        });
      },
    })
    .on('input', {
      element(el) {
        const name = el.getAttribute('name');
        if (name !== null)
          current()?.fields.push([decodeEntities(name), decodeEntities(el.getAttribute('value') ?? '')]);
      },
    })
    .on('textarea', {
      element(el) {
        const name = el.getAttribute('name');
        if (name === null) return;
        textarea = { name: decodeEntities(name), text: '' };
        el.onEndTag(() => {
          if (textarea) current()?.fields.push([textarea.name, decodeEntities(textarea.text)]);
          textarea = null;
        });
      },
      text(chunk) {
        if (textarea) textarea.text += chunk.text;
      },
    })
    .transform(new Response(html))
    .text();
  // the hook form is the one with NEW_ITEM fields (a page may hold a search form as well)
  const form = forms.find((f) => f.fields.some(([n]) => itemFieldOf(n))) ?? forms[0];
  if (!form) throw new Error('no form in the document');
  const items = new Map<number, Record<string, string>>();
  const others: Record<string, string> = {};
  for (const [name, value] of form.fields) {
    const at = itemFieldOf(name);
    if (!at) {
      others[name] = value;
      continue;
    }
    const item = items.get(at.index) ?? {};
    item[at.field] =
      at.field === 'LONGTEXT' && item.LONGTEXT !== undefined ? `${item.LONGTEXT}\n${value}` : value;
    items.set(at.index, item);
  }
  return {
    action: form.attrs.action ? decodeEntities(form.attrs.action) : null,
    method: form.attrs.method ?? null,
    target: form.attrs.target ?? null,
    acceptCharset: form.attrs.acceptCharset ?? null,
    fields: form.fields,
    items: [...items.entries()].sort(([a], [b]) => a - b).map(([index, fields]) => ({ index, fields })),
    others,
  };
}

/** An OCI number (`1.0`, `00000001730.900`, `12.34`): a point, no thousands separator; NaN otherwise. */
export function ociNumberValue(text: string | undefined): number {
  return text !== undefined && /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}
