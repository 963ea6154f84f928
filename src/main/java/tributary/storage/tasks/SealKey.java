package tributary.storage.tasks;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import tributary.digest.Digests;

/**
 * The cluster's Ed25519 key pair that signs timestamp seals (S6): made once, at the first start,
 * and kept in PostgreSQL beside the cluster secrets. Its public half is published
 * ({@code GET /v1/storage/seal-key}), so anyone can check a seal without the cluster.
 */
public record SealKey(PrivateKey privateKey, PublicKey publicKey) {
  public static final String ALGORITHM = "Ed25519";

  public static SealKey create() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      return new SealKey(pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
    }
  }

  /** The key's id: the first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo. */
  public String keyId() {
    return keyId(publicKey);
  }

  public static String keyId(PublicKey key) {
    return Digests.hex(Digests.of("SHA-256").digest(key.getEncoded())).substring(0, 16);
  }

  /** The public key as PEM (SubjectPublicKeyInfo), as {@code openssl pkeyutl -pubin} reads it. */
  public static String publicPem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(
        key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  /** The public key from its SubjectPublicKeyInfo (DER). */
  public static PublicKey publicKey(byte[] spki) {
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  /** The signature of the bytes, base64. */
  public String sign(byte[] signed) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(privateKey);
      s.update(signed);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the seal key", e);
    }
  }

  /** Whether {@code signature} (base64) is the key's signature of the bytes; false for any malformed input. */
  public static boolean verify(PublicKey key, byte[] signed, String signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(signed);
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The stored form: both halves, DER in base64. */
  public byte[] toBytes() {
    return new JsonObject().put("private", privateKey.getEncoded()).put("public", publicKey.getEncoded()).encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  public static SealKey fromBytes(byte[] stored) {
    JsonObject json = new JsonObject(new String(stored, StandardCharsets.UTF_8));
    try {
      PrivateKey priv = KeyFactory.getInstance(ALGORITHM).generatePrivate(
          new PKCS8EncodedKeySpec(json.getBinary("private")));
      return new SealKey(priv, publicKey(json.getBinary("public")));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored seal key is not an Ed25519 key pair", e);
    }
  }
}
