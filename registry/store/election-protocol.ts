// The bytes Confluent's Schema Registry instances exchange in their Kafka group (protocol type
// "sr", one protocol named "v0"), and the group leader's choice of the registry leader, so that
// hub and Confluent instances can share a group:
// - member metadata: the instance's SchemaRegistryIdentity as JSON,
//   {"host":"h","port":8081,"master_eligibility":true,"scheme":"http","version":1,"leader":false}
//   (Jackson writes the constructor's properties first, then the others; "leader" only matters
//   with sticky election and older versions ignore it);
// - assignment, the same for every member: {"error":0,"master":"<member id>","master_identity":
//   {identity},"version":1}, "master" and "master_identity" left out when no member is eligible;
//   error 1 (DUPLICATE_URLS) when two members advertise the same URL, which every member treats
//   as a failed election.
// The choice (SchemaRegistryCoordinator.onLeaderElected): the eligible member whose URL
// (scheme://host:port) is the smallest string; with leader.election.sticky, an eligible member
// that says it already leads keeps leading (unless several say so).
import type { RegistryIdentity } from "./log.ts";

export const SR_PROTOCOL_TYPE = "sr";
export const SR_SUBPROTOCOL_V0 = "v0";
export const IDENTITY_VERSION = 1;
export const ASSIGNMENT_VERSION = 1;
export const ASSIGNMENT_NO_ERROR = 0;
export const ASSIGNMENT_DUPLICATE_URLS = 1;

/** An identity as a member advertises it: with sticky election, whether it leads now. */
export interface MemberIdentity extends RegistryIdentity {
  readonly leader: boolean;
}

export interface ElectionAssignment {
  readonly error: number;
  /** The group member id of the registry leader, null when no member is eligible. */
  readonly leaderMemberId: string | null;
  readonly leaderIdentity: MemberIdentity | null;
}

export interface ElectionMember {
  readonly memberId: string;
  readonly metadata: Buffer;
}

/** Confluent's SchemaRegistryIdentity.getUrl(): where followers forward writes. */
export function identityUrl(identity: RegistryIdentity): string {
  return `${identity.scheme}://${identity.host}:${identity.port}`;
}

function identityJson(identity: MemberIdentity): Record<string, unknown> {
  return { host: identity.host, port: identity.port, master_eligibility: identity.leaderEligibility, scheme: identity.scheme, version: IDENTITY_VERSION, leader: identity.leader };
}

export function encodeIdentity(identity: MemberIdentity): Buffer {
  return Buffer.from(JSON.stringify(identityJson(identity)), "utf8");
}

function parseIdentity(value: unknown): MemberIdentity {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("the identity is not a JSON object");
  const o = value as Record<string, unknown>;
  if (typeof o.host !== "string" || o.host === "") throw new Error('the identity has no "host"');
  if (typeof o.port !== "number" || !Number.isInteger(o.port)) throw new Error('the identity has no integer "port"');
  const scheme = o.scheme === undefined || o.scheme === null ? "http" : o.scheme;
  if (scheme !== "http" && scheme !== "https") throw new Error(`the identity's scheme ${JSON.stringify(scheme)} is neither http nor https`);
  return { host: o.host, port: o.port, scheme, leaderEligibility: o.master_eligibility === true, leader: o.leader === true };
}

/** A member's metadata; throws on bytes that are not an identity. */
export function decodeIdentity(bytes: Buffer): MemberIdentity {
  return parseIdentity(JSON.parse(bytes.toString("utf8")));
}

export function encodeAssignment(assignment: ElectionAssignment): Buffer {
  const json: Record<string, unknown> = { error: assignment.error };
  if (assignment.leaderMemberId !== null) json.master = assignment.leaderMemberId;
  if (assignment.leaderIdentity !== null) json.master_identity = identityJson(assignment.leaderIdentity);
  json.version = ASSIGNMENT_VERSION;
  return Buffer.from(JSON.stringify(json), "utf8");
}

/** An assignment from the group leader (hub or Confluent); throws on bytes that are not one. */
export function decodeAssignment(bytes: Buffer): ElectionAssignment {
  const value: unknown = JSON.parse(bytes.toString("utf8"));
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("the assignment is not a JSON object");
  const o = value as Record<string, unknown>;
  const error = typeof o.error === "number" ? o.error : ASSIGNMENT_NO_ERROR;
  const leaderMemberId = typeof o.master === "string" ? o.master : null;
  const leaderIdentity = o.master_identity === undefined || o.master_identity === null ? null : parseIdentity(o.master_identity);
  return { error, leaderMemberId, leaderIdentity };
}

export interface ElectionResult extends ElectionAssignment {
  /** Members whose metadata could not be read (never leaders), for the log. */
  readonly unreadable: readonly { memberId: string; reason: string }[];
  /** Whether several sticky members claimed to lead (the smallest URL wins then). */
  readonly multipleStickyLeaders: boolean;
}

/** The group leader's decision, handed to every member alike. */
export function electLeader(members: readonly ElectionMember[], sticky: boolean): ElectionResult {
  const unreadable: { memberId: string; reason: string }[] = [];
  const urls = new Set<string>();
  let counted = 0;
  let best: { memberId: string; identity: MemberIdentity; url: string } | null = null;
  let existing: { memberId: string; identity: MemberIdentity } | null = null;
  let multipleStickyLeaders = false;
  // By member id, so that the outcome does not depend on the order the coordinator lists them.
  const ordered = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  for (const m of ordered) {
    let identity: MemberIdentity;
    try {
      identity = decodeIdentity(m.metadata);
    } catch (err) {
      unreadable.push({ memberId: m.memberId, reason: (err as Error).message });
      continue;
    }
    const url = identityUrl(identity);
    urls.add(url);
    counted++;
    if (!identity.leaderEligibility) continue;
    if (best === null || url < best.url) best = { memberId: m.memberId, identity, url };
    if (sticky && identity.leader && !multipleStickyLeaders) {
      if (existing !== null) {
        multipleStickyLeaders = true;
        existing = null;
      } else existing = { memberId: m.memberId, identity };
    }
  }
  const chosen = existing ?? best;
  return {
    error: urls.size !== counted ? ASSIGNMENT_DUPLICATE_URLS : ASSIGNMENT_NO_ERROR,
    leaderMemberId: chosen?.memberId ?? null,
    leaderIdentity: chosen?.identity ?? null,
    unreadable,
    multipleStickyLeaders,
  };
}
