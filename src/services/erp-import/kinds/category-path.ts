/**
 * An ERP's category as a slash path. Each level may be given as its name ("Fasteners/Screws/Wood screws")
 * or as its slug ("fasteners/screws/wood-screws"); both name the same category, whose path is the slugs.
 * Levels that do not exist yet are created with the name given (a slug is turned back into words).
 */
export interface CategoryLevel {
  path: string;
  parentPath: string | null;
  name: string;
  depth: number;
}

const MAX_DEPTH = 8;

/** The same slug rule as the catalog's own categories, accents folded ("Électricité" → "electricite"). */
export const slugOf = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const nameOf = (segment: string, slug: string): string =>
  segment === slug ? `${slug.charAt(0).toUpperCase()}${slug.slice(1).replaceAll('-', ' ')}` : segment;

/** The path and its levels, root first; a string says what is wrong. */
export function categoryOf(text: string): { path: string; levels: CategoryLevel[] } | string {
  const segments = text.split('/').map((s) => s.trim());
  if (segments.length > MAX_DEPTH) return `at most ${MAX_DEPTH} levels`;
  const levels: CategoryLevel[] = [];
  let parentPath: string | null = null;
  for (const segment of segments) {
    const slug = slugOf(segment);
    if (!slug) return 'every level of the path needs letters or digits, e.g. Fasteners/Screws';
    if (segment.length > 100) return 'a level has at most 100 characters';
    const path: string = parentPath === null ? slug : `${parentPath}/${slug}`;
    levels.push({ path, parentPath, name: nameOf(segment, slug), depth: levels.length + 1 });
    parentPath = path;
  }
  return { path: parentPath ?? '', levels };
}
