package io.openclaw.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainRulesTest {
  private static final String LABEL_63 = "a".repeat(63);
  private static final String LABEL_64 = "a".repeat(64);
  /** 63 + 1 + 63 + 1 + 63 + 1 + 57 + 4 = 253 characters, every label legal. */
  private static final String NAME_253 = LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "b".repeat(57) + ".com";
  private static final String NAME_254 = LABEL_63 + "." + LABEL_63 + "." + LABEL_63 + "." + "b".repeat(58) + ".com";

  @ParameterizedTest(name = "{0} is accepted")
  @ValueSource(strings = {
      "api.openai.com", "openai.com", "*.openai.com", "*.anthropic.com", "a-b.example.com", "x1.example.com",
      "*.example.co.uk", "*.example.github.io", "api.github.io", "xn--bcher-kva.example.com", "localhost"})
  void acceptsPlainHostnamesAndLeadingWildcardsOverRegisteredDomains(String domain) {
    assertThat(DomainRules.check(domain)).isEmpty();
  }

  @Test
  void acceptsA63CharacterLabelAndA253CharacterName() {
    assertThat(NAME_253).hasSize(253);
    assertThat(DomainRules.check(LABEL_63 + ".example.com")).isEmpty();
    assertThat(DomainRules.check(NAME_253)).isEmpty();
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("*", DomainRules.BARE_WILDCARD),
        Arguments.of("*.com", "*.com is a wildcard over the public suffix .com: anyone can register a name under it;"
            + " list the registered domain instead (like *.example.com)"),
        Arguments.of("*.co.uk", "*.co.uk is a wildcard over the public suffix .co.uk: anyone can register a name under it;"
            + " list the registered domain instead (like *.example.co.uk)"),
        // github.io is in the list's private section: anyone can have a name under it too.
        Arguments.of("*.github.io", "*.github.io is a wildcard over the public suffix .github.io: anyone can register a name under"
            + " it; list the registered domain instead (like *.example.github.io)"),
        Arguments.of("*.s3.amazonaws.com", "*.s3.amazonaws.com is a wildcard over the public suffix .s3.amazonaws.com: anyone can"
            + " register a name under it; list the registered domain instead (like *.example.s3.amazonaws.com)"),
        Arguments.of("https://api.openai.com", DomainRules.SCHEME),
        Arguments.of("https://api.openai.com/v1", DomainRules.SCHEME),
        Arguments.of("api.openai.com:443", DomainRules.PORT),
        Arguments.of("api.openai.com/v1", DomainRules.PATH),
        Arguments.of("a.*.openai.com", DomainRules.INNER_WILDCARD),
        Arguments.of("*.*.openai.com", DomainRules.INNER_WILDCARD),
        Arguments.of("*openai.com", DomainRules.INNER_WILDCARD),
        Arguments.of("api.openai.*", DomainRules.INNER_WILDCARD),
        Arguments.of("API.OpenAI.com", DomainRules.UPPERCASE),
        Arguments.of("*.OpenAI.com", DomainRules.UPPERCASE),
        Arguments.of("-api.openai.com", DomainRules.NOT_HOSTNAME),
        Arguments.of("api-.openai.com", DomainRules.NOT_HOSTNAME),
        Arguments.of(LABEL_64 + ".example.com", DomainRules.NOT_HOSTNAME),
        Arguments.of(NAME_254, DomainRules.TOO_LONG),
        Arguments.of("", DomainRules.NOT_HOSTNAME),
        Arguments.of("api..openai.com", DomainRules.NOT_HOSTNAME),
        Arguments.of("api.openai.com.", DomainRules.NOT_HOSTNAME),
        Arguments.of("api_openai.com", DomainRules.NOT_HOSTNAME),
        Arguments.of(" api.openai.com", DomainRules.NOT_HOSTNAME),
        Arguments.of("*.", DomainRules.NOT_HOSTNAME));
  }

  @ParameterizedTest(name = "{0} is rejected")
  @MethodSource("rejected")
  void rejectsEachBadEntryWithTheMessageOfTheFirstRuleItBreaks(String domain, String message) {
    assertThat(DomainRules.check(domain)).contains(message);
  }

  @Test
  void rejectsAMissingEntryAsNoHostname() {
    assertThat(DomainRules.check(null)).contains(DomainRules.NOT_HOSTNAME);
  }

  @Test
  void reportsEveryLaterRepetitionOfAnEntryAsListedTwice() {
    List<DomainRules.Finding> findings = DomainRules.checkAll(List.of("a.example.com", "b.example.com", "a.example.com", "a.example.com"));

    assertThat(findings).containsExactly(new DomainRules.Finding(2, DomainRules.DUPLICATE), new DomainRules.Finding(3, DomainRules.DUPLICATE));
  }

  @Test
  void reportsARepeatedBadEntryForWhatIsWrongWithItNotAsADuplicate() {
    assertThat(DomainRules.checkAll(List.of("*", "*.openai.com", "*")))
        .containsExactly(new DomainRules.Finding(0, DomainRules.BARE_WILDCARD), new DomainRules.Finding(2, DomainRules.BARE_WILDCARD));
  }

  @Test
  void reportsEachBadEntryOfAListAtItsIndex() {
    assertThat(DomainRules.checkAll(List.of("api.openai.com", "api.openai.com:443", "*.anthropic.com", "*.com")))
        .extracting(DomainRules.Finding::index).containsExactly(1, 3);
  }

  @Test
  void warnsAboveTenDomainsButNotAtTen() {
    List<String> ten = IntStream.rangeClosed(1, 10).mapToObj(i -> "api" + i + ".example.com").toList();
    List<String> eleven = new ArrayList<>(ten);
    eleven.add("api11.example.com");

    assertThat(DomainRules.sizeWarning(ten)).isEmpty();
    assertThat(DomainRules.sizeWarning(eleven))
        .contains("11 domains allowed; every domain is an exfiltration channel, keep the list short (10 or fewer)");
    assertThat(DomainRules.checkAll(eleven)).as("a long list is a warning, not an error").isEmpty();
  }

  @Test
  void allowsMatchesAsSmokescreenDoesAnExactNameOrEveryNameBelowAWildcard() {
    List<String> rules = List.of("*.openai.com", "wttr.in");

    assertThat(DomainRules.allows(rules, "api.openai.com")).isTrue();
    assertThat(DomainRules.allows(rules, "a.b.openai.com")).isTrue();
    assertThat(DomainRules.allows(rules, "API.OpenAI.com.")).as("case and a trailing dot do not matter").isTrue();
    assertThat(DomainRules.allows(rules, "wttr.in")).isTrue();
    assertThat(DomainRules.allows(rules, "openai.com")).as("*. is below the name, not the name").isFalse();
    assertThat(DomainRules.allows(rules, "evilopenai.com")).isFalse();
    assertThat(DomainRules.allows(rules, "v2.wttr.in")).as("an exact rule is exact").isFalse();
    assertThat(DomainRules.allows(rules, "openai.com.evil.net")).isFalse();
  }
}
