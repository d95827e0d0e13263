/* The case store: creation, forward migrations from every older version,
 * one transaction per write (a failed write leaves nothing), duplicates,
 * full-text search over Japanese and ASCII, and the analysis context it
 * loads.  With KENSA_TEST_PG (the socket directory of tests/pg/cluster.sh's
 * throwaway cluster, as tests/run.sh's pg step sets it) every store is a
 * new database on that server instead, and the same tests run on the
 * PostgreSQL engine but those about the SQLite file itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/analyze.h"
#include "cases.h"
#include "knowledge.h"
#include "store.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char message_text[] =
	"From: =?UTF-8?B?5bGx55SwIOWkqumDjg==?= <ceo-office@hoshizora-denk0.co.jp>\r\n"
	"To: keiri@hoshizora-denko.co.jp\r\n"
	"Subject: =?UTF-8?B?44CQ6Iez5oCl44CR6LK35Y+O5qGI5Lu2?=\r\n"
	"Date: Thu, 12 Dec 2024 10:14:31 +0900\r\n"
	"Message-ID: <unit-1@hoshizora-denk0.co.jp>\r\n"
	"MIME-Version: 1.0\r\n"
	"Content-Type: multipart/mixed; boundary=\"b\"\r\n"
	"\r\n"
	"--b\r\n"
	"Content-Type: text/plain; charset=UTF-8\r\n"
	"Content-Transfer-Encoding: 8bit\r\n"
	"\r\n"
	"極秘の案件です。振込先の変更をお願いします。 Please wire the funds today.\r\n"
	"--b\r\n"
	"Content-Type: application/octet-stream; name=\"invoice.bin\"\r\n"
	"Content-Disposition: attachment; filename=\"invoice.bin\"\r\n"
	"\r\n"
	"some bytes that are an attachment\r\n"
	"--b--\r\n";

typedef struct {
	char *dir;
	char *path; /* the store: a file, or a postgresql:// URL */
	bool pg;
} fixture;

/* A new, empty store's location: path with suffix, or a new database on
 * the test cluster. */
static char *location(fixture *f, const char *suffix)
{
	const char *sock = g_getenv("KENSA_TEST_PG");
	if (!sock || !*sock)
		return g_strdup_printf("%s%s", f->path, suffix);
	g_autofree char *db = g_strdup_printf("unit_%08x%08x", g_random_int(), g_random_int());
	g_autofree char *sql = g_strdup_printf("CREATE DATABASE %s", db);
	const char *argv[] = {"psql", "-qX", "-h", sock, "-U", "kensa", "-d", "postgres", "-c", sql,
	                      NULL};
	gint status = -1;
	assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
	                         NULL, &status, NULL));
	assert_int_equal(status, 0);
	return g_strdup_printf("postgresql://kensa@/%s?host=%s", db, sock);
}

