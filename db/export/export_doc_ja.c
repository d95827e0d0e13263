/* The case summary in Japanese, in the shape of a J-CSIP case write-up
 * (IPA's quarterly reports on targeted attack mail and BEC): 概要, what
 * happened in three lines; 攻撃の流れ, the timeline; 手口の特徴, the
 * findings grouped by technique; 検知・判断のポイント, what gave it away;
 * 推奨される対策; 指標情報, the IOCs; then the notes and each message in
 * detail.  The techniques and the rules they hold are data
 * (analyzers/data/report_techniques.txt); their names and measures are
 * messages, written here in English and translated in po/ja.po.  Only the
 * layout lives here: the back ends and the pieces it shares with the
 * English summary are export_doc.c's (doc.h). */
#include "export/doc.h"

#include "checks/auth.h"
#include "core/data.h"
#include "core/i18n.h"
#include "output/writers.h"

#include <inttypes.h>
#include <string.h>

/* A technique: its key in report_techniques.txt, its name, what to do. */
typedef struct {
	const char *key, *name, *measure;
} technique;

static const technique techniques[] = {
	{"impersonation", N_("Impersonation"),
	 N_("Confirm the sender through a channel other than mail that you already know "
	    "(a telephone number on file). Check the DMARC result of received mail, and ask "
	    "partners to publish a DMARC policy of quarantine or reject.")},
	{"lookalike", N_("Lookalike domains"),
	 N_("Block or watch the lookalike domains at the mail gateway, and tell the partner "
	    "whose name they imitate.")},
	{"ceo_fraud", N_("Impersonation of an executive (CEO fraud)"),
	 N_("Confirm a confidential request from an executive or a lawyer with that person, "
	    "through the company's known channels, before acting on it.")},
	{"payment", N_("Change of bank account"),
	 N_("Confirm any change of the account to pay with the partner through a contact "
	    "known before the mail, and send no money until it is confirmed.")},
	{"information_theft", N_("Information theft"),
	 N_("Confirm a request for employee or customer lists with the requester, following "
	    "the company's rules for such data.")},
	{"forged_document", N_("Forged documents (invoices and the like)"),
	 N_("Compare the attached invoice (account, amount) with earlier genuine invoices and "
	    "with the partner.")},
	{"thread_hijack", N_("A reply that is not one (thread hijacking)"),
	 N_("Even when a mail quotes earlier correspondence, check that the sender's address "
	    "and domain are the ones used before.")},
	{"phishing", N_("Phishing"),
	 N_("Enter no ID or password on a page a mail links to. Whoever did should change "
	    "the password and check the account's sign-in history.")},
	{"links", N_("Suspicious links"),
	 N_("Block the linked domains and URLs at the proxy and DNS, and look in their logs "
	    "for machines that reached them.")},
	{"malware", N_("Malicious attachments"),
	 N_("Do not open the attachment. Search EDR and the sandbox for its hash values, and "
	    "look for machines that opened it.")},
	{"evasion", N_("Evading detection"),
	 N_("Read a mail with disguised characters or hidden text in its source, not as it is "
	    "shown.")},
	{"other", N_("Other"), NULL},
};

/* The technique of a rule: the first line of the data that names it or its
 * family; "other" when none does. */
static const technique *technique_of(ks_rule rule)
{
	const char *id = ks_rule_id(rule);
	const GPtrArray *lines = ks_data_lines("report_techniques.txt");
	for (guint i = 0; lines && i < lines->len; i++) {
		g_auto(GStrv) words = g_strsplit_set(g_ptr_array_index(lines, i), " \t", -1);
		for (guint w = 1; words[0] && words[w]; w++) {
			const char *r = words[w];
			size_t n = strlen(r);
			bool family = n && r[n - 1] == '.';
			if (n && (family ? strncmp(id, r, n) == 0 : strcmp(id, r) == 0)) {
				for (size_t t = 0; t < G_N_ELEMENTS(techniques); t++)
					if (strcmp(techniques[t].key, words[0]) == 0)
						return &techniques[t];
			}
		}
	}
	return &techniques[G_N_ELEMENTS(techniques) - 1];
}

/* One finding of one message, as the report lists it. */
typedef struct {
	const ks_finding *f;
	int64_t message;
} found;

/* Every finding of the case's readable messages, highest severity first,
 * those a carrier repeats from a message it carries left out. */
