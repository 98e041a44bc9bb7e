// One JSON call to a REST API (a Connect worker's), as tests make them: the status code and
// the parsed body (null when empty), with a 30 s deadline.
export interface RestAnswer {
  status: number;
  json: unknown;
}

export async function rest(url: string, method: string, path: string, body?: unknown): Promise<RestAnswer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? null : (JSON.parse(text) as unknown) };
}
