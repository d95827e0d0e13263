/* `kensa case new|list|show|add|note|verdict|search|export`: the case store
 * from the command line, a thin layer over db/cases.h.  Each subcommand is
 * one function in the table below; every write is one transaction in the
 * store, so what a command reports as saved is saved. */
#include "checks/analyze.h"
#include "cases.h"
#include "cli/cli.h"
#include "core/i18n.h"
#include "core/error.h"
#include "core/digest.h"
#include "export/export.h"
#include "mail/mbox.h"
#include "core/sanitize.h"
#include "store.h"
#include "output/writers.h"

#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>


/* A stored string made safe for the terminal (the DB may be shared). */
static char *safe(const char *s)
{
	return ks_sanitize(s ? s : "", KS_SANITIZE_LINE, NULL);
}

ks_store *ks_cli_open_store(bool create)
{
	g_autofree char *path = ks_cli_store_location();
	GError *err = NULL;
	ks_store *s = create ? ks_store_open(path, &err) : ks_store_open_existing(path, &err);
	if (s) {
		g_autofree char *author = ks_cli_note_author();
		ks_store_set_author(s, author);
	} else {
		if (err) {
			ks_cli_error("database", err->message);
			g_error_free(err);
		} else {
			g_autofree char *why = g_strdup_printf(_("%s does not exist yet"), path);
			ks_cli_error("database", why);
		}
	}
	return s;
}


/* A case id from the command line: a positive integer. */
static bool parse_id(const char *s, int64_t *id)
{
	if (!s || !*s)
		return false;
	char *end = NULL;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return false;
	*id = v;
	return true;
}

/* Opens the store and checks that case id exists: the status to return
 * on failure, or KS_EXIT_OK. */
static int open_case(const char *arg, ks_store **s, int64_t *id, ks_case **c)
{
	if (!parse_id(arg, id)) {
		g_autofree char *why = g_strdup_printf(_("not a case id: %s"), arg ? arg : "(none)");
		ks_cli_error("case", why);
		return KS_EXIT_USAGE;
	}
	*s = ks_cli_open_store(true);
	if (!*s)
		return KS_EXIT_DB;
	GError *err = NULL;
	ks_case *found = ks_case_get(*s, *id, &err);
	if (!found) {
		ks_store_close(*s);
		*s = NULL;
		if (err)
			return ks_cli_db_error("case", err);
		g_autofree char *what = g_strdup_printf("case %s", arg);
		ks_cli_error(what, _("no such case (see kensa case list)"));
		return KS_EXIT_USAGE;
	}
	if (c)
		*c = found;
	else
		ks_case_free(found);
	return KS_EXIT_OK;
}

/* ---- the subcommands' tables (cli.h) ---- */

static const char *const export_formats[] = {"markdown", "html", "json", "stix", "misp", NULL};
static const char *const export_tlps[] = {"clear", "green", "amber", "red", NULL};
static const char *const redact_levels[] = {"partner", "public", NULL};
/* the options' values: a command runs once per process */
static int format_opt, tlp_opt = -1, redact_opt = -1, lang_opt = -1;
static const char *output_opt, *about_opt;