static int setup(void **state)
{
	fixture *f = g_new0(fixture, 1);
	f->dir = g_dir_make_tmp("kensa-store-XXXXXX", NULL);
	f->path = g_build_filename(f->dir, "sub", "dir", "kensa.db", NULL);
	f->pg = g_getenv("KENSA_TEST_PG") && *g_getenv("KENSA_TEST_PG");
	if (f->pg) {
		char *url = location(f, "");
		g_free(f->path);
		f->path = url;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	g_free(f->dir);
	g_free(f->path);
	g_free(f);
	return 0;
}

static ks_report *analyse(const char *text, GBytes **raw)
{
	*raw = g_bytes_new_static(text, strlen(text));
	GError *err = NULL;
	ks_report *r = ks_analyze_bytes(*raw, "unit.eml", "eml", NULL, &err);
	assert_non_null(r);
	return r;
}

static void new_store_is_created_private_at_latest_version(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	ks_store *s = ks_store_open(f->path, &err);
	assert_null(err);
	assert_non_null(s);
	assert_int_equal(ks_store_version(s), KS_STORE_VERSION);
	assert_true(ks_store_check(s, NULL));
	assert_string_equal(ks_store_engine(s), f->pg ? "postgresql" : "sqlite");
	ks_store_close(s);
	if (f->pg)
		return; /* the rest is about the file */
	struct stat st;
	assert_int_equal(g_stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	g_autofree char *dir = g_path_get_dirname(f->path);
	assert_int_equal(g_stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
}

static void open_existing_does_not_create(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	assert_null(ks_store_open_existing(f->path, &err));
	assert_null(err);
	assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS));
	/* and a second look still finds nothing: no table was made */
	assert_null(ks_store_open_existing(f->path, &err));
	assert_null(err);
}

/* A store made by an older kensa (version v), with a case and a note when
 * the schema had them, opens at the latest version with everything kept and
 * indexed for search. */
static void every_older_version_migrates_forward(void **state)
{
	fixture *f = *state;
	for (int v = 0; v < KS_STORE_VERSION; v++) {
		g_autofree char *suffix = g_strdup_printf(".v%d", v);
		g_autofree char *path = location(f, suffix);
		GError *err = NULL;
		ks_store *s = ks_store_open_at(path, v, &err);
		assert_non_null(s);
		assert_int_equal(ks_store_version(s), v);
		int64_t id = 0, nid = 0;
		if (v >= 1) {
			assert_true(ks_case_create(s, "旧版の案件", &id, &err));
			assert_true(ks_case_add_note(s, id, "tester", "振込先の変更を確認", NULL, &nid,
			                             &err));
		}
		ks_store_close(s);

		s = ks_store_open(path, &err);
		if (!s)
			fail_msg("version %d: %s", v, err->message);
		assert_int_equal(ks_store_version(s), KS_STORE_VERSION);
		assert_true(ks_store_check(s, NULL));
		/* the version 2 tables exist whatever the start */
		g_autoptr(GPtrArray) domains = ks_domain_list(s, &err);
		assert_non_null(domains);
		if (v >= 1) {
			g_autoptr(ks_case) c = ks_case_get(s, id, &err);
			assert_non_null(c);
			assert_string_equal(c->title, "旧版の案件");
			assert_int_equal(c->notes, 1);
			g_autoptr(GPtrArray) hits = ks_store_search(s, "振込先", &err);
			assert_non_null(hits);
			assert_int_equal(hits->len, 1);
			g_autoptr(GPtrArray) titled = ks_store_search(s, "旧版の案件", &err);
			assert_int_equal(titled->len, 1);
		}
		ks_store_close(s);
	}
}

/* The schema version is the 32-bit big-endian integer at offset 60 of the
 * database header (sqlite.org/fileformat2.html, 1.3). */
static void set_user_version(const char *path, uint32_t v)
{
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};
	assert_int_equal(pwrite(fd, b, 4, 60), 4);
	close(fd);
}

static void newer_version_is_refused(void **state)
{
	fixture *f = *state;
	if (f->pg)
		skip(); /* the file header; tests/pg/test_pg.py refuses a newer schema on the server */
	GError *err = NULL;
	ks_store_close(ks_store_open(f->path, &err));
	set_user_version(f->path, KS_STORE_VERSION + 5);
	ks_store *s = ks_store_open(f->path, &err);
	assert_null(s);
	assert_non_null(err);
	assert_int_equal(err->code, KS_ERROR_DB);
	assert_non_null(strstr(err->message, "newer"));
	g_error_free(err);
}

static void a_file_that_is_not_a_database_is_refused(void **state)
{
	fixture *f = *state;
	if (f->pg)
		skip(); /* an SQLite file with text in it */
	g_autofree char *dir = g_path_get_dirname(f->path);
	g_mkdir_with_parents(dir, 0700);
	assert_true(g_file_set_contents(f->path, "From: not a database\n\nhello\n", -1, NULL));
	GError *err = NULL;
	assert_null(ks_store_open(f->path, &err));
	assert_non_null(err);
	assert_int_equal(err->code, KS_ERROR_DB);
	g_error_free(err);
}

static void adding_the_same_message_twice_is_a_noop(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(f->path, &err);
	int64_t id;
	assert_true(ks_case_create(s, "dup", &id, &err));
	GBytes *raw;
	g_autoptr(ks_report) r = analyse(message_text, &raw);
	bool dup = true;
	int64_t mid = 0, mid2 = 0;
	assert_true(ks_case_add_message(s, id, raw, r, &dup, &mid, &err));
	assert_false(dup);
	assert_true(ks_case_add_message(s, id, raw, r, &dup, &mid2, &err));
	assert_true(dup);
	assert_int_equal(mid, mid2);
	g_autoptr(ks_case) c = ks_case_get(s, id, &err);
	assert_int_equal(c->messages, 1);
	/* the raw bytes come back as they went in */
	g_autoptr(GBytes) back = ks_case_message_raw(s, mid, &err);
	assert_true(g_bytes_equal(back, raw));
	g_bytes_unref(raw);
}

