/* make bench, the case store: what tests/bench/store_bench.py times through
 * the store's own interface, without a process per operation.
 *
 *   store_bench notes LOCATION CASE N AUTHOR   adds N notes to CASE, each in
 *                                              its own transaction, as `kensa
 *                                              case note` does; prints
 *                                              "notes N seconds S"
 *   store_bench search LOCATION RUNS WORDS...  the best of RUNS searches;
 *                                              prints "search HITS seconds S"
 *
 * LOCATION is a file or a postgresql:// URL, as KENSA_DB.  Exit 1 on a store
 * error (printed on one line). */
#include "cases.h"
#include "store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(GError *err)
{
	fprintf(stderr, "store_bench: %s\n", err ? err->message : "failed");
	g_clear_error(&err);
	return 1;
}

static int notes(ks_store *s, int64_t case_id, int n, const char *author)
{
	GError *err = NULL;
	gint64 t0 = g_get_monotonic_time();
	for (int i = 0; i < n; i++) {
		g_autofree char *text = g_strdup_printf(
			"%s %d: 経理部に電話で確認済み、振込先の変更は依頼していないとのこと (call-back %d)",
			author, i, i);
		int64_t id;
		if (!ks_case_add_note(s, case_id, author, text, NULL, &id, &err))
			return fail(err);
	}
	printf("notes %d seconds %.3f\n", n, (g_get_monotonic_time() - t0) / 1e6);
	return 0;
}

static int search(ks_store *s, int runs, const char *query)
{
	GError *err = NULL;
	double best = -1;
	guint hits = 0;
	for (int r = 0; r < runs; r++) {
		gint64 t0 = g_get_monotonic_time();
		g_autoptr(GPtrArray) h = ks_store_search(s, query, &err);
		if (!h)
			return fail(err);
		double t = (g_get_monotonic_time() - t0) / 1e6;
		if (best < 0 || t < best)
			best = t;
		hits = h->len;
	}
	printf("search %u seconds %.4f\n", hits, best);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: store_bench notes LOCATION CASE N AUTHOR | "
		                "search LOCATION RUNS WORDS...\n");
		return 2;
	}
	GError *err = NULL;
	g_autoptr(ks_store) s = ks_store_open(argv[2], &err);
	if (!s)
		return fail(err);
	if (strcmp(argv[1], "notes") == 0 && argc == 6)
		return notes(s, g_ascii_strtoll(argv[3], NULL, 10), atoi(argv[4]), argv[5]);
	if (strcmp(argv[1], "search") == 0) {
		g_autofree char *query = g_strjoinv(" ", argv + 4);
		return search(s, atoi(argv[3]), query);
	}
	fprintf(stderr, "store_bench: unknown mode %s\n", argv[1]);
	return 2;
}
