package tributary.http;

import static tributary.http.Replies.json;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import tributary.auth.Principal;
import tributary.fault.Refusal;
import tributary.storage.BlobCatalog;
import tributary.storage.TaskRunner;
import tributary.storage.tasks.FileDigest;
import tributary.storage.tasks.SealKey;
import tributary.storage.tasks.TimestampSeal;
import tributary.store.ClusterSecrets;

/**
 * Timestamp seal verification (S6): a blob's seal checked against the cluster's seal key and the
 * blob's bytes now, and the seal key's public half published for checks without the cluster.
 */
final class SealCheck {
  private final Pool pool;
  private final BlobCatalog catalog;
  private final BlobReads reads;

  SealCheck(Pool pool, BlobCatalog catalog, BlobReads reads) {
    this.pool = pool;
    this.catalog = catalog;
    this.reads = reads;
  }

  /**
   * {@code GET /v1/blobs/{id}/verify[?seal=]}: checks the blob's timestamp seal (its latest, or
   * the one named): the signature, then the digests of the bytes the blob serves now. A named seal
   * the caller may not use is answered like one that does not exist.
   */
  void verify(RoutingContext rc) {
    String sealId = rc.queryParams().get("seal");
    Principal who = AuthHandler.principal(rc);
    reads.readable(rc).onSuccess(blob -> (sealId != null
        ? catalog.blob(sealId).map(seal -> seal != null && Rights.mayUse(seal, who) ? seal : null)
        : catalog.derivedFrom(blob.blobId()).map(list -> list.stream()
            .filter(b -> "protect:timestamp".equals(b.derivedBy()) && "live".equals(b.state()))
            .reduce((a, b) -> b).orElse(null)))
        .compose(seal -> {
          if (seal == null || !"protect:timestamp".equals(seal.derivedBy())) {
            return Future.failedFuture(Refusal.notFound("no timestamp seal for this blob; plan a protect task "
                + "with mode timestamp first"));
          }
          return Future.all(reads.readAll(seal), reads.digest(blob), TaskRunner.sealKey(pool),
                  ClusterSecrets.secret(pool, TaskRunner.SEAL_SECRET))
              .map(all -> {
                TimestampSeal.Manifest manifest = TimestampSeal.Manifest.fromJson(all.<Buffer>resultAt(0).toString());
                FileDigest actual = all.resultAt(1);
                try {
                  TimestampSeal.Verdict verdict = TimestampSeal.verify(() -> actual, manifest,
                      new TimestampSeal.Keys(all.<SealKey>resultAt(2).publicKey(), all.resultAt(3)));
                  return new JsonObject().put("blob", blob.blobId()).put("seal", seal.blobId())
                      .put("valid", verdict == TimestampSeal.Verdict.VALID).put("verdict", verdict.name().toLowerCase())
                      .put("alg", manifest.alg()).put("keyId", manifest.keyId()).put("sealedAt", manifest.sealedAt()).put("sealedBy", manifest.sealedBy())
                      .put("sealedSha256", manifest.sha256()).put("actualSha256", actual.sha256());
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              });
        })
        .onSuccess(result -> json(rc, 200, result)).onFailure(rc::fail));
  }

  /**
   * {@code GET /v1/storage/seal-key} (any signed-in user): the public key that checks timestamp
   * seals offline, as PEM and as base64 SubjectPublicKeyInfo, with its id (seals name it).
   */
  void sealKey(RoutingContext rc) {
    TaskRunner.sealKey(pool).map(key -> new JsonObject().put("alg", SealKey.ALGORITHM).put("keyId", key.keyId())
            .put("spki", java.util.Base64.getEncoder().encodeToString(key.publicKey().getEncoded()))
            .put("pem", SealKey.publicPem(key.publicKey()))
            .put("signed", "[\"tributary-seal-v2\", keyId, sha256, md5, size, sealedAt, sealedBy] as compact JSON, UTF-8"))
        .onSuccess(body -> json(rc, 200, body)).onFailure(rc::fail);
  }
}
