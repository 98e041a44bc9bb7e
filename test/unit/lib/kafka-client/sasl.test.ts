// The SASL mechanisms' client messages, against the published examples (RFC 7677 section 3 for
// SCRAM-SHA-256) and against a server side computed here from the RFC's definitions. Brokers
// are exercised by test/integration/kafka-client/security.test.ts.
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { plainExchange, scramExchange } from "../../../../lib/kafka-client/sasl.ts";

describe("PLAIN", () => {
  it("sends an empty authzid, the user name and the password, NUL-separated, in one message", () => {
    const exchange = plainExchange("alice", "s3cret-é");
    expect(exchange.first).toEqual(Buffer.from("\u0000alice\u0000s3cret-é", "utf8"));
    expect(exchange.reply(Buffer.alloc(0))).toBeNull();
  });
});

describe("SCRAM", () => {
  it("reproduces the RFC 7677 SCRAM-SHA-256 example and accepts its server signature", () => {
    const exchange = scramExchange("sha256", "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
    expect(exchange.first.toString()).toBe("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    const final = exchange.reply(Buffer.from("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
    expect(final?.toString()).toBe("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
    expect(exchange.reply(Buffer.from("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))).toBeNull();
  });

  it("computes a SCRAM-SHA-512 proof a server holding the stored key accepts", () => {
    const salt = Buffer.from("a-salt-of-sixteen");
    const exchange = scramExchange("sha512", "bob", "hunter2", "clientnonce");
    const serverFirst = `r=clientnonceSERVER,s=${salt.toString("base64")},i=4096`;
    const final = exchange.reply(Buffer.from(serverFirst))?.toString() ?? "";
    // The server's side (RFC 5802 section 3): it stores StoredKey and ServerKey, never the password.
    const salted = pbkdf2Sync("hunter2", salt, 4096, 64, "sha512");
    const storedKey = createHash("sha512").update(createHmac("sha512", salted).update("Client Key").digest()).digest();
    const serverKey = createHmac("sha512", salted).update("Server Key").digest();
    const withoutProof = final.slice(0, final.lastIndexOf(",p="));
    const authMessage = `n=bob,r=clientnonce,${serverFirst},${withoutProof}`;
    const proof = Buffer.from(final.slice(final.lastIndexOf(",p=") + 3), "base64");
    const signature = createHmac("sha512", storedKey).update(authMessage).digest();
    const clientKey = Buffer.from(proof.map((b, i) => b ^ signature[i]!));
    expect(createHash("sha512").update(clientKey).digest()).toEqual(storedKey);
    expect(withoutProof).toBe("c=biws,r=clientnonceSERVER");
    const serverSignature = createHmac("sha512", serverKey).update(authMessage).digest("base64");
    expect(exchange.reply(Buffer.from(`v=${serverSignature}`))).toBeNull();
  });

  it("escapes = and , in the user name", () => {
    expect(scramExchange("sha256", "a=b,c", "p", "n").first.toString()).toBe("n,,n=a=3Db=2Cc,r=n");
  });

  it("refuses a server that does not extend the nonce, asks for few iterations, signs wrongly or reports an error", () => {
    expect(() => scramExchange("sha256", "u", "p", "abc").reply(Buffer.from("r=xyz,s=c2FsdA==,i=4096"))).toThrow(/nonce/);
    expect(() => scramExchange("sha256", "u", "p", "abc").reply(Buffer.from("r=abc,s=c2FsdA==,i=4096"))).toThrow(/nonce/);
    expect(() => scramExchange("sha256", "u", "p", "abc").reply(Buffer.from("r=abcd,s=c2FsdA==,i=1000"))).toThrow(/iterations/);
    expect(() => scramExchange("sha256", "u", "p", "abc").reply(Buffer.from("e=unknown-user"))).toThrow(/unknown-user/);
    const exchange = scramExchange("sha256", "u", "p", "abc");
    exchange.reply(Buffer.from("r=abcd,s=c2FsdA==,i=4096"));
    expect(() => exchange.reply(Buffer.from(`v=${Buffer.alloc(32).toString("base64")}`))).toThrow(/signature/);
  });
});
