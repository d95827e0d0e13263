/* Markdown escaping (markdown.h).  The punctuation escaped is what starts a
 * link, an image, raw HTML, an entity, emphasis, code, a heading or a table
 * cell; "." "-" "+" and "(" only start structure (lists, setext headings),
 * never active content, and are left readable. */
#include "output/markdown.h"

#include "output/writers.h"

#include <string.h>

void ks_md_text(GString *o, const char *s, bool breaks)
{
	g_autofree char *d = ks_defang_text(s ? s : "");
	for (const char *p = d; *p; p++) {
		/* the defanged dot, at and colon read as written: a bracketed
		 * character can only be a link with a definition "[.]: url" at the
		 * start of a line, and no line of ours starts with attacker text
		 * (newlines become <br> or a space, every other "[" is escaped) */
		if (p[0] == '[' && p[1] && strchr(".@:", p[1]) && p[2] == ']') {
			g_string_append_len(o, p, 3);
			p += 2;
		} else if (*p == '\n')
			g_string_append(o, breaks ? "<br>" : " ");
		else if (*p == '\r')
			continue;
		else if (strchr("\\`*_[]<>!|~&#", *p))
			g_string_append_printf(o, "\\%c", *p);
		else
			g_string_append_c(o, *p);
	}
}

void ks_md_code(GString *o, const char *s, bool in_table)
{
	size_t run = 0, longest = 0;
	for (const char *p = s ? s : ""; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		longest = MAX(longest, run);
	}
	g_autofree char *fence = g_strnfill(longest + 1, '`');
	/* a span that starts or ends with a backtick needs a space inside */
	const char *pad = longest ? " " : "";
	g_string_append_printf(o, "%s%s", fence, pad);
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '\n')
			g_string_append_c(o, ' ');
		else if (*p == '\r')
			continue;
		else if (*p == '|' && in_table)
			g_string_append(o, "\\|");
		else
			g_string_append_c(o, *p);
	}
	g_string_append_printf(o, "%s%s", pad, fence);
}
