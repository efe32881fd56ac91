import dicomParser from 'dicom-parser';
import type { SrExportView } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { ReadableDB } from '../../db/types';
import { BlobStore } from '../../storage/blob-store';
import { labelingDataset } from '../access';
import { groundTruth } from '../annotations-service';
import { latestSummary } from '../labeling-repository';
import { measurementReport, type SrSourceImage } from './tid1500';

interface ImageRow {
  id: number;
  original_name: string;
  kind: string;
  sha256: string;
  frames: number;
}

/** Patient and study attributes of the source image, read from its stored DICOM file. */
export function sourceImage(bytes: Uint8Array, frames: number, fileName: string): SrSourceImage {
  let ds: dicomParser.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  } catch (err) {
    throw new AppError('VALIDATION', `${fileName}: not a readable DICOM file (${err instanceof Error ? err.message : String(err)}).`, { field: 'imageId' });
  }
  const s = (tag: string) => (ds.string(tag) ?? '').trim();
  const uid = (tag: string, name: string) => {
    const v = s(tag);
    if (!v) throw new AppError('VALIDATION', `${fileName}: it has no ${name}, which an SR must reference.`, { field: name });
    return v;
  };
  return {
    sopClassUid: uid('x00080016', 'SOP Class UID'),
    sopInstanceUid: uid('x00080018', 'SOP Instance UID'),
    seriesInstanceUid: uid('x0020000e', 'Series Instance UID'),
    studyInstanceUid: uid('x0020000d', 'Study Instance UID'),
    frames,
    patientName: s('x00100010'),
    patientId: s('x00100020'),
    patientBirthDate: s('x00100030'),
    patientSex: s('x00100040'),
    studyDate: s('x00080020'),
    studyTime: s('x00080030'),
    studyId: s('x00200010'),
    accessionNumber: s('x00080050'),
    referringPhysicianName: s('x00080090'),
  };
}

/**
 * The dataset's current ground truth as DICOM SR TID 1500, one Comprehensive SR instance per
 * DICOM image (PNG/JPEG images cannot be referenced by an SR and are counted as left out).
 */
export function exportSr(db: ReadableDB, storageDir: string, datasetId: number, now: Date): SrExportView {
  const dataset = labelingDataset(db, datasetId);
  const summary = latestSummary(db, datasetId);
  if (!summary) throw new AppError('VALIDATION', 'This labeling dataset has no label schema yet.', { field: 'datasetId' });
  const gts = groundTruth(db, datasetId);
  const rows = new Map(
    (db.prepare('SELECT id, original_name, kind, sha256, frames FROM images WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(gts.map((g) => g.imageId))) as ImageRow[]).map((r) => [r.id, r]),
  );
  const blobs = new BlobStore(storageDir);
  const files: SrExportView['files'] = [];
  let notDicom = 0;
  for (const g of gts) {
    const row = rows.get(g.imageId);
    if (!g.annotation || !row) continue;
    if (row.kind !== 'dicom') {
      notDicom++;
      continue;
    }
    const report = measurementReport({
      image: sourceImage(blobs.get(row.sha256, { verify: true }), row.frames, row.original_name),
      doc: g.annotation.doc,
      classes: summary.schema.classes.map((c) => c.name),
      observer: g.annotation.authorName,
      description: `${dataset.name} ${g.source} #${g.annotation.id}`,
      seriesNumber: 9000 + files.length + 1,
      now,
    });
    files.push({
      imageId: g.imageId,
      fileName: `${row.original_name.replace(/\.dcm$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_')}-sr.dcm`,
      base64: report.bytes.toString('base64'),
      sopInstanceUid: report.sopInstanceUid,
      measurementGroups: report.measurementGroups,
      leftOut: report.leftOut,
    });
  }
  return { files, images: files.length, withoutGroundTruth: gts.filter((g) => !g.annotation).length, notDicom };
}
