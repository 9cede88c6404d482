/**
 * GS1 DataMatrix decoding with zxing-wasm's reader build. Its .wasm is bundled by Vite and
 * served from this page's own origin: `locateFile` points at that file, so the library never
 * reaches for its default CDN.
 */
import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import readerWasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? new URL(readerWasmUrl, document.baseURI).href : prefix + path),
  },
});

const OPTIONS: ReaderOptions = {
  formats: ['DataMatrix'],
  tryHarder: true,
  // Plain text keeps the GS separators, so with the symbology identifier (`]d2`) the result is
  // exactly what a keyboard-wedge scanner types: the registry's parser reads it as it is.
  textMode: 'Plain',
  maxNumberOfSymbols: 1,
};

/** The first DataMatrix in an image (a camera frame or a photo) as a scanner's string, or undefined. */
export async function readPackCode(image: ImageData | Blob): Promise<string | undefined> {
  const [found] = await readBarcodes(image, OPTIONS);
  return found && found.isValid ? `${found.symbologyIdentifier}${found.text}` : undefined;
}
