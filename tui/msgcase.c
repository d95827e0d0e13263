/* The message view's case (msgcase.h): notes, add, note, verdict. */
#include "msgcase.h"

#include "cases.h"
#include "cli/cli.h"
#include "core/error.h"
#include "core/digest.h"

#include <inttypes.h>

static bool load_notes(wb *w, ks_msgcase *c)
{
	c->notes_gen = *ks_wb_generation;
	ks_store *s = ks_wb_store(w, false);
	if (!s || !c->case_id)
		return false;
	GError *err = NULL;
	GPtrArray *notes = ks_case_notes(s, c->case_id, &err);
	if (!notes) {
		ks_wb_db_error(w, _("notes"), err);
		return false;
	}
	for (guint i = 0; i < notes->len / 2; i++) { /* the store gives oldest first */
		gpointer t = notes->pdata[i];
		notes->pdata[i] = notes->pdata[notes->len - 1 - i];
		notes->pdata[notes->len - 1 - i] = t;
	}
	if (c->notes)
		g_ptr_array_unref(c->notes);
	c->notes = notes;
	return true;
}

void ks_msgcase_init(wb *w, ks_msgcase *c, const ks_msg_source *src)
{
	*c = (ks_msgcase){0};
	if (!src)
		return;
	c->raw = src->raw ? g_bytes_ref(src->raw) : NULL;
	c->path = g_strdup(src->path);
	c->format = g_strdup(src->format ? src->format : "eml");
	c->inner_part = g_strdup(src->inner_part);
	c->case_id = src->case_id;
	c->message_id = src->message_id;
	/* a message opened from a file may be in a case already */
	ks_store *s = c->case_id || !c->raw ? NULL : ks_wb_store(w, false);
	if (s) {
		g_autofree char *sha = ks_digest_sha256_bytes(c->raw);
		int64_t id = ks_case_holding_message(s, sha, &c->message_id, NULL);
		c->case_id = id > 0 ? id : 0;
	}
	if (c->case_id)
		load_notes(w, c);
}

void ks_msgcase_clear(ks_msgcase *c)
{
	if (c->raw)
		g_bytes_unref(c->raw);
	if (c->notes)
		g_ptr_array_unref(c->notes);
	g_free(c->path);
	g_free(c->format);
	g_free(c->inner_part);
	*c = (ks_msgcase){0};
}

bool ks_msgcase_refresh(wb *w, ks_msgcase *c)
{
	return c->case_id && c->notes_gen != *ks_wb_generation && load_notes(w, c);
}

bool ks_msgcase_add(wb *w, ks_msgcase *c, const char *subject)
{
	if (!c->raw) {
		ks_wb_status(w, _("an inner message cannot be added on its own: q, then a adds the "
		                "message that carries it"));
		return false;
	}
	int64_t id = ks_wb_pick_case(w, subject);
	if (!id)
		return false;
	ks_store *s = ks_wb_store(w, true);
	if (!s)
		return false;
	g_autofree char *sha = ks_digest_sha256_bytes(c->raw);
	GError *err = NULL;
	bool dup = false;
	int64_t mid = 0;
	if (!ks_cli_case_add_raw(s, id, c->raw, sha, c->path, c->format, &dup, &mid, NULL, &err)) {
		if (err && err->domain == KS_ERROR && err->code == KS_ERROR_DB) {
			ks_wb_db_error(w, _("add"), err);
		} else {
			ks_wb_status(w, _("add: %s"), err ? err->message : "not a message");
			g_clear_error(&err);
		}
		return false;
	}
	c->case_id = id;
	c->message_id = mid;
	load_notes(w, c);
	if (dup)
		ks_wb_status(w, _("already in case %" PRId64 " as message %" PRId64
		                ": nothing added"), id, mid);
	else
		ks_wb_status(w, _("added to case %" PRId64 " as message %" PRId64), id,
		             mid);
	return true;
}

bool ks_msgcase_ensure(wb *w, ks_msgcase *c, const char *subject)
{
	if (c->case_id)
		return true;
	if (!c->raw) {
		ks_wb_status(w, _("an inner message is in no case: add the message that carries it (q, a)"));
		return false;
	}
	if (!ks_wb_confirm(w, _("This message is in no case yet. Add it to one?")))
		return false;
	return ks_msgcase_add(w, c, subject);
}

bool ks_msgcase_note(wb *w, ks_msgcase *c, const char *subject, const char *about)
{
	if (!ks_msgcase_ensure(w, c, subject)) {
		if (!w->status)
			ks_wb_status(w, _("the message is in no case: nothing saved"));
		return false;
	}
	if (!ks_wb_write_note(w, c->case_id, about))
		return false;
	load_notes(w, c);
	return true;
}
