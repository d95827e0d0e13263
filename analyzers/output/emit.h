/* The emitter: one small interface every structured back end implements
 * (notmuch's "sprinter"), and the one walk that feeds it the report in the
 * order SPEC.md "The report" fixes.  A back end only knows how to spell maps,
 * lists, keys and scalars; it never sees a ks_report. */
#ifndef KS_EMIT_H
#define KS_EMIT_H

#include "core/report.h"

#include <stdbool.h>
#include <stdint.h>

/* Nesting limit for attachment trees and embedded messages while writing.
 * The parser already bounds depth; this keeps a hand-built or corrupt report
 * from recursing without end (mblaze prunes MIME nesting at 64 too). */
#define KS_EMIT_MAX_DEPTH 64

typedef struct ks_emitter ks_emitter;

struct ks_emitter {
	void (*begin_map)(ks_emitter *e);
	void (*end_map)(ks_emitter *e);
	void (*begin_list)(ks_emitter *e);
	void (*end_list)(ks_emitter *e);
	/* the next value's key, inside a map */
	void (*key)(ks_emitter *e, const char *key);
	/* a string value; NULL is emitted as null */
	void (*string)(ks_emitter *e, const char *s);
	void (*integer)(ks_emitter *e, int64_t v);
	void (*boolean)(ks_emitter *e, bool v);
	void (*null)(ks_emitter *e);
	void *user; /* the back end's state */
};

/* Emits the whole report, starting with "schema". */
void ks_report_emit(const ks_report *r, ks_emitter *e);

#endif
