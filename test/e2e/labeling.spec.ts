/**
 * Issue 4 acceptance on the Chromium host, as far as this screen set goes: annotator A opens a
 * ticket from the inbox, draws an ellipse "nodule" on CT_small (class chosen by keyboard) and
 * a length, completes; annotator B returns a ticket with a reason; the labeling admin
 * reassigns it to A; an expert corrects A's ellipse (a gold version) and accepts; A's score
 * against gold exists; the database holds the versions and events. And: a mark survives a
 * killed host. Users, the dataset and the split are set up through the backend channels; the
 * reassignment goes through the labeling admin's screen.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { hashPassword } from '../../src/main/auth/password';
import { insertUser, setRoles } from '../../src/main/auth/users-repository';
import { importPaths } from '../../src/main/ingest/ingest-service';
import type { Sender } from '../../src/main/ipc/sender';
import type { LabelingDatasetView, ScoresView, TicketDetail, TicketView } from '../../src/shared/contract';
import type { Result } from '../../src/shared/errors';
import type { Role } from '../../src/shared/roles';
import { built, DICOM_FIXTURES } from '../helpers/built';
import { expect, test, type MidcHost } from './fixtures';

const PASSWORD = 'labeling-pass-1';
const USERS: Record<string, Role[]> = {
  oskar: ['ops'],
  lara: ['labeling_admin'],
  anna: ['annotator'],
  ben: ['annotator'],
  eric: ['expert'],
};
const NODULE_COLOR = '#ff4400';
const SCHEMA = {
  classes: [
    {
      name: 'nodule',
      color: NODULE_COLOR,
      key: 'n',
      shapes: ['ellipse', 'rectangle', 'length'],
      attributes: [{ name: 'confidence', type: 'option', options: ['low', 'high'], required: true }],
    },
    { name: 'mass', color: '#0044ff', key: 'm', shapes: ['freehand', 'rectangle'] },
  ],
  imageClasses: ['normal', 'abnormal'],
};

test.describe.configure({ timeout: 180_000 });

/** The page's canvas, typed structurally (this file compiles without the DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(type: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
const CANVAS = '[data-testid="viewport-element"] canvas';


interface Setup {
  ids: Record<string, number>;
  ct: number;
  datasetId: number;
  ticketA: TicketView;
  ticketB: TicketView;
  backend: (user: string) => Sender;
}

async function call<T>(midc: MidcHost, who: Sender, channel: string, payload: unknown): Promise<T> {
  const r = (await midc.app.dispatch(who, channel, payload)) as Result<T>;
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** Sessions live in the host process: log the backend-side actors in again after a restart. */
async function backendLogins(midc: MidcHost): Promise<(user: string) => Sender> {
  const senders: Record<string, Sender> = {};
  for (const username of Object.keys(USERS)) {
    const who: Sender = { id: `e2e-backend-${username}`, origin: midc.app.services.appOrigin, isMainFrame: true };
    await call(midc, who, 'auth:login', { username, password: PASSWORD });
    senders[username] = who;
  }
  return (user) => senders[user] as Sender;
}

interface Seeded {
  ids: Record<string, number>;
  ct: number;
  toLabelId: number;
  backend: (user: string) => Sender;
}

/** Users, the imported fixtures and a to-label dataset of them (what ops would have made). */
async function seed(midc: MidcHost): Promise<Seeded> {
  const db = midc.app.services.db;
  const hash = await hashPassword(PASSWORD);
  const ids: Record<string, number> = {};
  for (const [username, roles] of Object.entries(USERS)) {
    ids[username] = insertUser(db, { username, displayName: username[0]?.toUpperCase() + username.slice(1), passwordHash: hash, createdAt: new Date().toISOString() });
    setRoles(db, ids[username] as number, roles);
  }
  const backend = await backendLogins(midc);
  const files = ['CT_small.dcm', 'MR_small.dcm', 'MR_small_RLE.dcm'].map((f) => path.join(DICOM_FIXTURES, f));
  await importPaths(midc.app.services, files, { actor: { id: null, name: 'e2e' }, workerFile: built('ingest-worker.js') });
  const ct = (db.prepare("SELECT id FROM images WHERE original_name = 'CT_small.dcm'").get() as { id: number }).id;
  const toLabel = await call<{ id: number }>(midc, backend('oskar'), 'datasets:create', { name: 'to label', purpose: 'to_label', filter: { tags: [], viewable: true } });
  return { ids, ct, toLabelId: toLabel.id, backend };
}

