import { inflateSync } from 'node:zlib';

/** A decoded 8-bit RGB(A) PNG: just enough of the format to check what resvg wrote. */
export interface DecodedPng {
  width: number;
  height: number;
  channels: number;
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's chunks in order, each with its type, body and stored CRC. */
export function pngChunks(png: Buffer): { type: string; body: Buffer; crc: number }[] {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('no PNG signature');
  const found = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    found.push({
      type: png.toString('latin1', offset + 4, offset + 8),
      body: png.subarray(offset + 8, offset + 8 + length),
      crc: png.readUInt32BE(offset + 8 + length),
    });
    offset += 12 + length;
  }
  return found;
}

export function decodePng(png: Buffer): DecodedPng {
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  for (const { type, body } of pngChunks(png)) {
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [bitDepth, colourType, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (bitDepth !== 8 || interlace !== 0) throw new Error('only 8-bit non-interlaced PNGs');
      if (colourType === 6) channels = 4;
      else if (colourType === 2) channels = 3;
      else throw new Error(`colour type ${colourType} not supported`);
    } else if (type === 'IDAT') data.push(body);
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      } else if (filter !== 0) throw new Error(`filter ${filter}`);
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

/** How many pixels have exactly this colour (`#rrggbb`, fully opaque). */
export function countColour(image: DecodedPng, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16));
  let count = 0;
  for (let i = 0; i < image.pixels.length; i += image.channels) {
    const opaque = image.channels === 3 || image.pixels[i + 3] === 255;
    if (opaque && image.pixels[i] === r && image.pixels[i + 1] === g && image.pixels[i + 2] === b) count++;
  }
  return count;
}

/** Pixels darker than mid grey: text (labels, title), since no cell colour is that dark. */
export function countDark(image: DecodedPng): number {
  let count = 0;
  for (let i = 0; i < image.pixels.length; i += image.channels) {
    const sum = (image.pixels[i] ?? 0) + (image.pixels[i + 1] ?? 0) + (image.pixels[i + 2] ?? 0);
    if (sum < 3 * 100) count++;
  }
  return count;
}
