/* Thread writers: the kensa.thread/1 JSON (README "Threads"), the terminal
 * text, and the who-wrote-to-whom sketch the text and the workbench share.
 * They read ks_thread_set only; no analysis happens here. */
#include "threads/thread.h"

#include "core/domains.h"
#include "core/i18n.h"
#include "output/writers.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* ---- JSON ---------------------------------------------------------------- */

static void add_str(JsonBuilder *b, const char *key, const char *v)
{
	json_builder_set_member_name(b, key);
	if (v)
		json_builder_add_string_value(b, v);
	else
		json_builder_add_null_value(b);
}

static void add_time(JsonBuilder *b, const char *key, GDateTime *t)
{
	g_autofree char *s = t ? ks_time_format(t) : NULL;
	add_str(b, key, s);
}

static void add_party(JsonBuilder *b, const ks_party *p)
{
	json_builder_begin_object(b);
	add_str(b, "name", p->name);
	add_str(b, "address", p->address);
	add_str(b, "domain", p->domain);
	json_builder_end_object(b);
}

static void add_parties(JsonBuilder *b, const char *key, const GPtrArray *list)
{
	json_builder_set_member_name(b, key);
	json_builder_begin_array(b);
	for (guint i = 0; i < list->len; i++)
		add_party(b, list->pdata[i]);
	json_builder_end_array(b);
}

static void add_finding(JsonBuilder *b, const ks_finding *f)
{
	json_builder_begin_object(b);
	add_str(b, "id", ks_rule_id(f->rule));
	add_str(b, "severity", ks_severity_name(f->severity));
	add_str(b, "title", f->title);
	add_str(b, "evidence", f->evidence);
	add_str(b, "location", f->location);
}

static void add_message(JsonBuilder *b, const ks_thread_msg *m)
{
	json_builder_begin_object(b);
	add_str(b, "message_id", m->message_id);
	add_time(b, "date", m->date);
	json_builder_set_member_name(b, "from");
	add_party(b, &m->from);
	json_builder_set_member_name(b, "reply_to");
	if (m->reply_to.address)
		add_party(b, &m->reply_to);
	else
		json_builder_add_null_value(b);
	add_parties(b, "to", m->to);
	add_parties(b, "cc", m->cc);
	add_str(b, "subject", m->subject);
	add_str(b, "in_reply_to", m->in_reply_to);
	json_builder_set_member_name(b, "auth");
	json_builder_begin_object(b);
	add_str(b, "spf", m->spf);
	add_str(b, "dkim", m->dkim);
	add_str(b, "dmarc", m->dmarc);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "attachments");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->attachments->len; i++)
		json_builder_add_string_value(b, m->attachments->pdata[i]);
	json_builder_end_array(b);
	add_str(b, "source", m->source);
	add_str(b, "lookalike_of", m->lookalike_of);
	json_builder_set_member_name(b, "changed");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->changed->len; i++)
		json_builder_add_string_value(b, m->changed->pdata[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "findings");
	json_builder_begin_array(b);
	for (guint i = 0; i < m->findings->len; i++) {
		add_finding(b, m->findings->pdata[i]);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);
}

static void add_thread(JsonBuilder *b, const ks_thread *t)
{
	json_builder_begin_object(b);
	add_str(b, "subject", t->subject);
	add_parties(b, "participants", t->participants);
	json_builder_set_member_name(b, "messages");
	json_builder_begin_array(b);
	for (guint i = 0; i < t->messages->len; i++)
		add_message(b, t->messages->pdata[i]);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "events");
	json_builder_begin_array(b);
	for (guint i = 0; i < t->events->len; i++) {
		const ks_thread_event *e = t->events->pdata[i];
		json_builder_begin_object(b);
		add_time(b, "time", e->time);
		add_str(b, "event", e->event);
		add_str(b, "source", e->source);
		json_builder_set_member_name(b, "message");
		if (e->message >= 0)
			json_builder_add_int_value(b, e->message + 1);
		else
			json_builder_add_null_value(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "findings");
	json_builder_begin_array(b);
	for (guint i = 0; i < t->findings->len; i++) {
		const ks_thread_finding *f = t->findings->pdata[i];
		const ks_thread_msg *m = t->messages->pdata[f->message];
		add_finding(b, f->finding);
		json_builder_set_member_name(b, "message");
		json_builder_add_int_value(b, f->message + 1);
		add_str(b, "message_id", m->message_id);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "first_lookalike");
	if (t->first_lookalike >= 0)
		json_builder_add_int_value(b, t->first_lookalike + 1);
	else
		json_builder_add_null_value(b);
	json_builder_end_object(b);
}

