import type { ShopItem } from '../../../services/punchout/shop';
import type { Texts } from './i18n';
import { Notice, Page, shopBase } from './layout';
import { Availability, QuantityInput, UnitPrice } from './parts';

export interface ProductProps {
  texts: Texts;
  shopKey: string;
  item: ShopItem & { currency: string };
  showPrices: boolean;
  /** false for an `inspect` session or a user without cart.manage: no form */
  canOrder: boolean;
  cartCount: number;
  /** what the buyer typed, kept when the form comes back with an error */
  quantity?: string;
  error?: string;
}

function attributeText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

/** One product: what it is, its price and quantity breaks, its availability, and the add-to-cart form. */
export function ProductPage(props: ProductProps) {
  const { texts, shopKey, item } = props;
  const { t } = texts;
  const { product, entry } = item;
  const base = shopBase(shopKey);
  const attributes = Object.entries(product.attributes ?? {});
  const steps = props.showPrices ? entry.ladder : [];
  return (
    <Page texts={texts} title={product.name} shopKey={shopKey} cartCount={props.cartCount}>
      <p class="crumbs">
        <a href={`${base}/`}>{t.back}</a>
      </p>
      <article class="card" data-sku={product.sku}>
        <h1>{product.name}</h1>
        <p class="muted">
          {t.sku} {product.sku} · {t.brand} {product.brand}
        </p>
        <UnitPrice texts={texts} entry={entry} currency={item.currency} show={props.showPrices} />
        {props.showPrices && entry.listMinor !== null && entry.listMinor !== entry.ladder[0]?.unitMinor ? (
          <p class="muted">
            {t.listPrice} <s>{texts.money(entry.listMinor, item.currency)}</s>
          </p>
        ) : null}
        <Availability
          texts={texts}
          entry={entry}
          onHand={item.onHand}
          nextAvailabilityDate={item.nextAvailabilityDate}
          replacementHref={
            entry.replacementSku ? `${base}/p/${encodeURIComponent(entry.replacementSku)}` : ''
          }
        />
        <Notice text={props.error} error />
        {props.canOrder && entry.orderable ? (
          <form method="post" action={`${base}/cart/lines`} class="inline">
            <input type="hidden" name="sku" value={product.sku} />
            <label for="quantity">{t.quantity}</label>{' '}
            <QuantityInput id="quantity" value={props.quantity ?? String(Math.max(1, product.minOrderQty))} />
            <button type="submit">{t.addToCart}</button>
          </form>
        ) : null}
        <p>{product.description}</p>
        {steps.length > 1 ? (
          <>
            <h2>{t.priceBreaks}</h2>
            <table data-tiers>
              <tbody>
                {steps.map((step) => (
                  <tr data-from={step.fromQuantity} data-unit-minor={step.unitMinor}>
                    <td>
                      {t.fromQuantity} {texts.number(step.fromQuantity)}
                    </td>
                    <td class="num">{texts.money(step.unitMinor, item.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
        <h2>{t.attributes}</h2>
        <table>
          <tbody>
            <tr>
              <th>{t.unit}</th>
              <td>{product.unitOfMeasure}</td>
            </tr>
            {product.minOrderQty > 1 ? (
              <tr>
                <th>{t.minimum}</th>
                <td>{texts.number(product.minOrderQty)}</td>
              </tr>
            ) : null}
            {product.orderMultiple > 1 ? (
              <tr>
                <th>{t.multiple}</th>
                <td>{texts.number(product.orderMultiple)}</td>
              </tr>
            ) : null}
            {attributes.map(([name, value]) => (
              <tr>
                <th>{name}</th>
                <td>{attributeText(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </article>
    </Page>
  );
}
