/* The JSON back end of the emitter, on json-glib's JsonBuilder.  json-glib
 * 1.6 writes non-ASCII UTF-8 as is (Japanese stays readable) and escapes
 * C0 controls and DEL as \u00XX, so the output is always one line when not
 * pretty.  The key order is emit.c's; nothing here knows the report. */
#include "output/emit.h"
#include "output/writers.h"

#include <json-glib/json-glib.h>

static JsonBuilder *builder(ks_emitter *e)
{
	return e->user;
}

static void begin_map(ks_emitter *e)
{
	json_builder_begin_object(builder(e));
}

static void end_map(ks_emitter *e)
{
	json_builder_end_object(builder(e));
}

static void begin_list(ks_emitter *e)
{
	json_builder_begin_array(builder(e));
}

static void end_list(ks_emitter *e)
{
	json_builder_end_array(builder(e));
}

static void key(ks_emitter *e, const char *k)
{
	json_builder_set_member_name(builder(e), k ? k : "");
}

static void string(ks_emitter *e, const char *s)
{
	if (s)
		json_builder_add_string_value(builder(e), s);
	else
		json_builder_add_null_value(builder(e));
}

static void integer(ks_emitter *e, int64_t v)
{
	json_builder_add_int_value(builder(e), v);
}

static void boolean(ks_emitter *e, bool v)
{
	json_builder_add_boolean_value(builder(e), v);
}

static void null(ks_emitter *e)
{
	json_builder_add_null_value(builder(e));
}

char *ks_report_to_json(const ks_report *r, bool pretty)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	ks_emitter e = {
		.begin_map = begin_map,
		.end_map = end_map,
		.begin_list = begin_list,
		.end_list = end_list,
		.key = key,
		.string = string,
		.integer = integer,
		.boolean = boolean,
		.null = null,
		.user = b,
	};
	ks_report_emit(r, &e);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	if (!root)
		return g_strdup("null");
	g_autoptr(JsonGenerator) gen = json_generator_new();
	json_generator_set_pretty(gen, pretty);
	json_generator_set_root(gen, root);
	return json_generator_to_data(gen, NULL);
}