static const ks_case_ioc *ioc_in(const GPtrArray *iocs, const char *value)
{
	for (guint i = 0; i < iocs->len; i++) {
		const ks_case_ioc *o = g_ptr_array_index(iocs, i);
		if (strcmp(o->value, value) == 0)
			return o;
	}
	return NULL;
}

/* The analyst's role for an indicator stands over the roles of messages
 * added later; an indicator nobody judged still merges as before (the
 * victim's in one message is the victim's). */
static void a_judged_ioc_keeps_the_analysts_role(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(f->path, &err);
	int64_t id, mid = 0;
	bool dup = false;
	assert_true(ks_case_create(s, "judged", &id, &err));
	GBytes *raw;
	g_autoptr(ks_report) r = analyse(message_text, &raw);
	assert_true(ks_case_add_message(s, id, raw, r, &dup, &mid, &err));
	g_bytes_unref(raw);

	g_autofree char *was = NULL;
	assert_true(ks_case_judge_ioc(s, id, mid, "email", "ceo-office@hoshizora-denk0.co.jp",
	                              "attacker", "alice", &was, &err));
	assert_string_equal(was, "attacker");
	g_clear_pointer(&was, g_free);
	/* one the case did not hold: added, with no message behind it */
	assert_true(ks_case_judge_ioc(s, id, 0, "domain", "cdn.shared-host.example", "attacker",
	                              "alice", &was, &err));
	assert_null(was);

	/* a second message where both the sender and the shared host read as
	 * the victim's (a hijacked partner's thread) */
	g_autofree char *second = g_strdup(message_text);
	memcpy(strstr(second, "unit-1@"), "unit-2@", 7);
	GBytes *raw2;
	g_autoptr(ks_report) r2 = analyse(second, &raw2);
	for (guint i = 0; i < r2->iocs->len; i++)
		((ks_ioc *)g_ptr_array_index(r2->iocs, i))->role = KS_IOC_ROLE_VICTIM;
	ks_ioc *shared = g_new0(ks_ioc, 1);
	shared->kind = KS_IOC_DOMAIN;
	shared->value = g_strdup("cdn.shared-host.example");
	shared->role = KS_IOC_ROLE_BENIGN;
	g_ptr_array_add(r2->iocs, shared);
	int64_t mid2 = 0;
	assert_true(ks_case_add_message(s, id, raw2, r2, &dup, &mid2, &err));
	assert_false(dup);
	g_bytes_unref(raw2);

	g_autoptr(GPtrArray) iocs = ks_case_iocs(s, id, &err);
	const ks_case_ioc *judged = ioc_in(iocs, "ceo-office@hoshizora-denk0.co.jp");
	assert_non_null(judged);
	assert_string_equal(judged->role, "attacker");
	assert_string_equal(judged->judged_by, "alice");
	const ks_case_ioc *host = ioc_in(iocs, "cdn.shared-host.example");
	assert_string_equal(host->role, "attacker");
	/* the near miss: the sender's domain nobody judged merges to victim */
	const ks_case_ioc *domain = ioc_in(iocs, "hoshizora-denk0.co.jp");
	assert_non_null(domain);
	assert_string_equal(domain->role, "victim");
	assert_null(domain->judged_by);
}

/* Which case holds a message's bytes, asked once: none, then the one case
 * that has it, then of two cases the one updated last. */
static void the_case_holding_a_message_is_found_in_one_query(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(f->path, &err);
	GBytes *raw;
	g_autoptr(ks_report) r = analyse(message_text, &raw);
	int64_t mid = -7, a, b, m1, m2;
	assert_int_equal(ks_case_holding_message(s, r->sha256, &mid, &err), 0);
	assert_int_equal(mid, -7);
	assert_true(ks_case_create(s, "first", &a, &err));
	assert_true(ks_case_create(s, "second", &b, &err));
	bool dup;
	assert_true(ks_case_add_message(s, a, raw, r, &dup, &m1, &err));
	assert_int_equal(ks_case_holding_message(s, r->sha256, &mid, &err), a);
	assert_int_equal(mid, m1);
	assert_true(ks_case_add_message(s, b, raw, r, &dup, &m2, &err));
	assert_int_equal(ks_case_holding_message(s, r->sha256, &mid, &err), b);
	assert_int_equal(mid, m2);
	/* `case add` names the other cases that hold the same message */
	g_autoptr(GArray) others_a = ks_case_others_holding(s, r->sha256, a, &err);
	g_autoptr(GArray) others_b = ks_case_others_holding(s, r->sha256, b, &err);
	assert_int_equal(others_a->len, 1);
	assert_int_equal(g_array_index(others_a, gint64, 0), b);
	assert_int_equal(others_b->len, 1);
	assert_int_equal(g_array_index(others_b, gint64, 0), a);
	assert_int_equal(ks_case_holding_message(s, "00", &mid, &err), 0);
	g_bytes_unref(raw);
}

