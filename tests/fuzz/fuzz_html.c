/* libFuzzer target for the HTML scanner (html_scan.c): any bytes as an
 * HTML attachment and as an HTML body, with a recipient to look for, must
 * neither crash, hang nor leak; the same bytes through the text walk with
 * its hidden-text styles (html.c, html_style.c), the obfuscation cleaner
 * (obfuscation.c) and the brand reader (brands.c). */
#include "checks/brands.h"
#include "payloads/html_attachment.h"
#include "payloads/html_scan.h"
#include "checks/obfuscation.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = g_malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';

	ks_report *r = ks_report_new();
	g_ptr_array_add(r->to, ks_address_new("Victim", "victim@corp.example"));
	ks_attachment *a = ks_attachment_new("2");
	a->filename = g_strdup("page.html");
	a->data = g_bytes_new(data, size);
	ks_html_accepts(a);
	ks_html_scan(s, size, "part:2", NULL, r, a);
	/* the workbench's decoded view of the page's script */
	g_ptr_array_unref(ks_html_decoded_layers(s, size));
	/* the body path gets NUL-terminated UTF-8 only, as body.c passes it */
	if (g_utf8_validate(s, -1, NULL)) {
		ks_html_scan(s, strlen(s), "body", NULL, r, NULL);
		htmlDocPtr doc = ks_html_parse(s, strlen(s));
		GPtrArray *links = g_ptr_array_new_with_free_func((GDestroyNotify)ks_link_free);
		ks_html_extras *e = ks_html_extras_new();
		char *text = ks_html_doc_to_text_full(doc, links, e);
		ks_obfuscation *o = ks_obfuscation_new();
		char *shown = ks_obfuscation_clean(text ? text : s, o);
		ks_obfuscation_report(o, "body", r);
		ks_obfuscation_report_hidden(e->hidden, "body", r);
		ks_brand_reading rd;
		ks_brand_read(shown, &rd);
		ks_brand_reading_clear(&rd);
		g_free(shown);
		ks_obfuscation_free(o);
		g_free(text);
		ks_html_extras_free(e);
		g_ptr_array_unref(links);
		if (doc)
			xmlFreeDoc(doc);
	}

	ks_attachment_free(a);
	ks_report_free(r);
	g_free(s);
	return 0;
}
