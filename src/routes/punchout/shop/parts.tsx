import type { CatalogEntry } from '../../../domain/pricing/evaluate';
import type { Texts } from './i18n';

/** Pieces the list, the product and the cart share. */

/** In stock, or out with the next delivery date, or not orderable (with its replacement). */
export function Availability(props: {
  texts: Texts;
  entry: CatalogEntry;
  onHand: number;
  nextAvailabilityDate: string | null;
  replacementHref?: string;
}) {
  const { texts, entry } = props;
  const { t } = texts;
  if (!entry.orderable) {
    return (
      <p class="bad" data-availability="not_orderable">
        {t.notOrderable}
        {entry.replacementSku && props.replacementHref ? (
          <>
            {' · '}
            {t.replacedBy} <a href={props.replacementHref}>{entry.replacementSku}</a>
          </>
        ) : null}
      </p>
    );
  }
  const lead =
    entry.leadTimeDays > 0 ? (
      <span class="muted"> · {texts.fill(t.leadTime, { n: entry.leadTimeDays })}</span>
    ) : null;
  if (props.onHand > 0) {
    return (
      <p class="ok" data-availability="in_stock">
        {t.inStock} ({texts.number(props.onHand)}){lead}
      </p>
    );
  }
  return (
    <p class="warn" data-availability="out_of_stock">
      {t.outOfStock}
      {props.nextAvailabilityDate ? ` · ${t.nextDelivery} ${texts.date(props.nextAvailabilityDate)}` : ''}
      {lead}
    </p>
  );
}

/** The unit price for one unit (the first step of the customer's ladder), or "price on request". */
export function UnitPrice(props: { texts: Texts; entry: CatalogEntry; currency: string; show: boolean }) {
  if (!props.show) return null;
  const first = props.entry.ladder[0];
  if (!first) return <p class="muted">{props.texts.t.noPrice}</p>;
  return (
    <p class="price" data-unit-minor={first.unitMinor} data-currency={props.currency}>
      {props.texts.money(first.unitMinor, props.currency)}
      {first.fromQuantity > 1 ? (
        <span class="muted">
          {' '}
          ({props.texts.t.fromQuantity} {props.texts.number(first.fromQuantity)})
        </span>
      ) : null}
    </p>
  );
}

/** The quantity field of the product page and of each cart line: whole numbers from 1, as typed. */
export function QuantityInput(props: { value: string; label?: string; id?: string }) {
  return (
    <input
      id={props.id}
      class="qty"
      type="number"
      name="quantity"
      inputmode="numeric"
      min={1}
      step={1}
      value={props.value}
      aria-label={props.label}
      required
    />
  );
}
