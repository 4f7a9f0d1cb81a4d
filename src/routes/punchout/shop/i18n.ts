import { currencyExponent } from '../../../domain/money';
import type { PunchoutLanguage } from '../../../domain/punchout-terms';

/**
 * Every word the start page shows, per language the shop speaks. Product data (names, descriptions) is
 * the catalog's and stays as the catalog holds it.
 */
const en = {
  shop: 'Catalog',
  search: 'Search',
  searchPlaceholder: 'Product name, SKU or brand',
  allCategories: 'All categories',
  categories: 'Categories',
  results: 'Products',
  noResults: 'No products match.',
  nextPage: 'Next page',
  firstPage: 'First page',
  sku: 'SKU',
  brand: 'Brand',
  unitPrice: 'Unit price',
  listPrice: 'List price',
  noPrice: 'Price on request',
  priceBreaks: 'Quantity breaks',
  fromQuantity: 'from',
  inStock: 'In stock',
  outOfStock: 'Out of stock',
  nextDelivery: 'next delivery',
  leadTime: 'Delivery in {n} working days',
  notOrderable: 'Not orderable',
  replacedBy: 'Replaced by',
  attributes: 'Details',
  unit: 'Unit',
  minimum: 'Minimum order',
  multiple: 'Order in multiples of',
  quantity: 'Quantity',
  addToCart: 'Add to cart',
  added: 'Added to the cart.',
  cart: 'Cart',
  cartEmpty: 'The cart is empty.',
  product: 'Product',
  lineTotal: 'Line total',
  total: 'Total',
  update: 'Update',
  remove: 'Remove',
  transfer: 'Transfer to my procurement system',
  returnToSystem: 'Return to my procurement system',
  readOnly: 'This cart is shown for inspection only: it cannot be changed.',
  back: 'Back to the catalog',
  notFound: 'This product is not in your catalog.',
  quantityInvalid: 'Enter a whole quantity of at least 1.',
  quantityTooLarge: 'Enter a quantity of at most {n}.',
  unknownSku: 'There is no product "{sku}" in your catalog.',
  cartRefused: 'The cart could not be changed: {message}',
  lineProblem: {
    unknown_sku: 'Unknown product',
    not_available: 'Not in your assortment',
    obsolete: 'Discontinued',
    not_orderable: 'Not orderable',
    no_price: 'No price',
    below_minimum: 'Below the minimum order quantity',
    not_a_multiple: 'Not a multiple of the order multiple',
    short_stock: 'Not enough in stock',
  },
  unknownTitle: 'This shopping session is not known',
  unknownText:
    'The link is not valid. Start again from your procurement system to open a new shopping session.',
  goneTitle: 'This shopping session has ended',
  goneText:
    'The cart was transferred or the session expired. Start again from your procurement system to shop.',
  forbiddenTitle: 'Not allowed',
  forbiddenText: 'Your account may not do this in this session.',
  errorTitle: 'Something went wrong',
};

export type Messages = typeof en;

const fr: Messages = {
  shop: 'Catalogue',
  search: 'Rechercher',
  searchPlaceholder: 'Nom du produit, référence ou marque',
  allCategories: 'Toutes les catégories',
  categories: 'Catégories',
  results: 'Produits',
  noResults: 'Aucun produit ne correspond.',
  nextPage: 'Page suivante',
  firstPage: 'Première page',
  sku: 'Référence',
  brand: 'Marque',
  unitPrice: 'Prix unitaire',
  listPrice: 'Prix catalogue',
  noPrice: 'Prix sur demande',
  priceBreaks: 'Prix par quantité',
  fromQuantity: 'à partir de',
  inStock: 'En stock',
  outOfStock: 'En rupture',
  nextDelivery: 'prochaine livraison',
  leadTime: 'Livraison sous {n} jours ouvrés',
  notOrderable: 'Non commandable',
  replacedBy: 'Remplacé par',
  attributes: 'Caractéristiques',
  unit: 'Unité',
  minimum: 'Minimum de commande',
  multiple: 'Par multiples de',
  quantity: 'Quantité',
  addToCart: 'Ajouter au panier',
  added: 'Ajouté au panier.',
  cart: 'Panier',
  cartEmpty: 'Le panier est vide.',
  product: 'Produit',
  lineTotal: 'Total ligne',
  total: 'Total',
  update: 'Modifier',
  remove: 'Retirer',
  transfer: 'Transférer vers mon système d’achat',
  returnToSystem: 'Retourner à mon système d’achat',
  readOnly: 'Ce panier est affiché en consultation seulement : il ne peut pas être modifié.',
  back: 'Retour au catalogue',
  notFound: 'Ce produit n’est pas dans votre catalogue.',
  quantityInvalid: 'Saisissez une quantité entière d’au moins 1.',
  quantityTooLarge: 'Saisissez une quantité d’au plus {n}.',
  unknownSku: 'Aucun produit « {sku} » dans votre catalogue.',
  cartRefused: 'Le panier n’a pas pu être modifié : {message}',
  lineProblem: {
    unknown_sku: 'Produit inconnu',
    not_available: 'Hors de votre assortiment',
    obsolete: 'Produit arrêté',
    not_orderable: 'Non commandable',
    no_price: 'Sans prix',
    below_minimum: 'Sous le minimum de commande',
    not_a_multiple: 'Pas un multiple du conditionnement',
    short_stock: 'Stock insuffisant',
  },
  unknownTitle: 'Cette session d’achat est inconnue',
  unknownText:
    'Le lien n’est pas valable. Repartez de votre système d’achat pour ouvrir une nouvelle session.',
  goneTitle: 'Cette session d’achat est terminée',
  goneText:
    'Le panier a été transféré ou la session a expiré. Repartez de votre système d’achat pour commander.',
  forbiddenTitle: 'Action non autorisée',
  forbiddenText: 'Votre compte ne peut pas faire cela dans cette session.',
  errorTitle: 'Une erreur est survenue',
};

