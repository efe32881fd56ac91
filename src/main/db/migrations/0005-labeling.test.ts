import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/workspace';
import { openDatabase } from '../database';
import type { WritableDB } from '../types';
import { migrations } from './index';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A database at version 5 with one labeling dataset, one image, one user and an open ticket. */
function db5(): WritableDB {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const db = openDatabase(`${t.dir}/midc.sqlite`, { migrations: migrations.slice(0, 5) });
  cleanups.unshift(() => db.close());
  db.exec(`
    INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('ann', 'Ann', 'h', 't');
    INSERT INTO users (username, display_name, password_hash, created_at) VALUES ('bob', 'Bob', 'h', 't');
    INSERT INTO blobs (sha256, size, created_at) VALUES ('${'a'.repeat(64)}', 1, 't');
    INSERT INTO import_batches (started_at, status, inputs, options) VALUES ('t', 'done', '[]', '{}');
    INSERT INTO images (sha256, kind, viewable, original_name, original_path, batch_id, imported_at) VALUES ('${'a'.repeat(64)}', 'dicom', 1, 'a.dcm', '/a.dcm', 1, 't');
    INSERT INTO datasets (name, purpose, created_at) VALUES ('lung', 'labeling', 't');
    INSERT INTO datasets (name, purpose, created_at) VALUES ('train', 'training', 't');
    INSERT INTO labeling_summaries (dataset_id, version, guidelines, label_schema, created_at) VALUES (1, 1, 'g', '{}', 't');
    INSERT INTO tickets (dataset_id, name, state, priority, created_at, updated_at) VALUES (1, 'T1', 'open', 'normal', 't', 't');
    INSERT INTO ticket_events (ticket_id, action, from_state, to_state, at) VALUES (1, 'create', NULL, 'open', 't');
    INSERT INTO ticket_images (ticket_id, dataset_id, image_id, slot, position, added_event_id) VALUES (1, 1, 1, 0, 0, 1);
  `);
  return db;
}

function event(db: WritableDB, action: string, from: string | null, to: string, assignee: number | null, reason: string | null = null) {
  return db
    .prepare("INSERT INTO ticket_events (ticket_id, action, from_state, to_state, assignee_id, reason, at) VALUES (1, ?, ?, ?, ?, ?, 't')")
    .run(action, from, to, assignee, reason);
}

describe('migration 0005 labeling', () => {
  it('versions labeling summaries append-only and consecutively, for labeling datasets only', () => {
    const db = db5();
    expect(() => db.prepare("UPDATE labeling_summaries SET guidelines = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM labeling_summaries').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO labeling_summaries (dataset_id, version, guidelines, label_schema, created_at) VALUES (1, 3, 'g', '{}', 't')").run()).toThrow(/consecutive/);
    expect(() => db.prepare("INSERT INTO labeling_summaries (dataset_id, version, guidelines, label_schema, created_at) VALUES (2, 1, 'g', '{}', 't')").run()).toThrow(/labeling dataset/);
    db.prepare("INSERT INTO labeling_summaries (dataset_id, version, guidelines, label_schema, created_at) VALUES (1, 2, 'g2', '{}', 't')").run();
  });

  it('keeps ticket events append-only, along the state machine, with reasons where required', () => {
    const db = db5();
    expect(() => event(db, 'start', 'open', 'in_progress', 1)).toThrow(/not a transition/);
    expect(() => event(db, 'start', 'assigned', 'in_progress', 1)).toThrow(/current state/);
    event(db, 'assign', 'open', 'assigned', 1);
    expect(() => event(db, 'return', 'assigned', 'returned', null, '  ')).toThrow(/CHECK/);
    event(db, 'return', 'assigned', 'returned', null, 'not my field');
    expect(() => db.prepare("UPDATE ticket_events SET reason = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM ticket_events').run()).toThrow(/append-only/);
  });

  it('lets a ticket change state and assignee only to what its newest event says', () => {
    const db = db5();
    expect(() => db.prepare("UPDATE tickets SET state = 'assigned', assignee_id = 1").run()).toThrow(/newest event/);
    event(db, 'assign', 'open', 'assigned', 1);
    expect(() => db.prepare("UPDATE tickets SET state = 'assigned', assignee_id = 2").run()).toThrow(/newest event/);
    db.prepare("UPDATE tickets SET state = 'assigned', assignee_id = 1, updated_at = 't2'").run();
    db.prepare("UPDATE tickets SET priority = 'urgent'").run();
    expect(() => db.prepare('DELETE FROM tickets').run()).toThrow(/never deleted/);
    expect(() => db.prepare("INSERT INTO tickets (dataset_id, name, state, priority, created_at, updated_at) VALUES (1, 'T2', 'assigned', 'normal', 't', 't')").run()).toThrow(
      /starts open/,
    );
    expect(() => db.prepare("INSERT INTO tickets (dataset_id, name, state, priority, created_at, updated_at) VALUES (2, 'T2', 'open', 'normal', 't', 't')").run()).toThrow(
      /labeling dataset/,
    );
  });

  it('releases a ticket image once and never deletes it; a slot has one live holder', () => {
    const db = db5();
    expect(() => db.prepare('INSERT INTO ticket_images (ticket_id, dataset_id, image_id, slot, position, added_event_id) VALUES (1, 1, 1, 0, 1, 1)').run()).toThrow(/UNIQUE/);
    expect(() => db.prepare('UPDATE ticket_images SET position = 5').run()).toThrow(/only be released/);
    db.prepare('UPDATE ticket_images SET released_event_id = 1').run();
    expect(() => db.prepare('UPDATE ticket_images SET released_event_id = NULL').run()).toThrow(/only be released/);
    expect(() => db.prepare('DELETE FROM ticket_images').run()).toThrow(/never deleted/);
    // Released: the slot is free for another holder.
    db.prepare('INSERT INTO ticket_images (ticket_id, dataset_id, image_id, slot, position, added_event_id) VALUES (1, 1, 1, 0, 1, 1)').run();
  });

  it('keeps annotations append-only and refuses a stale revision or a forked chain', () => {
    const db = db5();
    const add = db.prepare(
      "INSERT INTO annotations (dataset_id, image_id, ticket_id, kind, author_id, track, revision, previous_id, summary_id, content, content_hash, created_at) VALUES (1, 1, ?, ?, 1, ?, ?, ?, 1, '{}', 'h', 't')",
    );
    add.run(1, 'annotator', 'a:1:1:1', 1, null);
    add.run(1, 'annotator', 'a:1:1:1', 3, 1);
    expect(() => add.run(1, 'annotator', 'a:1:1:1', 2, 2)).toThrow(/stale revision/);
    expect(() => add.run(1, 'annotator', 'a:1:1:1', 4, 1)).toThrow(/stale revision/);
    expect(() => add.run(null, 'annotator', 'x', 1, null)).toThrow(/CHECK/);
    add.run(null, 'gold', 'g:1:1', 1, null);
    expect(() => db.prepare("UPDATE annotations SET content = '[]'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM annotations').run()).toThrow(/append-only/);
    event(db, 'assign', 'open', 'assigned', 1);
    expect(() => db.prepare("INSERT INTO annotation_acceptances (annotation_id, ticket_id, event_id, accepted_at) VALUES (3, 1, 1, 't')").run()).toThrow(/annotator version/);
    db.prepare("INSERT INTO annotation_acceptances (annotation_id, ticket_id, event_id, accepted_at) VALUES (2, 1, 2, 't')").run();
    expect(() => db.prepare('DELETE FROM annotation_acceptances').run()).toThrow(/append-only/);
  });
});
