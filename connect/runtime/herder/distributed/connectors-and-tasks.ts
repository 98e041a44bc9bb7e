// A set of connectors and tasks (Kafka's ConnectorsAndTasks), with the set algebra the
// assignors need. Tasks are keyed by connector and number so two ConnectorId objects for the
// same task are one member; insertion order is kept, which makes assignments deterministic.
import type { ConnectorId } from "../entities.ts";
import type { ConnectorsAndTasks } from "./connect-protocol.ts";

export const taskKey = (id: ConnectorId): string => `${id.task}\u0000${id.connector}`;

/** Kafka's ConnectorTaskId order: by connector name, then task number. */
export function compareTasks(a: ConnectorId, b: ConnectorId): number {
  if (a.connector !== b.connector) return a.connector < b.connector ? -1 : 1;
  return a.task - b.task;
}

export class WorkSet {
  readonly connectors = new Set<string>();
  readonly tasks = new Map<string, ConnectorId>();

  static of(work: ConnectorsAndTasks | null | undefined): WorkSet {
    const set = new WorkSet();
    if (work) set.add(work);
    return set;
  }

  static union(works: Iterable<ConnectorsAndTasks | WorkSet>): WorkSet {
    const set = new WorkSet();
    for (const w of works) set.add(w);
    return set;
  }

  get size(): number {
    return this.connectors.size + this.tasks.size;
  }

  isEmpty(): boolean {
    return this.size === 0;
  }

  hasTask(id: ConnectorId): boolean {
    return this.tasks.has(taskKey(id));
  }

  addTask(id: ConnectorId): this {
    this.tasks.set(taskKey(id), { connector: id.connector, task: id.task });
    return this;
  }

  add(work: ConnectorsAndTasks | WorkSet): this {
    for (const c of work.connectors) this.connectors.add(c);
    for (const t of work instanceof WorkSet ? work.tasks.values() : work.tasks) this.addTask(t);
    return this;
  }

  remove(work: ConnectorsAndTasks | WorkSet): this {
    for (const c of work.connectors) this.connectors.delete(c);
    for (const t of work instanceof WorkSet ? work.tasks.values() : work.tasks) this.tasks.delete(taskKey(t));
    return this;
  }

  /** This set minus the others, as a new set. */
  minus(...others: Array<ConnectorsAndTasks | WorkSet>): WorkSet {
    const out = WorkSet.union([this]);
    for (const o of others) out.remove(o);
    return out;
  }

  /** The members of this set that are also in `other`, as a new set. */
  intersect(other: WorkSet): WorkSet {
    const out = new WorkSet();
    for (const c of this.connectors) if (other.connectors.has(c)) out.connectors.add(c);
    for (const [k, t] of this.tasks) if (other.tasks.has(k)) out.tasks.set(k, t);
    return out;
  }

  overlaps(other: WorkSet): boolean {
    for (const c of this.connectors) if (other.connectors.has(c)) return true;
    for (const k of this.tasks.keys()) if (other.tasks.has(k)) return true;
    return false;
  }

  /** Plain lists, connectors and tasks sorted (Kafka's TreeSet order). */
  toJSON(): { connectors: string[]; tasks: ConnectorId[] } {
    return { connectors: [...this.connectors].sort(), tasks: [...this.tasks.values()].sort(compareTasks) };
  }
}
