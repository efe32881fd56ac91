import type { Migration } from '../types';

/**
 * Labeling (DESIGN §2.2, §4.3): labeling summaries (guidelines + label schema, one row per
 * version), tickets with their append-only event log and image membership, append-only
 * annotation versions and the record of which versions an expert accepted. The rules that
 * keep history intact are triggers, so raw SQL cannot break them either:
 *
 * - summaries, ticket events, annotations and acceptances are never updated or deleted;
 * - a ticket's `state` and `assignee_id` are a cache of its newest event and may only change
 *   to what that event says (write the event first, then the ticket);
 * - an event must continue from the ticket's current state along an edge of the state
 *   machine in src/shared/labeling/tickets.ts, with a reason where one is required;
 * - an image leaves a ticket only by being released (once), never by deletion; an image slot
 *   of a dataset is held by at most one ticket at a time;
 * - an annotation version continues its track: its revision is higher than the track's last
 *   and `previous_id` is the track's newest version (a stale autosave cannot slip in).
 * Released: never edit; add a new migration instead.
 */
export const migration0005Labeling: Migration = {
  version: 5,
  name: 'labeling',
  up(db) {
    db.exec(`
      CREATE TABLE labeling_summaries (
        id            INTEGER PRIMARY KEY,
        dataset_id    INTEGER NOT NULL REFERENCES datasets(id),
        version       INTEGER NOT NULL CHECK (version >= 1),
        guidelines    TEXT NOT NULL,
        label_schema  TEXT NOT NULL CHECK (json_valid(label_schema)),
        created_by    INTEGER REFERENCES users(id),
        created_at    TEXT NOT NULL,
        UNIQUE (dataset_id, version)
      ) STRICT;
      CREATE TRIGGER labeling_summaries_labeling_only BEFORE INSERT ON labeling_summaries
      WHEN (SELECT purpose FROM datasets WHERE id = NEW.dataset_id) IS NOT 'labeling'
      BEGIN SELECT RAISE(ABORT, 'a labeling summary belongs to a labeling dataset'); END;
      CREATE TRIGGER labeling_summaries_consecutive BEFORE INSERT ON labeling_summaries
      WHEN NEW.version IS NOT coalesce((SELECT max(version) FROM labeling_summaries WHERE dataset_id = NEW.dataset_id), 0) + 1
      BEGIN SELECT RAISE(ABORT, 'labeling summary versions are consecutive'); END;
      CREATE TRIGGER labeling_summaries_no_update BEFORE UPDATE ON labeling_summaries
      BEGIN SELECT RAISE(ABORT, 'labeling summaries are append-only; save a new version'); END;
      CREATE TRIGGER labeling_summaries_no_delete BEFORE DELETE ON labeling_summaries
      BEGIN SELECT RAISE(ABORT, 'labeling summaries are append-only; save a new version'); END;

      CREATE TABLE tickets (
        id           INTEGER PRIMARY KEY,
        dataset_id   INTEGER NOT NULL REFERENCES datasets(id),
        name         TEXT NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('open', 'assigned', 'in_progress', 'submitted', 'accepted', 'returned')),
        assignee_id  INTEGER REFERENCES users(id),
        priority     TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        due_date     TEXT,
        created_by   INTEGER REFERENCES users(id),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX tickets_dataset ON tickets(dataset_id, state);
      CREATE INDEX tickets_assignee ON tickets(assignee_id, state);
      CREATE TRIGGER tickets_start_open BEFORE INSERT ON tickets
      WHEN NEW.state IS NOT 'open' OR NEW.assignee_id IS NOT NULL
        OR (SELECT purpose FROM datasets WHERE id = NEW.dataset_id) IS NOT 'labeling'
      BEGIN SELECT RAISE(ABORT, 'a ticket starts open and unassigned, in a labeling dataset'); END;
      CREATE TRIGGER tickets_no_delete BEFORE DELETE ON tickets
      BEGIN SELECT RAISE(ABORT, 'tickets are never deleted'); END;
      CREATE TRIGGER tickets_fixed BEFORE UPDATE ON tickets
      WHEN NEW.id IS NOT OLD.id OR NEW.dataset_id IS NOT OLD.dataset_id OR NEW.created_by IS NOT OLD.created_by
        OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'a ticket keeps its dataset and creation'); END;

      CREATE TABLE ticket_events (
        id           INTEGER PRIMARY KEY,
        ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
        action       TEXT NOT NULL CHECK (action IN ('create', 'assign', 'start', 'submit', 'return', 'reassign', 'accept', 'reject', 'update')),
        from_state   TEXT,
        to_state     TEXT NOT NULL,
        assignee_id  INTEGER REFERENCES users(id),
        actor_id     INTEGER REFERENCES users(id),
        actor_name   TEXT,
        reason       TEXT,
        details      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),
        at           TEXT NOT NULL,
        CHECK (action NOT IN ('return', 'reassign', 'reject') OR length(trim(coalesce(reason, ''))) >= 3)
      ) STRICT;
      CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);
      CREATE TRIGGER ticket_events_chain BEFORE INSERT ON ticket_events
      WHEN NEW.from_state IS NOT (SELECT to_state FROM ticket_events WHERE ticket_id = NEW.ticket_id ORDER BY id DESC LIMIT 1)
      BEGIN SELECT RAISE(ABORT, 'a ticket event continues from the ticket''s current state'); END;
      -- The edges of src/shared/labeling/tickets.ts (TRANSITIONS), plus creation and in-place updates.
      CREATE TRIGGER ticket_events_edges BEFORE INSERT ON ticket_events
      WHEN NOT (
           (NEW.action = 'create' AND NEW.from_state IS NULL AND NEW.to_state = 'open')
        OR (NEW.action = 'update' AND NEW.to_state = NEW.from_state)
        OR (NEW.action = 'assign' AND NEW.from_state = 'open' AND NEW.to_state = 'assigned')
        OR (NEW.action = 'start' AND NEW.from_state = 'assigned' AND NEW.to_state = 'in_progress')
        OR (NEW.action = 'submit' AND NEW.from_state = 'in_progress' AND NEW.to_state = 'submitted')
        OR (NEW.action = 'return' AND NEW.from_state IN ('assigned', 'in_progress') AND NEW.to_state = 'returned')
        OR (NEW.action = 'reassign' AND NEW.from_state IN ('assigned', 'in_progress', 'returned') AND NEW.to_state = 'assigned')
        OR (NEW.action = 'accept' AND NEW.from_state = 'submitted' AND NEW.to_state = 'accepted')
        OR (NEW.action = 'reject' AND NEW.from_state = 'submitted' AND NEW.to_state = 'in_progress'))
      BEGIN SELECT RAISE(ABORT, 'not a transition of the ticket state machine'); END;
      CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
      BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;
      CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
      BEGIN SELECT RAISE(ABORT, 'ticket events are append-only'); END;
      -- Declared after ticket_events, which it reads.
      CREATE TRIGGER tickets_follow_events BEFORE UPDATE OF state, assignee_id ON tickets
      WHEN NOT EXISTS (
        SELECT 1 FROM ticket_events e
        WHERE e.id = (SELECT max(id) FROM ticket_events WHERE ticket_id = NEW.id)
          AND e.to_state = NEW.state AND e.assignee_id IS NEW.assignee_id)
      BEGIN SELECT RAISE(ABORT, 'a ticket''s state and assignee follow its newest event'); END;

      CREATE TABLE ticket_images (
        id                 INTEGER PRIMARY KEY,
        ticket_id          INTEGER NOT NULL REFERENCES tickets(id),
        dataset_id         INTEGER NOT NULL REFERENCES datasets(id),
        image_id           INTEGER NOT NULL REFERENCES images(id),
        slot               INTEGER NOT NULL DEFAULT 0 CHECK (slot >= 0),
        position           INTEGER NOT NULL,
        added_event_id     INTEGER NOT NULL REFERENCES ticket_events(id),
        released_event_id  INTEGER REFERENCES ticket_events(id)
      ) STRICT;
      CREATE UNIQUE INDEX ticket_images_live_slot ON ticket_images(dataset_id, image_id, slot) WHERE released_event_id IS NULL;
      CREATE UNIQUE INDEX ticket_images_live_ticket ON ticket_images(ticket_id, image_id) WHERE released_event_id IS NULL;
      CREATE INDEX ticket_images_image ON ticket_images(dataset_id, image_id);
      CREATE TRIGGER ticket_images_same_dataset BEFORE INSERT ON ticket_images
      WHEN NEW.dataset_id IS NOT (SELECT dataset_id FROM tickets WHERE id = NEW.ticket_id) OR NEW.released_event_id IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a ticket image belongs to the ticket''s dataset and starts held'); END;
      CREATE TRIGGER ticket_images_release_only BEFORE UPDATE ON ticket_images
      WHEN OLD.released_event_id IS NOT NULL OR NEW.released_event_id IS NULL
        OR NEW.id IS NOT OLD.id OR NEW.ticket_id IS NOT OLD.ticket_id OR NEW.dataset_id IS NOT OLD.dataset_id
        OR NEW.image_id IS NOT OLD.image_id OR NEW.slot IS NOT OLD.slot OR NEW.position IS NOT OLD.position
        OR NEW.added_event_id IS NOT OLD.added_event_id
      BEGIN SELECT RAISE(ABORT, 'a ticket image can only be released, once'); END;
      CREATE TRIGGER ticket_images_no_delete BEFORE DELETE ON ticket_images
      BEGIN SELECT RAISE(ABORT, 'ticket images are released, never deleted'); END;

      CREATE TABLE annotations (
        id            INTEGER PRIMARY KEY,
        dataset_id    INTEGER NOT NULL REFERENCES datasets(id),
        image_id      INTEGER NOT NULL REFERENCES images(id),
        ticket_id     INTEGER REFERENCES tickets(id),
        kind          TEXT NOT NULL CHECK (kind IN ('annotator', 'reviewer', 'gold')),
        author_id     INTEGER NOT NULL REFERENCES users(id),
        track         TEXT NOT NULL,
        revision      INTEGER NOT NULL CHECK (revision >= 1),
        previous_id   INTEGER REFERENCES annotations(id),
        based_on_id   INTEGER REFERENCES annotations(id),
        summary_id    INTEGER NOT NULL REFERENCES labeling_summaries(id),
        content       TEXT NOT NULL CHECK (json_valid(content)),
        content_hash  TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        UNIQUE (track, revision),
        CHECK ((kind = 'annotator') = (ticket_id IS NOT NULL))
      ) STRICT;
      CREATE INDEX annotations_image ON annotations(dataset_id, image_id, id);
      CREATE INDEX annotations_ticket ON annotations(ticket_id, image_id, id);
      CREATE INDEX annotations_track ON annotations(track, revision);
      CREATE TRIGGER annotations_chain BEFORE INSERT ON annotations
      WHEN NEW.revision <= coalesce((SELECT max(revision) FROM annotations WHERE track = NEW.track), 0)
        OR NEW.previous_id IS NOT (SELECT id FROM annotations WHERE track = NEW.track ORDER BY revision DESC LIMIT 1)
      BEGIN SELECT RAISE(ABORT, 'stale revision: an annotation version continues from the newest version of its track'); END;
      CREATE TRIGGER annotations_summary_of_dataset BEFORE INSERT ON annotations
      WHEN (SELECT dataset_id FROM labeling_summaries WHERE id = NEW.summary_id) IS NOT NEW.dataset_id
        OR (NEW.ticket_id IS NOT NULL AND (SELECT dataset_id FROM tickets WHERE id = NEW.ticket_id) IS NOT NEW.dataset_id)
      BEGIN SELECT RAISE(ABORT, 'an annotation uses a schema and ticket of its own dataset'); END;
      CREATE TRIGGER annotations_no_update BEFORE UPDATE ON annotations
      BEGIN SELECT RAISE(ABORT, 'annotations are append-only; a change is a new version'); END;
      CREATE TRIGGER annotations_no_delete BEFORE DELETE ON annotations
      BEGIN SELECT RAISE(ABORT, 'annotations are append-only; a change is a new version'); END;

      CREATE TABLE annotation_acceptances (
        annotation_id  INTEGER PRIMARY KEY REFERENCES annotations(id),
        ticket_id      INTEGER NOT NULL REFERENCES tickets(id),
        event_id       INTEGER NOT NULL REFERENCES ticket_events(id),
        accepted_at    TEXT NOT NULL
      ) STRICT;
      CREATE TRIGGER annotation_acceptances_annotator_only BEFORE INSERT ON annotation_acceptances
      WHEN (SELECT kind FROM annotations WHERE id = NEW.annotation_id) IS NOT 'annotator'
        OR (SELECT ticket_id FROM annotations WHERE id = NEW.annotation_id) IS NOT NEW.ticket_id
      BEGIN SELECT RAISE(ABORT, 'only an annotator version of the ticket is accepted'); END;
      CREATE TRIGGER annotation_acceptances_no_update BEFORE UPDATE ON annotation_acceptances
      BEGIN SELECT RAISE(ABORT, 'acceptances are append-only'); END;
      CREATE TRIGGER annotation_acceptances_no_delete BEFORE DELETE ON annotation_acceptances
      BEGIN SELECT RAISE(ABORT, 'acceptances are append-only'); END;
    `);
  },
};
