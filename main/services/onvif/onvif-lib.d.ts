// Types for the `onvif` package's SOAP helpers (lib/utils.js, untyped); the Cam and Discovery types ship with the package.
declare module 'onvif/lib/utils.js' {
  const utils: {
    parseSOAPString(xml: string, cb: (err: Error | null, data: unknown, xml: string) => void, statusCode?: number): void;
    /** Flattens xml2js output (single-element arrays to values, numeric strings to numbers). */
    linerase(x: unknown): any; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  export default utils;
}
