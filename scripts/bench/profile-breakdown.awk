# CPU samples of a collapsed async-profiler file (profile.sh, dispatch.sh) by component and by thread.
{ n=$NF; tot+=n; line=$0;
  split(line,a,";"); thr=a[1];
  if (thr ~ /C2 Compiler|C1 Compiler/) { c["JIT compiler"]+=n; next }
  if (thr ~ /GC|G1/ || line ~ /G1|gc_/) { c["GC"]+=n; next }
  if (line ~ /Codec|codec\/|encodeToWire|decodeFromWire|transform/ && line ~ /eventbus/) { c["event-bus codecs"]+=n; }
  if (line ~ /RecordParser/) c["RecordParser (JSON parse+re-encode)"]+=n
  if (line ~ /AuthHandler/) c["AuthHandler"]+=n
  if (line ~ /RecordArchiveVerticle|StorageArchive|StorageReplicator|LocalBlobStore|BlobSink|StorageClient/) c["storage archive (segments)"]+=n
  if (line ~ /io\/vertx\/pgclient|io\/vertx\/sqlclient/) c["pg client (encode/decode/IO)"]+=n
  if (line ~ /DispatchVerticle|tributary\/dispatch\//) c["dispatch (DispatchVerticle, tributary.dispatch)"]+=n
  if (line ~ /SseSession/) c["SSE sessions"]+=n
  if (line ~ /com\/hazelcast/) c["hazelcast"]+=n
  if (line ~ /io\/vertx\/redis/) c["redis client"]+=n
  if (line ~ /Replies\.json|toJsonText|Json\.encode/) c["answer writes (Replies.json, incl. socket write)"]+=n
  if (line ~ /io\/vertx\/core\/http\/impl|HttpServerRequest|Http1x/) c["vertx http server"]+=n
  if (line ~ /micrometer/) c["micrometer"]+=n
  if (line ~ /logback|slf4j/) c["logging"]+=n
  if (line ~ /epoll_wait|EPoll\.wait|epollWait/) c["idle in epoll"]+=n
  if (line ~ /_\[k\]/) c["kernel (any)"]+=n
  if (line ~ /sys_write|tcp_sendmsg|__x64_sys_write|writev/) c["kernel socket writes"]+=n
  if (line ~ /sys_read|tcp_recvmsg|__x64_sys_read/) c["kernel socket reads"]+=n
  split(thr,b," tid"); t[b[1]]+=n
}
END { for (k in c) printf "%5.1f%%  %s\n", 100*c[k]/tot, k; for (k in t) printf "%5.1f%%  thread %s\n", 100*t[k]/tot, k; print tot " samples (100%)" }
