import { describe, expect, it } from 'vitest';
import { csvField, toCoco, toCsv, type ExportInput } from './export';
import { annotationDoc } from './marks';
import { labelSchema } from './schema';

const input: ExportInput = {
  datasetName: 'lung',
  schema: labelSchema.parse({ classes: [{ name: 'nodule', color: '#ff0000', key: 'n', shapes: ['rectangle', 'ellipse', 'length'] }] }),
  schemaVersion: 2,
  createdAt: '2026-11-22T08:00:00.000Z',
  images: [
    {
      id: 7,
      fileName: 'CT_small.dcm',
      width: 128,
      height: 128,
      sopInstanceUid: '1.2.3',
      source: 'gold',
      annotationId: 42,
      schemaVersion: 2,
      doc: annotationDoc.parse({
        imageClass: null,
        marks: [
          { id: 'a', class: 'nodule', shape: 'rectangle', geometry: { x: 10, y: 20, width: 30, height: 40 }, attributes: {} },
          { id: 'b', class: 'nodule', shape: 'length', geometry: { start: [0, 0], end: [3, 4] }, attributes: {}, text: 'say "hi", ok' },
        ],
      }),
    },
    { id: 8, fileName: 'MR.dcm', width: 64, height: 64, sopInstanceUid: null, source: 'accepted', annotationId: 43, schemaVersion: 1, doc: { imageClass: null, marks: [] } },
  ],
};

describe('ground-truth export', () => {
  it('writes COCO with bbox, polygon segmentation and area for area marks only', () => {
    const coco = JSON.parse(toCoco(input));
    expect(coco.categories).toEqual([{ id: 1, name: 'nodule', supercategory: 'lesion' }]);
    expect(coco.images).toEqual([
      { id: 7, file_name: 'CT_small.dcm', width: 128, height: 128, midc_sop_instance_uid: '1.2.3' },
      { id: 8, file_name: 'MR.dcm', width: 64, height: 64 },
    ]);
    expect(coco.annotations).toEqual([
      expect.objectContaining({ id: 1, image_id: 7, category_id: 1, bbox: [10, 20, 30, 40], area: 1200, segmentation: [[10, 20, 40, 20, 40, 60, 10, 60]], iscrowd: 0 }),
    ]);
    expect(coco.midc_marks).toEqual([expect.objectContaining({ image_id: 7, shape: 'length', mark_id: 'b' })]);
  });

  it('writes CSV with one row per mark, quoted fields and an empty row for a negative image', () => {
    const lines = toCsv(input).split('\r\n');
    expect(lines[0]).toBe('image_id,file_name,sop_instance_uid,source,annotation_version,schema_version,mark_id,class,shape,frame,bbox_x,bbox_y,bbox_w,bbox_h,area_px,geometry,attributes,measurements');
    expect(lines[1]).toBe('7,CT_small.dcm,1.2.3,gold,42,2,a,nodule,rectangle,0,10,20,30,40,1200,"{""x"":10,""y"":20,""width"":30,""height"":40}",{},');
    expect(lines[2]).toMatch(/^7,CT_small.dcm,1.2.3,gold,42,2,b,nodule,length,0,0,0,3,4,,/);
    expect(lines[3]).toBe('8,MR.dcm,,accepted,43,1,,,,,,,,,,,,');
    expect(lines[4]).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
  });
});