/** Seed, then a labeling dataset with its schema and one ticket per annotator. */
async function setup(midc: MidcHost): Promise<Setup> {
  const { ids, ct, toLabelId, backend } = await seed(midc);
  const labeling = await call<LabelingDatasetView>(midc, backend('lara'), 'labeling:createFromToLabel', {
    sourceDatasetId: toLabelId,
    name: 'Chest nodules',
    guidelines: '# Mark every nodule',
    schema: SCHEMA,
  });
  const datasetId = labeling.dataset.id;
  // By study: CT_small is one study, the two MR files another.
  const tickets = await call<TicketView[]>(midc, backend('lara'), 'tickets:split', {
    datasetId,
    by: 'study',
    perTicket: 1,
    annotatorIds: [ids.anna, ids.ben],
    priority: 'high',
  });
  const details = await Promise.all(tickets.map((t) => call<TicketDetail>(midc, backend('lara'), 'tickets:get', { id: t.id })));
  const ctDetail = details.find((d) => d.images.some((i) => i.image.id === ct)) as TicketDetail;
  let ticketA = ctDetail.ticket;
  let ticketB = (details.find((d) => d !== ctDetail) as TicketDetail).ticket;
  if (ticketA.assigneeId !== ids.anna) {
    // The split order follows Study Instance UIDs; keep the story's names (A = anna has CT_small).
    ticketA = await call<TicketView>(midc, backend('lara'), 'tickets:reassign', { id: ticketA.id, assigneeId: ids.anna, reason: 'test story: A has CT' });
    ticketB = await call<TicketView>(midc, backend('lara'), 'tickets:reassign', { id: ticketB.id, assigneeId: ids.ben, reason: 'test story: B has MR' });
  }
  return { ids, ct, datasetId, ticketA, ticketB, backend };
}

async function login(page: Page, username: string): Promise<void> {
  if (await page.getByTestId('shell').isVisible()) {
    await page.getByTestId('logout').click();
  } else {
    await page.reload();
  }
  await expect(page.getByTestId('login-form')).toBeVisible({ timeout: 15_000 });
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('shell')).toBeVisible({ timeout: 15_000 });
}

async function openFromInbox(page: Page, ticketId: number): Promise<void> {
  await page.getByTestId('nav-inbox').click();
  await page.getByTestId(`inbox-open-${ticketId}`).click();
  await expect(page.getByTestId('annotation-view')).toBeVisible();
  await expect(page.getByTestId('viewport-element')).toHaveAttribute('data-status', 'shown', { timeout: 20_000 });
}

/** A drag on the viewport in fractions of its box, with intermediate mouse moves. */
async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const box = await page.getByTestId('viewport-element').boundingBox();
  if (!box) throw new Error('no viewport');
  await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 12 });
  await page.mouse.up();
}

/** Canvas pixels drawn in a class colour (cornerstone-tools draws marks in `data.color`). */
function pixelsOfColor(page: Page, hex: string): Promise<number> {
  return page.locator(CANVAS).evaluate((el: unknown, color: string) => {
    const canvas = el as CanvasLike;
    const ctx = canvas.getContext('2d');
    if (!ctx) return 0;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n++;
    return n;
  }, hex);
}

const marks = (page: Page) => page.getByTestId('mark-row');