static const ks_cli_opt note_opts[] = {
	{.name = "--about", .arg = "WHERE", .text = &about_opt,
	 .help = N_("what the note is about: header:NAME, hop:N, part:PATH, finding:RULE, message:ID")},
	{0},
};
static const ks_cli_opt export_opts[] = {
	{.name = "--format", .choices = export_formats, .choice = &format_opt,
	 .help = N_("Markdown (default), HTML, case JSON, a STIX 2.1 bundle or a MISP event")},
	{.name = "--redact", .choices = redact_levels, .optional = true, .choice = &redact_opt,
	 .help = N_("mask the victims for a partner (default) or for the public")},
	{.name = "--tlp", .choices = export_tlps, .choice = &tlp_opt,
	 .help = N_("the Traffic Light Protocol marking the export carries")},
	{.name = "--output", .arg = "FILE", .text = &output_opt,
	 .help = N_("write FILE (mode 0600, whole or not at all) instead of standard output")},
	{.name = "--lang", .choices = ks_lang_choices, .choice = &lang_opt,
	 .help = N_("Markdown and HTML in English or in Japanese, as a J-CSIP case write-up "
	         "(default: the locale's); JSON, STIX and MISP are always English")},
	{0},
};
static const ks_cli_command new_cmd = {
	"case new", "TITLE", "", NULL, 1, -1, N_("missing TITLE"), NULL,
};
static const ks_cli_command list_cmd = {
	"case list", "", "", NULL, 0, 0, NULL, N_("takes no arguments"),
};
static const ks_cli_command show_cmd = {
	"case show", "ID", "", NULL, 1, 1, N_("takes one case ID"), N_("takes one case ID"),
};
static const ks_cli_command add_cmd = {
	"case add", "ID FILE...", "", NULL, 2, -1, N_("needs a case ID and a FILE"), NULL,
};
static const ks_cli_command note_cmd = {
	"case note", "ID TEXT|-", "", note_opts, 2, 2,
	N_("needs a case ID and TEXT (or - to read standard input)"),
	N_("one TEXT only (quote it, or use - to read standard input)"),
};
static const ks_cli_command verdict_cmd = {
	"case verdict", "ID VERDICT", "", NULL, 2, 2, N_("needs a case ID and a VERDICT"),
	N_("needs a case ID and a VERDICT only"),
};
static int yes_opt;
static const ks_cli_opt delete_opts[] = {
	{.name = "--yes", .choice = &yes_opt,
	 .help = N_("really delete: the case, its messages, findings, IOCs and notes")},
	{0},
};
static const ks_cli_command close_cmd = {
	"case close", "ID", "", NULL, 1, 1, N_("takes one case ID"), N_("takes one case ID"),
};
static const ks_cli_command reopen_cmd = {
	"case reopen", "ID", "", NULL, 1, 1, N_("takes one case ID"), N_("takes one case ID"),
};
static const ks_cli_command rename_cmd = {
	"case rename", "ID TITLE", "", NULL, 2, -1, N_("needs a case ID and a TITLE"), NULL,
};
static const ks_cli_command remove_cmd = {
	"case remove", "ID MESSAGE", "", NULL, 2, 2, N_("needs a case ID and a MESSAGE id"),
	N_("needs a case ID and a MESSAGE id only"),
};
static const ks_cli_command delete_cmd = {
	"case delete", "ID", "", delete_opts, 1, 1, N_("takes one case ID"), N_("takes one case ID"),
};
static const ks_cli_command search_cmd = {
	"case search", "QUERY", "", NULL, 1, -1, N_("missing QUERY"), NULL,
};
static const ks_cli_command export_cmd = {
	"case export", "ID", "", export_opts, 1, 1, N_("missing a case ID"), N_("one case ID only"),
};

char *ks_cli_case_title(const char *typed)
{
	if (!typed || !g_utf8_validate(typed, -1, NULL))
		return NULL;
	char *title = g_strstrip(g_strdup(typed));
	if (!*title)
		g_clear_pointer(&title, g_free);
	return title;
}

char *ks_cli_case_holdings(int messages, int notes)
{
	if (!messages && !notes)
		return g_strdup(_("no messages or notes"));
	g_autofree char *m = g_strdup_printf(P_("%d message", "%d messages", messages), messages);
	g_autofree char *n = g_strdup_printf(P_("%d note", "%d notes", notes), notes);
	/* TRANSLATORS: "2 messages, 1 note" */
	return g_strdup_printf(_("%s, %s"), m, n);
}

static int case_new(GPtrArray *operands)
{
	g_ptr_array_add(operands, NULL);
	g_autofree char *typed = g_strjoinv(" ", (char **)operands->pdata);
	g_autofree char *title = ks_cli_case_title(typed);
	if (!title) {
		ks_cli_error("case new", _("the TITLE is empty or not UTF-8"));
		return KS_EXIT_USAGE;
	}
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	int64_t id = 0;
	if (!ks_case_create(s, title, &id, &err))
		return ks_cli_db_error("case new", err);
	printf("%" G_GINT64_FORMAT "\n", id);
	return KS_EXIT_OK;
}

static int case_list(GPtrArray *operands)
{
	(void)operands;
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	g_autoptr(GPtrArray) cases = ks_case_list(s, &err);
	if (!cases)
		return ks_cli_db_error("case list", err);
	if (!cases->len) {
		puts(_("no cases yet (kensa case new TITLE)"));
		return KS_EXIT_OK;
	}
	printf("%5s  %-6s  %-10s  %-3s  %4s  %5s  %-20s  %s\n", "ID", "STATUS", "VERDICT", "BEC",
	       "MSGS", "NOTES", "UPDATED", "TITLE");
	for (guint i = 0; i < cases->len; i++) {
		const ks_case *c = g_ptr_array_index(cases, i);
		g_autofree char *title = safe(c->title);
		printf("%5" G_GINT64_FORMAT "  %-6s  %-10s  %3d  %4d  %5d  %-20s  %s\n", c->id,
		       c->status, c->verdict, c->bec_type, c->messages, c->notes, c->updated, title);
	}
	return KS_EXIT_OK;
}

