import type { LabelClass } from '../../../../shared/labeling';
import { WINDOW_PRESET_IDS, type WindowPresetId } from '../viewer/presets';
import { LESION_TOOLS, type PrimaryTool } from '../viewer/tools';

/**
 * The workspace's commands (HOUSE-STYLE 18): one table shared by the toolbar, the help overlay
 * and the keyboard. Class keys come from the label schema (one letter or digit, no modifier),
 * so every other shortcut carries a modifier or is a non-character key: they can never clash.
 */
export interface WsShortcut {
  readonly key: string;
  readonly ctrl?: boolean;
  readonly alt?: boolean;
  /** `'any'`: the key itself needs Shift on some layouts ('?', '+'). */
  readonly shift?: boolean | 'any';
}

export type CommandGroup = 'tools' | 'view' | 'marks' | 'classes' | 'navigate' | 'help';

/** What the commands look at; a snapshot taken at the moment of use. */
export interface WsContext {
  /** A ticket or image set is open. */
  readonly open: boolean;
  /** Marks may be drawn and edited now (annotating, or an expert correcting). */
  readonly editable: boolean;
  readonly imageShown: boolean;
  readonly hasSelection: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly helpOpen: boolean;
  readonly hasNextTicket: boolean;
}

/** The effects, supplied by the workspace (fakes in tests). */
export interface WsActions {
  setTool(tool: PrimaryTool): void;
  preset(id: WindowPresetId): void;
  invert(): void;
  reset(): void;
  zoom(factor: number): void;
  step(delta: number): void;
  undo(): void;
  redo(): void;
  deleteSelected(): void;
  chooseClass(name: string): void;
  toggleHelp(): void;
  escape(): void;
  saveNow(): void;
  nextTicket(): void;
}

export interface WsCommand {
  readonly id: string;
  readonly group: CommandGroup;
  readonly labelKey: string;
  /** Interpolation values taken as they are (a class name is data, not a message key). */
  readonly labelValues?: Readonly<Record<string, string>>;
  readonly shortcuts: readonly WsShortcut[];
  enabled(ctx: WsContext): boolean;
  perform(ctx: WsContext): void;
}

const TOOL_KEYS: Record<PrimaryTool, string> = {
  Wwwc: 'w',
  Pan: 'm',
  Zoom: 'z',
  RectangleRoi: 'r',
  EllipticalRoi: 'e',
  FreehandRoi: 'f',
  Length: 'l',
  Bidirectional: 'b',
  Probe: 'p',
  ArrowAnnotate: 'a',
};

const always = () => true;
const shown = (c: WsContext) => c.open && c.imageShown;
const editing = (c: WsContext) => c.open && c.editable && c.imageShown;

