import { describe, expect, it } from 'vitest';
import { encodeGreyPng, isJpeg, readPngHeader } from '../png';
import { DeidentifyError } from './binary';
import { stripJpegMetadata, stripPngMetadata } from './raster';

const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);

function jpegWithText(): { withText: Buffer; clean: Buffer } {
  const soi = Buffer.from([0xff, 0xd8]);
  const app0 = segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'));
  const app1 = segment(0xe1, Buffer.from('Exif\0\0Artist PHI97EXIFARTIST', 'latin1'));
  const app14 = segment(0xee, Buffer.from('Adobe\0\x64\0\0\0\0\x01', 'latin1'));
  const com = segment(0xfe, Buffer.from('Scanned for PHI96COMMENT', 'latin1'));
  const sof0 = segment(0xc0, Buffer.from([8, 0, 2, 0, 2, 1, 1, 0x11, 0]));
  const sos = Buffer.concat([segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])), Buffer.from([0x12, 0xff, 0x00, 0x34]), Buffer.from([0xff, 0xd9])]);
  return {
    withText: Buffer.concat([soi, app0, app1, app14, com, sof0, sos]),
    clean: Buffer.concat([soi, app0, app14, sof0, sos]),
  };
}

describe('raster metadata stripping', () => {
  it('drops EXIF/XMP application segments and comments from a JPEG, keeping JFIF, Adobe and the scan', () => {
    const { withText, clean } = jpegWithText();
    const out = Buffer.from(stripJpegMetadata(new Uint8Array(withText)));
    expect(out.equals(clean)).toBe(true);
    expect(isJpeg(out)).toBe(true);
    expect(out.includes(Buffer.from('PHI97'))).toBe(false);
    expect(out.includes(Buffer.from('PHI96'))).toBe(false);
  });

  it('drops text chunks from a PNG and keeps the image', () => {
    const png = encodeGreyPng(3, 2, new Uint8Array(6).fill(7));
    const text = Buffer.from('Comment\0PHI95PNG');
    const chunk = Buffer.concat([Buffer.from([0, 0, 0, text.length]), Buffer.from('tEXt'), text, Buffer.alloc(4)]);
    const out = stripPngMetadata(new Uint8Array(Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)])));
    expect(Buffer.from(out).equals(png)).toBe(true);
    expect(readPngHeader(out)).toMatchObject({ width: 3, height: 2 });
  });

  it('refuses truncated files with a typed error', () => {
    const { withText } = jpegWithText();
    expect(() => stripJpegMetadata(new Uint8Array(withText.subarray(0, 30)))).toThrow(DeidentifyError);
    const png = encodeGreyPng(3, 2, new Uint8Array(6));
    expect(() => stripPngMetadata(new Uint8Array(png.subarray(0, png.length - 14)))).toThrow(/PNG chunk IDAT .* runs past the end/);
  });
});