static GArray *all_findings(const ks_export_data *x)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(found));
	for (int sev = KS_SEV_HIGH; sev >= KS_SEV_INFO; sev--)
		for (guint i = 0; i < x->messages->len; i++) {
			const ks_case_message *m = g_ptr_array_index(x->messages, i);
			const ks_report *r = g_ptr_array_index(x->reports, i);
			for (guint k = 0; r && k < r->findings->len; k++) {
				const ks_finding *f = g_ptr_array_index(r->findings, k);
				if ((int)f->severity != sev || ks_doc_repeated_from_inner(r, f))
					continue;
				found e = {f, m->id};
				g_array_append_val(out, e);
			}
		}
	return out;
}

static const ks_report *first_report(const ks_export_data *x, const ks_case_message **m)
{
	for (guint i = 0; i < x->messages->len; i++) {
		const ks_report *r = g_ptr_array_index(x->reports, i);
		if (r) {
			*m = g_ptr_array_index(x->messages, i);
			return r;
		}
	}
	return NULL;
}

/* The techniques present, in the data's order, as a "、"-joined list. */
static char *technique_list(const GArray *fs, bool with_other)
{
	GString *s = g_string_new(NULL);
	for (size_t t = 0; t < G_N_ELEMENTS(techniques); t++) {
		if (!with_other && !techniques[t].measure)
			continue;
		for (guint i = 0; i < fs->len; i++) {
			const found *e = &g_array_index(fs, found, i);
			if (technique_of(e->f->rule) == &techniques[t] && e->f->severity >= KS_SEV_LOW) {
				g_string_append_printf(s, "%s%s", s->len ? _(", ") : "", _(techniques[t].name));
				break;
			}
		}
	}
	return g_string_free(s, FALSE);
}

/* 概要: what happened, in three lines. */
static void overview(doc *d, const ks_export_data *x, const GArray *fs)
{
	d->heading(d, 2, _("Overview"));
	const ks_case_message *m = NULL;
	const ks_report *r = first_report(x, &m);
	if (r) {
		const ks_address *from = r->from->len ? g_ptr_array_index(r->from, 0) : NULL;
		g_autofree char *when = ks_doc_time(x, r->date);
		g_autofree char *line = g_strdup_printf(
			_("On %s, a mail titled \"%s\" arrived from %s (%u in the case)."),
			when ? when : _("an unknown date"), r->subject ? r->subject : _("(no subject)"),
			from && from->address ? from->address : _("an unknown sender"), x->messages->len);
		d->item(d, 0, line);
	}
	g_autofree char *used = technique_list(fs, false);
	g_autofree char *how = *used ? g_strdup_printf(_("Techniques: %s."), used)
	                             : g_strdup(_("Techniques: none found."));
	d->item(d, 0, how);
	const ks_case *c = x->c;
	g_autofree char *judged = g_strdup_printf(
		_("Verdict: %s; BEC type %d (%s); %u IOCs."), _(c->verdict), c->bec_type,
		_(ks_bec_type_name(c->bec_type)), x->iocs->len);
	d->item(d, 0, judged);
	d->end_list(d);
}

/* 手口の特徴: the findings by technique. */
static void techniques_section(doc *d, const GArray *fs)
{
	d->heading(d, 2, _("Techniques"));
	if (!fs->len)
		d->para(d, _("none"));
	for (size_t t = 0; t < G_N_ELEMENTS(techniques); t++) {
		bool any = false;
		for (guint i = 0; i < fs->len; i++) {
			const found *e = &g_array_index(fs, found, i);
			if (technique_of(e->f->rule) != &techniques[t])
				continue;
			if (!any)
				d->heading(d, 3, _(techniques[t].name));
			any = true;
			g_autofree char *line = g_strdup_printf(
				_("[%s] %s (%s, message %" PRId64 "): %s"),
				ks_severity_label(e->f->severity), ks_rule_title(e->f->rule),
				ks_rule_id(e->f->rule), e->message, e->f->evidence ? e->f->evidence : "");
			d->item(d, 0, line);
		}
	}
	d->end_list(d);
}

/* 検知・判断のポイント: what gave it away: the high findings' rules, once
 * each, and what the receiving server said of the sender. */
