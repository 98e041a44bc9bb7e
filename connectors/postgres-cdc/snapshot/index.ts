// Reading tables as of the slot's exported snapshot.
export { openSnapshotSession, type ReadChunksOptions, type SnapshotChunk, type SnapshotRow, type SnapshotSession } from "./session.ts";
