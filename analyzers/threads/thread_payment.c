/* Threads: payment details in a message's own text (thread.h
 * ks_thread_payment_extract): account numbers after their keywords, IBANs,
 * SWIFT/BIC codes and bank names, read in NFKC and stopping at the first
 * quoted line, so a reply's history is not counted as its own. */
#include "threads/thread_private.h"

#include <string.h>

/* ---- payment details --------------------------------------------------- */

static void pay_free(ks_pay_token *t)
{
	if (t) {
		g_free(t->value);
		g_free(t);
	}
}

static void pay_add(GPtrArray *out, ks_pay_kind kind, char *value)
{
	for (guint i = 0; i < out->len; i++) {
		ks_pay_token *t = out->pdata[i];
		if (t->kind == kind && strcmp(t->value, value) == 0) {
			g_free(value);
			return;
		}
	}
	if (out->len >= MAX_PAYMENT) {
		g_free(value);
		return;
	}
	ks_pay_token *t = g_new0(ks_pay_token, 1);
	t->kind = kind;
	t->value = value;
	g_ptr_array_add(out, t);
}

/* Case-insensitive (ASCII) search.  The first byte is compared before the
 * whole word: this runs on every line of every body. */
static const char *find_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	if (!n)
		return *s ? s : NULL;
	const char first[] = {g_ascii_tolower(*w), g_ascii_toupper(*w), '\0'};
	for (const char *p = s; (p = strpbrk(p, first)); p++)
		if (g_ascii_strncasecmp(p, w, n) == 0)
			return p;
	return NULL;
}

/* A digit run of 6..17 digits (single '-' or ' ' inside) from p within
 * reach; the digits alone, or NULL. */
static char *account_after(const char *p, const char *limit)
{
	while (*p && p < limit) {
		if (!g_ascii_isdigit(*p)) {
			p++;
			continue;
		}
		if (p > limit - ACCOUNT_REACH * 2 && g_ascii_isalpha(p[-1])) {
			while (g_ascii_isalnum(*p))
				p++;
			continue;
		}
		GString *d = g_string_new(NULL);
		const char *q = p;
		int groups = 1, glen[3] = {0, 0, 0};
		while (*q) {
			if (g_ascii_isdigit(*q)) {
				g_string_append_c(d, *q);
				if (groups <= 3)
					glen[groups - 1]++;
			} else if ((*q == '-' || *q == ' ') && g_ascii_isdigit(q[1]) && d->len) {
				groups++;
			} else {
				break;
			}
			q++;
		}
		/* "+49 40 5550 1234" is a telephone number (a signature's "Key
		 * Account Manager"), "2025-03-31" a date ("to our account by ...") */
		bool phone = p[-1] == '+' || p[-1] == '(';
		bool date = groups == 3 && glen[0] == 4 && glen[1] <= 2 && glen[2] <= 2 &&
		            (strncmp(p, "19", 2) == 0 || strncmp(p, "20", 2) == 0);
		if (d->len >= 6 && d->len <= 17 && !g_ascii_isalpha(*q) && !phone && !date)
			return g_string_free(d, FALSE);
		g_string_free(d, TRUE);
		p = q;
	}
	return NULL;
}

/* IBAN (ISO 13616): two letters, two check digits, 11..30 alphanumerics,
 * written with or without spaces in groups of four. */
static void find_ibans(const char *s, GPtrArray *out)
{
	for (const char *p = s; *p; p++) {
		if (!(g_ascii_isupper(p[0]) && g_ascii_isupper(p[1]) && g_ascii_isdigit(p[2]) &&
		      g_ascii_isdigit(p[3])) ||
		    (p > s && g_ascii_isalnum(p[-1])))
			continue;
		GString *v = g_string_new(NULL);
		const char *q = p;
		while (*q && (g_ascii_isdigit(*q) || g_ascii_isupper(*q) ||
		              (*q == ' ' && (g_ascii_isdigit(q[1]) || g_ascii_isupper(q[1]))))) {
			if (*q != ' ')
				g_string_append_c(v, *q);
			q++;
		}
		if (v->len >= 15 && v->len <= 34) {
			pay_add(out, KS_PAY_IBAN, g_string_free(v, FALSE));
			p = q - 1;
		} else {
			g_string_free(v, TRUE);
		}
	}
}

/* BIC (ISO 9362): 4 letters bank, 2 letters country, 2 location, 3 branch. */
static void find_swift(const char *s, const char *kw, GPtrArray *out)
{
	const char *p = s;
	while ((p = find_word(p, kw))) {
		p += strlen(kw);
		const char *end = p + 24;
		for (const char *q = p; *q && q < end; q++) {
			if (!g_ascii_isupper(*q) || g_ascii_isalnum(q[-1]))
				continue;
			size_t n = 0;
			while (g_ascii_isalnum(q[n]) && !g_ascii_islower(q[n]))
				n++;
			bool letters = n >= 6;
			for (size_t i = 0; i < 6 && letters; i++)
				letters = g_ascii_isupper(q[i]);
			if ((n == 8 || n == 11) && letters) {
				pay_add(out, KS_PAY_SWIFT, g_strndup(q, n));
				break;
			}
		}
	}
}

