/**
 * A pack's GS1 DataMatrix rendered with zxing-wasm's writer, as a PNG (a photo to upload) and as
 * a Y4M video (Chromium's fake camera plays it with --use-file-for-fake-video-capture): the
 * symbol drawn large, black on white with a quiet zone, in the middle of a 640×480 frame.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';

const require = createRequire(import.meta.url);
const WIDTH = 640;
const HEIGHT = 480;
const MODULE_PX = 12;
/** Frames in the file; Chromium loops it. */
const FRAMES = 10;

let prepared = false;

async function dataMatrix(hri: string): Promise<{ modules: Uint8ClampedArray; size: number; png: Buffer }> {
  if (!prepared) {
    const wasm = fs.readFileSync(require.resolve('zxing-wasm/writer/zxing_writer.wasm'));
    prepareZXingModule({
      overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer },
      fireImmediately: true,
    });
    prepared = true;
  }
  const out = await writeBarcode(hri, { format: 'DataMatrix', options: 'gs1', scale: 8 });
  if (out.error || !out.symbol || !out.image) throw new Error(`zxing-wasm could not write a DataMatrix of ${hri}: ${out.error}`);
  if (out.symbol.width !== out.symbol.height) throw new Error(`expected a square DataMatrix, got ${out.symbol.width}×${out.symbol.height}`);
  return { modules: out.symbol.data, size: out.symbol.width, png: Buffer.from(await out.image.arrayBuffer()) };
}

/** A PNG of the DataMatrix for `hri` (the bracketed GS1 form, e.g. "(01)…(21)…(10)…"). */
export async function dataMatrixPng(hri: string): Promise<Buffer> {
  return (await dataMatrix(hri)).png;
}

/** Writes a Y4M (4:2:0) video showing the DataMatrix for `hri` to `file`. */
export async function writeDataMatrixY4m(hri: string, file: string): Promise<void> {
  const { modules, size } = await dataMatrix(hri);
  const side = size * MODULE_PX;
  if (side > HEIGHT - 4 * MODULE_PX) throw new Error(`a ${size}-module DataMatrix does not fit a ${WIDTH}×${HEIGHT} frame`);
  const left = (WIDTH - side) >> 1;
  const top = (HEIGHT - side) >> 1;
  // Studio-range luma: 235 white, 16 black; chroma 128 is grey (no colour).
  const luma = Buffer.alloc(WIDTH * HEIGHT, 235);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (modules[Math.floor(y / MODULE_PX) * size + Math.floor(x / MODULE_PX)] === 0) luma[(top + y) * WIDTH + left + x] = 16;
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  fs.writeFileSync(file, Buffer.concat([header, ...Array.from({ length: FRAMES }, () => frame)]));
}
