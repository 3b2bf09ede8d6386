package io.openclaw.operator.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A stand-in Docker daemon for the class-data-sharing training run ({@link CdsTraining}) alone: over a unix socket of
 * its own it answers the reads plan and audit make (ping, the container and network lists, inspect, info, version)
 * with one breaching sandbox, one other container and one network, framed as dockerd frames its answers (a length
 * when short, chunks when long). So the training goes all the way through docker-java's transport and the judging
 * whether or not the build can reach a daemon, and a build never reads, or execs into, the containers of the machine
 * it runs on. Everything else is answered 404.
 */
final class TrainingDaemon implements AutoCloseable {
  private static final String SANDBOX = "5a9d0c7e1b3f4a6c8e0d2f4b6a8c0e1d3f5b7a9c1e3d5f7b9a1c3e5d7f9b1a3c";
  private static final String OTHER = "7c1e3d5f7b9a1c3e5d7f9b1a3c5a9d0c7e1b3f4a6c8e0d2f4b6a8c0e1d3f5b7a";
  private static final String NETWORK = "3f5b7a9c1e3d5f7b9a1c3e5d7f9b1a3c5a9d0c7e1b3f4a6c8e0d2f4b6a8c0e1d";
  /** Go's net/http answers with a length up to this many bytes and in chunks beyond (dockerd's handlers write once). */
  private static final int CHUNKED_ABOVE = 2048;

  private final ServerSocketChannel server;
  private final Path socket;

  private TrainingDaemon(ServerSocketChannel server, Path socket) {
    this.server = server;
    this.socket = socket;
  }