static void print_message(ks_store *s, const ks_case_message *m)
{
	g_autofree char *subject = safe(m->subject ? m->subject : _("(no subject)"));
	g_autofree char *sender = safe(m->sender ? m->sender : _("(no sender)"));
	g_autofree char *path = safe(m->path);
	printf(_("  message %" PRId64 ": %s\n"), m->id, subject);
	printf(_("    from     %s\n"), sender);
	printf(_("    date     %s\n"), m->date ? m->date : _("(none)"));
	printf("    sha256   %s\n", m->sha256);
	printf(_("    added    %s from %s\n"), m->added, path);
	printf(_("    verdict  score %d, BEC type %d (%s), highest %s\n"), m->score, m->bec_type,
	       _(ks_bec_type_name(m->bec_type)), m->severity ? _(m->severity) : _("none"));
	g_autoptr(GPtrArray) findings = ks_case_findings(s, m->id, NULL);
	for (guint i = 0; findings && i < findings->len; i++) {
		const ks_case_finding *f = g_ptr_array_index(findings, i);
		g_autofree char *ev = safe(f->evidence);
		g_autofree char *loc = safe(f->location);
		printf("    %-6s  %-34s %s  [%s]\n", f->severity, f->rule, ev, loc);
	}
}

static int case_show(GPtrArray *operands)
{
	char **argv = (char **)operands->pdata;
	ks_store *s = NULL;
	int64_t id;
	g_autoptr(ks_case) c = NULL;
	int st = open_case(argv[0], &s, &id, &c);
	if (st)
		return st;
	g_autoptr(ks_store) store = s;
	GError *err = NULL;
	g_autoptr(GPtrArray) msgs = ks_case_messages(store, id, &err);
	g_autoptr(GPtrArray) notes = msgs ? ks_case_notes(store, id, &err) : NULL;
	g_autoptr(GPtrArray) iocs = notes ? ks_case_iocs(store, id, &err) : NULL;
	g_autoptr(GPtrArray) tags = iocs ? ks_case_tags(store, id, &err) : NULL;
	if (!tags)
		return ks_cli_db_error("case show", err);
	g_autofree char *title = safe(c->title);
	printf(_("case %" PRId64 ": %s\n"), c->id, title);
	printf(_("  status %s, verdict %s, BEC type %d (%s), TLP %s\n"), _(c->status), _(c->verdict),
	       c->bec_type, _(ks_bec_type_name(c->bec_type)), c->tlp);
	printf(_("  created %s, updated %s\n"), c->created, c->updated);
	if (tags->len) {
		g_ptr_array_add(tags, NULL);
		g_autofree char *joined = g_strjoinv(", ", (char **)tags->pdata);
		printf(_("  tags %s\n"), joined);
	}
	printf(_("\nmessages (%u)\n"), msgs->len);
	for (guint i = 0; i < msgs->len; i++)
		print_message(store, g_ptr_array_index(msgs, i));
	printf(_("\nnotes (%u)\n"), notes->len);
	for (guint i = 0; i < notes->len; i++) {
		const ks_case_note *n = g_ptr_array_index(notes, i);
		g_autofree char *author = safe(n->author);
		g_autofree char *about = safe(n->about);
		g_autofree char *text = ks_sanitize(n->text, KS_SANITIZE_MULTILINE, NULL);
		if (n->about)
			printf(_("  note %" PRId64 ", %s, %s, about %s:\n"), n->id, n->created, author, about);
		else
			printf(_("  note %" PRId64 ", %s, %s:\n"), n->id, n->created, author);
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
		for (char **l = lines; *l; l++)
			printf("    %s\n", *l);
	}
	g_autoptr(GPtrArray) history = ks_case_history(store, id, NULL);
	if (history && history->len) {
		printf(_("\nhistory (%u)\n"), history->len);
		for (guint i = 0; i < history->len; i++) {
			const ks_case_change *h = history->pdata[i];
			g_autofree char *who = safe(h->author);
			g_autofree char *was = ks_cli_change_value(h->field, h->old);
			g_autofree char *now = ks_cli_change_value(h->field, h->now);
			printf(_("  %s  %s  %s: %s → %s\n"), h->at, who, ks_cli_change_field(h->field),
			       was, now);
		}
	}
	printf(_("\niocs (%u, defanged)\n"), iocs->len);
	for (guint i = 0; i < iocs->len; i++) {
		const ks_case_ioc *o = g_ptr_array_index(iocs, i);
		ks_ioc_kind kind = KS_IOC_FILENAME;
		ks_ioc_kind_parse(o->kind, &kind);
		g_autofree char *d = ks_defang(o->value, kind);
		g_autofree char *v = safe(d);
		g_autofree char *by = o->judged_by ? safe(o->judged_by) : NULL;
		ks_ioc_role role = KS_IOC_ROLE_ATTACKER;
		ks_ioc_role_parse(o->role, &role);
		g_autoptr(GString) line = g_string_new(NULL);
		g_string_append_printf(line, "  %-12s  ", o->kind);
		ks_append_padded(line, ks_ioc_role_label(role), 8);
		g_string_append_printf(line, "  %s", v);
		if (by)
			g_string_append_printf(line, _("  (judged by %s)"), by);
		puts(line->str);
	}
	return KS_EXIT_OK;
}