static char *thread_json(const ks_thread *t)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	add_thread(b, t);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	return json_to_string(root, false);
}

/* One line is written a thread at a time: a JSON tree of the whole set
 * costs several times the text it prints (ten thousand messages: some
 * 150 MB of nodes for 18 MB of JSON).  Pretty output indents by depth, so
 * it is built whole; it is for tests and small sets. */
void ks_thread_set_write_json(const ks_thread_set *s, bool pretty, ks_thread_write_fn write,
                              void *user)
{
	const GPtrArray *threads = ks_thread_set_threads(s);
	if (pretty) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		json_builder_begin_object(b);
		add_str(b, "schema", "kensa.thread/1");
		json_builder_set_member_name(b, "threads");
		json_builder_begin_array(b);
		for (guint i = 0; i < threads->len; i++)
			add_thread(b, threads->pdata[i]);
		json_builder_end_array(b);
		json_builder_end_object(b);
		g_autoptr(JsonNode) root = json_builder_get_root(b);
		g_autofree char *text = json_to_string(root, true);
		write(text, user);
		return;
	}
	write("{\"schema\":\"kensa.thread/1\",\"threads\":[", user);
	for (guint i = 0; i < threads->len; i++) {
		if (i)
			write(",", user);
		g_autofree char *text = thread_json(threads->pdata[i]);
		write(text, user);
	}
	write("]}", user);
}

static void append(const char *text, void *user)
{
	g_string_append(user, text);
}

char *ks_thread_set_to_json(const ks_thread_set *s, bool pretty)
{
	GString *o = g_string_new(NULL);
	ks_thread_set_write_json(s, pretty, append, o);
	return g_string_free(o, FALSE);
}

/* ---- text ---------------------------------------------------------------- */

static char *short_time(GDateTime *t)
{
	return t ? g_date_time_format(t, "%Y-%m-%d %H:%M %:z") : g_strdup(_("(no date)"));
}

static char *party_text(const ks_party *p)
{
	if (p->name && p->address)
		return g_strdup_printf("%s <%s>", p->name, p->address);
	return g_strdup(p->address ? p->address : p->name ? p->name : _("(none)"));
}

static void append_parties(GString *o, const char *label, const GPtrArray *list)
{
	if (!list->len)
		return;
	g_string_append(o, "        ");
	ks_append_padded(o, label, 6);
	g_string_append_c(o, ' ');
	for (guint i = 0; i < list->len; i++) {
		g_autofree char *p = party_text(list->pdata[i]);
		g_string_append_printf(o, "%s%s", i ? ", " : "", p);
	}
	g_string_append_c(o, '\n');
}

/* "        LABEL  text": a label in a column of six, by display width. */
static void label_line(GString *o, const char *label, const char *text)
{
	g_string_append(o, "        ");
	ks_append_padded(o, label, 6);
	g_string_append_printf(o, " %s\n", text);
}

static char *changed_text(const ks_thread_msg *m)
{
	GString *o = g_string_new(NULL);
	for (guint i = 0; i < m->changed->len; i++)
		g_string_append_printf(o, "%s%s", i ? ", " : "",
		                       ks_thread_field_label(m->changed->pdata[i]));
	return g_string_free(o, FALSE);
}

