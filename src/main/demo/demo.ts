import type { Role } from '../../shared/roles';
import type { AppServices } from '../app-services';
import { hashPassword } from '../auth/password';
import { countUsers, insertUser, setRoles } from '../auth/users-repository';
import { seedEvaluationDemo, type EvaluationDemoSummary } from '../evaluation/demo-seed';

/** Demo accounts: one per role, plus a person holding two roles. All share one password. */
export const DEMO_PASSWORD = 'midc-demo-2026';
export const DEMO_USERS: readonly { username: string; displayName: string; roles: Role[] }[] = [
  { username: 'admin', displayName: 'Ada Admin', roles: ['admin'] },
  { username: 'ops', displayName: 'Oskar Ops', roles: ['ops'] },
  { username: 'labadmin', displayName: 'Lena Labeling', roles: ['labeling_admin'] },
  { username: 'anna', displayName: 'Anna Annotator', roles: ['annotator'] },
  { username: 'ben', displayName: 'Ben Annotator', roles: ['annotator'] },
  { username: 'expert', displayName: 'Dr. Erin Expert', roles: ['expert'] },
  { username: 'algoadmin', displayName: 'Alan Algorithms', roles: ['algo_admin'] },
  { username: 'engineer', displayName: 'Eve Engineer', roles: ['algo_engineer'] },
  { username: 'quant', displayName: 'Quinn Quantified', roles: ['quant_user'] },
  { username: 'lead', displayName: 'Lee Lead', roles: ['algo_engineer', 'quant_user', 'expert'] },
];

export interface DemoSummary {
  users: { username: string; roles: Role[] }[];
  password: string;
  /** Demo studies, ground truth, a model with two runs and a quantified label (evaluation). */
  evaluation: EvaluationDemoSummary;
}

/**
 * Fills an empty workspace with demo data, every write audited as done by the CLI. Later
 * modules add their part here (studies, labels, runs, a quantified label).
 */
export async function seedDemo(app: AppServices): Promise<DemoSummary> {
  if (countUsers(app.db) > 0) throw new Error('the workspace already has users; --demo needs an empty workspace');
  const hash = await hashPassword(DEMO_PASSWORD);
  const now = new Date(app.clock.now()).toISOString();
  app.db
    .transaction(() => {
      for (const u of DEMO_USERS) {
        const id = insertUser(app.db, { username: u.username, displayName: u.displayName, passwordHash: hash, createdAt: now });
        setRoles(app.db, id, u.roles);
        app.audit.record(app.db, {
          actorId: null,
          actorName: 'midc init --demo',
          action: 'users:create',
          objectType: 'user',
          objectId: id,
          outcome: 0,
          details: { username: u.username, roles: u.roles },
        });
      }
    })
    .immediate();
  const evaluation = await seedEvaluationDemo(app);
  return { users: DEMO_USERS.map((u) => ({ username: u.username, roles: u.roles })), password: DEMO_PASSWORD, evaluation };
}