/* Analyses one message and stores it; prints what happened. */
static int add_one(ks_store *s, int64_t id, GBytes *raw, const char *where, const char *format)
{
	g_autofree char *sha = ks_digest_sha256_bytes(raw);
	GError *err = NULL;
	bool dup = false;
	int64_t mid = 0;
	ks_report *added = NULL;
	if (!ks_cli_case_add_raw(s, id, raw, sha, where, format, &dup, &mid, &added, &err)) {
		if (err && err->domain == KS_ERROR && err->code == KS_ERROR_DB)
			return ks_cli_db_error("case add", err);
		ks_cli_error(where, err ? err->message : "not a message");
		g_clear_error(&err);
		return KS_EXIT_INPUT;
	}
	if (dup) {
		printf(_("%s: already in case %" PRId64 " as message %" PRId64 " (sha256 %s): nothing added\n"),
		       where, id, mid, sha);
		return KS_EXIT_OK;
	}
	g_autoptr(ks_report) r = added;
	g_autofree char *subject = safe(r->subject ? r->subject : _("(no subject)"));
	ks_severity max;
	bool any = ks_report_max_severity(r, &max);
	g_autofree char *w = safe(where);
	g_autofree char *count = g_strdup_printf(P_("%u finding", "%u findings", r->findings->len),
	                                         r->findings->len);
	if (any)
		printf(_("%s: added to case %" PRId64 " as message %" PRId64 ": %s (%s, highest %s)\n"),
		       w, id, mid, subject, count, ks_severity_label(max));
	else
		printf(_("%s: added to case %" PRId64 " as message %" PRId64 ": %s (%s)\n"), w, id, mid,
		       subject, count);
	/* the same mail reported twice is worth knowing: the cases may be one */
	g_autoptr(GArray) others = ks_case_others_holding(s, sha, id, NULL);
	if (others && others->len) {
		GString *list = g_string_new(NULL);
		for (guint i = 0; i < others->len; i++)
			g_string_append_printf(list, "%s%" G_GINT64_FORMAT, i ? ", " : "",
			                       g_array_index(others, gint64, i));
		printf(P_("%s: also in case %s\n", "%s: also in cases %s\n", others->len), w, list->str);
		g_string_free(list, TRUE);
	}
	return KS_EXIT_OK;
}

static int case_add(GPtrArray *operands)
{
	int argc = (int)operands->len;
	char **argv = (char **)operands->pdata;
	ks_store *s = NULL;
	int64_t id;
	int st = open_case(argv[0], &s, &id, NULL);
	if (st)
		return st;
	g_autoptr(ks_store) store = s;
	int status = KS_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		GError *err = NULL;
		ks_mailbox *mb = ks_mailbox_open(argv[i], &err);
		if (!mb) {
			ks_cli_error(argv[i], err->message);
			g_error_free(err);
			status = MAX(status, KS_EXIT_INPUT);
			continue;
		}
		char *where = NULL;
		GBytes *raw;
		int count = 0;
		while ((raw = ks_mailbox_next(mb, &where))) {
			count++;
			const char *problem = ks_mailbox_problem(mb);
			if (problem)
				ks_cli_error(where, problem);
			int one = problem ? KS_EXIT_INPUT
			                  : add_one(store, id, raw, where, ks_mailbox_format(mb));
			g_bytes_unref(raw);
			g_free(where);
			where = NULL;
			if (one == KS_EXIT_DB) {
				ks_mailbox_close(mb);
				return one;
			}
			status = MAX(status, one);
		}
		ks_mailbox_close(mb);
		if (!count) {
			ks_cli_error(argv[i], _("empty input: no message"));
			status = MAX(status, KS_EXIT_INPUT);
		}
	}
	return status;
}

