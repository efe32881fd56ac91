import { create } from 'zustand';
import type { AnnotationVersionView, LabelingSummaryView, TicketView } from '../../../../shared/contract';
import type { ErrorData, Result } from '../../../../shared/errors';
import type { AnnotationDoc, LabelClass, Mark, ShapeType } from '../../../../shared/labeling';
import { valueOrReport } from '../../core/result';
import { useAuthStore } from '../auth/auth-store';
import { parseImageId, toImageId } from '../viewer/image-id';
import { viewerService } from '../viewer/viewer-service';
import { useViewerStore } from '../viewer/viewer-store';
import { workspaceApi } from './api';
import { Saver, type SaveState } from './autosave';
import { EMPTY_HISTORY, record, redo, undo, type History } from './history';

/**
 * - `annotate`: an annotator works on their ticket; saves are annotator versions.
 * - `review`: an expert looks at a submitted ticket; after "Correct", edits are saved as the
 *   image's gold-standard version, based on the annotator's version.
 * - `images`: an expert views any images, no marks.
 */
export type WorkspaceMode = 'annotate' | 'review' | 'images';

export interface WorkspaceImage {
  readonly id: number;
  readonly fileName: string;
  readonly viewable: boolean;
  /** A version of this image is saved in this ticket (by me, or inherited). */
  readonly saved: boolean;
}

export interface ImageDoc {
  readonly marks: readonly Mark[];
  readonly imageClass: string | null;
  /** Review: the annotator version shown and corrected. */
  readonly annotatorVersion: AnnotationVersionView | null;
  /** Review: a gold version exists for the image. */
  readonly hasGold: boolean;
}

export interface Session {
  readonly mode: WorkspaceMode;
  readonly ticket: TicketView | null;
  readonly images: readonly WorkspaceImage[];
  readonly summary: LabelingSummaryView | null;
  /** Review: the expert chose to correct (edits become gold versions). */
  readonly correcting: boolean;
}

/** Where an image's saved marks come from: the open session, or the ticket being opened. */
type DocSource = Pick<Session, 'mode' | 'ticket'>;

export type Notice =
  | { readonly kind: 'noClassForShape'; readonly shape: ShapeType }
  | { readonly kind: 'classNotAllowed'; readonly cls: string; readonly shape: ShapeType }
  | { readonly kind: 'submitted' | 'returned' | 'accepted' | 'rejected'; readonly ticket: string }
  | { readonly kind: 'missingImages'; readonly count: number };

interface WorkspaceState {
  readonly session: Session | null;
  readonly opening: boolean;
  readonly docs: Readonly<Record<number, ImageDoc>>;
  readonly history: History;
  readonly selectedMarkId: string | null;
  readonly currentClass: string | null;
  readonly saveState: SaveState;
  readonly saveError: ErrorData | null;
  readonly helpOpen: boolean;
  readonly notice: Notice | null;
  /** Tickets to move on to (my inbox, or the submitted tickets for an expert). */
  readonly queue: readonly TicketView[];
  readonly submittedTickets: readonly TicketView[] | null;

  openTicket(ticketId: number, mode: 'annotate' | 'review'): Promise<boolean>;
  openImages(imageIds: readonly number[]): Promise<void>;
  close(): Promise<void>;
  loadSubmitted(): Promise<void>;
  nextTicket(): Promise<void>;
  chooseClass(name: string): void;
  select(markId: string | null): void;
  deleteSelected(): void;
  /** Sets (or, with an empty value, clears) one attribute of a mark on the shown image. */
  setAttribute(markId: string, name: string, value: string | number | null): void;
  undo(): void;
  redo(): void;
  saveNow(): void;
  /** Saves pending changes now. */
  flush(): Promise<void>;
  startCorrecting(): void;
  complete(): Promise<{ ok: boolean; error: ErrorData | null }>;
  returnTicket(reason: string): Promise<{ ok: boolean; error: ErrorData | null }>;
  accept(): Promise<{ ok: boolean; error: ErrorData | null }>;
  reject(reason: string): Promise<{ ok: boolean; error: ErrorData | null }>;
  setHelp(open: boolean): void;
  dismissNotice(): void;
}

/** Autosave debounce: well under 1 s, so a change is stored within 2 s (issue 4 item 5). */
export const AUTOSAVE_DELAY_MS = 400;

const EMPTY_DOC: ImageDoc = { marks: [], imageClass: null, annotatorVersion: null, hasGold: false };

export const classesOf = (session: Session | null): readonly LabelClass[] => session?.summary?.schema.classes ?? [];

/** Whether the viewer should let the person draw and edit now. */
export const isEditable = (session: Session | null): boolean =>
  session !== null && (session.mode === 'annotate' ? session.ticket?.state !== 'submitted' && session.ticket?.state !== 'accepted' : session.mode === 'review' && session.correcting);

