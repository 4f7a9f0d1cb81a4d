import type { PricedCart } from '../../../services/cart-pricing';
import type { Texts } from './i18n';
import { Notice, Page, shopBase } from './layout';
import { QuantityInput } from './parts';

export interface CartProps {
  texts: Texts;
  shopKey: string;
  cart: PricedCart;
  names: ReadonlyMap<string, string>;
  showPrices: boolean;
  /** false for an `inspect` session or a user without cart.manage: no quantity, remove or add controls */
  canChange: boolean;
  /** an `inspect` session returns rather than transfers */
  inspect: boolean;
  notice?: string;
  error?: { text: string; lineId?: string; quantity?: string };
}

/** The session cart: lines with editable quantities, line totals, the total, and the way back. */
export function CartPage(props: CartProps) {
  const { texts, shopKey, cart, showPrices } = props;
  const { t } = texts;
  const base = shopBase(shopKey);
  const money = (minor: number | null | undefined) =>
    minor === null || minor === undefined ? '' : texts.money(minor, cart.currency);
  return (
    <Page texts={texts} title={t.cart} shopKey={shopKey} cartCount={cart.lines.length}>
      <h1>{t.cart}</h1>
      {props.inspect ? <p class="message">{t.readOnly}</p> : null}
      <Notice text={props.notice} />
      <Notice text={props.error?.text} error />
      {cart.lines.length === 0 ? (
        <p>{t.cartEmpty}</p>
      ) : (
        <table class="cart">
          <thead>
            <tr>
              <th>{t.product}</th>
              <th>{t.quantity}</th>
              {showPrices ? <th class="num">{t.unitPrice}</th> : null}
              {showPrices ? <th class="num">{t.lineTotal}</th> : null}
            </tr>
          </thead>
          <tbody>
            {cart.lines.map((line) => {
              const typed = props.error?.lineId === line.id ? props.error.quantity : undefined;
              return (
                <tr data-line={line.id} data-sku={line.sku}>
                  <td>
                    <a href={`${base}/p/${encodeURIComponent(line.sku)}`}>
                      {props.names.get(line.sku) ?? line.sku}
                    </a>
                    <br />
                    <span class="muted">
                      {t.sku} {line.sku}
                    </span>
                    {line.problems.map((p) => (
                      <div class={p.code === 'short_stock' ? 'warn' : 'bad'} data-problem={p.code}>
                        {t.lineProblem[p.code]}
                      </div>
                    ))}
                  </td>
                  <td>
                    {props.canChange ? (
                      <div class="inline">
                        <form
                          method="post"
                          action={`${base}/cart/lines/${encodeURIComponent(line.id)}`}
                          class="inline"
                        >
                          <QuantityInput
                            value={typed ?? String(line.quantity)}
                            label={`${t.quantity} ${line.sku}`}
                          />
                          <button type="submit" class="plain">
                            {t.update}
                          </button>
                        </form>
                        <form
                          method="post"
                          action={`${base}/cart/lines/${encodeURIComponent(line.id)}/remove`}
                        >
                          <button type="submit" class="plain">
                            {t.remove}
                          </button>
                        </form>
                      </div>
                    ) : (
                      <span data-quantity={line.quantity}>{texts.number(line.quantity)}</span>
                    )}
                  </td>
                  {showPrices ? (
                    <td class="num" data-label={t.unitPrice} data-unit-minor={line.unitMinor ?? ''}>
                      {money(line.unitMinor)}
                    </td>
                  ) : null}
                  {showPrices ? (
                    <td
                      class="num"
                      data-label={t.lineTotal}
                      data-line-total-minor={line.lineTotalMinor ?? ''}
                    >
                      {money(line.lineTotalMinor)}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {showPrices && cart.lines.length > 0 ? (
        <p class="price" data-total-minor={cart.totals.totalMinor} data-currency={cart.currency}>
          {t.total}: {money(cart.totals.totalMinor)}
        </p>
      ) : null}
      <form method="post" action={`${base}/transfer`}>
        <button type="submit" class="big" data-transfer>
          {props.inspect ? t.returnToSystem : t.transfer}
        </button>
      </form>
      <p>
        <a href={`${base}/`}>{t.back}</a>
      </p>
    </Page>
  );
}
