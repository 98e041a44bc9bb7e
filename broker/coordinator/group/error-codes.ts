// The coordinator answers with Kafka's error codes: the one table the codecs use.
export { ErrorCode } from "../../protocol/generated/errors.ts";