static void text_message(GString *o, const ks_thread *t, guint k)
{
	const ks_thread_msg *m = t->messages->pdata[k];
	g_autofree char *when = short_time(m->date);
	g_autofree char *from = party_text(&m->from);
	g_string_append_printf(o, "  %s#%-2u %s  %s [%s]%s\n", m->lookalike_of ? "!" : " ", k + 1,
	                       when, from, m->from.domain ? m->from.domain : "?",
	                       m->lookalike_of ? _("  LOOKALIKE") : "");
	if (m->lookalike_of)
		g_string_append_printf(o, _("        imitates %s\n"), m->lookalike_of);
	if (m->reply_to.address) {
		g_autofree char *rt = party_text(&m->reply_to);
		g_autofree char *line = g_strdup_printf("%s [%s]", rt,
		                                        m->reply_to.domain ? m->reply_to.domain : "?");
		label_line(o, C_("thread label", "reply"), line);
	}
	append_parties(o, C_("thread label", "to"), m->to);
	append_parties(o, C_("thread label", "cc"), m->cc);
	g_autofree char *auth = g_strdup_printf("spf=%s dkim=%s dmarc=%s", m->spf ? m->spf : "-",
	                                        m->dkim ? m->dkim : "-", m->dmarc ? m->dmarc : "-");
	label_line(o, C_("thread label", "auth"), auth);
	for (guint i = 0; i < m->attachments->len; i++)
		label_line(o, i ? "" : C_("thread label", "attach"),
		           (const char *)m->attachments->pdata[i]);
	if (m->changed->len) {
		g_autofree char *c = changed_text(m);
		g_string_append_printf(o, _("        CHANGED: %s\n"), c);
	}
	for (guint i = 0; i < m->findings->len; i++) {
		const ks_finding *f = m->findings->pdata[i];
		g_autofree char *line = g_strdup_printf("%s: %s", ks_rule_id(f->rule), f->evidence);
		label_line(o, ks_severity_label(f->severity), line);
	}
}

static void text_thread(GString *o, const ks_thread *t, guint n)
{
	g_autofree char *msgs = g_strdup_printf(P_("%u message", "%u messages", t->messages->len),
	                                        t->messages->len);
	g_autofree char *people = g_strdup_printf(
		P_("%u participant", "%u participants", t->participants->len), t->participants->len);
	g_autofree char *drift = g_strdup_printf(
		P_("%u drift finding", "%u drift findings", t->findings->len), t->findings->len);
	g_string_append_printf(o, _("Thread %u: %s\n  %s, %s, %s\n"), n,
	                       t->subject && *t->subject ? t->subject : _("(no subject)"), msgs, people,
	                       drift);
	if (t->first_lookalike >= 0) {
		const ks_thread_msg *m = t->messages->pdata[t->first_lookalike];
		g_autofree char *when = short_time(m->date);
		g_autofree char *c = changed_text(m);
		g_string_append_printf(o,
		                       _("  FIRST FROM A LOOKALIKE: message %d, %s, %s (%s imitates %s)\n"
		                         "  it changed: %s\n"),
		                       t->first_lookalike + 1, when,
		                       m->from.address ? m->from.address : "?",
		                       m->from.domain ? m->from.domain : "?", m->lookalike_of,
		                       *c ? c : _("nothing else"));
	}
	g_string_append_printf(o, "  %s\n", _("participants:"));
	for (guint i = 0; i < t->participants->len; i++) {
		const ks_party *p = t->participants->pdata[i];
		g_autofree char *pt = party_text(p);
		g_string_append_printf(o, "    %s [%s]\n", pt, p->domain ? p->domain : "?");
	}
	g_string_append_printf(o, "  %s\n", _("timeline:"));
	guint e = 0;
	for (guint k = 0; k < t->messages->len; k++) {
		const ks_thread_msg *m = t->messages->pdata[k];
		while (e < t->events->len && m->date &&
		       g_date_time_compare(((ks_thread_event *)t->events->pdata[e])->time, m->date) < 0) {
			const ks_thread_event *ev = t->events->pdata[e++];
			g_autofree char *when = short_time(ev->time);
			if (ev->message >= 0)
				g_string_append_printf(o, _("   ·   %s  %s (%s of #%d)\n"), when, ev->event,
				                       ev->source, ev->message + 1);
			else
				g_string_append_printf(o, "   ·   %s  %s\n", when, ev->event);
		}
		text_message(o, t, k);
	}
	for (; e < t->events->len; e++) {
		const ks_thread_event *ev = t->events->pdata[e];
		g_autofree char *when = short_time(ev->time);
		g_string_append_printf(o, "   ·   %s  %s%s\n", when, ev->event,
		                       ev->message >= 0 ? "" : "");
	}
	if (t->messages->len > 1) {
		g_string_append_printf(o, "  %s\n", _("who wrote to whom:"));
		g_autoptr(GPtrArray) sketch = ks_thread_sketch(t, 100);
		for (guint i = 0; i < sketch->len; i++)
			g_string_append_printf(o, "    %s\n", ((ks_sketch_line *)sketch->pdata[i])->text);
	}
	g_string_append_c(o, '\n');
}

