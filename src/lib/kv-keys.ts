/**
 * Every KV key the Worker reads or writes is built here (docs/storage.md lists them). Price index keys
 * carry the encoding version, so a new encoding can be rolled out beside the old one.
 */
const PRICE_INDEX = 'pi:v1';

export const kvKeys = {
  priceIndexPointer: (fingerprint: string) => `${PRICE_INDEX}:${fingerprint}:ptr`,
  priceIndexPart: (fingerprint: string, generation: number, part: number) =>
    `${PRICE_INDEX}:${fingerprint}:g${generation}:p${part}`,
  /** visible products per category of one generation (the customer's category tree counts) */
  priceIndexCategories: (fingerprint: string, generation: number) =>
    `${PRICE_INDEX}:${fingerprint}:g${generation}:categories`,
  bench: (name: string) => `bench:${name}`,
};