  static TrainingDaemon start(Path dir) throws IOException {
    Path socket = dir.resolve("docker.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    TrainingDaemon daemon = new TrainingDaemon(server, socket);
    daemon.thread("training-daemon", daemon::accept).start();
    return daemon;
  }

  /** The DOCKER_HOST that reaches it. */
  String host() { return "unix://" + socket; }

  private Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel connection = server.accept();
        thread("training-daemon-connection", () -> serve(connection)).start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One keep-alive connection: request after request until the client closes it. */
  private void serve(SocketChannel connection) {
    try (connection; InputStream in = Channels.newInputStream(connection); OutputStream out = Channels.newOutputStream(connection)) {
      String head;
      while ((head = head(in)) != null) {
        String[] requestLine = head.lines().findFirst().orElse("").split(" ");
        long length = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
            .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElse(0);
        in.skipNBytes(length);
        respond(out, requestLine.length > 1 ? requestLine[0] : "", requestLine.length > 1 ? requestLine[1] : "");
      }
    } catch (IOException | RuntimeException e) {
      // the client went away
    }
  }

  /** A request's line and headers, or null at the end of the connection. */
  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) return head.toString(StandardCharsets.ISO_8859_1);
    }
    return null;
  }

  private static void respond(OutputStream out, String method, String path) throws IOException {
    String route = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    int status = 200;
    String type = "application/json";
    String body;
    if (!method.equals("GET") && !method.equals("HEAD")) {
      status = 404;
      body = notFound(path);
    } else if (route.equals("/_ping")) {
      type = "text/plain; charset=utf-8";
      body = "OK";
    } else if (route.equals("/containers/json")) {
      body = "[" + listed(SANDBOX) + "," + listed(OTHER) + "]";
    } else if (route.equals("/containers/" + SANDBOX + "/json") || route.equals("/containers/" + OTHER + "/json")) {
      body = inspect(route.equals("/containers/" + SANDBOX + "/json") ? SANDBOX : OTHER);
    } else if (route.equals("/networks")) {
      body = "[" + network() + "]";
    } else if (route.equals("/networks/" + NETWORK)) {
      body = network();
    } else if (route.equals("/info")) {
      body = INFO;
    } else if (route.equals("/version")) {
      body = VERSION;
    } else {
      status = 404;
      body = notFound(path);
    }
    byte[] bytes = (body + (type.startsWith("application/json") ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
    StringBuilder response = new StringBuilder("HTTP/1.1 " + status + (status == 200 ? " OK" : " Not Found") + "\r\n")
        .append("Api-Version: 1.41\r\nContent-Type: ").append(type).append("\r\nDocker-Experimental: false\r\nOstype: linux\r\n")
        .append("Server: Docker/20.10.24+dfsg1 (linux)\r\nDate: Mon, 30 Nov 2026 00:00:00 GMT\r\n");
    boolean chunked = bytes.length > CHUNKED_ABOVE;
    response.append(chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + bytes.length + "\r\n\r\n");
    out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (method.equals("HEAD")) {
      out.flush();
      return;
    }
    if (chunked) {
      out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    } else {
      out.write(bytes);
    }
    out.flush();
  }

  private static String notFound(String path) {
    return "{\"message\":\"page not found: " + path.replace("\"", "") + "\"}";
  }

  private static String name(String id) { return id.equals(SANDBOX) ? "training-sandbox" : "training-other"; }

  private static String labels(String id) {
    return id.equals(SANDBOX) ? "{\"openclaw.sandbox\":\"1\",\"training\":\"1\"}" : "{\"com.example.app\":\"web\"}";
  }

  private static String listed(String id) {
    return """
        {"Id":"%1$s","Names":["/%2$s"],"Image":"training/%2$s:1","ImageID":"sha256:%3$s","Command":"sleep infinity",\
        "Created":1796000000,"Ports":[],"Labels":%4$s,"State":"running","Status":"Up 5 minutes",\
        "HostConfig":{"NetworkMode":"%5$s"},"NetworkSettings":{"Networks":{"%5$s":{"NetworkID":"%6$s"}}},"Mounts":[]}"""
        .formatted(id, name(id), NETWORK, labels(id), id.equals(SANDBOX) ? "bridge" : "training-net", NETWORK);
  }

  /** A sandbox that breaks every rule it can (privileged, no limits, a capability added) and a plainer other container. */
  private static String inspect(String id) {
    boolean sandbox = id.equals(SANDBOX);
    return """
        {"Id":"%1$s","Created":"2026-11-30T00:00:00.000000000Z","Path":"sleep","Args":["infinity"],\
        "State":{"Status":"running","Running":true,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":4242,\
        "ExitCode":0,"Error":"","StartedAt":"2026-11-30T00:00:01.000000000Z","FinishedAt":"0001-01-01T00:00:00Z"},\
        "Image":"sha256:%3$s","ResolvConfPath":"","HostnamePath":"","HostsPath":"","LogPath":"","Name":"/%2$s","RestartCount":0,\
        "Driver":"overlay2","Platform":"linux","MountLabel":"","ProcessLabel":"","AppArmorProfile":"","ExecIDs":null,\
        "HostConfig":{"Binds":%4$s,"ContainerIDFile":"","LogConfig":{"Type":"json-file","Config":{}},"NetworkMode":"%5$s",\
        "PortBindings":%6$s,"RestartPolicy":{"Name":"%7$s","MaximumRetryCount":0},"AutoRemove":false,"VolumeDriver":"",\
        "VolumesFrom":null,"CapAdd":%8$s,"CapDrop":%9$s,"CgroupnsMode":"private","Dns":[],"DnsOptions":[],"DnsSearch":[],\
        "ExtraHosts":null,"GroupAdd":null,"IpcMode":"private","Cgroup":"","Links":null,"OomScoreAdj":0,"PidMode":"%10$s",\
        "Privileged":%11$s,"PublishAllPorts":false,"ReadonlyRootfs":%12$s,"SecurityOpt":%13$s,"Tmpfs":%14$s,"UTSMode":"",\
        "UsernsMode":"","ShmSize":67108864,"Runtime":"runc","ConsoleSize":[0,0],"Isolation":"","CpuShares":0,"Memory":%15$d,\
        "NanoCpus":%16$d,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":null,\
        "BlkioDeviceWriteBps":null,"BlkioDeviceReadIOps":null,"BlkioDeviceWriteIOps":null,"CpuPeriod":0,"CpuQuota":0,\
        "CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],"DeviceCgroupRules":null,\
        "DeviceRequests":null,"KernelMemory":0,"KernelMemoryTCP":0,"MemoryReservation":0,"MemorySwap":%17$d,\
        "MemorySwappiness":null,"OomKillDisable":false,"PidsLimit":%18$s,"Ulimits":null,"CpuCount":0,"CpuPercent":0,\
        "IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":["/proc/asound","/proc/acpi","/proc/kcore"],\
        "ReadonlyPaths":["/proc/bus","/proc/fs","/proc/irq","/proc/sys","/proc/sysrq-trigger"],"Init":%19$s},\
        "GraphDriver":{"Data":null,"Name":"overlay2"},"Mounts":%20$s,\
        "Config":{"Hostname":"%21$s","Domainname":"","User":"%22$s","AttachStdin":false,"AttachStdout":false,\
        "AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",\
        "TZ=UTC"%23$s],"Cmd":["sleep","infinity"],"Image":"training/%2$s:1","Volumes":null,"WorkingDir":"/","Entrypoint":null,\
        "OnBuild":null,"Labels":%24$s},\
        "NetworkSettings":{"Bridge":"","SandboxID":"","HairpinMode":false,"LinkLocalIPv6Address":"","LinkLocalIPv6PrefixLen":0,\
        "Ports":{},"SandboxKey":"","SecondaryIPAddresses":null,"SecondaryIPv6Addresses":null,"EndpointID":"","Gateway":"",\
        "GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,"IPAddress":"","IPPrefixLen":0,"IPv6Gateway":"","MacAddress":"",\
        "Networks":{"%5$s":{"IPAMConfig":null,"Links":null,"Aliases":%25$s,"NetworkID":"%3$s","EndpointID":"","Gateway":"172.30.0.1",\
        "IPAddress":"172.30.0.2","IPPrefixLen":16,"IPv6Gateway":"","GlobalIPv6Address":"","GlobalIPv6PrefixLen":0,\
        "MacAddress":"02:42:ac:1e:00:02","DriverOpts":null}}}}"""
        .formatted(id, name(id), NETWORK,
            sandbox ? "[\"/var/run/docker.sock:/var/run/docker.sock\",\"/srv/work:/workspace:rw\"]" : "null",
            sandbox ? "bridge" : "training-net",
            sandbox ? "{\"8080/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]}" : "{}",
            sandbox ? "no" : "unless-stopped",
            sandbox ? "[\"NET_ADMIN\",\"SYS_ADMIN\"]" : "null",
            sandbox ? "null" : "[\"ALL\"]",
            sandbox ? "host" : "",
            sandbox,
            !sandbox,
            sandbox ? "null" : "[\"no-new-privileges\"]",
            sandbox ? "null" : "{\"/tmp\":\"rw,noexec,nosuid,size=64m\"}",
            sandbox ? 0L : 268435456L,
            sandbox ? 0L : 500000000L,
            sandbox ? 0L : 268435456L,
            sandbox ? "null" : "128",
            !sandbox,
            sandbox ? "[{\"Type\":\"bind\",\"Source\":\"/var/run/docker.sock\",\"Destination\":\"/var/run/docker.sock\",\"Mode\":\"\",\"RW\":true,\"Propagation\":\"rprivate\"}]"
                : "[{\"Type\":\"volume\",\"Name\":\"training-data\",\"Source\":\"/var/lib/docker/volumes/training-data/_data\",\"Destination\":\"/data\",\"Driver\":\"local\",\"Mode\":\"z\",\"RW\":true,\"Propagation\":\"\"}]",
            id.substring(0, 12),
            sandbox ? "" : "1000:1000",
            sandbox ? ",\"OPENAI_API_KEY=sk-training0000000000000000000000000000\"" : "",
            labels(id),
            sandbox ? "null" : "[\"web\"]");
  }

  private static String network() {
    return """
        {"Name":"training-net","Id":"%1$s","Created":"2026-11-30T00:00:00.000000000Z","Scope":"local","Driver":"bridge",\
        "EnableIPv6":false,"IPAM":{"Driver":"default","Options":null,"Config":[{"Subnet":"172.30.0.0/16","Gateway":"172.30.0.1"}]},\
        "Internal":false,"Attachable":false,"Ingress":false,"ConfigFrom":{"Network":""},"ConfigOnly":false,\
        "Containers":{"%2$s":{"Name":"training-other","EndpointID":"","MacAddress":"02:42:ac:1e:00:02","IPv4Address":"172.30.0.2/16","IPv6Address":""}},\
        "Options":{"com.docker.network.bridge.enable_icc":"true"},"Labels":{}}"""
        .formatted(NETWORK, OTHER);
  }

  private static final String INFO = """
      {"ID":"TRAINING","Containers":2,"ContainersRunning":2,"ContainersPaused":0,"ContainersStopped":0,"Images":2,\
      "Driver":"overlay2","DriverStatus":[["Backing Filesystem","extfs"]],"Plugins":{"Volume":["local"],\
      "Network":["bridge","host","ipvlan","macvlan","null","overlay"],"Authorization":null,"Log":["json-file","local"]},\
      "MemoryLimit":true,"SwapLimit":true,"KernelMemory":false,"KernelMemoryTCP":false,"CpuCfsPeriod":true,"CpuCfsQuota":true,\
      "CPUShares":true,"CPUSet":true,"PidsLimit":true,"IPv4Forwarding":true,"BridgeNfIptables":true,"BridgeNfIp6tables":true,\
      "Debug":false,"NFd":30,"OomKillDisable":false,"NGoroutines":40,"SystemTime":"2026-11-30T00:05:00.000000000Z",\
      "LoggingDriver":"json-file","CgroupDriver":"systemd","CgroupVersion":"2","NEventsListener":0,"KernelVersion":"6.1.0",\
      "OperatingSystem":"Debian GNU/Linux 12 (bookworm)","OSVersion":"12","OSType":"linux","Architecture":"x86_64",\
      "IndexServerAddress":"https://index.docker.io/v1/","RegistryConfig":null,"NCPU":2,"MemTotal":25276792832,\
      "GenericResources":null,"DockerRootDir":"/var/lib/docker","HttpProxy":"","HttpsProxy":"","NoProxy":"","Name":"training",\
      "Labels":[],"ExperimentalBuild":false,"ServerVersion":"20.10.24+dfsg1","Runtimes":{"runc":{"path":"runc"}},\
      "DefaultRuntime":"runc","Swarm":{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,\
      "Error":"","RemoteManagers":null},"LiveRestoreEnabled":false,"Isolation":"","InitBinary":"docker-init",\
      "SecurityOptions":["name=apparmor","name=seccomp,profile=default","name=cgroupns"],"Warnings":null}""";

  private static final String VERSION = """
      {"Platform":{"Name":""},"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84",\
      "GoVersion":"go1.19.8","Os":"linux","Arch":"amd64","KernelVersion":"6.1.0","BuildTime":"2026-11-30T00:00:00.000000000+00:00"}""";

  @Override
  public void close() throws IOException {
    server.close();
  }
}