/* The name before a bank suffix on the line: "みなと銀行", "Minato Bank". */
static void find_banks(const char *s, GPtrArray *out)
{
	g_autoptr(GPtrArray) suffixes = ks_thread_words("bank");
	for (guint i = 0; i < suffixes->len; i++) {
		const char *suf = suffixes->pdata[i];
		bool ascii = g_ascii_isalpha(*suf);
		const char *p = s;
		while ((p = ascii ? find_word(p, suf) : strstr(p, suf))) {
			const char *after = p + strlen(suf);
			if (ascii) {
				/* "X Bank": the capitalised word before it */
				if ((p > s && g_ascii_isalpha(p[-1])) || g_ascii_isalpha(*after)) {
					p = after;
					continue;
				}
				const char *e = p;
				while (e > s && e[-1] == ' ')
					e--;
				const char *b = e;
				while (b > s && g_ascii_isalpha(b[-1]))
					b--;
				if (e > b && g_ascii_isupper(*b))
					pay_add(out, KS_PAY_BANK, g_strdup_printf("%.*s Bank", (int)(e - b), b));
			} else {
				/* the run of letters (kanji, kana) before the suffix */
				const char *b = p;
				int n = 0;
				while (b > s && n < 12) {
					const char *prev = g_utf8_find_prev_char(s, b);
					gunichar c = prev ? g_utf8_get_char(prev) : 0;
					if (!prev || !g_unichar_isalpha(c) || c == 0x306E /* の */)
						break;
					b = prev;
					n++;
				}
				if (n > 0)
					pay_add(out, KS_PAY_BANK, g_strndup(b, after - b));
			}
			p = after;
		}
	}
}

GPtrArray *ks_thread_payment_extract(const char *text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)pay_free);
	if (!text)
		return out;
	/* text that is not UTF-8 has no NFKC: no payment details read from it */
	if (!g_utf8_validate(text, -1, NULL))
		return out;
	g_autoptr(GPtrArray) accounts = ks_thread_words("account");
	g_autoptr(GPtrArray) swifts = ks_thread_words("swift");
	ks_thread_lines lines;
	ks_thread_lines_init(&lines, text);
	/* Whether a line opens quoted text is asked only when a later line may
	 * give a token: of the lines since the last such one, in order, the
	 * first that opens a quote ends the reading, as if each had been asked
	 * in its turn (a line that gives nothing changes nothing either way). */
	g_autoptr(GArray) unasked = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < lines.n; i++) {
		const char *l = ks_thread_line(&lines, i);
		if (*l == '>' || *l == '|')
			continue;
		/* What each finder needs at the least, counted in one pass: an
		 * account is 6+ digits, an IBAN starts with 2 capitals and 2
		 * digits, a BIC with 6 capitals.  Most lines have none of these
		 * and skip the keyword searches; no token is lost, as a line
		 * short of them cannot give one. */
		size_t digits = 0, upper = 0;
		const char *e = l;
		for (; *e; e++) {
			if (g_ascii_isdigit(*e))
				digits++;
			else if (g_ascii_isupper(*e))
				upper++;
		}
		if (e - l > MAX_LINE)
			continue;
		g_array_append_val(unasked, i);
		if (digits < 6 && upper < 6 && (digits < 2 || upper < 2))
			continue;
		bool quoted = false;
		for (guint k = 0; k < unasked->len && !quoted; k++)
			quoted = ks_thread_opens_quote(&lines, g_array_index(unasked, guint, k));
		if (quoted)
			break;
		g_array_set_size(unasked, 0);
		guint before = out->len;
		for (guint k = 0; digits >= 6 && k < accounts->len; k++) {
			const char *kw = accounts->pdata[k];
			const char *p = l;
			while ((p = g_ascii_isalpha(*kw) ? find_word(p, kw) : strstr(p, kw))) {
				p += strlen(kw);
				char *acct = account_after(p, p + ACCOUNT_REACH);
				if (acct)
					pay_add(out, KS_PAY_ACCOUNT, acct);
			}
		}
		if (digits >= 2 && upper >= 2)
			find_ibans(l, out);
		for (guint k = 0; upper >= 6 && k < swifts->len; k++)
			find_swift(l, swifts->pdata[k], out);
		/* a bank's name counts only on a line that gives account details */
		if (out->len > before)
			find_banks(l, out);
	}
	ks_thread_lines_clear(&lines);
	return out;
}

const char *ks_thread_pay_kind_name(ks_pay_kind k)
{
	static const char *const names[] = {"account", "IBAN", "SWIFT/BIC", "bank"};
	return names[k];
}
