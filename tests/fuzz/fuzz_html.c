/* libFuzzer target for the HTML scanner (html_scan.c): any bytes as an
 * HTML attachment and as an HTML body, with a recipient to look for, must
 * neither crash, hang nor leak. */
#include "html_scan.h"

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
	/* the body path gets NUL-terminated UTF-8 only, as body.c passes it */
	if (g_utf8_validate(s, -1, NULL))
		ks_html_scan(s, strlen(s), "body", NULL, r, NULL);

	ks_attachment_free(a);
	ks_report_free(r);
	g_free(s);
	return 0;
}
