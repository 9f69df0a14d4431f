package dev.gantry.runtime.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

/** Keys and signed tokens for the JWT tests. */
final class Tokens {

  static final String ISSUER = "https://idp.test";
  static final String AUDIENCE = "orders-api";

  /** An Ed25519 key: the public JWK and the JDK key pair that signs (nimbus would need Tink). */
  record EdKey(OctetKeyPair publicJwk, KeyPair keys) {}

  private Tokens() {}

  static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static EdKey ed25519(String kid) {
    try {
      KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = keys.getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
      return new EdKey(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).keyID(kid).build(), keys);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** sub alice, scope "read write", the test issuer and audience, valid for 5 minutes. */
  static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("alice")
        .claim("scope", "read write")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
  }

  static String rs256(RSAKey key, JWTClaimsSet claims) {
    try {
      return sign(new RSASSASigner(key), JWSAlgorithm.RS256, key.getKeyID(), claims);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String es256(ECKey key, JWTClaimsSet claims) {
    try {
      return sign(new ECDSASigner(key), JWSAlgorithm.ES256, key.getKeyID(), claims);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String eddsa(EdKey key, JWTClaimsSet claims) {
    try {
      JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(key.publicJwk().getKeyID()).build();
      String signingInput = header.toBase64URL() + "." + Base64URL.encode(claims.toString());
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key.keys().getPrivate());
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + Base64URL.encode(signer.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(com.nimbusds.jose.JWSSigner signer, JWSAlgorithm algorithm, String kid, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Date inSeconds(long seconds) {
    return Date.from(Instant.now().plusSeconds(seconds));
  }
}
