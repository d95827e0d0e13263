/* `kensa rules [--markdown] [--lang en|ja]`: the rule table, printed from
 * rules.def (the same list the analyzers use), so README's table can be
 * checked against it; the plain list speaks the analyst's language, the
 * Markdown table is README's and stays English. */
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/report.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

/* the options' values: a command runs once per process */
static int markdown = 0, lang = -1;
static const ks_cli_opt opts[] = {
	{.name = "--markdown", .choice = &markdown,
	 .help = N_("a Markdown table, as README's rule table (English)")},
	{.name = "--lang", .choices = ks_lang_choices, .choice = &lang,
	 .help = N_("the language of the list (default: the locale's)")},
	{0},
};
const ks_cli_command ks_cmd_rules_table = {
	"rules", "",
	N_("  Every rule kensa raises: its id, its default severity and when it fires.\n"),
	opts, 0, 0, NULL, N_("takes no operands"),
};

int ks_cmd_rules(int argc, char **argv)
{
	g_autoptr(GPtrArray) operands = g_ptr_array_new();
	int parsed = ks_cli_parse(&ks_cmd_rules_table, argc - 1, argv + 1, operands);
	if (parsed != KS_CLI_GO)
		return parsed;
	g_autoptr(GError) err = NULL;
	if (lang >= 0 && !ks_lang_set(lang, &err)) {
		ks_cli_error("rules", err->message);
		return KS_EXIT_USAGE;
	}
	bool md = markdown != 0;
	if (md)
		puts("| rule id | default severity | fires when |\n|---|---|---|");
	for (int i = 0; i < KS_RULE_COUNT; i++) {
		if (md)
			printf("| `%s` | %s | %s |\n", ks_rule_id(i), ks_severity_name(ks_rule_severity(i)),
			       ks_rule_help(i));
		else
			printf("%-38s %s%*s %s\n", ks_rule_id(i), ks_severity_label(ks_rule_severity(i)),
			       MAX(0, 7 - ks_text_width(ks_severity_label(ks_rule_severity(i)))), "",
			       ks_rule_title(i));
	}
	return KS_EXIT_OK;
}
