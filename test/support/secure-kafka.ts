// One Apache Kafka KRaft node with secured client listeners, for tests of TLS and SASL clients
// (started through kafka-cluster.ts, so it has its cleanup and watchdogs). A CA, the broker's
// certificate (for localhost and 127.0.0.1), a client certificate and a second, unrelated CA are
// made with openssl in a temporary directory at start; Kafka reads them as PEM stores. One user
// exists for every mechanism: PLAIN in the listeners' JAAS config, SCRAM-SHA-256/512 written by
// `kafka-storage format --add-scram` before the first start. Everything binds 127.0.0.1.
//
//   SASL      SASL_PLAINTEXT  PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
//   TLS       SSL             client certificate required (mutual TLS)
//   SASL_TLS  SASL_SSL        PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; no client certificate
//   REAUTH    SASL_PLAINTEXT  PLAIN, sessions limited to REAUTH_SESSION_MS (KIP-368)
//   PLAINTEXT (the brokers' own listener) stays open for test set-up.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startKafkaCluster, type KafkaCluster } from "./kafka-cluster.ts";

export const SECURE_USER = { username: "alice", password: "alice-secret" } as const;

/** connections.max.reauth.ms of the REAUTH listener. */
export const REAUTH_SESSION_MS = 3000;

export interface SecureKafkaPems {
  /** The CA that signed the broker's and the client's certificates (PEM text, and its file). */
  ca: string;
  caFile: string;
  /** A client certificate and its key (PKCS#8), for the TLS listener. */
  clientCert: string;
  clientKey: string;
  /** The same key and certificate in one file, as Kafka's PEM key store (ssl.keystore.location). */
  clientKeystoreFile: string;
  /** A CA that signed nothing here: trusting only it must fail the TLS handshake. */
  otherCa: string;
  otherCaFile: string;
}

export interface SecureKafka {
  readonly cluster: KafkaCluster;
  /** bootstrap.servers per listener. */
  readonly plaintext: string;
  readonly sasl: string;
  readonly tls: string;
  readonly saslTls: string;
  readonly reauth: string;
  readonly pems: SecureKafkaPems;
  stop(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** A P-256 key and a certificate signed by the CA in `dir`, with these extensions. */
function issue(dir: string, name: string, subject: string, extensions: string): void {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", `${name}.pem`, "-extfile", `${name}.ext`]);
}

function selfSignedCa(dir: string, name: string, subject: string): void {
  openssl(dir, [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", subject,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
}

function makeCertificates(dir: string): { pems: SecureKafkaPems; brokerKeystore: string } {
  selfSignedCa(dir, "ca", "/CN=hub-test-ca");
  selfSignedCa(dir, "other-ca", "/CN=hub-test-other-ca");
  issue(dir, "broker", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
  issue(dir, "client", "/CN=hub-test-client", "extendedKeyUsage=clientAuth\n");
  const read = (f: string): string => readFileSync(join(dir, f), "utf8");
  // Kafka's PEM key store: the PKCS#8 key, then the certificate chain.
  const brokerKeystore = join(dir, "broker-keystore.pem");
  writeFileSync(brokerKeystore, read("broker.key") + read("broker.pem") + read("ca.pem"));
  const clientKeystoreFile = join(dir, "client-keystore.pem");
  writeFileSync(clientKeystoreFile, read("client.key") + read("client.pem"));
  return {
    brokerKeystore,
    pems: {
      ca: read("ca.pem"),
      caFile: join(dir, "ca.pem"),
      clientCert: read("client.pem"),
      clientKey: read("client.key"),
      clientKeystoreFile,
      otherCa: read("other-ca.pem"),
      otherCaFile: join(dir, "other-ca.pem"),
    },
  };
}

export async function startSecureKafka(): Promise<SecureKafka> {
  const certDir = mkdtempSync(join(tmpdir(), "hub-secure-kafka-"));
  try {
    const { pems, brokerKeystore } = makeCertificates(certDir);
    const plainJaas = `org.apache.kafka.common.security.plain.PlainLoginModule required user_${SECURE_USER.username}="${SECURE_USER.password}";`;
    const scramJaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    const saslListener = (name: string): Record<string, string> => ({
      [`listener.name.${name}.plain.sasl.jaas.config`]: plainJaas,
      [`listener.name.${name}.scram-sha-256.sasl.jaas.config`]: scramJaas,
      [`listener.name.${name}.scram-sha-512.sasl.jaas.config`]: scramJaas,
    });
    const cluster = await startKafkaCluster({
      nodes: 1,
      listeners: { SASL: "SASL_PLAINTEXT", TLS: "SSL", SASL_TLS: "SASL_SSL", REAUTH: "SASL_PLAINTEXT" },
      formatArgs: [
        "--add-scram", `SCRAM-SHA-256=[name=${SECURE_USER.username},password=${SECURE_USER.password}]`,
        "--add-scram", `SCRAM-SHA-512=[name=${SECURE_USER.username},password=${SECURE_USER.password}]`,
      ],
      props: {
        "sasl.enabled.mechanisms": "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
        ...saslListener("sasl"),
        ...saslListener("sasl_tls"),
        "listener.name.reauth.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.reauth.plain.sasl.jaas.config": plainJaas,
        "listener.name.reauth.plain.connections.max.reauth.ms": String(REAUTH_SESSION_MS),
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": brokerKeystore,
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": pems.caFile,
        "listener.name.tls.ssl.client.auth": "required",
        "listener.name.sasl_tls.ssl.client.auth": "none",
        // A refused login is answered after this delay (Kafka's default 100 ms); kept short so
        // the tests of wrong passwords measure the client, not the broker.
        "connection.failed.authentication.delay.ms": "100",
      },
    });
    return {
      cluster,
      plaintext: cluster.bootstrap,
      sasl: cluster.bootstrapOf("SASL"),
      tls: cluster.bootstrapOf("TLS"),
      saslTls: cluster.bootstrapOf("SASL_TLS"),
      reauth: cluster.bootstrapOf("REAUTH"),
      pems,
      async stop() {
        await cluster.stop();
        rmSync(certDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(certDir, { recursive: true, force: true });
    throw error;
  }
}
