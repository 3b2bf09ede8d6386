package io.openclaw.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.openclaw.operator.testing.Health;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each status reason as the GitOps tools read it: the chart's Argo CD health check in Lua 5.1 (Argo CD's dialect) and
 * 5.4, and kstatus (Flux) on the very conditions the operator writes. Prints the table README "Status" shows.
 */
class StatusReasonsIT {
  @Test
  void argoCdAndKstatusReadEachReasonAsTheReadmeSays() throws Exception {
    long t = System.nanoTime();
    List<String> table = new ArrayList<>(List.of("| reason | Ready | Reconciling | Stalled | Argo CD (5.1 / 5.4) | kstatus | kstatus message |",
        "|---|---|---|---|---|---|---|"));
    for (StatusTable.Row row : StatusTable.rows()) {
      for (String kind : List.of("GatewayDeployment", "SandboxPolicy", "EgressAllowlist")) {
        var object = row.object(kind);
        String argo51 = Health.argoCd("5.1", object).lines().findFirst().orElse("");
        String argo54 = Health.argoCd("5.4", object).lines().findFirst().orElse("");
        JsonNode kstatus = Health.kstatus(object);
        assertThat(argo51).as("Argo CD (Lua 5.1) health of %s on a %s", row.label(), kind).isEqualTo(row.argoCd());
        assertThat(argo54).as("Argo CD (Lua 5.4) health of %s on a %s", row.label(), kind).isEqualTo(row.argoCd());
        assertThat(kstatus.path("status").asString()).as("kstatus of %s on a %s", row.label(), kind).isEqualTo(row.kstatus());
        if (kind.equals("GatewayDeployment")) {
          String[] cells = row.markdown().split(" \\| ");
          table.add("| " + row.label() + " | " + cells[1] + " | " + cells[2] + " | " + cells[3] + " | " + argo51 + " / " + argo54 + " | "
              + kstatus.path("status").asString() + " | " + kstatus.path("message").asString() + " |");
        }
      }
    }
    table.forEach(System.out::println);
    System.out.printf("%d reasons x 3 kinds through Lua 5.1, 5.4 and kstatus in %d ms%n", StatusTable.rows().size(),
        (System.nanoTime() - t) / 1_000_000);
  }
}
