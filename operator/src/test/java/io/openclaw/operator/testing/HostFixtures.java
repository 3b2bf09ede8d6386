package io.openclaw.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Docker hosts' root filesystems as the host checks read them, written into a directory: the files of sshd, UFW,
 * fail2ban and Docker, and the /proc entries of the processes that run (dockerd, fail2ban-server).
 */
public final class HostFixtures {
  private HostFixtures() {}

  public static void write(Path root, Map<String, String> files) throws IOException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = root.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
  }

  /** A hardened host: SSH on 2222 for deploy only, UFW letting in 2222 and 443 from Cloudflare, fail2ban with its sshd jail, the seed's daemon.json. */
  public static void hardened(Path hardened) throws IOException {
    write(hardened, Map.ofEntries(
        Map.entry("etc/ssh/sshd_config", """
            Include /etc/ssh/sshd_config.d/*.conf
            Port 2222
            PermitRootLogin no
            PasswordAuthentication no
            AllowTcpForwarding no
            AllowAgentForwarding no
            AllowStreamLocalForwarding no
            X11Forwarding no
            Match User backup
              AllowTcpForwarding yes
            """),
        Map.entry("etc/ssh/sshd_config.d/10-users.conf", "AllowUsers deploy@203.0.113.0/24\n"),
        Map.entry("etc/ufw/ufw.conf", "# /etc/ufw/ufw.conf\nENABLED=yes\nLOGLEVEL=low\n"),
        Map.entry("etc/default/ufw", "IPV6=yes\nDEFAULT_INPUT_POLICY=\"DROP\"\nDEFAULT_OUTPUT_POLICY=\"ACCEPT\"\n"),
        Map.entry("etc/ufw/user.rules", """
            *filter
            ### RULES ###

            ### tuple ### allow tcp 2222 0.0.0.0/0 any 0.0.0.0/0 in
            -A ufw-user-input -p tcp --dport 2222 -j ACCEPT

            ### tuple ### allow tcp 443 0.0.0.0/0 any 173.245.48.0/20 in comment=636c6f7564666c617265
            -A ufw-user-input -p tcp --dport 443 -s 173.245.48.0/20 -j ACCEPT

            ### tuple ### allow tcp 443 0.0.0.0/0 any 104.16.0.0/13 in
            -A ufw-user-input -p tcp --dport 443 -s 104.16.0.0/13 -j ACCEPT

            ### tuple ### deny tcp 25 0.0.0.0/0 any 0.0.0.0/0 out
            -A ufw-user-output -p tcp --dport 25 -j DROP

            ### END RULES ###
            """),
        Map.entry("etc/ufw/user6.rules", """
            ### tuple ### allow tcp 2222 ::/0 any ::/0 in
            ### tuple ### allow tcp 443 ::/0 any 2400:cb00::/32 in
            """),
        Map.entry("etc/fail2ban/jail.conf", "[DEFAULT]\nbantime = 10m\n\n[sshd]\nport = ssh\nlogpath = %(sshd_log)s\n"),
        Map.entry("etc/fail2ban/jail.d/defaults-debian.conf", "[sshd]\nenabled = true\n"),
        Map.entry("etc/fail2ban/jail.local", "[sshd]\nport = 2222\n"),
        Map.entry("usr/bin/fail2ban-server", "#!/usr/bin/python3\n"),
        Map.entry("proc/812/comm", "fail2ban-server\n"),
        Map.entry("proc/812/cmdline", "/usr/bin/python3\0/usr/bin/fail2ban-server\0-xf\0start\0"),
        Map.entry("proc/700/comm", "dockerd\n"),
        Map.entry("proc/700/cmdline", "/usr/sbin/dockerd\0-H\0fd://\0--containerd=/run/containerd/containerd.sock\0"),
        Map.entry("etc/docker/daemon.json", "{\"no-new-privileges\": true, \"icc\": false, \"live-restore\": true, \"userns-remap\": \"default\"}\n")));
  }

  /** A bare host: sshd's defaults, UFW off and open, no fail2ban, a daemon.json without the seed's settings. */
  public static void bare(Path bare) throws IOException {
    write(bare, Map.ofEntries(
        Map.entry("etc/ssh/sshd_config", "# Debian's defaults\nInclude /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\n"),
        Map.entry("etc/ufw/ufw.conf", "ENABLED=no\n"),
        Map.entry("etc/default/ufw", "DEFAULT_INPUT_POLICY=\"ACCEPT\"\n"),
        Map.entry("etc/ufw/user.rules", """
            ### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in
            ### tuple ### allow tcp 443 0.0.0.0/0 any 0.0.0.0/0 in
            ### tuple ### allow any 8080 0.0.0.0/0 any 0.0.0.0/0 in
            ### tuple ### allow tcp 6000:6007 0.0.0.0/0 any 10.0.0.0/8 in
            ### tuple ### route:allow tcp 80 0.0.0.0/0 any 0.0.0.0/0 in
            """),
        Map.entry("proc/700/comm", "dockerd\n"),
        Map.entry("proc/700/cmdline", "/usr/sbin/dockerd\0-H\0fd://\0"),
        Map.entry("etc/docker/daemon.json", "{\"log-driver\": \"journald\"}\n")));
  }
}
