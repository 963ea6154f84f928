package tributary.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS of a node (X3): HTTPS for the API and console with a PEM certificate and key (and, if asked,
 * a plain-HTTP port that only redirects to it), and TLS on the storage transfer port with its own
 * PEM pair or else the cluster's certificate. The clustered event bus is always mutual TLS.
 */
public record TlsConfig(Optional<Path> cert, Optional<Path> key, int redirectPort, boolean storage,
    Optional<Path> storageCert, Optional<Path> storageKey) {

  /** Whether the API and console speak HTTPS. */
  public boolean https() {
    return cert.isPresent();
  }

  /** Whether the storage transfer port uses a certificate of its own rather than the cluster's. */
  public boolean storageOwnCertificate() {
    return storageCert.isPresent();
  }
}
