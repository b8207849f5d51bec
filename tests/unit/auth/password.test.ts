import { describe, expect, it } from "vitest";

import {
  checkPassword,
  DJANGO_PBKDF2_ITERATIONS,
  hashPassword,
  isCheckablePassword,
  verifyPassword,
} from "@/lib/auth/password";

const DJANGO_32_HASH = "pbkdf2_sha256$260000$saltsaltsalt1234$tjK0rWTk3oLFUkJsyiTYy0UaCCAY3C8cWMy4EWHBGn0=";

describe("Django-compatible passwords", () => {
  it("verifies a hash made by Django 3.2", async () => {
    expect(await verifyPassword("correct horse battery staple", DJANGO_32_HASH)).toBe(true);
  });

  it("verifies an older account's pbkdf2_sha1 hash made by Django, and only with its password", async () => {
    // make_password("polonium", salt="sha1salt", hasher="pbkdf2_sha1") in Django 3.2 (tests/compat/django).
    const sha1Hash = "pbkdf2_sha1$260000$sha1salt$O24nmrzNKI6hnOwWJYIQBdAUQAA=";
    expect(await verifyPassword("polonium", sha1Hash)).toBe(true);
    expect(await verifyPassword("Polonium", sha1Hash)).toBe(false);
    expect(await verifyPassword("polonium", sha1Hash.replace("pbkdf2_sha1", "pbkdf2_sha256"))).toBe(false);
  });

  it("rejects a wrong password against the Django hash", async () => {
    expect(await verifyPassword("correct horse battery stapler", DJANGO_32_HASH)).toBe(false);
  });

  it("reproduces Django's hash exactly for the same salt and iterations", async () => {
    const hash = await hashPassword("correct horse battery staple", { salt: "saltsaltsalt1234", iterations: 260000 });
    expect(hash).toBe(DJANGO_32_HASH);
  });

  it("makes new hashes with Django's current default iteration count, which verify", async () => {
    const hash = await hashPassword("s3cret-pass");
    expect(hash.split("$")[1]).toBe(String(DJANGO_PBKDF2_ITERATIONS));
    expect(hash).toMatch(/^pbkdf2_sha256\$\d+\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyPassword("s3cret-pass", hash)).toBe(true);
    expect(await verifyPassword("s3cret-pasS", hash)).toBe(false);
  });

  it("never accepts an unusable ('!') or malformed hash", async () => {
    expect(isCheckablePassword("!abc")).toBe(false);
    expect(await verifyPassword("", "!")).toBe(false);
    expect(await verifyPassword("x", "!" + DJANGO_32_HASH)).toBe(false);
    expect(await verifyPassword("correct horse battery staple", "md5$x$y")).toBe(false);
    expect(await verifyPassword("correct horse battery staple", DJANGO_32_HASH.replace("260000", "abc"))).toBe(false);
    expect(await verifyPassword("correct horse battery staple", `${DJANGO_32_HASH}$extra`)).toBe(false);
  });

  it("treats an empty hash as unusable, and never calls a 0-iteration hash a match (nor fails on it)", async () => {
    expect(isCheckablePassword("")).toBe(false);
    expect(isCheckablePassword(DJANGO_32_HASH)).toBe(true);
    expect(await verifyPassword("", "")).toBe(false);
    const zero = DJANGO_32_HASH.replace("260000", "0");
    expect(await verifyPassword("correct horse battery staple", zero)).toBe(false);
    expect(await verifyPassword("correct horse battery staple", DJANGO_32_HASH.replace("260000", "-5"))).toBe(false);
  });

  it("verifies any positive iteration count, down to one", async () => {
    const once = await hashPassword("quick", { salt: "onesalt", iterations: 1 });
    expect(once).toMatch(/^pbkdf2_sha256\$1\$onesalt\$/);
    expect(await verifyPassword("quick", once)).toBe(true);
  });

  it("refuses a hash with a missing salt or digest, or a digest of the wrong length", async () => {
    const [algorithm, iterations, salt, digest] = DJANGO_32_HASH.split("$");
    for (const broken of [
      `${algorithm}$${iterations}$$${digest}`,
      `${algorithm}$${iterations}$${salt}$`,
      `${algorithm}$${iterations}$${salt}$${digest!.slice(4)}`,
      `${algorithm}$${iterations}$${salt}`,
    ]) {
      expect(await verifyPassword("correct horse battery staple", broken), broken).toBe(false);
    }
  });

  it("refuses a salt holding '$', which would break the hash's fields apart", async () => {
    await expect(hashPassword("x", { salt: "a$b", iterations: 1 })).rejects.toThrow("A salt must not contain '$'.");
  });

  describe("checking a sign-in's password", () => {
    it("asks for a new hash of an old Django account's password, only once it matched", async () => {
      expect(await checkPassword("correct horse battery staple", DJANGO_32_HASH)).toEqual({
        matches: true,
        needsRehash: true,
      });
      expect(await checkPassword("wrong", DJANGO_32_HASH)).toEqual({ matches: false, needsRehash: true });
      const sha1Hash = "pbkdf2_sha1$260000$sha1salt$O24nmrzNKI6hnOwWJYIQBdAUQAA=";
      expect((await checkPassword("polonium", sha1Hash)).needsRehash).toBe(true);
    });

    it("leaves a hash of ours as it is", async () => {
      const ours = await hashPassword("s3cret-pass");
      expect(await checkPassword("s3cret-pass", ours)).toEqual({ matches: true, needsRehash: false });
    });

    it("never matches when there is no usable hash, whatever is typed", async () => {
      for (const [typed, encoded] of [
        ["", null],
        ["", ""],
        ["!", "!"],
        ["", `!${DJANGO_32_HASH}`],
        ["y", "md5$x$y"],
      ]) {
        expect(await checkPassword(typed!, encoded!)).toEqual({ matches: false, needsRehash: false });
      }
    });
  });
});