/* Who the analyst is (a note's author, a change's in a case's history):
 * $KENSA_USER, else the config's "author", else $USER. */
char *ks_cli_note_author(void)
{
	const char *env = g_getenv("KENSA_USER");
	if (env && *env)
		return g_strdup(env);
	char *a = ks_config_get("author");
	if (a)
		return a;
	const char *user = g_getenv("USER");
	return g_strdup(user && *user ? user : g_get_user_name());
}

const char *ks_cli_change_field(const char *field)
{
	static const struct {
		const char *field, *label;
	} labels[] = {
		{"verdict", N_("verdict")},
		{"status", N_("status")},
		{"title", N_("title")},
		{"bec_type", N_("BEC type")},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(labels); i++)
		if (g_strcmp0(field, labels[i].field) == 0)
			return _(labels[i].label);
	return field ? field : "";
}

char *ks_cli_change_value(const char *field, const char *value)
{
	if (!value)
		return g_strdup("-");
	gint64 n;
	if (g_strcmp0(field, "bec_type") == 0 &&
	    g_ascii_string_to_signed(value, 10, 0, 5, &n, NULL))
		/* TRANSLATORS: a BEC type, its number and IPA's name for it */
		return g_strdup_printf(_("%d (%s)"), (int)n, _(ks_bec_type_name((int)n)));
	/* (never _(""): gettext gives the catalogue's header for it) */
	if (*value && (g_strcmp0(field, "verdict") == 0 || g_strcmp0(field, "status") == 0))
		value = _(value);
	return ks_sanitize(value, KS_SANITIZE_LINE, NULL);
}

char *ks_cli_by(const char *who)
{
	if (!who || !*who)
		return g_strdup("");
	g_autofree char *w = ks_sanitize(who, KS_SANITIZE_LINE, NULL);
	return g_strdup_printf(_("  (by %s)"), w);
}

static bool about_valid(const char *about)
{
	static const char *const prefixes[] = {"header:", "hop:", "part:", "finding:", "message:"};
	for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++)
		if (g_str_has_prefix(about, prefixes[i]) && about[strlen(prefixes[i])])
			return true;
	return false;
}

typedef struct {
	const char *path;
	bool found;
} part_search;

static bool find_part(ks_attachment *a, void *user)
{
	part_search *ps = user;
	ps->found = ps->found || (a->path && strcmp(a->path, ps->path) == 0);
	return !ps->found;
}

/* True when a message of the case has the place --about names: its id, a
 * header of that name, a hop of that number, a part of that path, a
 * finding of that rule. */
static bool about_in_report(const ks_case_message *m, const ks_report *r, const char *about)
{
	const char *v = strchr(about, ':') + 1;
	if (g_str_has_prefix(about, "message:"))
		return g_ascii_strtoll(v, NULL, 10) == m->id;
	if (g_str_has_prefix(about, "header:")) {
		for (guint i = 0; i < r->headers->len; i++)
			if (g_ascii_strcasecmp(((ks_header *)r->headers->pdata[i])->name, v) == 0)
				return true;
		return false;
	}
	if (g_str_has_prefix(about, "hop:")) {
		char *end = NULL;
		gint64 n = g_ascii_strtoll(v, &end, 10);
		for (guint i = 0; end && !*end && i < r->hops->len; i++)
			if (((ks_hop *)r->hops->pdata[i])->index == n)
				return true;
		return false;
	}
	if (g_str_has_prefix(about, "part:")) {
		part_search ps = {v, false};
		ks_report_walk_attachments((ks_report *)r, find_part, &ps);
		return ps.found;
	}
	for (guint i = 0; i < r->findings->len; i++) /* finding: */
		if (strcmp(ks_rule_id(((ks_finding *)r->findings->pdata[i])->rule), v) == 0)
			return true;
	return false;
}

