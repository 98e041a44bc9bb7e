// The HTTP layer of the registry client (Confluent's RestService): one call per REST endpoint the
// serdes need, over Node's fetch, with Confluent's media types, its failover across the
// configured URLs (a URL that cannot be reached is skipped until the others fail too), its
// authentication (basic or bearer) and its errors (RestClientException with error_code).
import type { CompatibilityResponse, RegisterResponse, SchemaById, SchemaSpec, SubjectVersion } from "./entities.ts";
import { ERROR_UNPARSEABLE_RESPONSE, RegistryUnreachableError, RestClientException } from "./errors.ts";

const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
const ACCEPT = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

export type RegistryAuth =
  | { readonly kind: "none" }
  | { readonly kind: "basic"; readonly userInfo: string }
  | { readonly kind: "bearer"; readonly token: string; readonly logicalCluster?: string; readonly identityPoolId?: string };

export interface RestServiceOptions {
  /** Base URLs, tried in turn; a user:password in a URL is sent as basic authentication. */
  readonly urls: readonly string[];
  readonly auth?: RegistryAuth;
  /** Extra headers on every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request, connect and read together (Confluent: http.read.timeout.ms, 60 s). */
  readonly timeoutMs?: number;
}

interface BaseUrl {
  /** The URL without user info (fetch refuses URLs with credentials). */
  readonly url: string;
  /** Basic credentials that were in the URL, as "user:password". */
  readonly userInfo: string | null;
}

