import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../roles';
import { MIN_REASON_LENGTH, TICKET_ACTIONS, TICKET_STATES, TRANSITIONS, transition, type TicketAction, type TicketState } from './tickets';

/** The edges of DESIGN §2.2, written out independently of the table under test. */
const EDGES = new Set([
  'open -assign-> assigned',
  'assigned -start-> in_progress',
  'in_progress -submit-> submitted',
  'submitted -accept-> accepted',
  'assigned -return-> returned',
  'in_progress -return-> returned',
  'assigned -reassign-> assigned',
  'in_progress -reassign-> assigned',
  'returned -reassign-> assigned',
  'submitted -reject-> in_progress',
]);

const state = fc.constantFrom(...TICKET_STATES);
const action = fc.constantFrom(...TICKET_ACTIONS);
const roles = fc.subarray([...ROLES]);
const user = fc.integer({ min: 1, max: 4 });
const reason = fc.constantFrom(undefined, null, '', '   ', 'ok', ' x ', 'too blurry to read', 'wrong series');

describe('the ticket state machine', () => {
  it('has exactly the transitions of the design', () => {
    const edges = TRANSITIONS.flatMap((r) => r.from.map((f) => `${f} -${r.action}-> ${r.to}`));
    expect(new Set(edges)).toEqual(EDGES);
    expect(edges).toHaveLength(EDGES.size);
  });

  it('never makes a transition outside the table, and refuses with a typed reason', () => {
    fc.assert(
      fc.property(state, action, roles, user, fc.option(user, { nil: null }), fc.option(user, { nil: null }), reason, (s, a, rs, actorId, assigneeId, next, why) => {
        const r = transition({ state: s, action: a, actor: { userId: actorId, roles: rs }, assigneeId, newAssigneeId: next, reason: why });
        if (r.ok) {
          expect(EDGES.has(`${s} -${a}-> ${r.to}`)).toBe(true);
        } else {
          expect(['invalid_state', 'role', 'not_assignee', 'reason_required', 'assignee_required', 'same_assignee']).toContain(r.refusal);
          expect(r.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('requires a reason to return, reassign and reject, and the assignee to return', () => {
    fc.assert(
      fc.property(fc.constantFrom<TicketAction>('return', 'reassign', 'reject'), reason, (a, why) => {
        const rule = TRANSITIONS.find((t) => t.action === a)!;
        const actorRoles: Role[] = [...rule.roles];
        const r = transition({ state: rule.from[0] as TicketState, action: a, actor: { userId: 1, roles: actorRoles }, assigneeId: 1, newAssigneeId: 2, reason: why });
        expect(r.ok).toBe((why ?? '').trim().length >= MIN_REASON_LENGTH);
        if (!r.ok) expect(r.refusal).toBe('reason_required');
      }),
    );
    const notMine = transition({ state: 'in_progress', action: 'return', actor: { userId: 2, roles: ['annotator'] }, assigneeId: 1, reason: 'not mine' });
    expect(notMine).toMatchObject({ ok: false, refusal: 'not_assignee' });
  });

  it('accepts only from the roles of the table', () => {
    fc.assert(
      fc.property(action, roles, (a, rs) => {
        const rule = TRANSITIONS.find((t) => t.action === a)!;
        const r = transition({ state: rule.from[0] as TicketState, action: a, actor: { userId: 1, roles: rs }, assigneeId: 1, newAssigneeId: 2, reason: 'because of x' });
        expect(r.ok).toBe(rule.roles.some((x) => rs.includes(x)));
      }),
    );
  });

  it('walks only along the table from open; accepted is final and only reached through submitted', () => {
    const step = fc.record({ action, roles, actor: user, next: user, reason });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let s: TicketState = 'open';
        let assignee: number | null = null;
        let previous: TicketState | null = null;
        for (const st of steps) {
          const r = transition({ state: s, action: st.action, actor: { userId: st.actor, roles: st.roles }, assigneeId: assignee, newAssigneeId: st.next, reason: st.reason });
          if (previous === 'accepted') expect(r.ok).toBe(false);
          if (!r.ok) continue;
          expect(EDGES.has(`${s} -${st.action}-> ${r.to}`)).toBe(true);
          if (r.to === 'accepted') expect(s).toBe('submitted');
          if (r.to === 'returned') expect(r.assigneeId).toBeNull();
          if (r.to === 'assigned') expect(r.assigneeId).toBe(st.next);
          previous = s = r.to;
          assignee = r.assigneeId;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the assignee through start, submit, reject and accept', () => {
    const annotator = { userId: 7, roles: ['annotator'] as Role[] };
    const expert = { userId: 9, roles: ['expert'] as Role[] };
    expect(transition({ state: 'assigned', action: 'start', actor: annotator, assigneeId: 7 })).toEqual({ ok: true, to: 'in_progress', assigneeId: 7 });
    expect(transition({ state: 'submitted', action: 'reject', actor: expert, assigneeId: 7, reason: 'missed a nodule' })).toEqual({ ok: true, to: 'in_progress', assigneeId: 7 });
    expect(transition({ state: 'submitted', action: 'accept', actor: expert, assigneeId: 7 })).toEqual({ ok: true, to: 'accepted', assigneeId: 7 });
    expect(transition({ state: 'open', action: 'assign', actor: { userId: 1, roles: ['labeling_admin'] }, assigneeId: null })).toMatchObject({ ok: false, refusal: 'assignee_required' });
    expect(transition({ state: 'assigned', action: 'reassign', actor: { userId: 1, roles: ['labeling_admin'] }, assigneeId: 7, newAssigneeId: 7, reason: 'same one' })).toMatchObject({
      ok: false,
      refusal: 'same_assignee',
    });
  });
});