/* Checks --about against the case's messages as analysed: 0 when one has
 * the place, else the status after saying why. */
static int check_about(ks_store *s, int64_t id, const char *about)
{
	GError *err = NULL;
	g_autoptr(GPtrArray) msgs = ks_case_messages(s, id, &err);
	if (!msgs)
		return ks_cli_db_error("case note", err);
	for (guint i = 0; i < msgs->len; i++) {
		const ks_case_message *m = msgs->pdata[i];
		g_autoptr(ks_report) r = m->report_json ? ks_report_from_json(m->report_json, NULL) : NULL;
		if (r && about_in_report(m, r, about))
			return KS_EXIT_OK;
	}
	g_autofree char *why = g_strdup_printf(_("--about %s: no message of case %" PRId64
	                                       " has it (see kensa case show %" PRId64 ")"),
	                                       about, id, id);
	ks_cli_error("case note", why);
	return KS_EXIT_USAGE;
}

static int case_note(GPtrArray *pos)
{
	const char *about = about_opt;
	if (about && !about_valid(about)) {
		ks_cli_error("case note",
		             _("--about takes header:NAME, hop:N, part:PATH, finding:RULE or message:ID"));
		return KS_EXIT_USAGE;
	}
	const char *arg = g_ptr_array_index(pos, 1);
	g_autofree char *text = NULL;
	if (strcmp(arg, "-") == 0) {
		GString *in = g_string_new(NULL);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
			g_string_append_len(in, buf, (gssize)n);
		if (ferror(stdin)) {
			g_string_free(in, TRUE);
			ks_cli_error("case note", _("cannot read standard input"));
			return KS_EXIT_INPUT;
		}
		text = g_string_free(in, FALSE);
	} else {
		text = g_strdup(arg);
	}
	/* trailing newlines of a here-document are not part of the note */
	g_strchomp(text);
	if (!*text || !g_utf8_validate(text, -1, NULL)) {
		ks_cli_error("case note", _("the note is empty or not UTF-8"));
		return KS_EXIT_USAGE;
	}
	ks_store *s = NULL;
	int64_t id;
	int st = open_case(g_ptr_array_index(pos, 0), &s, &id, NULL);
	if (st)
		return st;
	g_autoptr(ks_store) store = s;
	int bad = about ? check_about(store, id, about) : KS_EXIT_OK;
	if (bad)
		return bad;
	g_autofree char *author = ks_cli_note_author();
	GError *err = NULL;
	int64_t nid = 0;
	if (!ks_case_add_note(store, id, author, text, about, &nid, &err))
		return ks_cli_db_error("case note", err);
	printf(_("note %" PRId64 " saved to case %" PRId64 "\n"), nid, id);
	return KS_EXIT_OK;
}

static int case_verdict(GPtrArray *operands)
{
	char **argv = (char **)operands->pdata;
	if (!ks_case_verdict_valid(argv[1])) {
		g_autofree char *list = g_strjoinv(", ", (char **)ks_case_verdicts);
		g_autofree char *why = g_strdup_printf(_("VERDICT is one of %s"), list);
		ks_cli_error("case verdict", why);
		return KS_EXIT_USAGE;
	}
	ks_store *s = NULL;
	int64_t id;
	int st = open_case(argv[0], &s, &id, NULL);
	if (st)
		return st;
	g_autoptr(ks_store) store = s;
	GError *err = NULL;
	if (!ks_case_set_verdict(store, id, argv[1], &err))
		return ks_cli_db_error("case verdict", err);
	printf(_("case %" PRId64 ": verdict %s\n"), id, _(argv[1]));
	return KS_EXIT_OK;
}

static int case_search(GPtrArray *operands)
{
	g_ptr_array_add(operands, NULL);
	g_autofree char *query = g_strjoinv(" ", (char **)operands->pdata);
	if (!g_utf8_validate(query, -1, NULL)) {
		ks_cli_error("case search", _("QUERY is not UTF-8"));
		return KS_EXIT_USAGE;
	}
	g_autoptr(ks_store) s = ks_cli_open_store(true);
	if (!s)
		return KS_EXIT_DB;
	GError *err = NULL;
	g_autoptr(GPtrArray) hits = ks_store_search(s, query, &err);
	if (!hits)
		return ks_cli_db_error("case search", err);
	if (!hits->len) {
		puts(_("no match"));
		return KS_EXIT_OK;
	}
	for (guint i = 0; i < hits->len; i++) {
		const ks_search_hit *h = g_ptr_array_index(hits, i);
		g_autofree char *title = safe(h->title);
		g_autofree char *ex = safe(h->excerpt);
		if (g_strcmp0(h->kind, "case") == 0)
			printf("case %" G_GINT64_FORMAT "  title    %s\n", h->case_id, title);
		else
			printf("case %" G_GINT64_FORMAT "  %s %" G_GINT64_FORMAT "  %s  %s\n",
			       h->case_id, h->kind, h->ref, title, ex);
	}
	return KS_EXIT_OK;
}