export const useWorkspaceStore = create<WorkspaceState>()((set, get) => {
  let saver: Saver<AnnotationDoc> | null = null;
  /** Images whose saved marks are being / have been fetched in this session. */
  let loads = new Map<number, Promise<void>>();

  const newSaver = () =>
    new Saver<AnnotationDoc>({
      delayMs: AUTOSAVE_DELAY_MS,
      retryMs: 3000,
      save: async (imageId, revision, doc): Promise<Result<unknown>> => {
        const s = get().session;
        if (!s?.summary || !s.ticket) return { ok: false, error: { code: 'INTERNAL', message: 'no open ticket' } };
        const schemaVersion = s.summary.version;
        const result =
          s.mode === 'annotate'
            ? await workspaceApi.save({ ticketId: s.ticket.id, imageId, revision, schemaVersion, doc })
            : await workspaceApi.saveReview({
                datasetId: s.ticket.datasetId,
                imageId,
                kind: 'gold',
                revision,
                schemaVersion,
                basedOnId: get().docs[imageId]?.annotatorVersion?.id ?? null,
                doc,
              });
        if (result.ok) {
          set((st) => ({
            session: st.session && { ...st.session, images: st.session.images.map((i) => (i.id === imageId ? { ...i, saved: true } : i)) },
            docs: s.mode === 'review' ? { ...st.docs, [imageId]: { ...(st.docs[imageId] ?? EMPTY_DOC), hasGold: true } } : st.docs,
          }));
        }
        return result;
      },
      onState: (saveState, saveError) => set({ saveState, saveError }),
    });

  const docOf = (imageId: number): AnnotationDoc => {
    const d = get().docs[imageId] ?? EMPTY_DOC;
    return { imageClass: d.imageClass, marks: [...d.marks] };
  };

  const setDoc = (imageId: number, change: Partial<ImageDoc>) =>
    set((s) => ({ docs: { ...s.docs, [imageId]: { ...(s.docs[imageId] ?? EMPTY_DOC), ...change } } }));

  /** Fetches the saved marks of an image once per session and puts them into the viewer. */
  const prepare = (imageId: number, opened?: DocSource): Promise<void> => {
    let p = loads.get(imageId);
    if (!p) {
      p = fetchDoc(imageId, opened);
      loads.set(imageId, p);
    }
    return p;
  };

  /** `opened`: the ticket being opened, before the session is set (the first image's marks). */
  const fetchDoc = async (imageId: number, opened?: DocSource): Promise<void> => {
    const s = opened ?? get().session;
    if (!s?.ticket) return;
    if (s.mode === 'annotate') {
      const view = valueOrReport(await workspaceApi.load(s.ticket.id, imageId));
      if (!view) return;
      saver?.setRevision(imageId, view.revision);
      setDoc(imageId, { marks: view.current?.doc.marks ?? [], imageClass: view.current?.doc.imageClass ?? null });
      if (view.summary.version !== get().session?.summary?.version) set((st) => ({ session: st.session && { ...st.session, summary: view.summary } }));
      await viewerService.setMarks(toImageId(imageId), view.current?.doc.marks ?? []);
    } else {
      const view = valueOrReport(await workspaceApi.review(s.ticket.datasetId, imageId));
      if (!view) return;
      saver?.setRevision(imageId, view.goldRevision);
      const mine = view.versions.filter((v) => v.kind === 'annotator' && v.ticketId === s.ticket?.id);
      const annotatorVersion = mine.at(-1) ?? null;
      const gold = view.versions.filter((v) => v.kind === 'gold').at(-1) ?? null;
      // The expert sees their correction once there is one, else the annotator's marks.
      const shown = gold ?? annotatorVersion;
      setDoc(imageId, { marks: shown?.doc.marks ?? [], imageClass: shown?.doc.imageClass ?? null, annotatorVersion, hasGold: gold !== null });
      await viewerService.setMarks(toImageId(imageId), shown?.doc.marks ?? []);
    }
  };

  /** Applies marks from undo/redo: tool state, document, autosave. */
  const applyMarks = (imageId: number, marks: readonly Mark[]) => {
    void viewerService.setMarks(toImageId(imageId), marks);
    setDoc(imageId, { marks });
    saver?.change(imageId, docOf(imageId));
    if (!marks.some((m) => m.id === get().selectedMarkId)) set({ selectedMarkId: null });
  };

  const classByName = (name: string | null) => classesOf(get().session).find((c) => c.name === name);

  const installHooks = () =>
    viewerService.setHooks({
      prepare: (id) => {
        const parsed = parseImageId(id);
        return parsed ? prepare(parsed.id) : Promise.resolve();
      },
      classFor: (shape) => {
        const classes = classesOf(get().session);
        const current = classByName(get().currentClass);
        if (current?.shapes.includes(shape)) return { name: current.name, color: current.color };
        const fallback = classes.find((c) => c.shapes.includes(shape));
        if (fallback && current) set({ notice: { kind: 'classNotAllowed', cls: current.name, shape } });
        return fallback ? { name: fallback.name, color: fallback.color } : null;
      },
      colorOf: (cls) => classByName(cls)?.color,
      changed: (id, marks) => {
        const parsed = parseImageId(id);
        if (!parsed || !isEditable(get().session)) return;
        const before = get().docs[parsed.id]?.marks ?? [];
        set((s) => ({ history: record(s.history, { imageId: parsed.id, before, after: marks }) }));
        setDoc(parsed.id, { marks });
        saver?.change(parsed.id, docOf(parsed.id));
      },
      selected: (markId) => set({ selectedMarkId: markId }),
      rejected: (shape) => set({ notice: { kind: 'noClassForShape', shape } }),
      shown: () => set({ selectedMarkId: null }),
    });

  const resetSession = async () => {
    await saver?.flush();
    saver = null;
    loads = new Map();
    set({ session: null, docs: {}, history: EMPTY_HISTORY, selectedMarkId: null, saveState: 'saved', saveError: null });
  };

  const ticketAction = async (call: () => Promise<Result<TicketView>>, notice: Notice['kind']) => {
    await saver?.flush();
    const result = await call();
    if (!result.ok) return { ok: false, error: result.error };
    const name = result.value.name;
    await resetSession();
    await viewerService.open([]);
    set({ notice: { kind: notice, ticket: name } as Notice });
    return { ok: true, error: null };
  };

  return {
    session: null,
    opening: false,
    docs: {},
    history: EMPTY_HISTORY,
    selectedMarkId: null,
    currentClass: null,
    saveState: 'saved',
    saveError: null,
    helpOpen: false,
    notice: null,
    queue: [],
    submittedTickets: null,

    async openTicket(ticketId, mode) {
      set({ opening: true, notice: null });
      try {
        await resetSession();
        const detail = valueOrReport(await workspaceApi.ticket(ticketId));
        if (!detail) return false;
        let ticket = detail.ticket;
        const images = [...detail.images]
          .sort((a, b) => a.position - b.position)
          .map((i) => ({ id: i.image.id, fileName: i.image.fileName, viewable: i.image.viewable, saved: i.saved }));
        saver = newSaver();
        // Independent calls run at once (start, the schema, the first image's saved marks, the
        // queue to move on to); only what the first image needs is awaited before showing it.
        const starting = mode === 'annotate' && ticket.state === 'assigned' ? workspaceApi.start(ticket.id) : null;
        const summaryLoad = workspaceApi.summary(ticket.datasetId);
        const first = images[0];
        if (first) void prepare(first.id, { mode, ticket });
        const queueLoad = mode === 'annotate' ? workspaceApi.inbox() : workspaceApi.submitted();
        const started = starting && valueOrReport(await starting);
        if (started) ticket = started;
        const summary = valueOrReport(await summaryLoad);
        if (!summary) return false;
        const classes = summary.schema.classes;
        set((s) => ({
          session: { mode, ticket, images, summary, correcting: false },
          currentClass: classes.some((c) => c.name === s.currentClass) ? s.currentClass : (classes[0]?.name ?? null),
        }));
        installHooks();
        const opening = viewerService.open(
          images.map((i) => toImageId(i.id)),
          0,
          isEditable(get().session) ? 'annotate' : 'view',
        );
        const queue = valueOrReport(await queueLoad);
        if (queue) set({ queue });
        await opening;
        return true;
      } finally {
        set({ opening: false });
      }
    },

    async openImages(imageIds) {
      await resetSession();
      set({ session: { mode: 'images', ticket: null, images: imageIds.map((id) => ({ id, fileName: `#${id}`, viewable: true, saved: false })), summary: null, correcting: false } });
      installHooks();
      await viewerService.open(imageIds.map((id) => toImageId(id)), 0, 'view');
    },

    async close() {
      await resetSession();
      await viewerService.open([]);
    },

    async loadSubmitted() {
      const tickets = valueOrReport(await workspaceApi.submitted());
      if (tickets) set({ submittedTickets: tickets });
    },

    async nextTicket() {
      const s = get().session;
      if (!s?.ticket) return;
      const mode = s.mode === 'annotate' ? 'annotate' : 'review';
      const fresh = valueOrReport(await (mode === 'annotate' ? workspaceApi.inbox() : workspaceApi.submitted())) ?? get().queue;
      const others = fresh.filter((t) => t.id !== s.ticket?.id);
      const index = fresh.findIndex((t) => t.id === s.ticket?.id);
      const next = (index >= 0 ? fresh.slice(index + 1).find((t) => t.id !== s.ticket?.id) : undefined) ?? others[0];
      if (next) await get().openTicket(next.id, mode);
    },

    chooseClass(name) {
      const cls = classByName(name);
      if (!cls) return;
      set({ currentClass: name });
      const { selectedMarkId, session } = get();
      const imageId = viewerService.currentImageId();
      if (!selectedMarkId || !imageId || !isEditable(session)) return;
      const parsed = parseImageId(imageId);
      const mark = parsed ? get().docs[parsed.id]?.marks.find((m) => m.id === selectedMarkId) : undefined;
      if (!mark || mark.class === name) return;
      if (!cls.shapes.includes(mark.shape)) {
        set({ notice: { kind: 'classNotAllowed', cls: name, shape: mark.shape } });
        return;
      }
      viewerService.setMarkClass(selectedMarkId, name, cls.color);
    },

    select(markId) {
      set({ selectedMarkId: markId });
      viewerService.highlight(markId);
    },

    deleteSelected() {
      const id = get().selectedMarkId;
      if (id && isEditable(get().session) && viewerService.deleteMark(id)) set({ selectedMarkId: null });
    },

    setAttribute(markId, name, value) {
      const imageId = viewerService.currentImageId();
      const parsed = imageId ? parseImageId(imageId) : null;
      const mark = parsed ? get().docs[parsed.id]?.marks.find((m) => m.id === markId) : undefined;
      if (!mark || !isEditable(get().session)) return;
      const attributes: Record<string, string | number> = { ...mark.attributes };
      if (value === null || value === '') delete attributes[name];
      else attributes[name] = value;
      viewerService.setMarkAttributes(markId, attributes);
    },

    undo() {
      const step = undo(get().history);
      if (!step) return;
      set({ history: step.history });
      applyMarks(step.apply.imageId, step.apply.marks);
    },

    redo() {
      const step = redo(get().history);
      if (!step) return;
      set({ history: step.history });
      applyMarks(step.apply.imageId, step.apply.marks);
    },

    saveNow() {
      const imageId = viewerService.currentImageId();
      const parsed = imageId ? parseImageId(imageId) : null;
      if (!parsed || !isEditable(get().session)) return;
      // An explicit save stores the image as it is, even unchanged (e.g. "no findings").
      saver?.change(parsed.id, docOf(parsed.id));
      void saver?.flush();
    },

    flush: async () => {
      await saver?.flush();
    },

    startCorrecting() {
      const s = get().session;
      if (!s || s.mode !== 'review') return;
      set({ session: { ...s, correcting: true } });
      const { imageIds, index } = useViewerStore.getState();
      void viewerService.open(imageIds, index, 'annotate');
    },

    async complete() {
      const s = get().session;
      if (!s?.ticket || s.mode !== 'annotate') return { ok: false, error: null };
      const ticket = s.ticket;
      const result = await ticketAction(() => workspaceApi.submit(ticket.id), 'submitted');
      if (!result.ok && result.error?.code === 'VALIDATION') {
        const missing = (result.error.details as { imageIds?: unknown[] } | undefined)?.imageIds;
        if (Array.isArray(missing)) set({ notice: { kind: 'missingImages', count: missing.length } });
      }
      return result;
    },

    async returnTicket(reason) {
      const ticket = get().session?.ticket;
      if (!ticket) return { ok: false, error: null };
      return ticketAction(() => workspaceApi.returnTicket(ticket.id, reason), 'returned');
    },

    async accept() {
      const ticket = get().session?.ticket;
      if (!ticket) return { ok: false, error: null };
      const result = await ticketAction(() => workspaceApi.accept(ticket.id), 'accepted');
      void get().loadSubmitted();
      return result;
    },

    async reject(reason) {
      const ticket = get().session?.ticket;
      if (!ticket) return { ok: false, error: null };
      const result = await ticketAction(() => workspaceApi.reject(ticket.id, reason), 'rejected');
      void get().loadSubmitted();
      return result;
    },

    setHelp: (open) => set({ helpOpen: open }),
    dismissNotice: () => set({ notice: null }),
  };
});

/** Saves what is pending when the window goes away (best effort: a crash loses at most ~1 s). */
export function flushOnHide(): () => void {
  const onHide = () => {
    if (document.visibilityState === 'hidden') void useWorkspaceStore.getState().flush();
  };
  document.addEventListener('visibilitychange', onHide);
  return () => document.removeEventListener('visibilitychange', onHide);
}

// A new person at the kiosk never sees the previous person's ticket: logging out (or an ended
// session) closes the workspace after saving what is pending.
useAuthStore.subscribe((state, previous) => {
  if (previous.session && !state.session && useWorkspaceStore.getState().session) void useWorkspaceStore.getState().close();
});
