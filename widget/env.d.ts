/** Written by the build (vite.config.ts): each part's file, beside widget.js, and its sha384. */
declare module 'tellus:parts' {
  const manifest: Record<import('./parts').PartName, [file: string, integrity: string]>;
  export default manifest;
}
