// The election of a registry that runs alone: it leads as soon as it starts (if it is eligible),
// as Confluent's elector would with no other member in the group.
import type { LeaderElection, RegistryIdentity } from "./log.ts";

export class SingleInstanceElection implements LeaderElection {
  private me: RegistryIdentity | null = null;
  private readonly listeners: Array<(leader: RegistryIdentity | null) => void> = [];

  async start(identity: RegistryIdentity): Promise<void> {
    this.me = identity.leaderEligibility ? identity : null;
    for (const listener of this.listeners) listener(this.me);
  }

  leader(): RegistryIdentity | null {
    return this.me;
  }

  isLeader(): boolean {
    return this.me !== null;
  }

  onLeaderChange(listener: (leader: RegistryIdentity | null) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.me = null;
  }
}