async function geometries(page: Page): Promise<Record<string, unknown>[]> {
  const rows = await marks(page).all();
  return Promise.all(
    rows.map(async (r) => ({
      shape: await r.getAttribute('data-shape'),
      class: await r.getAttribute('data-class'),
      geometry: JSON.parse((await r.getAttribute('data-geometry')) ?? 'null') as unknown,
      attributes: JSON.parse((await r.getAttribute('data-attributes')) ?? 'null') as unknown,
    })),
  );
}

test('annotate, complete, return, reassign, correct as gold, accept: screens and database agree', async ({ midc }) => {
  const s = await setup(midc);
  const { page } = midc;
  const db = midc.app.services.db;

  // --- Annotator A: inbox → workspace; ellipse "nodule" chosen by keyboard; a length; complete.
  await login(page, 'anna');
  await expect(page.getByTestId('module-inbox')).toBeVisible();
  await expect(page.getByTestId(`inbox-ticket-${s.ticketA.id}`)).toContainText('Chest nodules');
  await openFromInbox(page, s.ticketA.id);
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-overlay')).toBeVisible();
  await expect(page.getByTestId('help-class.nodule')).toContainText('N');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('help-overlay')).toHaveCount(0);

  await page.keyboard.press('m');
  await expect(page.getByTestId('class-mass')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('n');
  await expect(page.getByTestId('class-nodule')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Shift+E');
  await expect(page.getByTestId('tool-EllipticalRoi')).toHaveAttribute('aria-pressed', 'true');
  await drag(page, [0.42, 0.42], [0.56, 0.54]);
  await expect(marks(page)).toHaveCount(1);
  await expect(marks(page).first()).toHaveAttribute('data-class', 'nodule');
  await expect(marks(page).first()).toHaveAttribute('data-shape', 'ellipse');
  await expect.poll(() => pixelsOfColor(page, NODULE_COLOR)).toBeGreaterThan(20);
  // "confidence" is required by the schema: main refuses the save until it is given.
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'error', { timeout: 5_000 });
  await page.getByTestId('attr-confidence').selectOption('high');

  await page.keyboard.press('Shift+L');
  await drag(page, [0.3, 0.7], [0.6, 0.72]);
  await expect(marks(page)).toHaveCount(2);
  await page.getByTestId('attr-confidence').selectOption('low');
  // CT_small states its pixel spacing: the length is in mm.
  await expect(marks(page).nth(1).getByTestId('mark-measure')).toContainText('mm');
  await expect(marks(page).nth(0).getByTestId('mark-measure')).toContainText('mm²');

  // Undo steps back through the attribute, then the length; redo brings both back.
  await page.keyboard.press('Control+z');
  await expect(marks(page).nth(1)).toHaveAttribute('data-attributes', '{}');
  await page.keyboard.press('Control+z');
  await expect(marks(page)).toHaveCount(1);
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Control+Shift+Z');
  await expect(marks(page)).toHaveCount(2);
  await expect(marks(page).nth(1)).toHaveAttribute('data-attributes', '{"confidence":"low"}');
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved', { timeout: 5_000 });
  const drawn = await geometries(page);

  await page.getByTestId('ws-complete').click();
  await expect(page.getByTestId('ws-notice')).toHaveAttribute('data-kind', 'submitted');
  const annaRows = db
    .prepare("SELECT id, content FROM annotations WHERE ticket_id = ? AND kind = 'annotator' ORDER BY id")
    .all(s.ticketA.id) as { id: number; content: string }[];
  const annaLatest = annaRows.at(-1) as { id: number; content: string };
  const annaDoc = JSON.parse(annaLatest.content) as { marks: { class: string; shape: string; geometry: unknown; attributes: unknown }[] };
  expect(annaDoc.marks.map((m) => ({ shape: m.shape, class: m.class, geometry: m.geometry, attributes: m.attributes }))).toEqual(drawn);
  expect((db.prepare('SELECT state FROM tickets WHERE id = ?').get(s.ticketA.id) as { state: string }).state).toBe('submitted');

  // --- Annotator B returns their ticket with a reason (mandatory: confirm is off without one).
  await login(page, 'ben');
  await page.getByTestId(`inbox-return-${s.ticketB.id}`).click();
  await expect(page.getByTestId('return-form-confirm')).toBeDisabled();
  await page.getByTestId('return-form-input').fill('MR is outside my training');
  await page.getByTestId('return-form-confirm').click();
  await expect(page.getByTestId(`inbox-ticket-${s.ticketB.id}`)).toHaveCount(0);
  expect(db.prepare("SELECT state, assignee_id FROM tickets WHERE id = ?").get(s.ticketB.id)).toEqual({ state: 'returned', assignee_id: null });

  // --- The labeling admin reassigns it to A on the labeling-admin screen (reason required).
  await login(page, 'lara');
  await page.getByTestId('nav-workspace').click();
  await page.getByTestId(`labeling-select-${s.datasetId}`).click();
  const row = page.getByTestId('labeling-tickets-grid').locator(`.ag-row[row-id="${s.ticketB.id}"]`);
  await expect(page.getByTestId(`labeling-ticket-state-${s.ticketB.id}`)).toHaveText('Returned');
  await row.click();
  const panel = page.getByTestId(`labeling-assign-panel-${s.ticketB.id}`);
  await panel.getByTestId(`labeling-reassign-to-${s.ticketB.id}`).selectOption(String(s.ids.anna));
  await expect(panel.getByTestId(`labeling-reassign-${s.ticketB.id}`)).toBeDisabled();
  await panel.getByTestId(`labeling-reassign-reason-${s.ticketB.id}`).fill('Anna reads MR too');
  await panel.getByTestId(`labeling-reassign-${s.ticketB.id}`).click();
  await expect(page.getByTestId(`labeling-ticket-state-${s.ticketB.id}`)).toHaveText('Assigned');
  await expect(row).toContainText('Anna');

  // --- The expert reviews A's ticket, corrects the ellipse (gold) and accepts.
  await login(page, 'eric');
  await page.getByTestId('nav-workspace').click();
  await page.getByTestId(`review-open-${s.ticketA.id}`).click();
  await expect(page.getByTestId('annotation-view')).toHaveAttribute('data-mode', 'review');
  await expect(page.getByTestId('viewport-element')).toHaveAttribute('data-status', 'shown', { timeout: 20_000 });
  await expect(marks(page)).toHaveCount(2);
  expect(await geometries(page)).toEqual(drawn);
  await page.getByTestId('ws-correct').click();
  // Drag the ellipse's end handle (the corner where A's drag ended) further out.
  await drag(page, [0.56, 0.54], [0.58, 0.56]);
  await expect.poll(async () => JSON.stringify((await geometries(page))[0])).not.toBe(JSON.stringify(drawn[0]));
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved', { timeout: 5_000 });
  const corrected = await geometries(page);
  await page.getByTestId('ws-accept').click();
  await expect(page.getByTestId('ws-notice')).toHaveAttribute('data-kind', 'accepted');

  // --- The database: versions and events.
  const gold = db.prepare("SELECT author_id, based_on_id, ticket_id, content FROM annotations WHERE kind = 'gold' AND image_id = ? ORDER BY id DESC").get(s.ct) as {
    author_id: number;
    based_on_id: number;
    ticket_id: number | null;
    content: string;
  };
  expect(gold).toMatchObject({ author_id: s.ids.eric, based_on_id: annaLatest.id, ticket_id: null });
  const goldDoc = JSON.parse(gold.content) as { marks: { class: string; shape: string; geometry: unknown; attributes: unknown }[] };
  expect(goldDoc.marks.map((m) => ({ shape: m.shape, class: m.class, geometry: m.geometry, attributes: m.attributes }))).toEqual(corrected);
  expect(db.prepare('SELECT state FROM tickets WHERE id = ?').get(s.ticketA.id)).toEqual({ state: 'accepted' });
  const actions = (id: number) => (db.prepare('SELECT action FROM ticket_events WHERE ticket_id = ? ORDER BY id').all(id) as { action: string }[]).map((e) => e.action);
  const swapped = actions(s.ticketA.id).includes('reassign');
  expect(actions(s.ticketA.id)).toEqual(['create', 'assign', ...(swapped ? ['reassign'] : []), 'start', 'submit', 'accept']);
  expect(actions(s.ticketB.id)).toEqual(['create', 'assign', ...(swapped ? ['reassign'] : []), 'return', 'reassign']);
  expect(db.prepare("SELECT reason, actor_name FROM ticket_events WHERE ticket_id = ? AND action = 'return'").get(s.ticketB.id)).toEqual({
    reason: 'MR is outside my training',
    actor_name: 'ben',
  });
  expect(db.prepare("SELECT reason, actor_name, assignee_id FROM ticket_events WHERE ticket_id = ? ORDER BY id DESC").get(s.ticketB.id)).toEqual({
    reason: 'Anna reads MR too',
    actor_name: 'lara',
    assignee_id: s.ids.anna,
  });
  expect(db.prepare('SELECT assignee_id, state FROM tickets WHERE id = ?').get(s.ticketB.id)).toEqual({ assignee_id: s.ids.anna, state: 'assigned' });
  expect(db.prepare('SELECT count(*) AS n FROM annotation_acceptances WHERE annotation_id = ?').get(annaLatest.id)).toEqual({ n: 1 });

  // A's score against gold (the quality grid is another screen: read through its channel).
  const scores = await call<ScoresView>(midc, s.backend('eric'), 'quality:scores', { datasetId: s.datasetId });
  expect(scores.annotators.find((a) => a.annotatorId === s.ids.anna)).toMatchObject({
    images: 1,
    // The ellipse overlaps its correction well; a length has no area and is not scored.
    matched: 1,
    lowOverlap: 0,
    missing: 0,
    extra: 0,
    unscored: 2,
  });
  expect(midc.blocked).toEqual([]);
});