/* A message for a case that does not exist fails as a whole: no message,
 * no attachment, no IOC row is left behind. */
static void a_failed_write_leaves_nothing(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(f->path, &err);
	GBytes *raw;
	g_autoptr(ks_report) r = analyse(message_text, &raw);
	bool dup = false;
	int64_t mid = 0;
	assert_false(ks_case_add_message(s, 42, raw, r, &dup, &mid, &err));
	assert_non_null(err);
	assert_non_null(strstr(err->message, "no case 42"));
	g_clear_error(&err);
	int64_t nid;
	assert_false(ks_case_add_note(s, 42, "a", "lost", NULL, &nid, &err));
	g_clear_error(&err);
	g_autoptr(ks_context) ctx = ks_context_new();
	assert_true(ks_store_load_context(s, ctx, NULL, &err));
	assert_int_equal(ctx->known_attachments->len, 0);
	g_autoptr(GPtrArray) hits = ks_store_search(s, "lost", &err);
	assert_int_equal(hits->len, 0);
	assert_true(ks_store_check(s, NULL));
	g_bytes_unref(raw);
}

static void two_handles_on_one_file_both_write(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) a = ks_store_open(f->path, &err);
	g_autoptr(ks_store) b = ks_store_open(f->path, &err);
	assert_non_null(a);
	assert_non_null(b);
	int64_t id, nid;
	assert_true(ks_case_create(a, "shared", &id, &err));
	for (int i = 0; i < 20; i++) {
		g_autofree char *t = g_strdup_printf("note %d", i);
		assert_true(ks_case_add_note(i % 2 ? a : b, id, "x", t, NULL, &nid, &err));
	}
	g_autoptr(ks_case) c = ks_case_get(b, id, &err);
	assert_int_equal(c->notes, 20);
}

static void search_finds_japanese_and_ascii_words(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(f->path, &err);
	int64_t id, nid;
	assert_true(ks_case_create(s, "CEO fraud", &id, &err));
	GBytes *raw;
	g_autoptr(ks_report) r = analyse(message_text, &raw);
	bool dup;
	int64_t mid;
	assert_true(ks_case_add_message(s, id, raw, r, &dup, &mid, &err));
	assert_true(ks_case_add_note(s, id, "analyst", "Reply-To はフリーメール", "header:Reply-To",
	                             &nid, &err));
	static const struct {
		const char *query;
		guint hits;
	} cases[] = {
		{"振込先", 1},             /* three kanji, body, through the trigram index */
		{"極秘", 1},               /* two kanji: below a trigram, matched by LIKE */
		{"買収案件", 1},           /* the decoded subject */
		{"HOSHIZORA-DENK0", 1},   /* sender, any case, punctuation kept */
		{"フリーメール", 1},       /* a note */
		{"wire funds", 1},        /* every word, not the phrase */
		{"wire 極秘", 1},
		{"wire bitcoin", 0},
		{"\"quoted", 0},          /* FTS5 syntax characters are only text */
		{"fraud", 1},             /* the case title */
		{"", 0},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) hits = ks_store_search(s, cases[i].query, &err);
		if (!hits)
			fail_msg("%s: %s", cases[i].query, err->message);
		if (hits->len != cases[i].hits)
			fail_msg("\"%s\": %u hits, want %u", cases[i].query, hits->len, cases[i].hits);
	}
	g_bytes_unref(raw);
}