static int case_export(GPtrArray *operands)
{
	const char *idarg = operands->pdata[0], *format = export_formats[format_opt];
	const char *tlp = tlp_opt >= 0 ? export_tlps[tlp_opt] : NULL, *output = output_opt;
	ks_redact_level redact = KS_REDACT_OFF;
	if (redact_opt >= 0 && !ks_redact_level_parse(redact_levels[redact_opt], &redact))
		redact = KS_REDACT_OFF;
	ks_export_format fmt;
	if (!ks_export_format_parse(format, &fmt)) {
		ks_cli_error("case export", _("--format takes markdown, html, json, stix or misp"));
		return KS_EXIT_USAGE;
	}
	if (tlp && !ks_export_tlp_valid(tlp)) {
		ks_cli_error("case export", _("--tlp takes clear, green, amber or red"));
		return KS_EXIT_USAGE;
	}
	/* what machines read stays English whatever the locale; a summary
	 * for people speaks the locale's language, or --lang's */
	bool for_people = fmt == KS_EXPORT_MARKDOWN || fmt == KS_EXPORT_HTML;
	int lang = for_people ? lang_opt : 0; /* -1: the locale's */
	g_autoptr(GError) lang_err = NULL;
	if (lang >= 0 && !ks_lang_set(lang, &lang_err)) {
		ks_cli_error("case export", lang_err->message);
		return KS_EXIT_USAGE;
	}
	ks_store *s = NULL;
	int64_t id;
	int st = open_case(idarg, &s, &id, NULL);
	if (st)
		return st;
	g_autoptr(ks_store) store = s;
	ks_export_options opt = {.format = fmt, .redact = redact, .tlp = tlp,
	                         .japanese = for_people && ks_lang_is_japanese()};
	GError *err = NULL;
	g_autofree char *text = ks_case_export(store, id, &opt, &err);
	if (!text)
		return ks_cli_db_error("case export", err);
	if (output) {
		/* written beside and renamed over: never a partial file */
		if (!g_file_set_contents_full(output, text, -1,
		                              G_FILE_SET_CONTENTS_CONSISTENT, 0600, &err)) {
			ks_cli_error(output, err->message);
			g_error_free(err);
			return KS_EXIT_INPUT;
		}
		return KS_EXIT_OK;
	}
	fputs(text, stdout);
	return ks_cli_stdout_done("case export", KS_EXIT_OK);
}

/* ---- the case's life: close, reopen, rename, remove a message, delete */

static int case_status(GPtrArray *operands, const char *status)
{
	ks_store *s = NULL;
	int64_t id;
	int st = open_case(operands->pdata[0], &s, &id, NULL);
	if (st)
		return st;
	g_autoptr(ks_store) store = s;
	GError *err = NULL;
	if (!ks_case_set_status(store, id, status, &err))
		return ks_cli_db_error("case", err);
	printf(_("case %" PRId64 ": %s\n"), id, _(status));
	return KS_EXIT_OK;
}

static int case_close(GPtrArray *operands)
{
	return case_status(operands, "closed");
}

static int case_reopen(GPtrArray *operands)
{
	return case_status(operands, "open");
}

static int case_rename(GPtrArray *operands)
{
	ks_store *s = NULL;
	int64_t id;
	int st = open_case(operands->pdata[0], &s, &id, NULL);
	if (st)
		return st;
	g_autoptr(ks_store) store = s;
	g_ptr_array_add(operands, NULL);
	g_autofree char *typed = g_strjoinv(" ", (char **)operands->pdata + 1);
	g_autofree char *title = ks_cli_case_title(typed);
	if (!title) {
		ks_cli_error("case rename", _("the TITLE is empty or not UTF-8"));
		return KS_EXIT_USAGE;
	}
	GError *err = NULL;
	if (!ks_case_rename(store, id, title, &err))
		return ks_cli_db_error("case rename", err);
	g_autofree char *shown = safe(title);
	printf(_("case %" PRId64 ": %s\n"), id, shown);
	return KS_EXIT_OK;
}