static void points(doc *d, const ks_export_data *x, const GArray *fs)
{
	d->heading(d, 2, _("What gave it away"));
	g_autoptr(GHashTable) said = g_hash_table_new(g_direct_hash, g_direct_equal);
	for (guint i = 0; i < fs->len; i++) {
		const found *e = &g_array_index(fs, found, i);
		if (e->f->severity < KS_SEV_MEDIUM ||
		    !g_hash_table_add(said, GINT_TO_POINTER(e->f->rule)))
			continue;
		d->item(d, 0, ks_rule_title(e->f->rule));
	}
	for (guint i = 0; i < x->messages->len; i++) {
		const ks_case_message *m = g_ptr_array_index(x->messages, i);
		const ks_report *r = g_ptr_array_index(x->reports, i);
		if (!r || !ks_auth_failed(&r->auth))
			continue; /* what passed gave nothing away */
		g_autofree char *line = g_strdup_printf(
			_("Sender authentication of message %" PRId64 ": SPF %s, DKIM %s, DMARC %s"),
			m->id, r->auth.spf ? r->auth.spf : "-", r->auth.dkim ? r->auth.dkim : "-",
			r->auth.dmarc ? r->auth.dmarc : "-");
		d->item(d, 0, line);
	}
	if (!g_hash_table_size(said) && !fs->len)
		d->para(d, _("none"));
	d->end_list(d);
}

/* 推奨される対策: what to do about each technique found, then always. */
static void measures(doc *d, const GArray *fs)
{
	d->heading(d, 2, _("Recommended measures"));
	for (size_t t = 0; t < G_N_ELEMENTS(techniques); t++) {
		if (!techniques[t].measure)
			continue;
		for (guint i = 0; i < fs->len; i++) {
			const found *e = &g_array_index(fs, found, i);
			if (technique_of(e->f->rule) == &techniques[t] && e->f->severity >= KS_SEV_LOW) {
				g_autofree char *line = g_strdup_printf(_("%s: %s"), _(techniques[t].name),
				                                        _(techniques[t].measure));
				d->item(d, 0, line);
				break;
			}
		}
	}
	d->item(d, 0, _("Look for the same sender, subject and attachments in the mail other "
	                "employees received, and tell them of this mail."));
	d->end_list(d);
}

void ks_doc_write_japanese(doc *d, const ks_export_data *x)
{
	const ks_case *c = x->c;
	g_autofree char *tlp = g_ascii_strup(x->tlp, -1);
	g_autofree char *marking = g_strdup_printf("TLP:%s", tlp);
	g_autofree char *title = g_strdup_printf(_("Case %" PRId64 ": %s"), c->id, c->title);
	d->para(d, marking);
	d->heading(d, 1, title);
	g_autofree char *bec = g_strdup_printf("%d (%s)", c->bec_type, _(ks_bec_type_name(c->bec_type)));
	g_autofree char *counts = g_strdup_printf(_("%u messages, %u notes, %u IOCs"),
	                                          x->messages->len, x->notes->len, x->iocs->len);
	g_autofree char *created = ks_doc_time_text(x, c->created);
	g_autofree char *updated = ks_doc_time_text(x, c->updated);
	d->kv(d, _("Verdict"), _(c->verdict));
	d->kv(d, _("Status"), _(c->status));
	d->kv(d, _("BEC type"), bec);
	d->kv(d, _("Created"), created);
	d->kv(d, _("Updated"), updated);
	d->kv(d, _("Contents"), counts);
	if (x->redact != KS_REDACT_OFF)
		d->kv(d, _("Redacted"),
		      x->redact == KS_REDACT_PUBLIC
		          ? _("for publication: victims and the names inside lookalikes")
		          : _("for partners: victims masked, attacker indicators whole"));

	g_autoptr(GArray) fs = all_findings(x);
	overview(d, x, fs);
	ks_doc_timeline(d, x, _("Attack flow"));
	techniques_section(d, fs);
	points(d, x, fs);
	measures(d, fs);
	ks_doc_iocs(d, x, _("Indicators (IOCs, defanged)"));
	ks_doc_notes(d, x, _("Notes"));
	d->heading(d, 2, _("Appendix: the messages"));
	for (guint i = 0; i < x->messages->len; i++)
		ks_doc_message(d, x, g_ptr_array_index(x->messages, i), g_ptr_array_index(x->reports, i));
	d->end_list(d);
}
