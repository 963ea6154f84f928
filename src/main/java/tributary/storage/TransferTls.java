package tributary.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.sqlclient.Pool;
import tributary.config.TlsConfig;
import tributary.store.ClusterSecrets;

/**
 * TLS of the storage transfer port (X3, option {@code storage-tls}): both ends hold the same key
 * and certificate, the given PEM pair or else the cluster's own, and each trusts exactly that
 * certificate, so the link is mutual TLS and a stranger cannot even open it. Host names are not
 * checked, since trust is pinned to the one certificate rather than to a name. Off, the port is
 * plain HTTP (still refusing requests without the transfer secret).
 */
public record TransferTls(String keyPem, String certPem) {
  /** The transfer port's TLS material, or null when TLS is off. */
  public static Future<TransferTls> load(Vertx vertx, Pool pool, TlsConfig tls) {
    if (!tls.storage()) {
      return Future.succeededFuture();
    }
    if (tls.storageOwnCertificate()) {
      String keyFile = tls.storageKey().orElseThrow().toString();
      String certFile = tls.storageCert().orElseThrow().toString();
      return vertx.fileSystem().readFile(keyFile).compose(key -> vertx.fileSystem().readFile(certFile).compose(cert ->
          key.toString().contains("PRIVATE KEY-----") && cert.toString().contains("-----BEGIN CERTIFICATE-----")
              ? Future.succeededFuture(new TransferTls(key.toString(), cert.toString()))
              : Future.failedFuture(new IllegalStateException("storage-tls-key " + keyFile + " must hold a PEM private "
                  + "key and storage-tls-cert " + certFile + " a PEM certificate"))));
    }
    return ClusterSecrets.credentials(pool).map(c -> new TransferTls(c.keyPem(), c.certPem()));
  }

  /** The URL scheme of a transfer port with this TLS (null = off). */
  public static String scheme(TransferTls tls) {
    return tls == null ? "http" : "https";
  }

  /** The transfer server's options: plain with {@code tls} null, else TLS asking for the client's certificate. */
  public static HttpServerOptions server(TransferTls tls) {
    HttpServerOptions options = new HttpServerOptions();
    if (tls != null) {
      options.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setKeyCertOptions(tls.keyCert())
          .setTrustOptions(tls.trust());
    }
    return options;
  }

  /** The transfer client's options: plain with {@code tls} null, else TLS presenting and trusting the certificate. */
  public static HttpClientOptions client(TransferTls tls) {
    HttpClientOptions options = new HttpClientOptions();
    if (tls != null) {
      options.setSsl(true).setVerifyHost(false).setKeyCertOptions(tls.keyCert()).setTrustOptions(tls.trust());
    }
    return options;
  }

  private PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions().setKeyValue(Buffer.buffer(keyPem)).setCertValue(Buffer.buffer(certPem));
  }

  private PemTrustOptions trust() {
    return new PemTrustOptions().addCertValue(Buffer.buffer(certPem));
  }
}