const de: Messages = {
  shop: 'Katalog',
  search: 'Suchen',
  searchPlaceholder: 'Produktname, Artikelnummer oder Marke',
  allCategories: 'Alle Kategorien',
  categories: 'Kategorien',
  results: 'Produkte',
  noResults: 'Keine passenden Produkte.',
  nextPage: 'Nächste Seite',
  firstPage: 'Erste Seite',
  sku: 'Artikelnummer',
  brand: 'Marke',
  unitPrice: 'Stückpreis',
  listPrice: 'Listenpreis',
  noPrice: 'Preis auf Anfrage',
  priceBreaks: 'Staffelpreise',
  fromQuantity: 'ab',
  inStock: 'Auf Lager',
  outOfStock: 'Nicht auf Lager',
  nextDelivery: 'nächste Lieferung',
  leadTime: 'Lieferung in {n} Werktagen',
  notOrderable: 'Nicht bestellbar',
  replacedBy: 'Ersetzt durch',
  attributes: 'Merkmale',
  unit: 'Einheit',
  minimum: 'Mindestbestellmenge',
  multiple: 'Bestellbar in Vielfachen von',
  quantity: 'Menge',
  addToCart: 'In den Warenkorb',
  added: 'In den Warenkorb gelegt.',
  cart: 'Warenkorb',
  cartEmpty: 'Der Warenkorb ist leer.',
  product: 'Produkt',
  lineTotal: 'Positionssumme',
  total: 'Gesamt',
  update: 'Ändern',
  remove: 'Entfernen',
  transfer: 'An mein Beschaffungssystem übertragen',
  returnToSystem: 'Zurück zu meinem Beschaffungssystem',
  readOnly: 'Dieser Warenkorb wird nur zur Ansicht gezeigt: Er kann nicht geändert werden.',
  back: 'Zurück zum Katalog',
  notFound: 'Dieses Produkt ist nicht in Ihrem Katalog.',
  quantityInvalid: 'Geben Sie eine ganze Menge von mindestens 1 ein.',
  quantityTooLarge: 'Geben Sie eine Menge von höchstens {n} ein.',
  unknownSku: 'Kein Produkt „{sku}“ in Ihrem Katalog.',
  cartRefused: 'Der Warenkorb konnte nicht geändert werden: {message}',
  lineProblem: {
    unknown_sku: 'Unbekanntes Produkt',
    not_available: 'Nicht in Ihrem Sortiment',
    obsolete: 'Ausgelaufen',
    not_orderable: 'Nicht bestellbar',
    no_price: 'Ohne Preis',
    below_minimum: 'Unter der Mindestbestellmenge',
    not_a_multiple: 'Kein Vielfaches der Verpackungseinheit',
    short_stock: 'Nicht genug auf Lager',
  },
  unknownTitle: 'Diese Einkaufssitzung ist unbekannt',
  unknownText:
    'Der Link ist nicht gültig. Starten Sie erneut aus Ihrem Beschaffungssystem, um eine neue Sitzung zu öffnen.',
  goneTitle: 'Diese Einkaufssitzung ist beendet',
  goneText:
    'Der Warenkorb wurde übertragen oder die Sitzung ist abgelaufen. Starten Sie erneut aus Ihrem Beschaffungssystem.',
  forbiddenTitle: 'Nicht erlaubt',
  forbiddenText: 'Ihr Konto darf das in dieser Sitzung nicht.',
  errorTitle: 'Ein Fehler ist aufgetreten',
};

const MESSAGES: Record<PunchoutLanguage, Messages> = { en, fr, de };
const LOCALES: Record<PunchoutLanguage, string> = { en: 'en-GB', fr: 'fr-FR', de: 'de-DE' };

/** The words of one language and its number, money and date formats. */
export interface Texts {
  language: PunchoutLanguage;
  t: Messages;
  /** `{name}` placeholders filled in */
  fill: (text: string, values: Record<string, string | number>) => string;
  number: (value: number) => string;
  money: (minor: number, currency: string) => string;
  date: (isoDate: string) => string;
}

export function textsFor(language: PunchoutLanguage): Texts {
  const locale = LOCALES[language];
  const numbers = new Intl.NumberFormat(locale);
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const fill = (text: string, values: Record<string, string | number>) =>
    text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = values[name];
      return value === undefined ? whole : typeof value === 'number' ? numbers.format(value) : value;
    });
  return {
    language,
    t: MESSAGES[language],
    fill,
    number: (value) => numbers.format(value),
    money: (minor, currency) => {
      // the domain's exponent, not Intl's: money is stored in the domain's minor units
      const digits = currencyExponent(currency);
      return new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(minor / 10 ** digits);
    },
    date: (isoDate) => {
      const at = Date.parse(isoDate);
      return Number.isNaN(at) ? isoDate : dates.format(at);
    },
  };
}
