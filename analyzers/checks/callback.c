/* Callback numbers and money in mail text (callback.h). */
#include "checks/callback.h"

#include "core/data.h"
#include "core/sanitize.h"

#include <string.h>

/* How far after a call word the number may start ("call our billing desk
 * at +1 ..."). */
#define CALL_REACH 60

size_t ks_phone_at(const char *s, GString *digits)
{
	const char *p = s;
	g_string_truncate(digits, 0);
	if (*p == '+')
		p++;
	while (*p && (g_ascii_isdigit(*p) || strchr(" -.()", *p)) && digits->len <= 15) {
		if (g_ascii_isdigit(*p))
			g_string_append_c(digits, *p);
		else if (p[1] && !g_ascii_isdigit(p[1]) && !strchr("(", p[1]) && *p != ')')
			break;
		p++;
	}
	while (p > s && !g_ascii_isdigit(p[-1]))
		p--;
	return digits->len >= 9 && digits->len <= 15 ? (size_t)(p - s) : 0;
}

static void add_once(GPtrArray *out, char *number)
{
	for (guint i = 0; i < out->len; i++)
		if (strcmp(g_ptr_array_index(out, i), number) == 0) {
			g_free(number);
			return;
		}
	g_ptr_array_add(out, number);
}

/* The call words lowered, once for the program's life. */
static const GPtrArray *call_words(void)
{
	static GPtrArray *low;
	static gsize done;
	if (g_once_init_enter(&done)) {
		low = g_ptr_array_new_with_free_func(g_free);
		const GPtrArray *words = ks_data_lines("callback_words.txt");
		for (guint w = 0; words && w < words->len; w++)
			g_ptr_array_add(low, ks_utf8_down(g_ptr_array_index(words, w)));
		g_once_init_leave(&done, 1);
	}
	return low;
}

/* Does ks_phone_at find a number anywhere in text?  Lower case keeps every
 * ASCII byte where it was and makes no character a digit, a blank or one of
 * " -.()", so a text with none has none lowered either, and no call word
 * need be looked for (most mail has no nine digits in a row). */
static bool has_phone(const char *text, GString *digits)
{
	for (const char *p = text; (p = strpbrk(p, "0123456789+")); p++)
		if (ks_phone_at(p, digits))
			return true;
	return false;
}

static GPtrArray *numbers_of(const char *text)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) digits = g_string_new(NULL);
	if (!has_phone(text, digits))
		return out;
	const GPtrArray *words = call_words();
	g_autofree char *low = ks_utf8_down(text);
	for (guint w = 0; w < words->len; w++) {
		const char *word = g_ptr_array_index(words, w);
		size_t wl = strlen(word);
		for (const char *hit = strstr(low, word); hit; hit = strstr(hit + 1, word)) {
			/* a word, not a piece of one ("tel" in "hotel", "ring" in
			 * "offering"); a sign such as 📞 stands anywhere ... */
			if (hit > low && g_ascii_isalpha(word[0]) && g_ascii_isalpha(hit[-1]))
				continue;
			/* and a whole word: "bel" (Dutch) is not "below" */
			if (g_ascii_isalpha(word[wl - 1]) && g_ascii_isalpha(hit[wl]))
				continue;
			const char *end = hit + wl;
			for (int k = 0; *end && k < CALL_REACH; k++, end++) {
				if (!(g_ascii_isdigit(*end) || *end == '+' || *end == '('))
					continue;
				size_t n = ks_phone_at(end, digits);
				if (n)
					add_once(out, g_strstrip(g_strndup(end, n)));
				break;
			}
		}
	}
	return out;
}

/* The last text asked about on this thread and all its numbers: the
 * callback lure (phishing.c) and the phone IOCs (summary.c) ask of the
 * same body one after the other, and each asking lowers it and searches
 * it once per call word. */
typedef struct {
	char *text;
	GPtrArray *numbers;
} numbers_memo;

static void memo_free(gpointer p)
{
	numbers_memo *m = p;
	g_free(m->text);
	g_ptr_array_unref(m->numbers);
	g_free(m);
}

static GPrivate last_numbers = G_PRIVATE_INIT(memo_free);

GPtrArray *ks_callback_numbers(const char *text, guint max)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	if (!text || !*text)
		return out;
	numbers_memo *m = g_private_get(&last_numbers);
	if (!m || strcmp(m->text, text) != 0) {
		numbers_memo *fresh = g_new0(numbers_memo, 1);
		fresh->text = g_strdup(text);
		fresh->numbers = numbers_of(text);
		g_private_replace(&last_numbers, fresh);
		m = fresh;
	}
	/* the first max of all: the list is in text order, each number once */
	for (guint i = 0; i < m->numbers->len && out->len < max; i++)
		g_ptr_array_add(out, g_strdup(g_ptr_array_index(m->numbers, i)));
	return out;
}

/* Signs written before or after the number; codes (ISO 4217) as words. */
static const char *const signs[] = {"$", "€", "£", "¥", "₹", "円", "￥", "R$"};
static const char *const codes[] = {"usd", "eur", "gbp", "jpy", "brl", "cad", "aud", "inr", "chf"};

/* A sign of signs[] ends at e (text <= e). */
static bool sign_ends_at(const char *text, const char *e)
{
	for (size_t i = 0; i < G_N_ELEMENTS(signs); i++) {
		size_t n = strlen(signs[i]);
		if ((size_t)(e - text) >= n && memcmp(e - n, signs[i], n) == 0)
			return true;
	}
	return false;
}

static bool sign_starts_at(const char *p, const char *end)
{
	for (size_t i = 0; i < G_N_ELEMENTS(signs); i++) {
		size_t n = strlen(signs[i]);
		if ((size_t)(end - p) >= n && memcmp(p, signs[i], n) == 0)
			return true;
	}
	return false;
}

/* A code of codes[] (any case) as a whole word at [h, h + its length). */
static bool code_at(const char *text, const char *end, const char *h, size_t i)
{
	size_t n = strlen(codes[i]);
	return (size_t)(end - h) >= n && g_ascii_strncasecmp(h, codes[i], n) == 0 &&
	       (h == text || !g_ascii_isalpha(h[-1])) && (h + n >= end || !g_ascii_isalpha(h[n]));
}

/* A sign or a code ends at e, or starts at p. */
static bool money_word_ends_at(const char *text, const char *end, const char *e)
{
	if (sign_ends_at(text, e))
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(codes); i++)
		if ((size_t)(e - text) >= strlen(codes[i]) && code_at(text, end, e - strlen(codes[i]), i))
			return true;
	return false;
}

static bool money_word_starts_at(const char *text, const char *end, const char *p)
{
	if (sign_starts_at(p, end))
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(codes); i++)
		if (code_at(text, end, p, i))
			return true;
	return false;
}

bool ks_text_has_money(const char *text)
{
	if (!text)
		return false;
	const char *end = text + strlen(text);
	/* a sign or code beside a digit, one blank between them at most: each
	 * digit asks its neighbours (one pass; most text has few digits) */
	for (const char *d = text; (d = strpbrk(d, "0123456789")); d++) {
		if (money_word_ends_at(text, end, d) ||
		    (d > text && d[-1] == ' ' && money_word_ends_at(text, end, d - 1)))
			return true;
		const char *p = d + 1;
		if (money_word_starts_at(text, end, p) ||
		    (p < end && *p == ' ' && money_word_starts_at(text, end, p + 1)))
			return true;
	}
	return false;
}