test('a drawn mark reaches the database by autosave and is there, identical, after the host is killed', async ({ midc }) => {
  const s = await setup(midc);
  const { page } = midc;
  await login(page, 'anna');
  await openFromInbox(page, s.ticketA.id);
  await page.keyboard.press('n');
  await page.keyboard.press('Shift+R');
  await drag(page, [0.35, 0.38], [0.5, 0.47]);
  await expect(marks(page)).toHaveCount(1);
  await page.getByTestId('attr-confidence').selectOption('high');
  // A second mark, selected in the list and deleted with the keyboard (a deletion is a save too).
  await drag(page, [0.6, 0.6], [0.7, 0.7]);
  await expect(marks(page)).toHaveCount(2);
  await marks(page).nth(1).getByRole('button').first().click();
  await page.keyboard.press('Delete');
  await expect(marks(page)).toHaveCount(1);
  const before = await geometries(page);
  // Autosave: the newest stored version holds exactly what the screen shows within 2 s of the
  // last change, without any further action.
  const newest = () => {
    const row = midc.app.services.db
      .prepare("SELECT content FROM annotations WHERE ticket_id = ? AND kind = 'annotator' ORDER BY id DESC LIMIT 1")
      .get(s.ticketA.id) as { content: string } | undefined;
    const doc = row ? (JSON.parse(row.content) as { marks: { class: string; shape: string; geometry: unknown; attributes: unknown }[] }) : null;
    return doc?.marks.map((m) => ({ shape: m.shape, class: m.class, geometry: m.geometry, attributes: m.attributes })) ?? null;
  };
  await expect.poll(newest, { timeout: 2_000, intervals: [100] }).toEqual(before);

  await midc.restart();
  const page2 = midc.page;
  await login(page2, 'anna');
  await openFromInbox(page2, s.ticketA.id);
  await expect(marks(page2)).toHaveCount(1);
  expect(await geometries(page2)).toEqual(before);
  await expect.poll(() => pixelsOfColor(page2, NODULE_COLOR)).toBeGreaterThan(20);
});

