// The hub's Connect worker for the Connect conformance tests. Placeholder until the worker
// exists: another change replaces this file with the real start-up (same signature).
export async function startHubConnectWorker(_options: { bootstrap: string }): Promise<{ url: string; stop(): Promise<void> }> {
  throw new Error("hub Connect worker not built yet");
}