function parseBaseUrl(text: string): BaseUrl {
  let parsed: URL;
  try {
    parsed = new URL(text.trim());
  } catch {
    throw new TypeError(`Invalid schema registry URL: ${text}`);
  }
  const userInfo = parsed.username === "" && parsed.password === "" ? null : `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.toString().replace(/\/+$/, ""), userInfo };
}

function basicHeader(userInfo: string): string {
  return `Basic ${Buffer.from(userInfo, "utf8").toString("base64")}`;
}

const enc = encodeURIComponent;

export class RestService {
  readonly #urls: BaseUrl[];
  #current = 0;
  readonly #auth: RegistryAuth;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #timeoutMs: number;

  constructor(options: RestServiceOptions) {
    const urls = options.urls.map((u) => u.trim()).filter((u) => u !== "");
    if (urls.length === 0) throw new TypeError("No schema registry URL given");
    this.#urls = urls.map(parseBaseUrl);
    this.#auth = options.auth ?? { kind: "none" };
    this.#headers = options.headers ?? {};
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** The base URLs, without credentials. */
  get urls(): readonly string[] {
    return this.#urls.map((u) => u.url);
  }

  /** POST /subjects/{subject}/versions: registers (or finds) the schema under the subject. */
  register(subject: string, schema: SchemaSpec, normalize = false): Promise<RegisterResponse> {
    const query = normalize ? "?normalize=true" : "";
    return this.#request<RegisterResponse>("POST", `/subjects/${enc(subject)}/versions${query}`, registerBody(schema));
  }

  /** POST /subjects/{subject}: the version of the subject that has this schema (40403 when none). */
  lookUpSubjectVersion(subject: string, schema: SchemaSpec, options: { normalize?: boolean; deleted?: boolean } = {}): Promise<SubjectVersion> {
    const params = new URLSearchParams();
    if (options.normalize) params.set("normalize", "true");
    if (options.deleted) params.set("deleted", "true");
    const query = params.size === 0 ? "" : `?${params.toString()}`;
    return this.#request<SubjectVersion>("POST", `/subjects/${enc(subject)}${query}`, registerBody(schema)).then(withDefaults);
  }

  /** GET /schemas/ids/{id} (with `subject`, the registry may use it to find the schema's context). */
  async getSchemaById(id: number, subject?: string): Promise<SchemaById> {
    const query = subject === undefined ? "" : `?subject=${enc(subject)}`;
    const found = await this.#request<Partial<SchemaById> & { schema: string }>("GET", `/schemas/ids/${id}${query}`);
    return { ...found, schemaType: found.schemaType ?? "AVRO", references: found.references ?? [] };
  }

  /** GET /subjects/{subject}/versions/{version}; `version` may be "latest" (or -1). */
  getSubjectVersion(subject: string, version: number | "latest"): Promise<SubjectVersion> {
    const v = version === "latest" || version === -1 ? "latest" : String(version);
    return this.#request<SubjectVersion>("GET", `/subjects/${enc(subject)}/versions/${v}`).then(withDefaults);
  }

  /** GET /subjects/{subject}/versions. */
  getAllVersions(subject: string): Promise<number[]> {
    return this.#request<number[]>("GET", `/subjects/${enc(subject)}/versions`);
  }

  /** GET /subjects. */
  getAllSubjects(): Promise<string[]> {
    return this.#request<string[]>("GET", "/subjects");
  }

  /** POST /compatibility/subjects/{subject}/versions/{version}: can the schema be registered after that version. */
  testCompatibility(subject: string, schema: SchemaSpec, version: number | "latest" = "latest", verbose = false): Promise<CompatibilityResponse> {
    const query = verbose ? "?verbose=true" : "";
    return this.#request<CompatibilityResponse>("POST", `/compatibility/subjects/${enc(subject)}/versions/${version}${query}`, registerBody(schema));
  }

  /** PUT /config/{subject}: sets the subject's compatibility level. */
  updateCompatibility(subject: string | null, compatibility: string): Promise<{ compatibility: string }> {
    const path = subject === null ? "/config" : `/config/${enc(subject)}`;
    return this.#request<{ compatibility: string }>("PUT", path, { compatibility });
  }

  /** DELETE /subjects/{subject} (soft, or with permanent=true hard). */
  deleteSubject(subject: string, permanent = false): Promise<number[]> {
    return this.#request<number[]>("DELETE", `/subjects/${enc(subject)}${permanent ? "?permanent=true" : ""}`);
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let lastError: RegistryUnreachableError | null = null;
    for (let attempt = 0; attempt < this.#urls.length; attempt++) {
      const base = this.#urls[this.#current] as BaseUrl;
      try {
        return await this.#send<T>(base, method, path, payload);
      } catch (e) {
        if (!(e instanceof RegistryUnreachableError)) throw e;
        lastError = e;
        // Confluent's UrlList: move past the URL that failed, so later calls start at the next.
        if (this.#urls[this.#current] === base) this.#current = (this.#current + 1) % this.#urls.length;
      }
    }
    throw lastError as RegistryUnreachableError;
  }

  async #send<T>(base: BaseUrl, method: string, path: string, payload: string | undefined): Promise<T> {
    const url = `${base.url}${path}`;
    const headers: Record<string, string> = { Accept: ACCEPT, ...this.#headers };
    if (payload !== undefined) headers["Content-Type"] = CONTENT_TYPE;
    const authorization = this.#authorization(base);
    if (authorization !== null) headers.Authorization = authorization;
    if (this.#auth.kind === "bearer") {
      if (this.#auth.logicalCluster) headers["target-sr-cluster"] = this.#auth.logicalCluster;
      if (this.#auth.identityPoolId) headers["Confluent-Identity-Pool-Id"] = this.#auth.identityPoolId;
    }
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(this.#timeoutMs) });
      text = await response.text();
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new RegistryUnreachableError(`${method} ${url} failed: ${why}`, { cause: e });
    }
    if (response.status === 200) {
      try {
        return JSON.parse(text) as T;
      } catch (e) {
        throw new RestClientException(`Unparseable response from ${method} ${url}: ${(e as Error).message}`, response.status, ERROR_UNPARSEABLE_RESPONSE);
      }
    }
    if (response.status === 204) return null as T;
    throw errorOf(response.status, text);
  }

  #authorization(base: BaseUrl): string | null {
    switch (this.#auth.kind) {
      case "basic":
        return basicHeader(this.#auth.userInfo);
      case "bearer":
        return `Bearer ${this.#auth.token}`;
      case "none":
        return base.userInfo === null ? null : basicHeader(base.userInfo);
    }
  }
}

function registerBody(schema: SchemaSpec): Record<string, unknown> {
  const body: Record<string, unknown> = { schema: schema.schema };
  // Confluent's client leaves schemaType out for AVRO and references out when there are none.
  if (schema.schemaType !== undefined && schema.schemaType !== "AVRO") body.schemaType = schema.schemaType;
  if (schema.references !== undefined && schema.references.length > 0) body.references = schema.references;
  if (schema.metadata !== undefined && schema.metadata !== null) body.metadata = schema.metadata;
  if (schema.ruleSet !== undefined && schema.ruleSet !== null) body.ruleSet = schema.ruleSet;
  return body;
}

function withDefaults(v: SubjectVersion): SubjectVersion {
  return { ...v, schemaType: v.schemaType ?? "AVRO", references: v.references ?? [] };
}

function errorOf(status: number, text: string): RestClientException {
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof body === "object" && body !== null && typeof body.error_code === "number") {
      return new RestClientException(typeof body.message === "string" ? body.message : "", status, body.error_code);
    }
  } catch {
    // Not the registry's error JSON (a proxy's HTML page, an empty body): below.
  }
  const snippet = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  return new RestClientException(`HTTP ${status}${snippet === "" ? "" : `: ${snippet}`}`, status, status === 401 || status === 403 ? status : ERROR_UNPARSEABLE_RESPONSE);
}
