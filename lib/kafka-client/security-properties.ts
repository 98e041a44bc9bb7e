// Java client security settings (security.protocol, ssl.*, sasl.*) as the options of this
// client (and of node:tls): how every part of the hub that takes Kafka's client keys — Connect's
// workers and tasks, the Schema Registry's kafkastore.* — connects to a secured cluster. A key
// with a value the hub cannot use throws ClientPropertyError naming the key; callers turn it
// into their own configuration error.
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { SASL_MECHANISMS, type SaslMechanism, type SaslOptions } from "./sasl.ts";

/** Java client properties by key. */
export type ClientProperties = Readonly<Record<string, string | undefined>>;

/** A client property the hub cannot use: `key`, the `value` given (null when absent or hidden), and why. */
export class ClientPropertyError extends Error {
  override name = "ClientPropertyError";
  readonly key: string;
  readonly value: string | null;
  readonly reason: string;

  constructor(key: string, value: string | null | undefined, reason: string) {
    super(`Invalid value ${value ?? "null"} for configuration ${key}: ${reason}`);
    this.key = key;
    this.value = value ?? null;
    this.reason = reason;
  }
}

function readPem(props: ClientProperties, inlineKey: string, locationKey: string, typeKey: string): string | Buffer | undefined {
  const inline = props[inlineKey];
  if (inline) return inline;
  const location = props[locationKey];
  if (!location) return undefined;
  const type = (props[typeKey] ?? "JKS").toUpperCase();
  if (type !== "PEM" && type !== "PKCS12") throw new ClientPropertyError(typeKey, type, "hub reads PEM and PKCS12 stores only (convert a JKS store with keytool -importkeystore)");
  return readFileSync(location);
}

/** The node:tls options of the ssl.* keys (for SSL and SASL_SSL); kafkajs and lib/kafka-client take them as they are. */
export function sslOptions(props: ClientProperties): ConnectionOptions {
  const ssl: ConnectionOptions = {};
  const ca = readPem(props, "ssl.truststore.certificates", "ssl.truststore.location", "ssl.truststore.type");
  if (ca !== undefined) {
    if ((props["ssl.truststore.type"] ?? "").toUpperCase() === "PKCS12") throw new ClientPropertyError("ssl.truststore.type", "PKCS12", "hub reads PEM trust stores only");
    ssl.ca = ca;
  }
  const keystoreType = (props["ssl.keystore.type"] ?? "JKS").toUpperCase();
  if (props["ssl.keystore.location"] && keystoreType === "PKCS12") {
    ssl.pfx = readFileSync(props["ssl.keystore.location"]);
    ssl.passphrase = props["ssl.keystore.password"];
  } else {
    // A PEM key store file holds the key and the certificate chain; OpenSSL picks each out of it.
    const chain = props["ssl.keystore.certificate.chain"] ?? (props["ssl.keystore.location"] ? readPem(props, "", "ssl.keystore.location", "ssl.keystore.type") : undefined);
    if (chain !== undefined) {
      ssl.cert = chain;
      ssl.key = props["ssl.keystore.key"] ?? chain;
      if (props["ssl.key.password"]) ssl.passphrase = props["ssl.key.password"];
    } else if (props["ssl.keystore.key"]) {
      throw new ClientPropertyError("ssl.keystore.certificate.chain", null, "ssl.keystore.key is set but not the certificate chain that goes with it");
    }
  }
  // Kafka's default is https (hostname verification); an empty value turns it off.
  if (props["ssl.endpoint.identification.algorithm"] === "") ssl.checkServerIdentity = () => undefined;
  return ssl;
}

/** A login option of a JAAS config line: key="quoted \"value\"" or key=word. */
function jaasOption(jaas: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s;])${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^\\s;"]+))`).exec(jaas);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
}

/**
 * The SASL credentials of sasl.mechanism and sasl.jaas.config (username and password of the
 * PlainLoginModule or ScramLoginModule line); a JAAS file named by a JVM system property has no
 * equivalent here, so sasl.jaas.config is required.
 */
export function saslOptions(props: ClientProperties): SaslOptions {
  const mechanism = (props["sasl.mechanism"] ?? "GSSAPI").trim().toUpperCase();
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new ClientPropertyError("sasl.mechanism", mechanism, `hub's clients support ${SASL_MECHANISMS.join(", ")}`);
  }
  const jaas = props["sasl.jaas.config"] ?? "";
  const username = jaasOption(jaas, "username");
  const password = jaasOption(jaas, "password");
  if (username === undefined || password === undefined) {
    throw new ClientPropertyError(
      "sasl.jaas.config",
      jaas === "" ? null : "[hidden]",
      `SASL needs a login line with a username and a password, e.g. org.apache.kafka.common.security.${mechanism === "PLAIN" ? "plain.PlainLoginModule" : "scram.ScramLoginModule"} required username="..." password="...";`,
    );
  }
  return { mechanism: mechanism as SaslMechanism, username, password };
}

const SECURITY_PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"];

/** What security.protocol asks for: TLS options (SSL, SASL_SSL) and SASL credentials (SASL_*). */
export interface ClientSecurity {
  tls?: ConnectionOptions;
  sasl?: SaslOptions;
}

export function securityOptions(props: ClientProperties): ClientSecurity {
  const protocol = (props["security.protocol"] ?? "PLAINTEXT").trim().toUpperCase();
  if (!SECURITY_PROTOCOLS.includes(protocol)) {
    throw new ClientPropertyError("security.protocol", props["security.protocol"], `String must be one of (case insensitive): ${SECURITY_PROTOCOLS.join(", ")}`);
  }
  const security: ClientSecurity = {};
  if (protocol === "SSL" || protocol === "SASL_SSL") security.tls = sslOptions(props);
  if (protocol === "SASL_PLAINTEXT" || protocol === "SASL_SSL") security.sasl = saslOptions(props);
  return security;
}

