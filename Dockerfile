# The operator image. Build the jar first, then the image, from the repository root:
#
#   mvn -B package -DskipTests
#   docker build -t registry.example/openclaw-docker-operator:0.1.0 .
#
# Layout (hack/operator-image.sh builds the same image offline, from this very file on an imported base):
#   /opt/java/openjdk                                         the Java 17 runtime (JAVA_HOME)
#   /opt/openclaw-docker-operator/openclaw-docker-operator.jar
#   /opt/openclaw-docker-operator/openclaw-docker-operator.jsa    its class-data-sharing archive (made at build)
#   /opt/openclaw-docker-operator/openclaw-docker-operator.jvm-options   the Java options every launch uses (mvn package
#                                                             puts them beside the jar; see that file)
#   /var/lib/openclaw-docker-operator                         state and status (a volume; the only place written besides /tmp)
#   /etc/openclaw-docker-operator/manifests                   where on-host mode reads the manifests (mount them here, read-only)
#   /host                                                     where on-host mode sees the host's root (mount / here, read-only)
# User 65532:65532 (openclaw-operator), no shell login, no home. The root filesystem can be read-only:
# `docker run --read-only --tmpfs /tmp` or Kubernetes' readOnlyRootFilesystem with an emptyDir at /tmp.
#
# The base is any image with a Java 17 runtime at /opt/java/openjdk and a POSIX shell (Eclipse Temurin's JRE
# images have both); the offline build passes its own with --build-arg JRE_IMAGE=...
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble
FROM ${JRE_IMAGE}

# Plain POSIX shell, so the same steps run on Temurin's Ubuntu and on the offline busybox base.
RUN set -eu; \
    echo 'openclaw-operator:x:65532:65532:openclaw-docker-operator:/nonexistent:/sbin/nologin' >> /etc/passwd; \
    echo 'openclaw-operator:x:65532:' >> /etc/group; \
    mkdir -p /opt/openclaw-docker-operator /var/lib/openclaw-docker-operator /etc/openclaw-docker-operator/manifests /host; \
    chown 65532:65532 /var/lib/openclaw-docker-operator; \
    chmod 0750 /var/lib/openclaw-docker-operator

COPY operator/target/openclaw-docker-operator.jar operator/target/openclaw-docker-operator.jvm-options /opt/openclaw-docker-operator/

# Class-data sharing: a training run of the common commands (validate, plan, audit on a sample deployment of its
# own; no Docker here, so plan and audit read a stand-in daemon of the training's own) archives the classes they load
# beside the jar; the entrypoint maps them instead of parsing and verifying them. A runtime without Java's base archive (a jlink
# image) gets one first. The archive is made here because Java accepts it only for this jar at this path.
RUN set -eu; \
    if [ ! -f /opt/java/openjdk/lib/server/classes.jsa ]; then java -Xshare:dump -Xlog:cds=off >/dev/null; fi; \
    java -XX:ArchiveClassesAtExit=/opt/openclaw-docker-operator/openclaw-docker-operator.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
      -cp /opt/openclaw-docker-operator/openclaw-docker-operator.jar io.openclaw.operator.cli.CdsTraining; \
    chmod 0444 /opt/openclaw-docker-operator/openclaw-docker-operator.jsa

# The operator's default state directory is $XDG_STATE_HOME/openclaw-docker-operator: the volume below.
ENV XDG_STATE_HOME=/var/lib
USER 65532:65532
VOLUME ["/var/lib/openclaw-docker-operator"]
# /healthz, /readyz, /metrics (with --http-address 0.0.0.0:9464).
EXPOSE 9464

# The Java options (heap, collector, compiler) are the file's, as on every other launch line; JNA (the Docker unix
# socket) unpacks its native library into /tmp.
ENTRYPOINT ["/opt/java/openjdk/bin/java", "@/opt/openclaw-docker-operator/openclaw-docker-operator.jvm-options", \
            "-XX:SharedArchiveFile=/opt/openclaw-docker-operator/openclaw-docker-operator.jsa", \
            "-Djava.io.tmpdir=/tmp", "-Djna.tmpdir=/tmp", "-jar", "/opt/openclaw-docker-operator/openclaw-docker-operator.jar"]
# On-host mode (deploy/compose.yaml); the chart passes `run --kubernetes ...` instead.
CMD ["run", "--manifests", "/etc/openclaw-docker-operator/manifests", "--host-root", "/host", "--http-address", "0.0.0.0:9464"]
