/**
 * `.txt` files are imported as their text: wrangler's default module rules load them as Text modules,
 * and vitest.config.ts maps them to Vite's `?raw`.
 */
declare module '*.txt' {
  const text: string;
  // biome-ignore lint/style/noDefaultExport: a Text module has nothing but its default export
  export default text;
}
