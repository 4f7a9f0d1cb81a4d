import type { ShopListing } from '../../../services/punchout/shop';
import type { Texts } from './i18n';
import { Notice, Page, shopBase } from './layout';
import { Availability, UnitPrice } from './parts';

/** The start page: search, category navigation and a page of the customer's products at its prices. */
type CategoryNode = ShopListing['categories'][number];

export interface HomeProps {
  texts: Texts;
  shopKey: string;
  query: string;
  category: string;
  listing: ShopListing;
  /** the token of the next page, or null on the last one */
  nextPage: string | null;
  onLaterPage: boolean;
  showPrices: boolean;
  cartCount: number;
  notice?: string;
}

function listHref(shopKey: string, params: { q?: string; category?: string; page?: string }): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return `${shopBase(shopKey)}/${text ? `?${text}` : ''}`;
}

/** The trail from the top to the current category, each step a node of the tree. */
function trailOf(roots: CategoryNode[], path: string): CategoryNode[] {
  const trail: CategoryNode[] = [];
  let level = roots;
  for (;;) {
    const next = level.find((n) => path === n.path || path.startsWith(`${n.path}/`));
    if (!next) return trail;
    trail.push(next);
    if (next.path === path) return trail;
    level = next.children;
  }
}

function Categories(props: HomeProps) {
  const { texts, shopKey, category, listing, query } = props;
  const trail = trailOf(listing.categories, category);
  const current = trail.at(-1);
  const shown = current ? current.children : listing.categories;
  return (
    <nav aria-label={texts.t.categories}>
      <h2 class="muted">{texts.t.categories}</h2>
      <ul>
        <li>
          <a href={listHref(shopKey, { q: query })} class={category ? '' : 'current'}>
            {texts.t.allCategories}
          </a>
        </li>
        {trail.map((node) => (
          <li>
            <a
              href={listHref(shopKey, { q: query, category: node.path })}
              class={node.path === category ? 'current' : ''}
            >
              {node.name}
            </a>
          </li>
        ))}
        {shown.map((node) => (
          <li>
            <a href={listHref(shopKey, { q: query, category: node.path })} data-category={node.path}>
              {node.name} <span class="muted">({texts.number(node.productCount)})</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function HomePage(props: HomeProps) {
  const { texts, shopKey, listing, query, category } = props;
  const { t } = texts;
  const base = shopBase(shopKey);
  const trail = trailOf(listing.categories, category);
  return (
    <Page texts={texts} title={t.results} shopKey={shopKey} query={query} cartCount={props.cartCount}>
      <Notice text={props.notice} />
      <div class="layout">
        <Categories {...props} />
        <section>
          <h1>{trail.at(-1)?.name ?? t.results}</h1>
          {listing.items.length === 0 ? <p>{t.noResults}</p> : null}
          <ul class="cards">
            {listing.items.map((item) => (
              <li class="card" data-sku={item.product.sku}>
                <h2>
                  <a href={`${base}/p/${encodeURIComponent(item.product.sku)}`}>{item.product.name}</a>
                </h2>
                <p class="muted">
                  {t.sku} {item.product.sku} · {item.product.brand}
                </p>
                <UnitPrice
                  texts={texts}
                  entry={item.entry}
                  currency={listing.currency}
                  show={props.showPrices}
                />
                <Availability
                  texts={texts}
                  entry={item.entry}
                  onHand={item.onHand}
                  nextAvailabilityDate={item.nextAvailabilityDate}
                />
              </li>
            ))}
          </ul>
          <p class="inline">
            {props.onLaterPage ? <a href={listHref(shopKey, { q: query, category })}>{t.firstPage}</a> : null}
            {props.nextPage ? (
              <a href={listHref(shopKey, { q: query, category, page: props.nextPage })} rel="next">
                {t.nextPage}
              </a>
            ) : null}
          </p>
        </section>
      </div>
    </Page>
  );
}