static void context_holds_knowledge_and_leaves_the_message_out(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(f->path, &err);
	assert_true(ks_protect_add(s, "Hoshizora-Denko.co.jp.", "星空電工", &err));
	bool existed = true;
	assert_true(ks_contact_add(s, "山田 太郎", "Taro.Yamada@hoshizora-denko.co.jp", &existed,
	                           &err));
	assert_false(existed);
	assert_true(ks_contact_add(s, "山田 太郎", "taro.yamada@hoshizora-denko.co.jp", &existed,
	                           &err));
	assert_true(existed);
	g_autoptr(GDateTime) t = g_date_time_new_from_iso8601("2024-12-01T09:00:00+09:00", NULL);
	bool replaced = true;
	assert_true(ks_domain_add(s, "hoshizora-denk0.co.jp", t, "manual", &replaced, &err));
	assert_false(replaced);
	int64_t id;
	assert_true(ks_case_create(s, "c", &id, &err));
	GBytes *raw;
	g_autoptr(ks_report) r = analyse(message_text, &raw);
	bool dup;
	int64_t mid;
	assert_true(ks_case_add_message(s, id, raw, r, &dup, &mid, &err));

	g_autoptr(ks_context) ctx = ks_context_new();
	assert_true(ks_store_load_context(s, ctx, NULL, &err));
	assert_int_equal(ctx->protected_domains->len, 1);
	assert_string_equal(g_ptr_array_index(ctx->protected_domains, 0), "hoshizora-denko.co.jp");
	assert_int_equal(ctx->contacts->len, 1);
	const ks_contact *c = g_ptr_array_index(ctx->contacts, 0);
	assert_string_equal(c->address, "taro.yamada@hoshizora-denko.co.jp");
	const ks_registration *reg = ks_context_registration(ctx, "hoshizora-denk0.co.jp");
	assert_non_null(reg);
	g_autofree char *when = g_date_time_format_iso8601(reg->registered);
	assert_string_equal(when, "2024-12-01T09:00:00+09");
	/* the attachment and the message itself */
	assert_int_equal(ctx->known_attachments->len, 2);
	const ks_known_attachment *k = NULL;
	for (guint i = 0; i < ctx->known_attachments->len; i++) {
		const ks_known_attachment *x = g_ptr_array_index(ctx->known_attachments, i);
		if (g_strcmp0(x->filename, "invoice.bin") == 0)
			k = x;
	}
	assert_non_null(k);
	assert_int_equal(k->size, 33); /* the CRLF before the boundary is not part of it */
	assert_int_equal(k->case_id, id);

	g_autoptr(ks_context) without = ks_context_new();
	assert_true(ks_store_load_context(s, without, r->sha256, &err));
	assert_int_equal(without->known_attachments->len, 0);

	/* analysed again with that context, the attachment was seen before */
	g_autoptr(ks_report) again = ks_analyze_bytes(raw, "again.eml", "eml", ctx, &err);
	assert_true(ks_report_has_finding(again, KS_RULE_ATTACHMENT_SEEN_BEFORE));
	assert_true(ks_report_has_finding(again, KS_RULE_IDENTITY_YOUNG_DOMAIN));
	g_autoptr(ks_report) fresh = ks_analyze_bytes(raw, "fresh.eml", "eml", without, &err);
	assert_false(ks_report_has_finding(fresh, KS_RULE_ATTACHMENT_SEEN_BEFORE));
	g_bytes_unref(raw);
}

static void protect_remove_reports_whether_it_removed(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(f->path, &err);
	assert_true(ks_protect_add(s, "kogane-parts.co.jp", NULL, &err));
	bool removed = false;
	assert_true(ks_protect_remove(s, "KOGANE-PARTS.CO.JP", &removed, &err));
	assert_true(removed);
	assert_true(ks_protect_remove(s, "kogane-parts.co.jp", &removed, &err));
	assert_false(removed);
	assert_false(ks_protect_add(s, "not a domain", NULL, &err));
	g_clear_error(&err);
}

static void expect_norm(char *(*norm)(const char *), const char *in, const char *want)
{
	g_autofree char *got = norm(in);
	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
}

