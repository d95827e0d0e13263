/* `kensa rules [--markdown]`: the rule table, printed from rules.def (the
 * same list the analyzers use), so README's table can be checked against it. */
#include "cli/cli.h"
#include "core/report.h"

#include <stdio.h>
#include <string.h>

/* the options' values: a command runs once per process */
static int markdown = 0;
static const ks_cli_opt opts[] = {
	{.name = "--markdown", .choice = &markdown,
	 .help = "a Markdown table, as README's rule table"},
	{0},
};
const ks_cli_command ks_cmd_rules_table = {
	"rules", "",
	"  Every rule kensa raises: its id, its default severity and when it fires.\n",
	opts, 0, 0, NULL, "takes no operands",
};

int ks_cmd_rules(int argc, char **argv)
{
	g_autoptr(GPtrArray) operands = g_ptr_array_new();
	int parsed = ks_cli_parse(&ks_cmd_rules_table, argc - 1, argv + 1, operands);
	if (parsed != KS_CLI_GO)
		return parsed;
	bool md = markdown != 0;
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