export function buildCommands(actions: WsActions, classes: readonly LabelClass[]): WsCommand[] {
  const tools: WsCommand[] = (['Wwwc', 'Pan', 'Zoom', ...LESION_TOOLS] as PrimaryTool[]).map((tool) => ({
    id: `tool.${tool}`,
    group: 'tools',
    labelKey: `viewer.tools.${tool}`,
    shortcuts: [{ key: TOOL_KEYS[tool], shift: true }],
    enabled: (LESION_TOOLS as readonly string[]).includes(tool) ? editing : shown,
    perform: () => actions.setTool(tool),
  }));
  const presets: WsCommand[] = WINDOW_PRESET_IDS.map((id, i) => ({
    id: `preset.${id}`,
    group: 'view',
    labelKey: `viewer.presets.${id}`,
    shortcuts: [{ key: String(i + 1), ctrl: true }],
    enabled: shown,
    perform: () => actions.preset(id),
  }));
  const classCommands: WsCommand[] = classes.map((c) => ({
    id: `class.${c.name}`,
    group: 'classes',
    labelKey: 'workspace.commands.class',
    labelValues: { name: c.name },
    shortcuts: [{ key: c.key }],
    enabled: (ctx) => ctx.open && ctx.editable,
    perform: () => actions.chooseClass(c.name),
  }));
  return [
    ...tools,
    ...presets,
    { id: 'view.invert', group: 'view', labelKey: 'viewer.actions.invert', shortcuts: [{ key: 'i', shift: true }], enabled: shown, perform: () => actions.invert() },
    { id: 'view.reset', group: 'view', labelKey: 'viewer.actions.reset', shortcuts: [{ key: 'x', shift: true }], enabled: shown, perform: () => actions.reset() },
    { id: 'view.zoomIn', group: 'view', labelKey: 'viewer.actions.zoomIn', shortcuts: [{ key: '+', shift: 'any' }, { key: '=', shift: 'any' }], enabled: shown, perform: () => actions.zoom(1.25) },
    { id: 'view.zoomOut', group: 'view', labelKey: 'viewer.actions.zoomOut', shortcuts: [{ key: '-' }], enabled: shown, perform: () => actions.zoom(0.8) },
    ...classCommands,
    { id: 'marks.undo', group: 'marks', labelKey: 'workspace.commands.undo', shortcuts: [{ key: 'z', ctrl: true }], enabled: (c) => c.open && c.editable && c.canUndo, perform: () => actions.undo() },
    {
      id: 'marks.redo',
      group: 'marks',
      labelKey: 'workspace.commands.redo',
      shortcuts: [{ key: 'y', ctrl: true }, { key: 'z', ctrl: true, shift: true }],
      enabled: (c) => c.open && c.editable && c.canRedo,
      perform: () => actions.redo(),
    },
    {
      id: 'marks.delete',
      group: 'marks',
      labelKey: 'workspace.commands.delete',
      shortcuts: [{ key: 'Delete' }, { key: 'Backspace' }],
      enabled: (c) => editing(c) && c.hasSelection,
      perform: () => actions.deleteSelected(),
    },
    { id: 'marks.save', group: 'marks', labelKey: 'workspace.commands.save', shortcuts: [{ key: 's', ctrl: true }], enabled: (c) => c.open && c.editable, perform: () => actions.saveNow() },
    { id: 'nav.previous', group: 'navigate', labelKey: 'viewer.actions.previous', shortcuts: [{ key: 'PageUp' }, { key: 'ArrowUp' }], enabled: (c) => c.open, perform: () => actions.step(-1) },
    { id: 'nav.next', group: 'navigate', labelKey: 'viewer.actions.next', shortcuts: [{ key: 'PageDown' }, { key: 'ArrowDown' }], enabled: (c) => c.open, perform: () => actions.step(1) },
    { id: 'nav.nextTicket', group: 'navigate', labelKey: 'workspace.commands.nextTicket', shortcuts: [{ key: 'ArrowRight', ctrl: true }], enabled: (c) => c.hasNextTicket, perform: () => actions.nextTicket() },
    { id: 'help.toggle', group: 'help', labelKey: 'workspace.commands.help', shortcuts: [{ key: '?', shift: 'any' }], enabled: always, perform: () => actions.toggleHelp() },
    { id: 'help.escape', group: 'help', labelKey: 'workspace.commands.escape', shortcuts: [{ key: 'Escape' }], enabled: always, perform: () => actions.escape() },
  ];
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

export function matches(shortcut: WsShortcut, e: KeyLike): boolean {
  // Cmd on macOS stands for Ctrl.
  const ctrl = e.ctrlKey || e.metaKey;
  return (
    e.key.toLowerCase() === shortcut.key.toLowerCase() &&
    ctrl === !!shortcut.ctrl &&
    e.altKey === !!shortcut.alt &&
    (shortcut.shift === 'any' || e.shiftKey === !!shortcut.shift)
  );
}

/** The enabled command bound to this key press, if any. */
export function commandForKey(commands: readonly WsCommand[], e: KeyLike, ctx: WsContext): WsCommand | undefined {
  return commands.find((c) => c.shortcuts.some((s) => matches(s, e)) && c.enabled(ctx));
}

export function shortcutText(s: WsShortcut): string {
  const key = s.key.length === 1 ? s.key.toUpperCase() : s.key;
  return [s.ctrl && 'Ctrl', s.alt && 'Alt', s.shift === true && 'Shift', key].filter(Boolean).join('+');
}
