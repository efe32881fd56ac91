import type { CommandInfo } from '../command';

// Name, summary and usage of every `midc` command, kept apart from the implementations so that
// `midc --help` and usage errors load nothing else (each command's code is imported on use).

export const initInfo: CommandInfo = {
  name: 'init',
  summary: 'create a workspace (database + storage root); --demo fills it with demo data',
  usage: `Usage: midc init [--demo] [--workspace DIR] [--json]

Creates the workspace folder with its database (migrated to the current schema), storage
root and logs folder. Running it again on an existing workspace only migrates it.
  --demo   fill an empty workspace with demo users of every role and demo data
JSON: {workspace, created, schemaVersion, demo?: {users, password}}
`,
};

export const importInfo: CommandInfo = {
  name: 'import',
  summary: 'import DICOM and PNG/JPEG files or folders into the workspace',
  usage: `Usage: midc import PATH... [--tag key=value]... [--deidentify] [--defer-pixels] [--workspace DIR] [--json]
       midc import --pending-pixels [--workspace DIR] [--json]

Imports files and folders (recursively). Every file ends as imported, duplicate (the same
bytes are already stored) or quarantined with a reason; the batch never stops on a bad file.
  --tag key=value   a source tag set on every imported object (repeatable)
  --deidentify      store de-identified copies (PS3.15 Basic Profile subset: names, IDs,
                    birth date, addresses, institution, private tags; new UIDs), tagged
                    deidentified=yes; the original files are not changed
  --defer-pixels    register and store only; leave thumbnails and perceptual hashes queued
                    for the app's background pass or a later \`midc import --pending-pixels\`
  --pending-pixels  (no PATH) make the thumbnails and hashes still queued, then exit
Exit 1 when some files were quarantined.
JSON: {batch, imported, duplicates, quarantined: [{path, reason}], items: [{path, id, sha256, status}]}
`,
};

export const verifyInfo: CommandInfo = {
  name: 'verify',
  summary: 'check database integrity, every blob hash and the audit chain',
  usage: `Usage: midc verify [--workspace DIR] [--json]

Checks the workspace without changing it: SQLite integrity_check and foreign keys, every
stored blob re-hashed against its name, the audit log's hash chain. Exit 3 when anything is
wrong. JSON: {ok, database: {ok, problems}, blobs: {count, bytes, bad}, audit: {entries, ok, head, problems}}
`,
};

export const metricsInfo: CommandInfo = {
  name: 'metrics',
  summary: 'compute classification or detection metrics from ground-truth and prediction CSVs',
  usage: `Usage: midc metrics --gt GT.csv --pred PRED.csv [--task classification|detection]
                    [--iou 0.5] [--quant MATRIX.json] [--json]

Pure computation from files; no workspace is used. Files are UTF-8 CSV with a header line
(columns in any order, extra columns ignored; quoted fields, BOM and CRLF are fine).
  classification  GT: image_key,class            PRED: image_key,class[,score]
  detection       GT: image_key,class,x,y,w,h    PRED: image_key,class,score,x,y,w,h
                  (x,y = top-left corner, w,h = size; a GT row "KEY,,,,," declares an
                  image without objects)
  --task   default: detection when the GT file has x,y,w,h columns, else classification
  --iou    detection: a prediction matches a box at IoU >= this (default 0.5)
  --quant  a quantified-label matrix {"name","default","values":{TRUE:{PRED:v,"missed":v}}}
           (+ "spurious": v or {PRED: v} for unmatched predicted boxes in detection)

Classification: classes are the sorted union of GT and predicted classes. An image in GT
without a prediction is missed: a false negative of its class, a false positive of none,
wrong for accuracy. A ratio that is 0/0 is null. F1 = 2tp/(2tp+fp+fn). macro = unweighted
mean over classes of the defined values (sklearn zero_division=nan); micro from summed
tp/fp/fn. confusion[t][p] counts true class t predicted as p, in classes order, with one
extra trailing column per row counting that class's missed images. With scores, auc is
one-vs-rest ROC AUC (ties count half, as in scikit-learn; an image not predicted as the
class ranks below every score).
Detection: per class, predictions by descending score (ties in file order) take the
unmatched GT box of their class and image with the highest IoU >= --iou; unmatched
predictions are FP, unmatched boxes FN; AP is COCO's 101-point interpolation; tn,
specificity and accuracy are null; prCurves holds the raw curve per class.

Input errors name the file, line and field, and exit 2.
JSON: {classes, confusion, perClass: {CLASS: {tp, fp, fn, tn, support, precision, recall,
specificity, f1, auc?}}, accuracy, macro: {precision, recall, f1, auc?}, micro: {...},
quant?: {name, score, perClass: {CLASS: {score}}}}; detection adds iou, mAP, prCurves,
perClass[C].ap and quant.spurious.
`,
};

export const backupInfo: CommandInfo = {
  name: 'backup',
  summary: 'back up the workspace (run), list backups, verify a backup',
  usage: `Usage:
  midc backup run --to DIR [--workspace DIR] [--json]
  midc backup list --to DIR [--json]
  midc backup verify --backup PATH [--repair] [--json]
  midc backup drill [--to DIR] [--workspace DIR] [--json]
  midc backup prune --to DIR [--daily N] [--weekly M] [--monthly K] [--dry-run] [--workspace DIR] [--json]

run     makes a consistent backup (database snapshot + every blob) of the workspace in a new
        folder midc-backup-<UTC time>-<random> under DIR. Blob bytes go to DIR's pool
        DIR/blobs/<sha[0:2]>/<sha>, shared by its backups: a blob already there is referenced,
        a new one copied and checked. DIR must exist (it is the backup root, ideally on
        another device). --to is required: there is no configured backup root yet.
        JSON: {id, path, files, bytes}; warnings (blobs left out, same device) on stderr.
list    the backups under DIR, newest first.
        JSON: [{id, path, readable, problem, createdAt, completedAt, files, bytes, schemaVersion, appVersion, auditHead}]
verify  re-hashes every file of a backup against its manifest, looks for missing and extra
        files, and checks the database copy. Exit 3 on any mismatch. --repair moves pool
        blobs found damaged aside to DIR/damaged/, so that the next backup copies them again
        from the workspace (the backups that reference them then verify again).
        JSON: {ok, problems: [{path, problem}]}

drill   restores the newest backup under DIR (default: the newest in the workspace's
        configured destinations) into a temporary folder, checks it as "midc verify" does and
        against the manifest's row counts and audit-chain head, deletes the folder and reports
        the time it took (the RTO). Exit 3 when the restored copy fails a check.
        JSON: {ok, backup, id, files, bytes, durationMs, tables, auditHead, auditEntries, blobs, problems, at}
prune   applies the retention policy to DIR: keeps the newest backup of each of the last N
        days, M weeks and K months (default: the workspace's configured policy, else 7/4/12)
        and always the newest verified one (verifications recorded in the workspace); deletes
        the others as whole folders. --dry-run only reports.
        JSON: {destination, kept: [{id, reasons}], deleted, untouched, dryRun}

Progress goes to stderr; exit 1 when the backup left out damaged blobs.
`,
};

export const restoreInfo: CommandInfo = {
  name: 'restore',
  summary: 'restore a backup into an empty workspace folder',
  usage: `Usage: midc restore --backup PATH --workspace DIR [--json]

Verifies the backup, copies its database and blobs into DIR (which must be empty or not
exist yet), then checks the result as "midc verify" does and against the backup's row
counts and audit-chain head. Exit 3 when the backup or the restored workspace fails a check.
JSON: {workspace, backup, files, bytes, durationMs, verify}
`,
};
