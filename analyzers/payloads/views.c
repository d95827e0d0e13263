/* Decoded views of an attachment (views.h). */
#include "payloads/views.h"

#include "core/helper.h"
#include "payloads/html_attachment.h"
#include "payloads/html_scan.h"
#include "payloads/office.h"
#include "payloads/pdf.h"

#include <string.h>

/* The formats whose reading needs a library, as the job's request names them. */
typedef enum {
	FORMAT_NONE,
	FORMAT_PDF,
	FORMAT_HTML,
	FORMAT_OFFICE,
} format;

/* Bytes of one decoded script layer shown (a layer may be a whole page). */
#define LAYER_MAX_BYTES (256 * 1024)

void ks_part_view_free(ks_part_view *v)
{
	if (!v)
		return;
	g_free(v->title);
	g_free(v->text);
	g_free(v);
}

static void add_view(GPtrArray *views, const char *title, char *text)
{
	ks_part_view *v = g_new0(ks_part_view, 1);
	v->title = g_strdup(title);
	v->text = text;
	g_ptr_array_add(views, v);
}

/* ---- the reading itself (in the helper, or here without one) ------------- */

static void read_pdf(GBytes *data, const char *password, GPtrArray *views)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GString) links = g_string_new(NULL);
	g_autoptr(GString) problems = g_string_new(NULL);
	ks_pdf_reading(data, password, text, links, problems);
	if (problems->len)
		g_string_append_printf(text, "%s(%s)\n", text->len ? "\n" : "", problems->str);
	add_view(views, "PDF text", g_strdup(text->str));
	if (links->len)
		add_view(views, "PDF links", g_strdup(links->str));
}

static void read_html(GBytes *data, GPtrArray *views)
{
	gsize len = 0;
	const char *p = g_bytes_get_data(data, &len);
	g_autoptr(GPtrArray) layers = ks_html_decoded_layers(p, len);
	if (!layers->len)
		return;
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < layers->len; i++) {
		const ks_kv *l = layers->pdata[i];
		gsize n = strlen(l->value);
		g_string_append_printf(out, "── layer %u: %s (%zu bytes) ──\n", i + 1, l->key, n);
		g_string_append_len(out, l->value, (gssize)MIN(n, (gsize)LAYER_MAX_BYTES));
		if (n > LAYER_MAX_BYTES)
			g_string_append_printf(out, "\n(the first %d KiB)", LAYER_MAX_BYTES / 1024);
		g_string_append(out, "\n\n");
	}
	add_view(views, "Script, de-obfuscated", g_string_free(out, FALSE));
}

static void read_office(GBytes *data, GPtrArray *views)
{
	g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) modules = ks_office_macro_sources(data, problems);
	if (!modules->len && !problems->len)
		return;
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < modules->len; i++) {
		const ks_kv *m = modules->pdata[i];
		g_string_append_printf(out, "── module %s ──\n%s\n\n", m->key ? m->key : "?",
		                       m->value ? m->value : "");
	}
	for (guint i = 0; i < problems->len; i++)
		g_string_append_printf(out, "(%s)\n", (const char *)problems->pdata[i]);
	add_view(views, "Macro source", g_string_free(out, FALSE));
}

static void read_format(format f, GBytes *data, const char *password, GPtrArray *views)
{
	switch (f) {
	case FORMAT_PDF: read_pdf(data, password, views); break;
	case FORMAT_HTML: read_html(data, views); break;
	case FORMAT_OFFICE: read_office(data, views); break;
	case FORMAT_NONE: break;
	}
}

bool ks_part_views_job(ks_wire_in *in, ks_wire_out *out)
{
	guint32 f = 0;
	g_autofree char *password = NULL;
	g_autoptr(GBytes) data = NULL;
	if (!ks_wire_get_u32(in, &f) || !ks_wire_get_str(in, &password) ||
	    !ks_wire_get_bytes(in, &data) || f > FORMAT_OFFICE)
		return false;
	g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func((GDestroyNotify)ks_part_view_free);
	if (data)
		read_format((format)f, data, password, views);
	ks_wire_put_u32(out, views->len);
	for (guint i = 0; i < views->len; i++) {
		const ks_part_view *v = views->pdata[i];
		ks_wire_put_str(out, v->title);
		ks_wire_put_str(out, v->text);
	}
	return true;
}

/* ---- the caller's side ---------------------------------------------------- */

