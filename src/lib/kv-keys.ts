import { CODEC_VERSION } from '../domain/pricing/codec';

/**
 * Every KV key the Worker reads or writes is built here (docs/storage.md lists them). Price index keys
 * carry the encoding version: a new encoding writes and reads keys of its own, so a reader never meets a
 * value of another encoding, and a generation written by an older one is deleted by its version's names.
 */
const priceIndex = (version: number) => `pi:v${version}`;
/**
 * The catalog search index's encoding (SearchIndex.serialize's format, with the pointer's shape). Bump it
 * when either changes: readers of the new code look for keys of the new version only, and the sweep builds
 * the index afresh in it.
 */
export const SEARCH_INDEX_VERSION = 1;
const searchIndex = (version: number) => `si:v${version}:catalog`;

export const kvKeys = {
  priceIndexPointer: (fingerprint: string, version = CODEC_VERSION) =>
    `${priceIndex(version)}:${fingerprint}:ptr`,
  /** one part of at most PART_BYTES */
  priceIndexPart: (fingerprint: string, generation: number, part: number, version = CODEC_VERSION) =>
    `${priceIndex(version)}:${fingerprint}:g${generation}:p${part}`,
  /** one wide part (the layout read for scattered SKUs) */
  priceIndexWidePart: (fingerprint: string, generation: number, part: number, version = CODEC_VERSION) =>
    `${priceIndex(version)}:${fingerprint}:g${generation}:w${part}`,
  /** visible products per category of one generation (the customer's category tree counts) */
  priceIndexCategories: (fingerprint: string, generation: number, version = CODEC_VERSION) =>
    `${priceIndex(version)}:${fingerprint}:g${generation}:categories`,
  /** the visible products' SKUs with their orderable and contract flags (the catalog search's company view) */
  priceIndexSearchFlags: (fingerprint: string, generation: number, version = CODEC_VERSION) =>
    `${priceIndex(version)}:${fingerprint}:g${generation}:search-flags`,
  /** the catalog search index's current generation, written last by a build */
  searchIndexPointer: (version = SEARCH_INDEX_VERSION) => `${searchIndex(version)}:ptr`,
  /** one part of a search index generation (SearchIndex.serialize output, in order) */
  searchIndexPart: (generation: number, part: number, version = SEARCH_INDEX_VERSION) =>
    `${searchIndex(version)}:g${generation}:p${part}`,
  bench: (name: string) => `bench:${name}`,
};
