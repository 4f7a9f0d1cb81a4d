import { formatId } from '../domain/ids';

export const newId = (prefix: string): string => formatId(prefix, crypto.getRandomValues(new Uint8Array(20)));