test('the inbox loads the first image of its top tickets while it is read; opening the ticket shows it from the cache', async ({ midc }) => {
  const s = await setup(midc);
  const { page } = midc;
  const db = midc.app.services.db;
  // Reads of the image's file (the viewer's only way to its bytes), each one audited.
  const reads = () =>
    (db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'images:file' AND json_extract(details, '$.request.id') = ?").get(s.ct) as { n: number }).n;
  await login(page, 'anna');
  await page.getByTestId('nav-inbox').click();
  await expect(page.getByTestId(`inbox-open-${s.ticketA.id}`)).toBeVisible();
  // Before any click, the first image of A's ticket is read (and audited) once, in the background.
  await page.waitForFunction(() => performance.getEntriesByName('midc:viewer:warm-idle').length > 0);
  expect(reads()).toBe(1);
  await openFromInbox(page, s.ticketA.id);
  // Shown from Cornerstone's cache: no second read of the file.
  expect(reads()).toBe(1);
  expect(midc.blocked).toEqual([]);
});

test('the labeling admin makes a labeling dataset with a schema and splits it between two annotators on screen', async ({ midc }) => {
  const s = await seed(midc);
  const { page } = midc;
  await login(page, 'lara');
  await page.getByTestId('nav-workspace').click();
  await expect(page.getByTestId('labeling-admin')).toBeVisible();
  await page.getByTestId('labeling-create-source').selectOption(String(s.toLabelId));
  await page.getByTestId('labeling-create-name').fill('Chest nodules');
  // An invalid schema is refused in the form, with the reason.
  await page.getByTestId('labeling-create-schema').fill('{"classes": []}');
  await page.getByTestId('labeling-create-submit').click();
  await expect(page.getByTestId('labeling-create-form').getByTestId('error-banner')).toContainText('label schema is not valid');
  await page.getByTestId('labeling-create-schema').fill(JSON.stringify(SCHEMA));
  await page.getByTestId('labeling-create-submit').click();
  await expect.poll(() => (midc.app.services.db.prepare("SELECT count(*) AS n FROM datasets WHERE purpose = 'labeling'").get() as { n: number }).n).toBe(1);
  const datasetId = (midc.app.services.db.prepare("SELECT id FROM datasets WHERE name = 'Chest nodules' AND purpose = 'labeling'").get() as { id: number }).id;
  await expect(page.getByTestId(`labeling-dataset-${datasetId}`)).toContainText('3 images');

  await page.getByTestId('labeling-split-by').selectOption('count');
  await page.getByTestId('labeling-split-per').fill('2');
  await page.getByTestId('labeling-split-annotator-anna').check();
  await page.getByTestId('labeling-split-annotator-ben').check();
  await page.getByTestId('labeling-split-submit').click();
  await expect(page.getByTestId('labeling-tickets-grid').locator('.ag-row')).toHaveCount(2);
  const tickets = midc.app.services.db.prepare('SELECT assignee_id, state FROM tickets WHERE dataset_id = ? ORDER BY id').all(datasetId);
  expect(tickets).toEqual([
    { assignee_id: s.ids.anna, state: 'assigned' },
    { assignee_id: s.ids.ben, state: 'assigned' },
  ]);
  const schema = midc.app.services.db.prepare('SELECT label_schema FROM labeling_summaries WHERE dataset_id = ?').get(datasetId) as { label_schema: string };
  expect(JSON.parse(schema.label_schema).classes.map((c: { name: string }) => c.name)).toEqual(['nodule', 'mass']);
});
