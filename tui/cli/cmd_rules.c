/* `kensa rules [--markdown]`: the rule table, printed from rules.def (the
 * same list the analyzers use), so README's table can be checked against it. */
#include "cli/cli.h"
#include "core/report.h"

#include <stdio.h>
#include <string.h>

int ks_cmd_rules(int argc, char **argv)
{
	bool md = argc > 1 && strcmp(argv[1], "--markdown") == 0;
	if (argc > 1 && !md) {
		fputs("usage: kensa rules [--markdown]\n", strcmp(argv[1], "--help") == 0 ? stdout : stderr);
		return strcmp(argv[1], "--help") == 0 ? KS_EXIT_OK : KS_EXIT_USAGE;
	}
	if (md)
		puts("| rule id | default severity | fires when |\n|---|---|---|");
	for (int i = 0; i < KS_RULE_COUNT; i++) {
		if (md)
			printf("| `%s` | %s | %s |\n", ks_rule_id(i), ks_severity_name(ks_rule_severity(i)),
			       ks_rule_help(i));
		else
			printf("%-38s %-7s %s\n", ks_rule_id(i), ks_severity_name(ks_rule_severity(i)),
			       ks_rule_help(i));
	}
	return KS_EXIT_OK;
}
