import { backupEn } from '../features/backup/messages';
import { tagflowEn } from '../features/tagflow/messages';
import { quantEn } from '../features/quant/messages';
import { resultsEn } from '../features/results/messages';
import { dropFolderEn } from '../features/results/dropfolder/messages';
import { groundTruthImportEn } from '../features/results/groundtruth/messages';
import { inboxEn } from '../features/inbox/messages';
import { viewerEn } from '../features/viewer/messages';
import { labelingAdminEn } from '../features/labeling-admin/messages';
import { workspaceEn } from '../features/workspace/messages';
import { dataEn } from '../features/data/messages';

/**
 * English messages: the reference catalog. Every key here must exist in zh-CN.ts (the type
 * `Messages` enforces it at compile time, `i18n.test.ts` at run time).
 * Plural keys come as `_one` / `_other` pairs in both languages so the catalogs stay parallel.
 */
export const en = {
  app: {
    name: 'MIDC',
    fullName: 'Medical Imaging Data Center',
    loading: 'Starting…',
    offline: 'Offline workstation',
  },
  language: {
    label: 'Language',
    en: 'EN',
    zhCN: '中文',
  },
  auth: {
    loginTitle: 'Log in',
    loginIntro: 'Log in with your personal account. Never share a session on a shared workstation.',
    username: 'Username',
    password: 'Password',
    login: 'Log in',
    loggingIn: 'Checking…',
    setupTitle: 'Create the administrator',
    setupIntro:
      'This is the first start of MIDC on this workspace. Create the system administrator account; it will create everyone else’s accounts.',
    displayName: 'Display name',
    confirmPassword: 'Confirm password',
    createAdmin: 'Create administrator',
    creating: 'Creating…',
    usernameHint: '3–32 letters, digits, dot, dash or underscore.',
    passwordHint: 'At least 8 characters.',
    passwordMismatch: 'The two passwords do not match.',
    passwordTooShort: 'The password must have at least 8 characters.',
    notice: {
      idle_one: 'Locked after {{count}} minute of inactivity. Log in again to continue.',
      idle_other: 'Locked after {{count}} minutes of inactivity. Log in again to continue.',
      locked: 'The screen was locked. Log in again to continue.',
      loggedOut: 'You have logged out.',
      disabled: 'Your account was disabled by an administrator.',
      expired: 'Your session has ended. Please log in again.',
    },
  },
  header: {
    signedInAs: 'Signed in as {{name}}',
    roles: 'Roles',
    logout: 'Log out',
    lock: 'Lock',
  },
  commands: {
    lock: 'Lock now',
    logout: 'Log out',
    languageEn: 'Switch to English',
    languageZhCN: 'Switch to Chinese',
    navigate: 'Go to {{module}}',
    openImport: 'Open the import wizard',
  },
  roles: {
    admin: 'System admin',
    ops: 'Operations',
    labeling_admin: 'Labeling admin',
    annotator: 'Annotator',
    expert: 'Medical expert',
    algo_admin: 'Algorithm admin',
    algo_engineer: 'Algorithm engineer',
    quant_user: 'Quantified-label user',
  },
  nav: {
    label: 'Modules',
    empty: 'Your roles do not give access to any module yet. Ask an administrator to assign a role.',
  },
  modules: {
    inbox: { title: 'Inbox', description: 'Your labeling tickets: open, complete or return them.' },
    workspace: { title: 'Workspace', description: 'Mark lesions on images with the labeling tools.' },
    data: { title: 'Data & import', description: 'Import DICOM and image files, edit source tags, review quarantine.' },
    datasets: { title: 'Datasets', description: 'Build labeling, training and test datasets.' },
    results: { title: 'Results', description: 'Test runs, metrics, comparisons and drill-down to images.' },
    quant: { title: 'Quantified labels', description: 'Value matrices that score how wrong a result is.' },
    backup: { title: 'Backup', description: 'Storage roots, scheduled backups and restore.' },
    admin: { title: 'Admin', description: 'Users, roles, permissions, audit trail and settings.' },
    notAvailable: 'This module is not available yet.',
  },
  errors: {
    VALIDATION: 'Invalid input',
    UNAUTHENTICATED: 'Not logged in',
    FORBIDDEN: 'Not allowed',
    NOT_FOUND: 'Not found',
    CONFLICT: 'Conflict',
    STORAGE_IO: 'Storage error',
    DB_CORRUPT: 'Database damaged',
    INTERNAL: 'Internal error',
    dismiss: 'Dismiss',
    unexpected: 'The request could not be completed.',
  },
  grid: {
    noRows: 'No rows to show',
    loading: 'Loading…',
  },
  common: {
    yes: 'Yes',
    no: 'No',
    save: 'Save',
    saving: 'Saving…',
    cancel: 'Cancel',
    refresh: 'Refresh',
    never: 'Never',
  },
  admin: {
    tabs: {
      users: 'Users',
      permissions: 'Permission matrix',
      audit: 'Audit log',
      settings: 'Settings',
    },
    users: {
      title: 'Users',
      username: 'Username',
      displayName: 'Display name',
      roles: 'Roles',
      disabled: 'Disabled',
      locked: 'Locked',
      lockedUntil: 'Locked until {{time}}',
      lastLogin: 'Last login',
      createTitle: 'New user',
      initialPassword: 'Initial password',
      create: 'Create user',
      created: 'User {{username}} created.',
      saved: 'Changes saved.',
      editTitle: 'Edit {{username}}',
      selectHint: 'Select a user in the table to edit it.',
      disable: 'Disable',
      enable: 'Enable',
      unlock: 'Unlock',
      unlocked: 'Account unlocked.',
      resetPassword: 'Reset password',
      newPassword: 'New password',
      passwordReset: 'Password reset.',
      disabledNow: 'Account disabled.',
      enabledNow: 'Account enabled.',
      noRoles: 'No role',
    },
    permissions: {
      title: 'Permission matrix',
      intro:
        'Which role may call which function. Checks run in the main process on every call; this table is generated from the same contract.',
      channel: 'Function',
      access: 'Access',
      mutates: 'Changes data',
      public: 'Anyone',
      session: 'Any logged-in person',
      roleList: 'Listed roles',
      allowed: 'Allowed',
    },
    audit: {
      title: 'Audit log',
      user: 'User',
      anyUser: 'Any user',
      action: 'Action',
      from: 'From',
      to: 'To',
      apply: 'Apply filters',
      reset: 'Reset',
      time: 'Time',
      object: 'Object',
      outcome: 'Outcome',
      workstation: 'Workstation',
      details: 'Details',
      outcomes: {
        success: 'Success',
        minor: 'Minor failure',
        serious: 'Serious failure',
        major: 'Major failure',
      },
      page: 'Rows {{first}}–{{last}} of {{total}}',
      empty: 'No entries match.',
      previous: 'Previous',
      next: 'Next',
      verify: 'Verify chain',
      verifying: 'Verifying…',
      chainOk: 'The audit chain is intact: {{entries}} entries checked.',
      chainBroken: 'The audit chain is broken: {{count}} problems in {{entries}} entries.',
    },
    settings: {
      title: 'Settings',
      idleMinutes: 'Lock after inactivity (minutes)',
      idleHint: 'Between 1 and 240 minutes. Applies to new sessions and to the next activity check.',
      saved: 'Settings saved.',
    },
  },
  data: dataEn,
  backup: backupEn,
  viewer: viewerEn,
  workspace: workspaceEn,
  inbox: inboxEn,
  labelingAdmin: labelingAdminEn,
  results: resultsEn,
  dropFolder: dropFolderEn,
  groundTruthImport: groundTruthImportEn,
  tagflow: tagflowEn,
  quant: quantEn,
};

/** The shape every catalog must have: the same keys, string leaves. */
export type Messages = DeepStrings<typeof en>;
type DeepStrings<T> = { readonly [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };
