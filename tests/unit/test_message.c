/* The parser front and its decoders: message.c and charset.c on the traps
 * of real Japanese mail and of forwarded messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "mail/charset.h"
#include "mail/message.h"

#include <gmime/gmime.h>
#include <string.h>

static ks_message *parse(const char *text)
{
	GBytes *b = g_bytes_new(text, strlen(text));
	ks_message *m = ks_message_parse(b, 0, NULL);
	g_bytes_unref(b);
	assert_non_null(m);
	return m;
}

/* GMime's own decoder through its filter chain (what part_content falls
 * back on), for comparison */
static GBytes *gmime_decode(const char *enc, gsize len, GMimeContentEncoding encoding)
{
	g_mime_init();
	GMimeStream *in = g_mime_stream_mem_new_with_buffer(enc, len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(in, encoding);
	GByteArray *ba = g_byte_array_new();
	GMimeStream *out = g_mime_stream_mem_new_with_byte_array(ba);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(out), FALSE);
	g_mime_data_wrapper_write_to_stream(w, out);
	g_object_unref(out);
	g_object_unref(w);
	g_object_unref(in);
	return g_byte_array_free_to_bytes(ba);
}

static GBytes *gmime_base64(const char *enc, gsize len)
{
	return gmime_decode(enc, len, GMIME_CONTENT_ENCODING_BASE64);
}

static void clean_base64_decodes_as_gmime_does(void **state)
{
	(void)state;
	GRand *rng = g_rand_new_with_seed(20261123);
	for (int round = 0; round < 400; round++) {
		/* sizes around GMime's 4 KiB read chunks, and tiny ones */
		gsize n = round < 40 ? (gsize)round : (gsize)g_rand_int_range(rng, 1, 20000);
		guint8 *data = g_malloc(n + 1);
		for (gsize i = 0; i < n; i++)
			data[i] = (guint8)g_rand_int_range(rng, 0, 256);
		g_autofree char *flat = g_base64_encode(data, n);
		int width = g_rand_int_range(rng, 1, 5) * 19; /* 19..76 */
		const char *eol = g_rand_boolean(rng) ? "\r\n" : "\n";
		GString *enc = g_string_new(NULL);
		for (gsize i = 0, len = strlen(flat); i < len; i += (gsize)width) {
			g_string_append_len(enc, flat + i, MIN((gsize)width, len - i));
			g_string_append(enc, eol);
		}
		if (g_rand_boolean(rng))
			g_string_append(enc, " \t\n");
		GBytes *fast = ks_base64_decode_clean((const guint8 *)enc->str, enc->len);
		if (!fast)
			fail_msg("round %d, %zu bytes, width %d: not decoded", round, n, width);
		g_autoptr(GBytes) slow = gmime_base64(enc->str, enc->len);
		g_autoptr(GBytes) want = g_bytes_new(data, n);
		assert_true(g_bytes_equal(fast, want));
		assert_true(g_bytes_equal(fast, slow));
		g_bytes_unref(fast);
		g_string_free(enc, TRUE);
		g_free(data);
	}
	g_rand_free(rng);
}

/* Clean quoted-printable, as mailers write it and as they should not:
 * escapes in either case, soft breaks after LF and CRLF, blanks before a
 * line end, 8-bit bytes and lone CRs, all as GMime's decoder gives them */
static void clean_quoted_printable_decodes_as_gmime_does(void **state)
{
	(void)state;
	static const char *const pieces[] = {"a", "Z", " ", "\t", "\n", "\r\n", "\r", "=3D", "=3d",
	                                     "=E3=81=82", "=e3=81=82", "=\n", "=\r\n", "=20",
	                                     "\xe3\x81\x82", "  \n", "\t\r\n", "==41", "=\r",
	                                     "=G1", "=4", "x="};
	GRand *rng = g_rand_new_with_seed(20261207);
	int fast = 0;
	for (int round = 0; round < 30000; round++) {
		GString *enc = g_string_new(NULL);
		gint32 n = g_rand_int_range(rng, 0, 24);
		for (gint32 k = 0; k < n; k++)
			g_string_append(enc, pieces[g_rand_int_range(rng, 0, G_N_ELEMENTS(pieces))]);
		GBytes *mine = ks_qp_decode_clean((const guint8 *)enc->str, enc->len);
		if (mine) {
			fast++;
			g_autoptr(GBytes) want =
				gmime_decode(enc->str, enc->len, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
			if (!g_bytes_equal(mine, want)) {
				g_autofree char *shown = g_strescape(enc->str, NULL);
				fail_msg("\"%s\": decoded unlike GMime", shown);
			}
			g_bytes_unref(mine);
		}
		g_string_free(enc, TRUE);
	}
	g_rand_free(rng);
	/* most of them are clean: the comparison is not vacuous */
	assert_true(fast > 5000);
	assert_null(ks_qp_decode_clean((const guint8 *)"a=G1", 4));
	assert_null(ks_qp_decode_clean((const guint8 *)"a=", 2));
	assert_null(ks_qp_decode_clean((const guint8 *)"a=4", 3));
}

static void unclean_base64_is_left_to_gmime(void **state)
{
	(void)state;
	static const char *const dirty[] = {
		"QUJD\nRA",        /* no padding on the last group */
		"QUJD RA==",        /* a blank inside */
		"QQ==QUJD",         /* padding inside */
		"QU*JD",            /* a stray character */
		"QUJDR===",         /* three '=' */
		"QUJDRA=",          /* padding short of a whole group */
		"QUJDR",            /* one character over a group */
		"QUJD\x80",        /* 8-bit */
	};
	for (size_t i = 0; i < G_N_ELEMENTS(dirty); i++) {
		GBytes *b = ks_base64_decode_clean((const guint8 *)dirty[i], strlen(dirty[i]));
		if (b)
			fail_msg("decoded unclean input %zu", i);
	}
	/* and the empty part decodes to nothing */
	g_autoptr(GBytes) empty = ks_base64_decode_clean((const guint8 *)"\r\n", 2);
	assert_non_null(empty);
	assert_int_equal(g_bytes_get_size(empty), 0);
}

static void adjacent_b_words_with_padding_all_decode(void **state)
{
	(void)state;
	/* GMime 3.2.13 drops the words after one ending in '=' padding */
	g_autofree char *s = ks_rfc2047_decode(
		"=?UTF-8?B?55m65rOo5pu455Wq5Y+3Qg==?= =?UTF-8?B?NTUyOOOBruWPl+mgmA==?=", false, NULL, NULL);
	assert_string_equal(s, "発注書番号B5528の受領");
}

static void character_split_across_two_words_survives(void **state)
{
	(void)state;
	/* "日" is E6 97 A5: its bytes are split over two Q words */
	g_autofree char *s = ks_rfc2047_decode("=?UTF-8?Q?=E6=97?= =?UTF-8?Q?=A5?=", false, NULL, NULL);
	assert_string_equal(s, "日");
}

static void iso2022jp_state_carries_across_words(void **state)
{
	(void)state;
	/* the first word switches to JIS X 0208 and never switches back */
	g_autofree char *s =
		ks_rfc2047_decode("=?ISO-2022-JP?B?GyRCRnxLXA==?= =?ISO-2022-JP?B?OGwbKEI=?=", false, NULL, NULL);
	assert_string_equal(s, "日本語");
}

static void nec_row13_under_iso2022jp_label_decodes(void **state)
{
	(void)state;
	/* ESC $ B 2D 21 = NEC row 13 "①", 2D 6A = "㈱" (CP50220) */
	const char jis[] = "\x1b$B-!-j\x1b(B";
	g_autofree char *s = ks_charset_to_utf8(jis, strlen(jis), "iso-2022-jp", NULL, NULL);
	assert_string_equal(s, "①㈱");
}

static void cp932_under_shift_jis_label_decodes(void **state)
{
	(void)state;
	/* 0xFBFC is the IBM extension 髙, 0x8740 NEC ①: not in strict Shift_JIS */
	const char sjis[] = "\xfb\xfc\x87\x40";
	g_autofree char *s = ks_charset_to_utf8(sjis, 4, "Shift_JIS", NULL, NULL);
	assert_string_equal(s, "髙①");
}

static void raw_8bit_header_is_utf8_or_else_cp932(void **state)
{
	(void)state;
	g_autofree char *u = ks_charset_guess_to_utf8("\xe6\x97\xa5", 3, NULL);
	assert_string_equal(u, "日");
	g_autofree char *c = ks_charset_guess_to_utf8("\x93\xfa\x96\x7b", 4, NULL);
	assert_string_equal(c, "日本");
}

static void broken_encoded_word_stays_as_raw_text(void **state)
{
	(void)state;
	g_autofree char *s = ks_rfc2047_decode("Re: =?UTF-8?X?abc?= done", false, NULL, NULL);
	assert_string_equal(s, "Re: =?UTF-8?X?abc?= done");
}

static void rfc2231_jis_continuations_join_before_decoding(void **state)
{
	(void)state;
	g_autofree char *s = ks_param_get(
		"attachment; filename*0*=iso-2022-jp''%1B%24BF%7C; filename*1*=K%5C%1B%28B.txt",
		"filename", NULL, NULL);
	assert_string_equal(s, "日本.txt");
}

static void encoded_word_in_quoted_filename_is_decoded(void **state)
{
	(void)state;
	g_autofree char *s =
		ks_param_get("attachment; filename=\"=?UTF-8?B?6KuL5rGC5pu4LnBkZg==?=\"", "filename", NULL, NULL);
	assert_string_equal(s, "請求書.pdf");
}

static void body_without_charset_but_jis_escapes_is_iso2022jp(void **state)
{
	(void)state;
	ks_message *m = parse("From: a@b.example\nSubject: x\nContent-Type: text/plain\n\n"
	                      "\x1b$BF|K\\\x1b(B\n");
	assert_non_null(m->body_plain);
	assert_non_null(strstr(m->body_plain, "日本"));
	ks_message_free(m);
}

static void crlf_and_lf_give_the_same_headers(void **state)
{
	(void)state;
	ks_message *a = parse("From: A <a@b.example>\r\nSubject: =?UTF-8?B?5pel?=\r\n\r\nhi\r\n");
	ks_message *b = parse("From: A <a@b.example>\nSubject: =?UTF-8?B?5pel?=\n\nhi\n");
	assert_string_equal(ks_message_header(a, "Subject"), "日");
	assert_string_equal(ks_message_header(b, "Subject"), "日");
	assert_string_equal(ks_message_header(a, "From"), ks_message_header(b, "From"));
	ks_message_free(a);
	ks_message_free(b);
}

static void mbox_from_line_is_not_a_header(void **state)
{
	(void)state;
	ks_message *m = parse("From a@b.example Mon Jan  1 00:00:00 2024\nFrom: a@b.example\n"
	                      "Subject: s\n\nbody\n");
	assert_int_equal(m->headers->len, 2);
	assert_string_equal(((ks_raw_header *)g_ptr_array_index(m->headers, 0))->name, "From");
	ks_message_free(m);
}

static const char forwarded[] =
	"From: carrier@a.example\nSubject: fwd\nMIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\nsee below\n"
	"--XX\nContent-Type: %s\n%s\n"
	"From: evil@b.example\nSubject: inner\n\ninner body\n--XX--\n";

static void forwarded_rfc822_part_is_parsed_as_a_message(void **state)
{
	(void)state;
	g_autofree char *text = g_strdup_printf(forwarded, "message/rfc822", "");
	ks_message *m = parse(text);
	ks_mime_part *p = NULL;
	for (guint i = 0; i < m->parts->len; i++) {
		ks_mime_part *q = g_ptr_array_index(m->parts, i);
		if (q->embedded)
			p = q;
	}
	assert_non_null(p);
	assert_string_equal(p->path, "2");
	assert_string_equal(ks_message_header(p->embedded, "Subject"), "inner");
	assert_int_equal(p->embedded->depth, 1);
	ks_message_free(m);
}

static void eml_sent_as_octet_stream_is_parsed_as_a_message(void **state)
{
	(void)state;
	g_autofree char *text = g_strdup_printf(
		forwarded, "application/octet-stream; name=\"x.eml\"",
		"Content-Disposition: attachment; filename=\"x.eml\"\n");
	ks_message *m = parse(text);
	bool found = false;
	for (guint i = 0; i < m->parts->len; i++) {
		ks_mime_part *q = g_ptr_array_index(m->parts, i);
		if (q->embedded) {
			found = true;
			assert_string_equal(ks_message_header(q->embedded, "From"), "evil@b.example");
		}
	}
	assert_true(found);
	ks_message_free(m);
}

/* A Google Calendar invite's application/ics part: content lines that read
 * like headers, but no message (it once raised three input.malformed). */
static void calendar_and_vcard_are_not_messages(void **state)
{
	(void)state;
	const char *ics = "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
	                  "VERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n";
	assert_false(ks_message_looks_like_mail((const guint8 *)ics, strlen(ics)));
	const char *vcf = "\nbegin:vcard\nVERSION:4.0\nFN:Hanako Sato\n";
	assert_false(ks_message_looks_like_mail((const guint8 *)vcf, strlen(vcf)));
	/* the near miss: mail whose first header merely starts alike */
	const char *mail = "Begin-Date: today\nFrom: a@b.example\nSubject: x\n\nbody\n";
	assert_true(ks_message_looks_like_mail((const guint8 *)mail, strlen(mail)));
}

static void plain_text_is_not_a_message(void **state)
{
	(void)state;
	const char *t = "Hello there,\nthis is just text.\n";
	assert_false(ks_message_looks_like_mail((const guint8 *)t, strlen(t)));
	GError *err = NULL;
	GBytes *b = g_bytes_new(t, strlen(t));
	assert_null(ks_message_parse(b, 0, &err));
	assert_non_null(err);
	g_error_free(err);
	g_bytes_unref(b);
}

static void multipart_without_parts_is_a_problem_not_a_failure(void **state)
{
	(void)state;
	ks_message *m = parse("From: a@b.example\nContent-Type: multipart/mixed; boundary=ZZ\n\n"
	                      "no boundary ever appears\n");
	assert_true(m->problems->len >= 1);
	ks_message_free(m);
}

/* A NUL byte in a text part must not end the body there (the rest is what
 * the analyzers read); it is dropped and reported. */
static void nul_in_body_is_dropped_not_the_end_of_the_text(void **state)
{
	(void)state;
	static const char raw[] = "From: a@b.example\nSubject: x\n"
	                          "Content-Type: text/plain; charset=UTF-8\n\nhello\0world\n";
	g_autoptr(GBytes) b = g_bytes_new(raw, sizeof raw - 1);
	ks_message *m = ks_message_parse(b, 0, NULL);
	assert_non_null(m);
	assert_non_null(strstr(m->body_plain, "helloworld"));
	assert_true(m->problems->len >= 1);
	ks_message_free(m);
}

static bool has_problem(const ks_message *m, const char *part)
{
	for (guint i = 0; i < m->problems->len; i++)
		if (strstr(g_ptr_array_index(m->problems, i), part))
			return true;
	return false;
}

static void nul_in_a_header_is_a_problem_only_there(void **state)
{
	(void)state;
	static const char in_header[] = "From: a@b.example\nSubject: nul\0byte\n\nbody\n";
	g_autoptr(GBytes) b = g_bytes_new(in_header, sizeof in_header - 1);
	ks_message *m = ks_message_parse(b, 0, NULL);
	assert_non_null(m);
	assert_true(has_problem(m, "NUL byte in the header block"));
	ks_message_free(m);
	/* after the blank line (CRLF here) it is the body's business */
	static const char in_body[] = "From: a@b.example\r\nSubject: ok\r\n\r\nbo\0dy\r\n";
	g_autoptr(GBytes) c = g_bytes_new(in_body, sizeof in_body - 1);
	m = ks_message_parse(c, 0, NULL);
	assert_non_null(m);
	assert_false(has_problem(m, "NUL byte in the header block"));
	ks_message_free(m);
}

static void utf8_bom_is_not_part_of_the_body(void **state)
{
	(void)state;
	ks_message *m = parse("From: a@b.example\nSubject: x\n"
	                      "Content-Type: text/plain; charset=UTF-8\n\n\xEF\xBB\xBFhello\n");
	assert_true(g_str_has_prefix(m->body_plain, "hello"));
	ks_message_free(m);
}

/* A raw 8-bit Subject is read in a charset the message declares elsewhere
 * (a part's charset=, an encoded-word's): ISO-8859-2 "Domače", where CP932
 * made "Doma鐺" */
static void raw_header_uses_the_message_declared_charsets(void **state)
{
	(void)state;
	ks_message *m = parse("From: a@b.example\nSubject: Doma\xE8" "e\nMIME-Version: 1.0\n"
	                      "Content-Type: text/plain; charset=iso-8859-2\n\nRa\xE8un\n");
	assert_string_equal(ks_message_header(m, "Subject"), "Domače");
	assert_string_equal(m->body_plain, "Račun\n");
	ks_message_free(m);
	m = parse("From: =?ISO-8859-2?Q?Ji=F8=ED?= <a@b.example>\nSubject: Doma\xE8" "e\n\nb\n");
	assert_string_equal(ks_message_header(m, "Subject"), "Domače");
	ks_message_free(m);
}

/* a part without a charset: Latin-1 text is not CP932 */
static void charsetless_latin1_body_is_not_cp932(void **state)
{
	(void)state;
	ks_message *m = parse("From: a@b.example\nSubject: s\n\nDie Hasen und die Fr\xF6sche\n");
	assert_string_equal(m->body_plain, "Die Hasen und die Frösche\n");
	ks_message_free(m);
}

/* an RFC 2231 file name keeps its NUL: the part says the whole length */
static void rfc2231_nul_in_a_file_name_is_kept(void **state)
{
	(void)state;
	ks_message *m = parse("From: a@b.example\nMIME-Version: 1.0\n"
	                      "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
	                      "Content-Type: text/plain\n\nhi\n--b\n"
	                      "Content-Type: application/octet-stream\n"
	                      "Content-Disposition: attachment; filename*=UTF-8''x%00y%0A.exe\n\n"
	                      "TVo=\n--b--\n");
	ks_mime_part *p = g_ptr_array_index(m->parts, 1);
	assert_int_equal(p->filename_len, 8);
	assert_memory_equal(p->filename, "x\0y\n.exe", 8);
	ks_message_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(raw_header_uses_the_message_declared_charsets),
		cmocka_unit_test(charsetless_latin1_body_is_not_cp932),
		cmocka_unit_test(rfc2231_nul_in_a_file_name_is_kept),
		cmocka_unit_test(adjacent_b_words_with_padding_all_decode),
		cmocka_unit_test(character_split_across_two_words_survives),
		cmocka_unit_test(iso2022jp_state_carries_across_words),
		cmocka_unit_test(nec_row13_under_iso2022jp_label_decodes),
		cmocka_unit_test(cp932_under_shift_jis_label_decodes),
		cmocka_unit_test(raw_8bit_header_is_utf8_or_else_cp932),
		cmocka_unit_test(broken_encoded_word_stays_as_raw_text),
		cmocka_unit_test(rfc2231_jis_continuations_join_before_decoding),
		cmocka_unit_test(encoded_word_in_quoted_filename_is_decoded),
		cmocka_unit_test(body_without_charset_but_jis_escapes_is_iso2022jp),
		cmocka_unit_test(crlf_and_lf_give_the_same_headers),
		cmocka_unit_test(mbox_from_line_is_not_a_header),
		cmocka_unit_test(forwarded_rfc822_part_is_parsed_as_a_message),
		cmocka_unit_test(eml_sent_as_octet_stream_is_parsed_as_a_message),
		cmocka_unit_test(plain_text_is_not_a_message),
		cmocka_unit_test(calendar_and_vcard_are_not_messages),
		cmocka_unit_test(multipart_without_parts_is_a_problem_not_a_failure),
		cmocka_unit_test(nul_in_body_is_dropped_not_the_end_of_the_text),
		cmocka_unit_test(utf8_bom_is_not_part_of_the_body),
		cmocka_unit_test(nul_in_a_header_is_a_problem_only_there),
		cmocka_unit_test(clean_base64_decodes_as_gmime_does),
		cmocka_unit_test(clean_quoted_printable_decodes_as_gmime_does),
		cmocka_unit_test(unclean_base64_is_left_to_gmime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
