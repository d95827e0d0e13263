/* Decoded views of a part (partview.h). */
#include "partview.h"

#include "core/i18n.h"
#include "core/sanitize.h"
#include "mail/charset.h"
#include "mail/html.h"

#include <string.h>

#define HEX_MAX (64 * 1024)

GPtrArray *ks_part_safe_lines(const char *text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *clean = ks_sanitize(text ? text : "", KS_SANITIZE_MULTILINE, NULL);
	g_auto(GStrv) v = g_strsplit(clean, "\n", -1);
	for (char **l = v; *l; l++)
		g_ptr_array_add(out, g_strdup(*l));
	return out;
}

static bool is_type(const ks_attachment *a, const char *word)
{
	return (a->detected_type && strstr(a->detected_type, word)) ||
	       (a->declared_type && strstr(a->declared_type, word));
}

/* Mostly text: few controls other than line ends and tabs in the first 4 KiB. */
static bool looks_textual(const guint8 *p, gsize len)
{
	gsize n = MIN(len, (gsize)4096), ctl = 0;
	for (gsize i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t' && p[i] != 0x1b) ||
		    p[i] == 0x7f)
			ctl++;
	return n && ctl * 50 < n;
}

GPtrArray *ks_part_text_lines(const ks_attachment *a, const char **kind)
{
	gsize len = 0;
	const guint8 *p = a->data ? g_bytes_get_data(a->data, &len) : NULL;
	if (!p || !len)
		return NULL;
	if (is_type(a, "html")) {
		g_autofree char *utf8 = ks_charset_guess_to_utf8((const char *)p, len, NULL);
		g_autofree char *text = utf8 ? ks_html_to_text(utf8, strlen(utf8), NULL) : NULL;
		if (text) {
			*kind = _("HTML as text");
			return ks_part_safe_lines(text);
		}
	}
	if (!is_type(a, "text") && !looks_textual(p, len))
		return NULL;
	bool utf8 = g_utf8_validate((const char *)p, (gssize)len, NULL);
	g_autofree char *text = utf8 ? g_strndup((const char *)p, len)
	                             : ks_charset_guess_to_utf8((const char *)p, len, NULL);
	if (!text)
		return NULL;
	*kind = utf8 ? _("text (UTF-8)") : _("text (guessed charset)");
	return ks_part_safe_lines(text);
}

GPtrArray *ks_part_hex_lines(const ks_attachment *a)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	gsize len = 0;
	const guint8 *p = a->data ? g_bytes_get_data(a->data, &len) : NULL;
	gsize n = MIN(len, (gsize)HEX_MAX);
	for (gsize off = 0; off < n; off += 16) {
		GString *l = g_string_new(NULL);
		g_string_append_printf(l, "%08zx  ", off);
		for (gsize i = 0; i < 16; i++) {
			if (off + i < n)
				g_string_append_printf(l, "%02x ", p[off + i]);
			else
				g_string_append(l, "   ");
			if (i == 7)
				g_string_append_c(l, ' ');
		}
		g_string_append(l, " |");
		for (gsize i = 0; i < 16 && off + i < n; i++)
			g_string_append_c(l, p[off + i] >= 0x20 && p[off + i] < 0x7f ? (char)p[off + i] : '.');
		g_string_append_c(l, '|');
		g_ptr_array_add(out, g_string_free(l, FALSE));
	}
	if (len > n)
		g_ptr_array_add(out, g_strdup_printf("... %zu more bytes (the first %d KiB are shown)",
		                                     len - n, HEX_MAX / 1024));
	if (!len)
		g_ptr_array_add(out, g_strdup(_("(no bytes)")));
	return out;
}