/* Knowledge values are stored in one form, whatever the analyst typed. */
static void domains_and_allowed_values_are_normalised(void **state)
{
	(void)state;
	expect_norm(ks_domain_normalize, " Example.COM. ", "example.com");
	expect_norm(ks_domain_normalize, "日本語.jp", "xn--wgv71a119e.jp");
	expect_norm(ks_domain_normalize, "Ｅｘａｍｐｌｅ.JP", "example.jp");
	expect_norm(ks_domain_normalize, "localhost", NULL);
	expect_norm(ks_domain_normalize, "a..b.com", NULL);
	expect_norm(ks_domain_normalize, "foo bar.com", NULL);
	expect_norm(ks_domain_normalize, "300.1.1.1", NULL);
	expect_norm(ks_domain_normalize, "", NULL);
	expect_norm(ks_allow_normalize, "203.0.113.0/24", "203.0.113.0/24");
	expect_norm(ks_allow_normalize, " 203.0.113.5 ", "203.0.113.5");
	expect_norm(ks_allow_normalize, "2001:DB8::/32", "2001:db8::/32");
	expect_norm(ks_allow_normalize, "Relay.Partner.CO.JP.", "relay.partner.co.jp");
	expect_norm(ks_allow_normalize, "10.0.0.0/33", NULL);
	expect_norm(ks_allow_normalize, "300.1.1.1", NULL);
}

/* Adding again replaces (a registration) or says it was known (a contact);
 * an allowed value comes back in its stored form and goes away once. */
static void knowledge_rows_replace_and_remove_once(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(f->path, &err);
	g_autoptr(GDateTime) t1 = g_date_time_new_utc(2024, 12, 10, 6, 0, 0);
	g_autoptr(GDateTime) t2 = g_date_time_new_utc(2024, 12, 11, 6, 0, 0);
	bool replaced = true, existed = true, removed = false;
	assert_true(ks_domain_add(s, "Hoshizora-Denk0.co.jp", t1, "manual", &replaced, &err));
	assert_false(replaced);
	assert_true(ks_domain_add(s, "hoshizora-denk0.co.jp.", t2, "rdap", &replaced, &err));
	assert_true(replaced);
	g_autoptr(GPtrArray) doms = ks_domain_list(s, &err);
	assert_int_equal(doms->len, 1);
	const ks_domain_record *d = doms->pdata[0];
	assert_string_equal(d->domain, "hoshizora-denk0.co.jp");
	assert_string_equal(d->source, "rdap");
	assert_true(ks_contact_add(s, "山田 太郎", "taro@example.jp", &existed, &err));
	assert_false(existed);
	assert_true(ks_contact_add(s, "山田 太郎", "taro@example.jp", &existed, &err));
	assert_true(existed);
	assert_true(ks_allow_add(s, "Relay.Partner.CO.JP", "their relay", &err));
	assert_false(ks_allow_add(s, "not a value", NULL, &err));
	assert_non_null(err);
	g_clear_error(&err);
	g_autoptr(GPtrArray) allowed = ks_allow_list(s, &err);
	assert_int_equal(allowed->len, 1);
	assert_string_equal(((ks_allowed_record *)allowed->pdata[0])->value, "relay.partner.co.jp");
	assert_true(ks_allow_remove(s, "relay.partner.co.jp.", &removed, &err));
	assert_true(removed);
	assert_true(ks_allow_remove(s, "relay.partner.co.jp", &removed, &err));
	assert_false(removed);
}

static void verdicts_are_checked(void **state)
{
	fixture *f = *state;
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(f->path, &err);
	int64_t id;
	assert_true(ks_case_create(s, "v", &id, &err));
	assert_true(ks_case_set_verdict(s, id, "bec", &err));
	assert_false(ks_case_set_verdict(s, id, "evil", &err));
	g_clear_error(&err);
	assert_false(ks_case_set_verdict(s, id + 1, "benign", &err));
	g_clear_error(&err);
	g_autoptr(ks_case) c = ks_case_get(s, id, &err);
	assert_string_equal(c->verdict, "bec");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(new_store_is_created_private_at_latest_version, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(open_existing_does_not_create, setup, teardown),
		cmocka_unit_test_setup_teardown(every_older_version_migrates_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(a_judged_ioc_keeps_the_analysts_role, setup, teardown),
		cmocka_unit_test_setup_teardown(newer_version_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(a_file_that_is_not_a_database_is_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(adding_the_same_message_twice_is_a_noop, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(the_case_holding_a_message_is_found_in_one_query, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(a_failed_write_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(two_handles_on_one_file_both_write, setup, teardown),
		cmocka_unit_test_setup_teardown(search_finds_japanese_and_ascii_words, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(context_holds_knowledge_and_leaves_the_message_out,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(protect_remove_reports_whether_it_removed, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(verdicts_are_checked, setup, teardown),
		cmocka_unit_test(domains_and_allowed_values_are_normalised),
		cmocka_unit_test_setup_teardown(knowledge_rows_replace_and_remove_once, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
