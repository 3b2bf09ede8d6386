package io.openclaw.operator.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.psl.PublicSuffixMatcher;
import org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;

/**
 * The rules an EgressAllowlist domain must keep. The first five messages are also the CRD's CEL messages, so a
 * cluster and {@code validate} say the same thing; the public-suffix rule needs the list and runs here only.
 */
public final class DomainRules {
  public static final String BARE_WILDCARD = "a bare * would allow every domain; list the domains the stack needs";
  public static final String SCHEME = "a domain has no scheme: write the hostname only (api.openai.com, not https://api.openai.com)";
  // The CEL rules of a list of domains (domains, modelDomains), in check's order, each skipping the entries an earlier
  // one refuses: the server, like validate, names one problem per entry (https://x:1/ is a scheme problem only).
  public static final String CEL_BARE_WILDCARD = "self.all(d, d != '*')";
  public static final String CEL_SCHEME = "self.all(d, !d.contains('://'))";
  public static final String CEL_PATH = "self.all(d, d.contains('://') || !d.contains('/'))";
  public static final String CEL_PORT = "self.all(d, d.contains('/') || !d.contains(':'))";
  public static final String CEL_INNER_WILDCARD = "self.all(d, d == '*' || d.contains('/') || d.contains(':')"
      + " || (d.size() < 2 || !d.substring(1).contains('*')) && (!d.startsWith('*') || d.startsWith('*.')))";
  public static final String PATH = "a domain has no path: write the hostname only";
  public static final String PORT = "a domain has no port: the proxy allows HTTPS CONNECT to the hostname (write api.openai.com, not api.openai.com:443)";
  public static final String INNER_WILDCARD = "only a leading *. wildcard is allowed (like *.openai.com)";
  public static final String NOT_HOSTNAME =
      "not a valid hostname (RFC 1123: labels of letters, digits and hyphens, 1-63 characters, not starting or ending with a hyphen)";
  public static final String TOO_LONG = "a hostname is at most 253 characters";
  public static final String UPPERCASE = "hostnames are matched in lower case; write it in lower case";
  public static final String DUPLICATE = "listed twice";
  public static final int WARN_ABOVE = 10;

  private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");
  private static final PublicSuffixMatcher SUFFIXES = PublicSuffixMatcherLoader.getDefault();

  private DomainRules() {}

  /** The first rule this entry breaks, as a message, or empty when it is acceptable. */
  public static Optional<String> check(String domain) {
    if (domain == null || domain.isEmpty()) return Optional.of(NOT_HOSTNAME);
    if (domain.equals("*")) return Optional.of(BARE_WILDCARD);
    if (domain.contains("://")) return Optional.of(SCHEME);
    if (domain.contains("/")) return Optional.of(PATH);
    if (domain.contains(":")) return Optional.of(PORT);
    if (domain.length() > 1 && domain.substring(1).contains("*")) return Optional.of(INNER_WILDCARD);
    if (domain.startsWith("*") && !domain.startsWith("*.")) return Optional.of(INNER_WILDCARD);
    if (domain.length() > 253) return Optional.of(TOO_LONG);
    if (!domain.equals(domain.toLowerCase(Locale.ROOT))) return Optional.of(UPPERCASE);
    boolean wildcard = domain.startsWith("*.");
    String host = wildcard ? domain.substring(2) : domain;
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) return Optional.of(NOT_HOSTNAME);
    }
    if (wildcard && isPublicSuffix(host)) {
      return Optional.of("*." + host + " is a wildcard over the public suffix ." + host
          + ": anyone can register a name under it; list the registered domain instead (like *.example." + host + ")");
    }
    return Optional.empty();
  }

  /** Messages for the whole list: each bad entry once, each repeated entry once. */
  public static List<Finding> checkAll(List<String> domains) {
    List<Finding> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < domains.size(); i++) {
      String d = domains.get(i);
      Optional<String> problem = check(d);
      if (problem.isPresent()) out.add(new Finding(i, problem.get()));
      else if (!seen.add(d)) out.add(new Finding(i, DUPLICATE));
    }
    return out;
  }

  /** A list this long is still valid, but every domain is an exfiltration channel. */
  public static Optional<String> sizeWarning(List<String> domains) {
    return domains.size() > WARN_ABOVE
        ? Optional.of(domains.size() + " domains allowed; every domain is an exfiltration channel, keep the list short (10 or fewer)")
        : Optional.empty();
  }

  /** Allow ranges are Smokescreen's exception to its own SSRF defence: say so wherever the list is reported. */
  public static Optional<String> allowRangesWarning(List<String> allowRanges) {
    return allowRanges == null || allowRanges.isEmpty() ? Optional.empty()
        : Optional.of("allowRanges " + String.join(", ", allowRanges) + " are reachable through the proxy although private or denied"
            + " (they win over denyRanges and the private-range default): an allowed name that resolves there reaches them");
  }

  /**
   * Whether the egress proxy lets a hostname through these rules, matched as Smokescreen's HostMatchesGlob does: a rule
   * is an exact name, or a leading *. that matches every name below it but not the name itself; case-insensitive, a
   * trailing dot ignored.
   */
  public static boolean allows(Collection<String> rules, String host) {
    String h = trimDot(host.toLowerCase(Locale.ROOT));
    if (h.isEmpty()) return false;
    for (String rule : rules) {
      String r = trimDot(rule.toLowerCase(Locale.ROOT));
      if (r.startsWith("*.") ? h.endsWith(r.substring(1)) : h.equals(r)) return true;
    }
    return false;
  }

  private static String trimDot(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '.') end--;
    return s.substring(0, end);
  }

  static boolean isPublicSuffix(String host) {
    // getDomainRoot is null exactly when the name is itself a public suffix. A null type means rules of either section
    // (ICANN or private); DomainType.UNKNOWN would match no rule of the bundled list and miss co.uk or github.io.
    return SUFFIXES.getDomainRoot(host, null) == null;
  }

  public record Finding(int index, String message) {}
}