static int case_remove(GPtrArray *operands)
{
	ks_store *s = NULL;
	int64_t id, mid;
	int st = open_case(operands->pdata[0], &s, &id, NULL);
	if (st)
		return st;
	g_autoptr(ks_store) store = s;
	if (!parse_id(operands->pdata[1], &mid)) {
		ks_cli_error("case remove", _("MESSAGE is a message id (see kensa case show)"));
		return KS_EXIT_USAGE;
	}
	GError *err = NULL;
	bool removed = false;
	if (!ks_case_remove_message(store, id, mid, &removed, &err))
		return ks_cli_db_error("case remove", err);
	if (!removed) {
		g_autofree char *why = g_strdup_printf(
			_("case %" PRId64 " holds no message %" PRId64 " (see kensa case show %" PRId64 ")"),
			id, mid, id);
		ks_cli_error("case remove", why);
		return KS_EXIT_USAGE;
	}
	printf(_("case %" PRId64 ": message %" PRId64 " removed\n"), id, mid);
	return KS_EXIT_OK;
}

static int case_delete(GPtrArray *operands)
{
	ks_store *s = NULL;
	int64_t id;
	g_autoptr(ks_case) c = NULL;
	int st = open_case(operands->pdata[0], &s, &id, &c);
	if (st)
		return st;
	g_autoptr(ks_store) store = s;
	if (!yes_opt) {
		g_autofree char *holds = ks_cli_case_holdings(c->messages, c->notes);
		g_autofree char *why = g_strdup_printf(
			_("deleting case %" PRId64 " (%s) cannot be undone: add --yes"), id, holds);
		ks_cli_error("case delete", why);
		return KS_EXIT_USAGE;
	}
	GError *err = NULL;
	if (!ks_case_delete(store, id, &err))
		return ks_cli_db_error("case delete", err);
	printf(_("case %" PRId64 " deleted\n"), id);
	return KS_EXIT_OK;
}

static const ks_cli_sub subs[] = {
	{&new_cmd, case_new},       {&list_cmd, case_list},     {&show_cmd, case_show},
	{&add_cmd, case_add},       {&note_cmd, case_note},     {&verdict_cmd, case_verdict},
	{&search_cmd, case_search}, {&export_cmd, case_export}, {&close_cmd, case_close},
	{&reopen_cmd, case_reopen}, {&rename_cmd, case_rename}, {&remove_cmd, case_remove},
	{&delete_cmd, case_delete},
};

const ks_cli_family ks_cmd_case_family = {
	"case",
	"  new      create a case; prints its id alone on the first line\n"
	"  list     every case, most recently updated first\n"
	"  show     a case with its messages, findings, notes and IOCs\n"
	"  add      analyse a message (.eml, .msg, or each of an mbox) and store it with its\n"
	"           raw bytes; adding the same message twice is a no-op that says so\n"
	"  note     add a note (TEXT, or - to read it from standard input); --about names\n"
	"           what it is about: header:NAME, hop:N, part:PATH or finding:RULE\n"
	"  verdict  undecided, benign, spam, suspicious, phishing, malware, bec or malicious\n"
	"  search   cases, subjects, senders, bodies and notes holding every word of QUERY\n"
	"  export   markdown (default), html, json, stix (2.1 bundle) or misp (event JSON);\n"
	"           --redact masks the victims (recipients, protected domains and their\n"
	"           names, contacts, internal hosts) and keeps attacker indicators whole;\n"
	"           --redact public also masks the victim's name inside lookalike domains\n"
	"  close    mark a case closed (reopen: open again); rename gives it a new title\n"
	"  remove   take one message (by its id in case show) and what it raised out\n"
	"  delete   the case and everything it holds, with --yes\n"
	"  kensa case SUBCOMMAND --help shows one subcommand's options.\n"
	"  The database is $KENSA_DB, else the config's [db] url, else\n"
	"  ~/.local/share/kensa/kensa.db; postgresql://... is a team's PostgreSQL server.\n"
	"  Exit: 0 done, 2 usage or no such case, 3 unreadable input, 4 database error.\n",
	subs, G_N_ELEMENTS(subs),
};

int ks_cmd_case(int argc, char **argv)
{
	return ks_cli_run_family(&ks_cmd_case_family, argc, argv);
}
