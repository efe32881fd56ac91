import type dicomParser from 'dicom-parser';
import { parseDicom } from '../../dicom-info';

/** Tests only. Native pixel data: its value bytes; encapsulated: every fragment's bytes in order. */
export function pixelBytes(bytes: Uint8Array): Buffer {
  const { dataSet } = parseDicom(bytes);
  const el = dataSet.elements.x7fe00010 as dicomParser.Element;
  const data = dataSet.byteArray;
  if (el.fragments) return Buffer.concat(el.fragments.map((f) => Buffer.from(data.subarray(f.position, f.position + f.length))));
  return Buffer.from(data.subarray(el.dataOffset, el.dataOffset + el.length));
}