void ks_thread_set_write_text(const ks_thread_set *s, ks_thread_write_fn write, void *user)
{
	GString *o = g_string_new(NULL);
	const GPtrArray *threads = ks_thread_set_threads(s);
	guint drift = 0;
	for (guint i = 0; i < threads->len; i++)
		drift += ((ks_thread *)threads->pdata[i])->findings->len ? 1 : 0;
	guint nmsg = ks_thread_set_messages(s)->len;
	g_autofree char *msgs = g_strdup_printf(P_("%u message", "%u messages", nmsg), nmsg);
	g_autofree char *thr = g_strdup_printf(P_("%u thread", "%u threads", threads->len),
	                                       threads->len);
	g_string_append_printf(o, _("%s in %s; %u with drift findings\n\n"), msgs, thr, drift);
	for (guint i = 0; i < threads->len; i++) {
		text_thread(o, threads->pdata[i], i + 1);
		/* a thread at a time, as for JSON */
		write(o->str, user);
		g_string_truncate(o, 0);
	}
	if (o->len)
		write(o->str, user);
	g_string_free(o, TRUE);
}

char *ks_thread_set_to_text(const ks_thread_set *s)
{
	GString *o = g_string_new(NULL);
	ks_thread_set_write_text(s, append, o);
	return g_string_free(o, FALSE);
}

/* ---- the sketch ---------------------------------------------------------- */

#define SKETCH_LABEL 22 /* " #12 12-31 23:59 !" on the right */

static void sketch_line_free(ks_sketch_line *l)
{
	if (l) {
		g_free(l->text);
		g_free(l);
	}
}

static int column_of(GPtrArray *cols, const char *address)
{
	for (guint i = 0; address && i < cols->len; i++)
		if (strcmp(((ks_party *)cols->pdata[i])->address, address) == 0)
			return (int)i;
	return -1;
}

/* centre s (cut to w-1 columns, ASCII-ish) into a cell of width w */
static void put_label(gunichar *cells, int at, int w, const char *s)
{
	glong n = g_utf8_strlen(s, -1);
	int keep = (int)MIN(n, w - 1);
	int start = at + (w - keep) / 2;
	const char *p = s;
	for (int i = 0; i < keep; i++, p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		/* a wide character would push the columns apart: stand in '?' */
		cells[start + i] = g_unichar_iswide(c) ? '?' : c;
	}
}

static ks_sketch_line *sketch_emit(GPtrArray *out, const gunichar *cells, int w, const char *tail,
                                   int message, bool alert)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < w; i++)
		g_string_append_unichar(s, cells[i]);
	if (tail)
		g_string_append(s, tail);
	while (s->len && s->str[s->len - 1] == ' ')
		g_string_truncate(s, s->len - 1);
	ks_sketch_line *l = g_new0(ks_sketch_line, 1);
	l->text = g_string_free(s, FALSE);
	l->message = message;
	l->alert = alert;
	g_ptr_array_add(out, l);
	return l;
}

