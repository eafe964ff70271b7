import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createPngWriter } from '../src/png.js';
import { decodePng, pngChunks } from './png.js';

/** Pixels with flat areas, gradients, noise and half-transparent rows. */
function samplePixels(width: number, height: number): Uint8Array {
  const pixels = new Uint8Array(width * height * 4);
  let seed = 7;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const i = (y * width + x) * 4;
      const band = Math.floor(y / 5) % 4;
      pixels[i] = band === 0 ? 200 : band === 1 ? x * 3 : band === 2 ? (x + y) & 0xff : seed >>> 24;
      pixels[i + 1] = band === 3 ? (seed >>> 16) & 0xff : y * 7;
      pixels[i + 2] = 90;
      pixels[i + 3] = band === 2 ? 128 : 255;
    }
  }
  return pixels;
}

describe('createPngWriter', () => {
  it('writes rows handed in bands of any size as one PNG of those pixels', () => {
    const [width, height] = [37, 41];
    const pixels = samplePixels(width, height);
    for (const bandRows of [1, 5, 16, height]) {
      const writer = createPngWriter(width, height);
      for (let top = 0; top < height; top += bandRows) {
        writer.addRows(pixels.subarray(top * width * 4, Math.min(top + bandRows, height) * width * 4));
      }
      const png = writer.finish();
      const decoded = decodePng(png);
      expect({ width: decoded.width, height: decoded.height, channels: decoded.channels }).toEqual({
        width,
        height,
        channels: 4,
      });
      expect(Buffer.from(decoded.pixels).equals(Buffer.from(pixels)), `bands of ${bandRows}`).toBe(true);
      expect(pngChunks(png).map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
      for (const chunk of pngChunks(png)) {
        expect(chunk.crc, chunk.type).toBe(crc32(chunk.body, crc32(Buffer.from(chunk.type, 'latin1'))));
      }
    }
  });

  it('writes a zlib stream whose checksum holds (inflate checks the Adler-32)', () => {
    const [width, height] = [300, 200];
    const writer = createPngWriter(width, height);
    const pixels = samplePixels(width, height);
    writer.addRows(pixels.subarray(0, 120 * width * 4));
    writer.addRows(pixels.subarray(120 * width * 4));
    const idat = pngChunks(writer.finish()).find((chunk) => chunk.type === 'IDAT');
    expect(inflateSync(idat?.body ?? Buffer.alloc(0)).length).toBe(height * (width * 4 + 1));
  });

  it('compresses flat rows to little', () => {
    const [width, height] = [500, 500];
    const writer = createPngWriter(width, height);
    writer.addRows(new Uint8Array(width * height * 4).fill(200));
    expect(writer.finish().length).toBeLessThan(3000);
  });

  it('refuses rows that do not make up the image', () => {
    const writer = createPngWriter(4, 3);
    expect(() => writer.addRows(new Uint8Array(4 * 4 + 1))).toThrow(/no whole rows of 4 pixels/);
    writer.addRows(new Uint8Array(2 * 4 * 4));
    expect(() => writer.finish()).toThrow(/2 added, the image has 3/);
  });
});
