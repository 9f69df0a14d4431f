package dev.gantry.runtime.security;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** Decoding public keys with the JDK alone (nimbus needs Tink for Ed25519, BouncyCastle for PEM). */
final class PublicKeys {

  /** DER SubjectPublicKeyInfo header for Ed25519 (RFC 8410); the raw 32-byte key follows. */
  private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private PublicKeys() {}

  /** A DER SubjectPublicKeyInfo of any JDK-supported type. */
  static PublicKey decode(byte[] spki) {
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    throw new IllegalArgumentException("not an RSA, EC or Ed25519 public key");
  }

  /** An Ed25519 key from its raw 32-byte encoding (the JWK "x" member). */
  static PublicKey ed25519(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("Ed25519 keys are 32 bytes");
    }
    byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid Ed25519 key", e);
    }
  }
}