GPtrArray *ks_thread_sketch(const ks_thread *t, int width)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)sketch_line_free);
	/* columns: senders first, then To recipients, in order of appearance */
	g_autoptr(GPtrArray) cols = g_ptr_array_new();
	g_autoptr(GHashTable) lookalike = g_hash_table_new(g_str_hash, g_str_equal);
	for (int pass = 0; pass < 2; pass++)
		for (guint k = 0; k < t->messages->len; k++) {
			const ks_thread_msg *m = t->messages->pdata[k];
			if (m->lookalike_of && m->from.domain)
				g_hash_table_add(lookalike, m->from.domain);
			if (pass == 0) {
				if (m->from.address && column_of(cols, m->from.address) < 0)
					g_ptr_array_add(cols, (gpointer)&m->from);
				continue;
			}
			for (guint i = 0; i < m->to->len; i++) {
				const ks_party *p = m->to->pdata[i];
				if (p->address && column_of(cols, p->address) < 0)
					g_ptr_array_add(cols, (gpointer)p);
			}
		}
	if (!cols->len)
		return out;
	int avail = MAX(width - SKETCH_LABEL, 12);
	int colw = CLAMP(avail / (int)cols->len, 12, 22);
	int ncols = MIN((int)cols->len, MAX(1, avail / colw));
	int hidden = (int)cols->len - ncols;
	g_ptr_array_set_size(cols, ncols);
	int w = ncols * colw;
	g_autofree gunichar *cells = g_new(gunichar, w);

	/* two header lines: domain and local part, '!' on lookalike domains */
	for (int line = 0; line < 2; line++) {
		for (int i = 0; i < w; i++)
			cells[i] = ' ';
		for (int c = 0; c < ncols; c++) {
			const ks_party *p = cols->pdata[c];
			g_autofree char *local = ks_local_part(p->address);
			const char *dom = p->domain ? p->domain : "?";
			bool bad = p->domain && g_hash_table_contains(lookalike, p->domain);
			g_autofree char *label = line == 0 ? g_strdup_printf("%s%s", bad ? "!" : "", dom)
			                                   : g_strdup(local ? local : p->address);
			put_label(cells, c * colw, colw, label);
		}
		sketch_emit(out, cells, w, NULL, -1, false);
	}
	/* lifelines opening */
	for (int i = 0; i < w; i++)
		cells[i] = ' ';
	for (int c = 0; c < ncols; c++)
		cells[c * colw + colw / 2] = 0x252C; /* ┬ */
	sketch_emit(out, cells, w, NULL, -1, false);

	for (guint k = 0; k < t->messages->len; k++) {
		const ks_thread_msg *m = t->messages->pdata[k];
		for (int i = 0; i < w; i++)
			cells[i] = ' ';
		for (int c = 0; c < ncols; c++)
			cells[c * colw + colw / 2] = 0x2502; /* │ */
		int s = column_of(cols, m->from.address);
		int lo = s, hi = s;
		GArray *targets = g_array_new(FALSE, FALSE, sizeof(int));
		for (guint i = 0; i < m->to->len; i++) {
			int c = column_of(cols, ((ks_party *)m->to->pdata[i])->address);
			if (c >= 0 && c != s) {
				g_array_append_val(targets, c);
				lo = lo < 0 ? c : MIN(lo, c);
				hi = MAX(hi, c);
			}
		}
		if (s >= 0 && targets->len) {
			int x0 = lo * colw + colw / 2, x1 = hi * colw + colw / 2;
			for (int x = x0 + 1; x < x1; x++)
				cells[x] = (x % colw == colw / 2) ? 0x253C /* ┼ */ : 0x2500; /* ─ */
			for (guint i = 0; i < targets->len; i++) {
				int c = g_array_index(targets, int, i);
				cells[c * colw + colw / 2] = c > s ? 0x25BA /* ► */ : 0x25C4; /* ◄ */
			}
		}
		if (s >= 0)
			cells[s * colw + colw / 2] = 0x25CF; /* ● */
		g_array_unref(targets);
		bool alert = m->lookalike_of || m->changed->len;
		g_autofree char *when = m->date ? g_date_time_format(m->date, "%m-%d %H:%M")
		                                : g_strdup("--");
		g_autofree char *tail = g_strdup_printf(" #%u %s%s", k + 1, when,
		                                        m->lookalike_of ? " LOOKALIKE"
		                                        : m->changed->len ? " !" : "");
		sketch_emit(out, cells, w, tail, (int)k, alert);
	}
	for (int i = 0; i < w; i++)
		cells[i] = ' ';
	for (int c = 0; c < ncols; c++)
		cells[c * colw + colw / 2] = 0x2534; /* ┴ */
	g_autofree char *more = hidden ? g_strdup_printf(" (+%d not shown)", hidden) : NULL;
	sketch_emit(out, cells, w, more, -1, false);
	return out;
}
