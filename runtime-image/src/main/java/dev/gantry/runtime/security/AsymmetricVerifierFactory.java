package dev.gantry.runtime.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Set;

/**
 * Nimbus verifiers for RSA and EC; Ed25519 through the JDK, because nimbus' own Ed25519 verifier
 * needs Google Tink, which the runtime image does not carry.
 */
final class AsymmetricVerifierFactory implements JWSVerifierFactory {

  private final DefaultJWSVerifierFactory nimbus = new DefaultJWSVerifierFactory();

  @Override
  public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
    if (JWSAlgorithm.Family.ED.contains(header.getAlgorithm()) || header.getAlgorithm().equals(JWSAlgorithm.Ed25519)) {
      if (!(key instanceof PublicKey publicKey)) {
        throw new JOSEException("Ed25519 needs a public key");
      }
      return new Ed25519Verifier(publicKey);
    }
    return nimbus.createJWSVerifier(header, key);
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return AsymmetricKeySelector.ALGORITHMS;
  }

  @Override
  public JCAContext getJCAContext() {
    return nimbus.getJCAContext();
  }

  private record Ed25519Verifier(PublicKey key) implements JWSVerifier {

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
      if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
        return false; // no crit extension is understood here, so none may be ignored (RFC 7515 §4.1.11)
      }
      try {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(signingInput);
        return verifier.verify(signature.decode());
      } catch (GeneralSecurityException e) {
        throw new JOSEException("Ed25519 verification failed: " + e.getMessage(), e);
      }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    }

    @Override
    public JCAContext getJCAContext() {
      return new JCAContext();
    }
  }
}
