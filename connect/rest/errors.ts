// Errors → HTTP answers, as Kafka's ConnectExceptionMapper: `{"error_code": <status>, "message":
// <text>}` with the status as error_code. NotFoundException → 404, AlreadyExistsException → 409,
// ConnectRestError (BadRequestError 400, ...) → its own status, ConfigException → 400,
// RebalanceNeededError → 409 with Kafka's text, anything else → 500 with the error's message.
import { AlreadyExistsException, ConfigException, NotFoundException } from "../api/index.ts";
import { ConnectRestError, RebalanceNeededError, RequestTargetError } from "../runtime/herder/errors.ts";

export interface ErrorBody {
  error_code: number;
  message: string | null;
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
}

export const REBALANCE_NEEDED_MESSAGE = "Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)";

/** Java's name for an HTTP status in Jersey's default messages ("HTTP 404 Not Found"). */
const REASONS: Record<number, string> = {
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  500: "Internal Server Error",
};

/** Jersey's own errors (no route, wrong method, wrong media type): "HTTP 404 Not Found". */
export function jerseyError(status: number): ConnectRestError {
  return new ConnectRestError(status, `HTTP ${status} ${REASONS[status] ?? "Error"}`);
}

export function errorAnswer(status: number, message: string | null): ErrorAnswer {
  return { status, body: { error_code: status, message } };
}

/** The status and body Kafka answers for this error. */
export function mapError(error: unknown): ErrorAnswer {
  if (error instanceof ConnectRestError) return errorAnswer(error.statusCode, error.message);
  if (error instanceof NotFoundException) return errorAnswer(404, error.message);
  if (error instanceof AlreadyExistsException) return errorAnswer(409, error.message);
  if (error instanceof ConfigException) return errorAnswer(400, error.message);
  if (error instanceof RebalanceNeededError) return errorAnswer(409, REBALANCE_NEEDED_MESSAGE);
  if (error instanceof RequestTargetError) return errorAnswer(500, error.message);
  // Fastify's own errors (body too large ...) carry a statusCode.
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 600) {
    return errorAnswer(statusCode, error instanceof Error ? error.message : String(error));
  }
  return errorAnswer(500, error instanceof Error ? error.message : String(error));
}
