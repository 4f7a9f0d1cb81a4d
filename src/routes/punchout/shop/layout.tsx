import type { Child } from 'hono/jsx';
import type { Texts } from './i18n';

/**
 * The page frame of the start page: one small stylesheet inline (allowed by its hash in the page's own
 * CSP, shop.ts), no script, no web font, no image, readable at 375 px. Every link carries the shop key:
 * procurement browsers drop cookies, so the path is the session.
 */
export const SHOP_CSS = [
  '*{box-sizing:border-box}',
  'body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f5f6f8}',
  'a{color:#0b57a4}',
  'header{background:#14324f;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}',
  'header a{color:#fff;text-decoration:none;font-weight:600}',
  'header form{flex:1 1 16rem;display:flex;gap:.4rem}',
  'header input{flex:1;min-width:0}',
  'main{max-width:68rem;margin:0 auto;padding:1rem}',
  'input,button,select{font:inherit;padding:.45rem .6rem;border:1px solid #9aa3b2;border-radius:.3rem}',
  'button{background:#0b57a4;color:#fff;border-color:#0b57a4;cursor:pointer}',
  'button.plain{background:#fff;color:#0b57a4}',
  'button.big{width:100%;padding:.8rem;font-weight:600;font-size:1.05rem}',
  '.layout{display:grid;gap:1rem}',
  '@media(min-width:48rem){.layout{grid-template-columns:14rem 1fr}}',
  'nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem}',
  '@media(min-width:48rem){nav ul{display:block}}',
  'nav li a{display:inline-block;padding:.25rem .5rem;border-radius:.3rem;background:#e5e9f0;margin:.1rem 0;text-decoration:none}',
  'nav li a.current{background:#14324f;color:#fff}',
  '.crumbs{font-size:.9rem;margin:.2rem 0 .6rem}',
  '.cards{list-style:none;margin:0;padding:0;display:grid;gap:.6rem;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr))}',
  '.card{background:#fff;border:1px solid #dde2ea;border-radius:.4rem;padding:.7rem}',
  '.card h2{font-size:1rem;margin:0 0 .3rem}',
  '.muted{color:#5b6475;font-size:.9rem}',
  '.price{font-weight:700;font-size:1.1rem}',
  '.ok{color:#1d6b32}.warn{color:#9a5b00}.bad{color:#a3222c}',
  '.message{padding:.6rem .8rem;border-radius:.3rem;background:#e7f3ea;margin:.5rem 0}',
  '.message.error{background:#fbe9eb;color:#7d1520}',
  'table{width:100%;border-collapse:collapse;background:#fff}',
  'th,td{text-align:left;padding:.45rem;border-bottom:1px solid #dde2ea;vertical-align:top}',
  'td.num,th.num{text-align:right;white-space:nowrap}',
  '.qty{width:5.5rem}',
  '.inline{display:inline-flex;gap:.3rem;align-items:center;flex-wrap:wrap}',
  '@media(max-width:40rem){.cart thead{display:none}.cart tr{display:block;border-bottom:1px solid #dde2ea}.cart td{display:block;border:0;padding:.2rem .45rem}.cart td.num{text-align:left}.cart td[data-label]::before{content:attr(data-label) ": ";color:#5b6475}}',
].join('');

export const shopBase = (key: string) => `/punchout/shop/${encodeURIComponent(key)}`;

export function Page(props: {
  texts: Texts;
  title: string;
  shopKey?: string;
  query?: string;
  cartCount?: number;
  children: Child;
}) {
  const { texts, shopKey } = props;
  const { t } = texts;
  return (
    <html lang={texts.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {/* no favicon request: the browser would otherwise ask for /favicon.ico */}
        <link rel="icon" href="data:," />
        <title>{`${props.title} · ${t.shop}`}</title>
        <style dangerouslySetInnerHTML={{ __html: SHOP_CSS }} />
      </head>
      <body>
        <header>
          {shopKey === undefined ? (
            <span>{t.shop}</span>
          ) : (
            <>
              <a href={`${shopBase(shopKey)}/`}>{t.shop}</a>
              <form method="get" action={`${shopBase(shopKey)}/`}>
                <input
                  type="search"
                  name="q"
                  value={props.query ?? ''}
                  placeholder={t.searchPlaceholder}
                  aria-label={t.search}
                />
                <button type="submit">{t.search}</button>
              </form>
              <a href={`${shopBase(shopKey)}/cart`} data-cart-count={props.cartCount ?? 0}>
                {t.cart}
                {props.cartCount ? ` (${texts.number(props.cartCount)})` : ''}
              </a>
            </>
          )}
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

/** A message above the content: a confirmation, or what was wrong with the form. */
export function Notice(props: { text: string | undefined; error?: boolean }) {
  if (!props.text) return null;
  return (
    <p class={props.error ? 'message error' : 'message'} role={props.error ? 'alert' : 'status'}>
      {props.text}
    </p>
  );
}

/** A page that only says why the shop cannot be shown (unknown or ended session, refusal, failure). */
export function ErrorPage(props: { texts: Texts; title: string; text: string; shopKey?: string }) {
  return (
    <Page texts={props.texts} title={props.title} {...(props.shopKey ? { shopKey: props.shopKey } : {})}>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
    </Page>
  );
}
