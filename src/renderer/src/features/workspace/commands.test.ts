import { describe, expect, it, vi } from 'vitest';
import type { LabelClass } from '../../../../shared/labeling';
import { buildCommands, commandForKey, type WsActions, type WsContext } from './commands';

const CLASSES: LabelClass[] = [
  { name: 'nodule', color: '#ff0000', key: 'n', shapes: ['ellipse', 'length'], attributes: [] },
  { name: 'mass', color: '#00ff00', key: 'm', shapes: ['rectangle'], attributes: [] },
  { name: 'cyst', color: '#0000ff', key: '1', shapes: ['freehand'], attributes: [] },
];

const ctx = (over: Partial<WsContext> = {}): WsContext => ({
  open: true,
  editable: true,
  imageShown: true,
  hasSelection: false,
  canUndo: false,
  canRedo: false,
  helpOpen: false,
  hasNextTicket: false,
  ...over,
});

function fakeActions(): WsActions {
  return {
    setTool: vi.fn(),
    preset: vi.fn(),
    invert: vi.fn(),
    reset: vi.fn(),
    zoom: vi.fn(),
    step: vi.fn(),
    undo: vi.fn(),
    redo: vi.fn(),
    deleteSelected: vi.fn(),
    chooseClass: vi.fn(),
    toggleHelp: vi.fn(),
    escape: vi.fn(),
    saveNow: vi.fn(),
    nextTicket: vi.fn(),
  };
}

const key = (k: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean } = {}) => ({
  key: k,
  ctrlKey: !!mods.ctrl,
  metaKey: false,
  altKey: !!mods.alt,
  shiftKey: !!mods.shift,
});

describe('workspace command table', () => {
  it('gives every command a distinct id and no two commands the same key', () => {
    const commands = buildCommands(fakeActions(), CLASSES);
    expect(new Set(commands.map((c) => c.id)).size).toBe(commands.length);
    const seen = new Map<string, string>();
    for (const c of commands) {
      for (const s of c.shortcuts) {
        const variants = s.shift === 'any' ? [true, false] : [!!s.shift];
        for (const shift of variants) {
          const sig = `${s.key.toLowerCase()}|${!!s.ctrl}|${!!s.alt}|${shift}`;
          expect(seen.get(sig), `${c.id} clashes with ${seen.get(sig)}`).toBeUndefined();
          seen.set(sig, c.id);
        }
      }
    }
  });

  it('chooses a class by its schema key, only while marks are editable', () => {
    const actions = fakeActions();
    const commands = buildCommands(actions, CLASSES);
    const n = commandForKey(commands, key('n'), ctx());
    expect(n?.id).toBe('class.nodule');
    n?.perform(ctx());
    expect(actions.chooseClass).toHaveBeenCalledWith('nodule');
    expect(commandForKey(commands, key('1'), ctx())?.id).toBe('class.cyst');
    expect(commandForKey(commands, key('n'), ctx({ editable: false }))).toBeUndefined();
  });

  it('binds tools to Shift+letter, presets to Ctrl+digit, undo/redo, delete and image steps', () => {
    const commands = buildCommands(fakeActions(), CLASSES);
    expect(commandForKey(commands, key('E', { shift: true }), ctx())?.id).toBe('tool.EllipticalRoi');
    expect(commandForKey(commands, key('L', { shift: true }), ctx())?.id).toBe('tool.Length');
    expect(commandForKey(commands, key('1', { ctrl: true }), ctx())?.id).toBe('preset.lung');
    expect(commandForKey(commands, key('4', { ctrl: true }), ctx())?.id).toBe('preset.brain');
    expect(commandForKey(commands, key('z', { ctrl: true }), ctx({ canUndo: true }))?.id).toBe('marks.undo');
    expect(commandForKey(commands, key('z', { ctrl: true }), ctx())).toBeUndefined();
    expect(commandForKey(commands, key('Z', { ctrl: true, shift: true }), ctx({ canRedo: true }))?.id).toBe('marks.redo');
    expect(commandForKey(commands, key('Delete'), ctx({ hasSelection: true }))?.id).toBe('marks.delete');
    expect(commandForKey(commands, key('Delete'), ctx())).toBeUndefined();
    expect(commandForKey(commands, key('PageDown'), ctx())?.id).toBe('nav.next');
    expect(commandForKey(commands, key('PageUp'), ctx())?.id).toBe('nav.previous');
  });

  it('opens the help with "?" whether or not the layout needs Shift for it', () => {
    const commands = buildCommands(fakeActions(), CLASSES);
    expect(commandForKey(commands, key('?', { shift: true }), ctx())?.id).toBe('help.toggle');
    expect(commandForKey(commands, key('?'), ctx({ open: false }))?.id).toBe('help.toggle');
  });

  it('offers no drawing tool in a read-only session, but still window/level', () => {
    const commands = buildCommands(fakeActions(), CLASSES);
    expect(commandForKey(commands, key('E', { shift: true }), ctx({ editable: false }))).toBeUndefined();
    expect(commandForKey(commands, key('W', { shift: true }), ctx({ editable: false }))?.id).toBe('tool.Wwwc');
  });
});
