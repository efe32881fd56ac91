/** Numbers class names in order of first appearance, remembering the last one (rows often come grouped by class). */
export class ClassEncoder {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private last = '';
  private lastId = -1;

  encode(name: string): number {
    if (name === this.last) return this.lastId;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    this.last = name;
    this.lastId = id;
    return id;
  }

  /** Code-unit order, not localeCompare: the same on every machine and in every locale. */
  sorted(): { classes: string[]; renumber: Int32Array } {
    const classes = [...this.names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const renumber = new Int32Array(this.names.length);
    classes.forEach((name, sortedId) => (renumber[this.ids.get(name) as number] = sortedId));
    return { classes, renumber };
  }
}