/* Reads the helper's reply into views; false when it is damaged. */
static bool reply_read(ks_wire_in *in, GPtrArray *views)
{
	guint32 n = 0;
	if (!ks_wire_get_u32(in, &n))
		return false;
	for (guint32 i = 0; i < n; i++) {
		char *title = NULL, *text = NULL;
		if (!ks_wire_get_str(in, &title) || !ks_wire_get_str(in, &text)) {
			g_free(title);
			return false;
		}
		/* the helper read attacker data: what it says is text, checked again */
		if (!title || !g_utf8_validate(title, -1, NULL)) {
			g_free(title);
			title = g_strdup("view");
		}
		if (text && !g_utf8_validate(text, -1, NULL)) {
			char *valid = g_utf8_make_valid(text, -1);
			g_free(text);
			text = valid;
		}
		add_view(views, title, text ? text : g_strdup(""));
		g_free(title);
	}
	return true;
}

static format format_of(const ks_attachment *a)
{
	if (ks_pdf_accepts(a))
		return FORMAT_PDF;
	if (ks_office_accepts(a))
		return FORMAT_OFFICE;
	if (ks_html_accepts(a))
		return FORMAT_HTML;
	return FORMAT_NONE;
}

static void add_listing(GString *out, const ks_attachment *a, int depth)
{
	for (guint i = 0; a->children && i < a->children->len; i++) {
		const ks_attachment *c = a->children->pdata[i];
		const char *type = c->detected_type ? c->detected_type : c->declared_type;
		g_string_append_printf(out, "%*s%-6s %s  %s  %" G_GINT64_FORMAT " B%s\n%*s       sha256 %s\n",
		                       depth * 2, "", c->path, c->filename ? c->filename : "(no name)",
		                       type ? type : "?", c->size, c->encrypted ? "  [encrypted]" : "",
		                       depth * 2, "", c->sha256);
		add_listing(out, c, depth + 1);
	}
}

static guint count_nodes(const ks_attachment *a)
{
	guint n = 0;
	for (guint i = 0; a->children && i < a->children->len; i++)
		n += 1 + count_nodes(a->children->pdata[i]);
	return n;
}

GPtrArray *ks_part_views(const ks_attachment *a, const ks_context *ctx)
{
	GPtrArray *views = g_ptr_array_new_with_free_func((GDestroyNotify)ks_part_view_free);
	if (!a)
		return views;
	if (a->children && a->children->len) {
		GString *list = g_string_new(NULL);
		add_listing(list, a, 0);
		guint n = count_nodes(a);
		g_autofree char *title = g_strdup_printf("Contents (%u %s)", n, n == 1 ? "entry" : "entries");
		add_view(views, title, g_string_free(list, FALSE));
	}
	format f = a->data && g_bytes_get_size(a->data) ? format_of(a) : FORMAT_NONE;
	if (f == FORMAT_NONE)
		return views;
	/* a PDF the body's password opened (pdf.c keeps the password) */
	const char *password = ks_attachment_get_meta(a, "password");
	const ks_limits *limits = ctx ? &ctx->limits : NULL;
	if (!limits || !limits->program) {
		/* unit tests and fuzz targets: no helper program, no budget */
		read_format(f, a->data, password, views);
		return views;
	}
	ks_wire_out req;
	ks_wire_out_init(&req);
	ks_wire_put_u32(&req, f);
	ks_wire_put_str(&req, password);
	ks_wire_put_bytes(&req, a->data);
	ks_wire_in reply;
	g_autofree char *detail = NULL;
	ks_helper_status why = ks_helper_call(limits, KS_JOB_PART_VIEWS, &req, &reply, &detail);
	ks_wire_out_clear(&req);
	if (why == KS_HELPER_OK) {
		bool whole = reply_read(&reply, views);
		ks_wire_in_clear(&reply);
		if (whole)
			return views;
		why = KS_HELPER_CRASH;
		g_free(detail);
		detail = g_strdup("a damaged reply");
	}
	static const char *const names[] = {
		[FORMAT_PDF] = "PDF text", [FORMAT_HTML] = "Script", [FORMAT_OFFICE] = "Macro source"};
	g_autofree char *title = g_strdup_printf("%s not shown", names[f]);
	g_autofree char *stop = ks_helper_stop_text(limits, why, detail);
	add_view(views, title, g_strdup_printf("Reading it %s.\n", stop));
	return views;
}
