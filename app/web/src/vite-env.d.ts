/** Vite's `?url` imports: the URL (relative to the page's base) of a file Vite bundles as an asset. */
declare module '*?url' {
  const url: string;
  export default url;
}
