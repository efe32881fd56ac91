import type { Role } from '../roles';

/**
 * The ticket (work order) state machine of DESIGN §2.2, as data plus one pure function.
 *
 *   open ──assign──▶ assigned ──start──▶ in_progress ──submit──▶ submitted ──accept──▶ accepted
 *                      │  ▲                 │  ▲                    │
 *                      │  └──reassign───────┤  └──────reject────────┘ (expert, reason)
 *                      └──return──▶ returned ◀──return─┘ (annotator, reason)
 *                                     └──reassign──▶ assigned (admin, reason)
 *
 * - `return`: the assignee gives the ticket back with a reason. The ticket loses its assignee,
 *   and its *unfinished* images — those without a saved annotation version in this ticket —
 *   are released to the dataset's pool (main: `ticket_images.released_at`); finished images
 *   stay in the ticket with their versions. A later split takes pool images; reassigning the
 *   returned ticket takes back those of its released images that nobody claimed meanwhile.
 * - `reassign`: the labeling admin moves an assigned, in-progress or returned ticket to
 *   another annotator (reason required: it takes work away from someone).
 * - `reject`: a medical expert sends a submitted ticket back to its annotator (reason
 *   required); the annotator continues on the same versions.
 * - `accepted` is final.
 */
export const TICKET_STATES = ['open', 'assigned', 'in_progress', 'submitted', 'accepted', 'returned'] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const TICKET_ACTIONS = ['assign', 'start', 'submit', 'return', 'reassign', 'accept', 'reject'] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export interface TransitionRule {
  readonly action: TicketAction;
  readonly from: readonly TicketState[];
  readonly to: TicketState;
  /** Any one of these roles may act... */
  readonly roles: readonly Role[];
  /** ...and, when set, only as the ticket's current assignee. */
  readonly assigneeOnly: boolean;
  readonly reasonRequired: boolean;
  /** The action names a new assignee. */
  readonly needsAssignee: boolean;
}

export const TRANSITIONS: readonly TransitionRule[] = [
  { action: 'assign', from: ['open'], to: 'assigned', roles: ['labeling_admin'], assigneeOnly: false, reasonRequired: false, needsAssignee: true },
  { action: 'start', from: ['assigned'], to: 'in_progress', roles: ['annotator'], assigneeOnly: true, reasonRequired: false, needsAssignee: false },
  { action: 'submit', from: ['in_progress'], to: 'submitted', roles: ['annotator'], assigneeOnly: true, reasonRequired: false, needsAssignee: false },
  { action: 'return', from: ['assigned', 'in_progress'], to: 'returned', roles: ['annotator'], assigneeOnly: true, reasonRequired: true, needsAssignee: false },
  {
    action: 'reassign',
    from: ['assigned', 'in_progress', 'returned'],
    to: 'assigned',
    roles: ['labeling_admin'],
    assigneeOnly: false,
    reasonRequired: true,
    needsAssignee: true,
  },
  { action: 'accept', from: ['submitted'], to: 'accepted', roles: ['expert'], assigneeOnly: false, reasonRequired: false, needsAssignee: false },
  { action: 'reject', from: ['submitted'], to: 'in_progress', roles: ['expert'], assigneeOnly: false, reasonRequired: true, needsAssignee: false },
];

export function ruleOf(action: TicketAction): TransitionRule {
  return TRANSITIONS.find((r) => r.action === action) as TransitionRule;
}

export interface TransitionRequest {
  readonly state: TicketState;
  readonly action: TicketAction;
  readonly actor: { readonly userId: number; readonly roles: readonly Role[] };
  /** The ticket's assignee now (null when open or returned). */
  readonly assigneeId: number | null;
  /** For assign/reassign: the annotator who gets the ticket. */
  readonly newAssigneeId?: number | null;
  readonly reason?: string | null;
}

export type RefusalKind = 'invalid_state' | 'role' | 'not_assignee' | 'reason_required' | 'assignee_required' | 'same_assignee';

export type TransitionResult =
  | { readonly ok: true; readonly to: TicketState; readonly assigneeId: number | null }
  | { readonly ok: false; readonly refusal: RefusalKind; readonly message: string };

/** A reason counts when it has at least 3 non-blank characters ("ok" is not a why). */
export const MIN_REASON_LENGTH = 3;

/**
 * The next state, or a typed refusal. Checks in a fixed order (state, role, ownership,
 * reason, assignee) so that the refusal a user sees is the most fundamental one.
 */
export function transition(req: TransitionRequest): TransitionResult {
  const rule = ruleOf(req.action);
  if (!rule.from.includes(req.state)) {
    return { ok: false, refusal: 'invalid_state', message: `A ${req.state.replace('_', ' ')} ticket cannot be ${pastTense(req.action)}.` };
  }
  if (!rule.roles.some((r) => req.actor.roles.includes(r))) {
    return { ok: false, refusal: 'role', message: `Only a ${rule.roles.join(' or ').replace('_', ' ')} may ${req.action} a ticket.` };
  }
  if (rule.assigneeOnly && req.assigneeId !== req.actor.userId) {
    return { ok: false, refusal: 'not_assignee', message: `Only the ticket's annotator may ${req.action} it.` };
  }
  if (rule.reasonRequired && (req.reason ?? '').trim().length < MIN_REASON_LENGTH) {
    return { ok: false, refusal: 'reason_required', message: `Say why (at least ${MIN_REASON_LENGTH} characters) to ${req.action} a ticket.` };
  }
  if (rule.needsAssignee) {
    if (req.newAssigneeId === undefined || req.newAssigneeId === null) {
      return { ok: false, refusal: 'assignee_required', message: `Choose the annotator to ${req.action} the ticket to.` };
    }
    if (req.newAssigneeId === req.assigneeId) {
      return { ok: false, refusal: 'same_assignee', message: 'The ticket is already assigned to this annotator.' };
    }
    return { ok: true, to: rule.to, assigneeId: req.newAssigneeId };
  }
  return { ok: true, to: rule.to, assigneeId: rule.to === 'returned' ? null : req.assigneeId };
}

function pastTense(action: TicketAction): string {
  const words: Record<TicketAction, string> = {
    assign: 'assigned',
    start: 'started',
    submit: 'submitted',
    return: 'returned',
    reassign: 'reassigned',
    accept: 'accepted',
    reject: 'rejected',
  };
  return words[action];
}

/** Tickets an annotator may still save annotations in. */
export const EDITABLE_STATES: readonly TicketState[] = ['assigned', 'in_progress'];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof PRIORITIES)[number];
