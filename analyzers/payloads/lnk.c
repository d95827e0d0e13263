/* Windows shortcuts (MS-SHLLINK, [MS-SHLLINK] v8.0 section numbers below):
 * the parser, ks_lnk_parse(), reading every structure through a bounded
 * cursor (cursor.h), and the payload analyzer that turns a parse into
 * attachment metadata, the lnk.* findings and IOCs.
 *
 * The parser keeps going past a damaged section: a LinkInfo that lies about
 * its size does not hide the arguments after it.  Limits: 256 shell items,
 * 64 ExtraData blocks, 64 KiB per string; nothing recurses.
 *
 * What is not here: the shortcut's name rules (double extension, padding in
 * the file name) are attachments.c's; an ISO or zip holding the shortcut is
 * archives.c's.  Program names that make lnk.command_execution are data
 * (analyzers/data/lnk_commands.txt), and so are the shell folder GUIDs
 * (analyzers/data/lnk_shell_folders.txt). */
#include "payloads/lnk.h"

#include "mail/charset.h"
#include "mail/cursor.h"
#include "core/data.h"
#include "core/domains.h"
#include "core/sanitize.h"

#include <gio/gio.h>
#include <string.h>

/* 2.1: HeaderSize is always 0x0000004C, LinkCLSID 00021401-0000-0000-C000-000000000046 */
#define HEADER_SIZE 0x4C
static const guint8 link_clsid[16] = {0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
                                      0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};

/* limits (the brief's, and far above anything Windows writes: an IDList of a
 * deep path has ~30 items, a shortcut ~6 ExtraData blocks) */
#define MAX_ITEMS 256
#define MAX_BLOCKS 64
#define MAX_STRING_BYTES (64 * 1024)
#define MAX_PROPERTIES 32

/* 2.5 ExtraData block signatures */
#define SIG_ENVIRONMENT 0xA0000001u
#define SIG_CONSOLE 0xA0000002u
#define SIG_TRACKER 0xA0000003u
#define SIG_CONSOLE_FE 0xA0000004u
#define SIG_SPECIAL_FOLDER 0xA0000005u
#define SIG_DARWIN 0xA0000006u
#define SIG_ICON_ENVIRONMENT 0xA0000007u
#define SIG_SHIM 0xA0000008u
#define SIG_PROPERTY_STORE 0xA0000009u
#define SIG_KNOWN_FOLDER 0xA000000Bu
#define SIG_VISTA_IDLIST 0xA000000Cu

/* 2.1: ShowCommand values other than these three mean SW_SHOWNORMAL */
#define SW_SHOWNORMAL 1
#define SW_SHOWMAXIMIZED 3
#define SW_SHOWMINNOACTIVE 7

/* The root folder "My Computer" ({20D04FE0-3AEA-1069-A2D8-08002B30309D},
 * MS-SHLLINK 2.2 example): its children are drives, so it adds nothing to a
 * file-system path. */
#define MY_COMPUTER "20D04FE0-3AEA-1069-A2D8-08002B30309D"

/* Arguments with a blank run this long push the real command out of the
 * Properties dialog's Target field (260 characters shown; attackers pad with
 * hundreds of spaces or with CR/LF: LnkParse3's padded_cli_arguments sample,
 * Trend Micro ZDI-CAN-25373 "Windows shortcut padding", March 2025). */
#define PADDING_RUN 32
/* evidence: command lines longer than this show their head and their tail */
#define EVIDENCE_HEAD 160
#define EVIDENCE_TAIL 240
/* the decoded -EncodedCommand script in the evidence */
#define SCRIPT_EVIDENCE 2048

/* ---- text ---------------------------------------------------------------- */

/* UTF-16LE to UTF-8; unpaired surrogates become U+FFFD (real shortcuts carry
 * them: plaso's unpaired_surrogate.lnk), and so does U+0000 inside. */
static char *utf16_to_utf8(const guint8 *p, gsize n_bytes)
{
	GString *s = g_string_sized_new(n_bytes / 2 + 1);
	gsize n = n_bytes / 2;
	for (gsize i = 0; i < n; i++) {
		gunichar u = (gunichar)(p[2 * i] | p[2 * i + 1] << 8);
		if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
			gunichar lo = (gunichar)(p[2 * i + 2] | p[2 * i + 3] << 8);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				u = 0xFFFD;
			}
		} else if ((u >= 0xD800 && u <= 0xDFFF) || u == 0) {
			u = 0xFFFD;
		}
		g_string_append_unichar(s, u);
	}
	return g_string_free(s, FALSE);
}

/* The "system default code page" of 2.4: unknown to us; UTF-8 if valid,
 * CP932 if it converts cleanly (Japanese mail is first-class), else
 * windows-1252 (charset.h). */
static char *ansi_to_utf8(const guint8 *p, gsize n)
{
	return ks_charset_guess_to_utf8((const char *)p, n, NULL);
}

static char *text_of(const guint8 *p, gsize n_bytes, bool unicode)
{
	if (n_bytes > MAX_STRING_BYTES)
		n_bytes = MAX_STRING_BYTES;
	return unicode ? utf16_to_utf8(p, n_bytes) : ansi_to_utf8(p, n_bytes);
}

/* A NUL-terminated string at the cursor; NULL (and a failed cursor) when
 * it has no terminator. */
static char *read_strz(ks_cursor *c, bool unicode)
{
	const guint8 *p = NULL;
	gsize n = 0;
	if (!ks_cursor_strz(c, unicode ? 2 : 1, MAX_STRING_BYTES, &p, &n))
		return NULL;
	return text_of(p, n, unicode);
}

/* A NUL-terminated string in a fixed-size field (2.5.4: TargetAnsi is 260
 * bytes, TargetUnicode 520); a field without a terminator is read whole. */
static char *read_fixed(ks_cursor *c, gsize size, bool unicode)
{
	const guint8 *p = NULL;
	if (!ks_cursor_bytes(c, size, &p))
		return NULL;
	gsize n = 0;
	if (unicode) {
		while (n + 1 < size && (p[n] || p[n + 1]))
			n += 2;
	} else {
		while (n < size && p[n])
			n++;
	}
	return n ? text_of(p, n, unicode) : NULL;
}

/* A GUID (MS-DTYP 2.3.4.2: Data1..3 little-endian, Data4 as bytes) as
 * upper-case registry text without braces. */
static char *read_guid(ks_cursor *c)
{
	guint32 d1 = 0;
	guint16 d2 = 0, d3 = 0;
	guint8 d4[8];
	ks_cursor_u32le(c, &d1);
	ks_cursor_u16le(c, &d2);
	ks_cursor_u16le(c, &d3);
	if (!ks_cursor_copy(c, d4, sizeof d4))
		return NULL;
	return g_strdup_printf("%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", d1, d2, d3, d4[0],
	                       d4[1], d4[2], d4[3], d4[4], d4[5], d4[6], d4[7]);
}

/* FILETIME (MS-DTYP 2.3.3: 100 ns since 1601-01-01 UTC) to whole seconds;
 * 0 means "not set" (2.1) and gives NULL, as does a year GLib cannot hold. */
static GDateTime *filetime_to_date(guint64 ft)
{
	/* seconds from 1601-01-01 to 1970-01-01 */
	const gint64 epoch_diff = G_GINT64_CONSTANT(11644473600);
	if (ft == 0)
		return NULL;
	gint64 unix_secs = (gint64)(ft / 10000000u) - epoch_diff;
	return g_date_time_new_from_unix_utc(unix_secs);
}

static void problem(ks_lnk *l, const char *what, const ks_cursor *c)
{
	g_autoptr(GError) err = NULL;
	if (ks_cursor_check(c, what, &err))
		return;
	g_ptr_array_add(l->problems, g_strdup(err->message));
}

/* ---- 2.2 LinkTargetIDList: shell items ----------------------------------- */

static const char *shell_folder_name(const char *guid)
{
	const GPtrArray *lines = ks_data_lines("lnk_shell_folders.txt");
	size_t n = strlen(guid);
	for (guint i = 0; lines && i < lines->len; i++) {
		const char *line = g_ptr_array_index(lines, i);
		if (g_ascii_strncasecmp(line, guid, n) == 0 && (line[n] == ' ' || line[n] == '\t')) {
			const char *name = line + n;
			while (*name == ' ' || *name == '\t')
				name++;
			return name;
		}
	}
	return NULL;
}

/* "::{GUID}" (the shell's parsing name), or the folder's known name. */
static char *folder_component(const char *guid)
{
	const char *name = shell_folder_name(guid);
	return name ? g_strdup_printf("<%s>", name) : g_strdup_printf("::{%s}", guid);
}

/* The long name in a file entry's BEEF0004 extension block (the block that
 * follows the 8.3 name since Windows XP; layout after libfwsi's "Windows
 * Shell Item format" 3.2.1: the name starts at 20, 38, 42 or 46 bytes into
 * the block for versions 3, 7, 8 and 9).  Searched for by signature, so any
 * item type that embeds one (0x74 delegate items do) gives its long name. */
static char *beef0004_long_name(const guint8 *item, gsize len)
{
	for (gsize i = 4; i + 4 <= len; i += 2) {
		if (item[i] != 0x04 || item[i + 1] != 0x00 || item[i + 2] != 0xEF || item[i + 3] != 0xBE)
			continue;
		ks_cursor c;
		ks_cursor_init(&c, item + i - 4, len - (i - 4));
		guint16 size = 0, version = 0;
		ks_cursor_u16le(&c, &size);
		ks_cursor_u16le(&c, &version);
		gsize at = version >= 9 ? 46 : version >= 8 ? 42 : version >= 7 ? 38 : version >= 3 ? 20 : 0;
		if (!at || size < at || size > c.len)
			continue;
		ks_cursor block = ks_cursor_sub(&c, size);
		ks_cursor_seek(&block, at);
		char *name = read_strz(&block, true);
		if (name && *name)
			return name;
		g_free(name);
	}
	return NULL;
}

/* One shell item (the bytes after its ItemIDSize) as a path component, or
 * NULL when it names nothing on a file system (a control panel applet). */
static char *shell_item_component(const guint8 *item, gsize len)
{
	ks_cursor c;
	ks_cursor_init(&c, item, len);
	guint8 type = 0;
	if (!ks_cursor_u8(&c, &type))
		return NULL;
	if (type == 0x1F) {
		/* root folder: sort index, then the folder's GUID */
		ks_cursor_skip(&c, 1);
		g_autofree char *guid = read_guid(&c);
		if (!guid || strcmp(guid, MY_COMPUTER) == 0)
			return NULL;
		return folder_component(guid);
	}
	if ((type & 0x70) == 0x20) {
		/* volume: "C:\" in ASCII; 0x2E carries a shell folder GUID instead */
		if ((type & 0x0F) == 0x0E) {
			ks_cursor_skip(&c, 1);
			g_autofree char *guid = read_guid(&c);
			return guid ? folder_component(guid) : NULL;
		}
		char *name = read_strz(&c, false);
		if (name && *name)
			return name;
		g_free(name);
		return NULL;
	}
	if ((type & 0x70) == 0x30) {
		/* file entry: unknown byte, size, DOS time, attributes, then the
		 * primary (8.3) name, Unicode when bit 0x04 is set */
		char *long_name = beef0004_long_name(item, len);
		if (long_name)
			return long_name;
		ks_cursor_skip(&c, 1 + 4 + 4 + 2);
		char *name = read_strz(&c, (type & 0x04) != 0);
		if (name && *name)
			return name;
		g_free(name);
		return NULL;
	}
	if ((type & 0x70) == 0x40) {
		/* network location: flags, unknown, then "\\server\share" */
		ks_cursor_skip(&c, 2);
		char *name = read_strz(&c, false);
		if (name && *name)
			return name;
		g_free(name);
		return NULL;
	}
	return beef0004_long_name(item, len);
}

static void path_append(GString *path, const char *part)
{
	if (path->len && path->str[path->len - 1] != '\\')
		g_string_append_c(path, '\\');
	g_string_append(path, part);
}

static void parse_idlist(ks_lnk *l, ks_cursor *c)
{
	guint16 size = 0;
	ks_cursor_u16le(c, &size);
	ks_cursor list = ks_cursor_sub(c, size);
	g_autoptr(GString) path = g_string_new(NULL);
	while (!list.failed && ks_cursor_remaining(&list) > 0) {
		guint16 item_size = 0;
		if (!ks_cursor_u16le(&list, &item_size) || item_size == 0)
			break; /* 2.2.2 TerminalID */
		if (l->n_items >= MAX_ITEMS) {
			g_ptr_array_add(l->problems,
			                g_strdup_printf("LinkTargetIDList: more than %d items; the rest "
			                                "are not read",
			                                MAX_ITEMS));
			break;
		}
		const guint8 *item = NULL;
		if (item_size < 2 || !ks_cursor_bytes(&list, item_size - 2u, &item)) {
			ks_cursor_skip(&list, G_MAXSIZE); /* mark it failed */
			break;
		}
		l->n_items++;
		g_autofree char *part = shell_item_component(item, item_size - 2u);
		if (part)
			path_append(path, part);
	}
	problem(l, "LinkTargetIDList", &list);
	if (path->len)
		l->idlist_path = g_strdup(path->str);
}

/* ---- 2.3 LinkInfo --------------------------------------------------------- */

/* A string at offset off of structure s (0 = absent). */
static char *string_at(ks_cursor *s, guint32 off, bool unicode)
{
	if (off == 0)
		return NULL;
	ks_cursor c = *s;
	if (!ks_cursor_seek(&c, off))
		return NULL;
	char *v = read_strz(&c, unicode);
	if (c.failed && !s->failed) {
		s->failed = true;
		s->failed_at = off;
	}
	return v;
}

static void parse_volume_id(ks_lnk *l, ks_cursor *info, guint32 off)
{
	ks_cursor c = *info;
	guint32 size = 0;
	ks_cursor_seek(&c, off);
	ks_cursor_u32le(&c, &size);
	ks_cursor_seek(&c, off);
	ks_cursor vol = ks_cursor_sub(&c, size);
	guint32 label_off = 0, label_off_u = 0;
	ks_cursor_skip(&vol, 4);
	ks_cursor_u32le(&vol, &l->drive_type);
	ks_cursor_u32le(&vol, &l->drive_serial);
	ks_cursor_u32le(&vol, &label_off);
	/* 2.3.1: an offset of 0x14 means the Unicode offset follows and the ANSI
	 * label is to be ignored */
	if (label_off == 0x14) {
		ks_cursor_u32le(&vol, &label_off_u);
		l->volume_label = string_at(&vol, label_off_u, true);
	} else {
		l->volume_label = string_at(&vol, label_off, false);
	}
	l->has_volume = !vol.failed;
	if (c.failed || vol.failed)
		problem(l, "LinkInfo VolumeID", c.failed ? &c : &vol);
}

static void parse_network_link(ks_lnk *l, ks_cursor *info, guint32 off)
{
	ks_cursor c = *info;
	guint32 size = 0, flags = 0, net_off = 0, dev_off = 0, net_off_u = 0, dev_off_u = 0;
	ks_cursor_seek(&c, off);
	ks_cursor_u32le(&c, &size);
	ks_cursor_seek(&c, off);
	ks_cursor net = ks_cursor_sub(&c, size);
	ks_cursor_skip(&net, 4);
	ks_cursor_u32le(&net, &flags);
	ks_cursor_u32le(&net, &net_off);
	ks_cursor_u32le(&net, &dev_off);
	ks_cursor_skip(&net, 4); /* NetworkProviderType */
	/* 2.3.2: NetNameOffset above 0x14 means the Unicode offsets are there */
	if (net_off > 0x14) {
		ks_cursor_u32le(&net, &net_off_u);
		ks_cursor_u32le(&net, &dev_off_u);
	}
	l->net_name = net_off_u ? string_at(&net, net_off_u, true) : string_at(&net, net_off, false);
	if (flags & 0x1) /* ValidDevice */
		l->device_name =
			dev_off_u ? string_at(&net, dev_off_u, true) : string_at(&net, dev_off, false);
	if (c.failed || net.failed)
		problem(l, "LinkInfo CommonNetworkRelativeLink", c.failed ? &c : &net);
}

static void parse_link_info(ks_lnk *l, ks_cursor *c)
{
	guint32 size = 0;
	ks_cursor at = *c;
	ks_cursor_u32le(&at, &size);
	ks_cursor info = ks_cursor_sub(c, size);
	guint32 header_size = 0, flags = 0, vol_off = 0, base_off = 0, net_off = 0, suffix_off = 0;
	guint32 base_off_u = 0, suffix_off_u = 0;
	ks_cursor_skip(&info, 4);
	ks_cursor_u32le(&info, &header_size);
	ks_cursor_u32le(&info, &flags);
	ks_cursor_u32le(&info, &vol_off);
	ks_cursor_u32le(&info, &base_off);
	ks_cursor_u32le(&info, &net_off);
	ks_cursor_u32le(&info, &suffix_off);
	/* 2.3: a header of 0x24 bytes or more has the Unicode offsets */
	if (header_size >= 0x24) {
		ks_cursor_u32le(&info, &base_off_u);
		ks_cursor_u32le(&info, &suffix_off_u);
	}
	if (info.failed) {
		problem(l, "LinkInfo", &info);
		return;
	}
	if (flags & 0x1) { /* VolumeIDAndLocalBasePath */
		parse_volume_id(l, &info, vol_off);
		l->local_base_path =
			base_off_u ? string_at(&info, base_off_u, true) : string_at(&info, base_off, false);
	}
	if (flags & 0x2) /* CommonNetworkRelativeLinkAndPathSuffix */
		parse_network_link(l, &info, net_off);
	l->common_path_suffix = suffix_off_u ? string_at(&info, suffix_off_u, true)
	                                     : string_at(&info, suffix_off, false);
	problem(l, "LinkInfo", &info);
}

/* ---- 2.4 StringData ------------------------------------------------------- */

/* One counted string.  Paths (relative path, working directory, icon
 * location) are MAX_PATH buffers in the shell, which reads at most 260
 * characters of them and goes on with the next field right there; a
 * malicious count above that is a trick to hide the arguments from parsers
 * that trust it (LnkParse3's padded_cli_arguments sample: WORKING_DIR
 * declares 1693 characters, the arguments start after 260). */
static char *read_counted(ks_lnk *l, ks_cursor *c, const char *what, bool is_path)
{
	const guint16 max_path = 260;
	bool unicode = (l->link_flags & KS_LNK_IS_UNICODE) != 0;
	guint16 count = 0;
	const guint8 *p = NULL;
	ks_cursor_u16le(c, &count);
	if (is_path && count > max_path && !c->failed) {
		g_ptr_array_add(l->problems,
		                g_strdup_printf("%s declares %u characters; Windows reads %u "
		                                "(MAX_PATH) and the rest belongs to the next field",
		                                what, count, max_path));
		count = max_path;
	}
	gsize n = (gsize)count * (unicode ? 2 : 1);
	if (!ks_cursor_bytes(c, n, &p)) {
		problem(l, what, c);
		return NULL;
	}
	return text_of(p, n, unicode);
}

/* ---- 2.5 ExtraData --------------------------------------------------------- */

/* Serialized property storage (MS-PROPSTORE 2.2): the string values, as
 * "FMTID/ID=value", for the few shortcuts that carry their target there. */
static void parse_property_store(ks_lnk *l, ks_cursor *c)
{
	/* MS-PROPSTORE 2.2: storages named by string use this FMTID */
	static const char string_names[] = "D5CDD505-2E9C-101B-9397-08002B2CF9AE";
	for (int storages = 0; storages < MAX_PROPERTIES && ks_cursor_remaining(c) >= 4; storages++) {
		guint32 size = 0;
		ks_cursor_u32le(c, &size);
		if (size < 4)
			break;
		ks_cursor st = ks_cursor_sub(c, size - 4);
		guint32 version = 0;
		ks_cursor_u32le(&st, &version);
		g_autofree char *fmtid = read_guid(&st);
		if (version != 0x53505331 || !fmtid || strcmp(fmtid, string_names) == 0)
			continue; /* "1SPS"; string-named storages hold no paths we need */
		while (ks_cursor_remaining(&st) >= 4 && l->properties->len < MAX_PROPERTIES) {
			guint32 vsize = 0, id = 0;
			guint16 vt = 0;
			ks_cursor_u32le(&st, &vsize);
			if (vsize < 4)
				break;
			ks_cursor v = ks_cursor_sub(&st, vsize - 4);
			ks_cursor_u32le(&v, &id);
			ks_cursor_skip(&v, 1);
			ks_cursor_u16le(&v, &vt);
			ks_cursor_skip(&v, 2);
			if (vt != 0x1F) /* VT_LPWSTR (MS-OLEPS 2.15) */
				continue;
			guint32 chars = 0;
			const guint8 *p = NULL;
			ks_cursor_u32le(&v, &chars);
			if (chars > MAX_STRING_BYTES / 2 || !ks_cursor_bytes(&v, (gsize)chars * 2, &p))
				continue;
			g_autofree char *s = utf16_to_utf8(p, chars ? (gsize)(chars - 1) * 2 : 0);
			if (*s)
				g_ptr_array_add(l->properties, g_strdup_printf("%s/%u=%s", fmtid, id, s));
		}
	}
}

static void parse_block(ks_lnk *l, guint32 sig, ks_cursor *b)
{
	const char *name = NULL;
	switch (sig) {
	case SIG_ENVIRONMENT: {
		name = "EnvironmentVariables";
		g_autofree char *ansi = read_fixed(b, 260, false);
		g_autofree char *wide = read_fixed(b, 520, true);
		g_free(l->env_target);
		l->env_target = g_strdup(wide ? wide : ansi);
		break;
	}
	case SIG_ICON_ENVIRONMENT: {
		name = "IconEnvironment";
		g_autofree char *ansi = read_fixed(b, 260, false);
		g_autofree char *wide = read_fixed(b, 520, true);
		g_free(l->icon_env_target);
		l->icon_env_target = g_strdup(wide ? wide : ansi);
		break;
	}
	case SIG_DARWIN: {
		name = "Darwin";
		g_autofree char *ansi = read_fixed(b, 260, false);
		g_autofree char *wide = read_fixed(b, 520, true);
		g_free(l->darwin_id);
		l->darwin_id = g_strdup(wide ? wide : ansi);
		break;
	}
	case SIG_TRACKER: {
		name = "Tracker";
		/* 2.5.10: Length, Version, MachineID (16 bytes, NetBIOS), Droid, DroidBirth */
		ks_cursor_skip(b, 8);
		g_free(l->machine_id);
		l->machine_id = read_fixed(b, 16, false);
		g_free(l->droid_volume);
		g_free(l->droid_file);
		g_free(l->birth_droid_volume);
		g_free(l->birth_droid_file);
		l->droid_volume = read_guid(b);
		l->droid_file = read_guid(b);
		l->birth_droid_volume = read_guid(b);
		l->birth_droid_file = read_guid(b);
		break;
	}
	case SIG_KNOWN_FOLDER:
		name = "KnownFolder";
		g_free(l->known_folder);
		l->known_folder = read_guid(b);
		break;
	case SIG_SPECIAL_FOLDER:
		name = "SpecialFolder";
		l->has_special_folder = ks_cursor_u32le(b, &l->special_folder_id);
		break;
	case SIG_PROPERTY_STORE:
		name = "PropertyStore";
		l->property_store_size = (guint32)b->len;
		parse_property_store(l, b);
		b->failed = false; /* a damaged store only loses its own properties */
		break;
	case SIG_CONSOLE:
		name = "Console";
		l->has_console = true;
		break;
	case SIG_CONSOLE_FE:
		name = "ConsoleFE";
		ks_cursor_u32le(b, &l->console_codepage);
		break;
	case SIG_SHIM: {
		name = "Shim";
		const guint8 *p = NULL;
		gsize n = ks_cursor_remaining(b) & ~(gsize)1;
		ks_cursor_bytes(b, n, &p);
		gsize end = 0;
		while (p && end + 1 < n && (p[end] || p[end + 1]))
			end += 2;
		g_free(l->shim_layer);
		l->shim_layer = p && end ? text_of(p, end, true) : NULL;
		break;
	}
	case SIG_VISTA_IDLIST:
		name = "VistaAndAboveIDList";
		l->has_vista_idlist = true;
		break;
	default:
		break;
	}
	if (name)
		g_ptr_array_add(l->blocks, g_strdup(name));
	else
		g_ptr_array_add(l->blocks, g_strdup_printf("unknown 0x%08X", sig));
	if (b->failed) {
		g_autofree char *what = g_strdup_printf("ExtraData %s", name ? name : "block");
		problem(l, what, b);
	}
}

static void parse_extra(ks_lnk *l, ks_cursor *c)
{
	for (int n = 0;; n++) {
		if (n >= MAX_BLOCKS) {
			g_ptr_array_add(l->problems,
			                g_strdup_printf("ExtraData: more than %d blocks; the rest are not "
			                                "read",
			                                MAX_BLOCKS));
			return;
		}
		guint32 size = 0, sig = 0;
		if (!ks_cursor_u32le(c, &size)) {
			problem(l, "ExtraData (no terminal block)", c);
			return;
		}
		if (size < 8) /* 2.5: TerminalBlock, a BlockSize below 4 (0 in practice) */
			return;
		ks_cursor_u32le(c, &sig);
		ks_cursor b = ks_cursor_sub(c, size - 8);
		if (c->failed) {
			g_autofree char *what = g_strdup_printf("ExtraData block 0x%08X", sig);
			problem(l, what, c);
			return;
		}
		parse_block(l, sig, &b);
	}
}

/* ---- the parse ------------------------------------------------------------ */

void ks_lnk_free(ks_lnk *l)
{
	if (!l)
		return;
	g_clear_pointer(&l->created, g_date_time_unref);
	g_clear_pointer(&l->accessed, g_date_time_unref);
	g_clear_pointer(&l->written, g_date_time_unref);
	char **strings[] = {&l->idlist_path, &l->volume_label, &l->local_base_path,
	                    &l->net_name, &l->device_name, &l->common_path_suffix,
	                    &l->name, &l->relative_path, &l->working_dir,
	                    &l->arguments, &l->icon_location, &l->env_target,
	                    &l->icon_env_target, &l->machine_id, &l->droid_volume,
	                    &l->droid_file, &l->birth_droid_volume, &l->birth_droid_file,
	                    &l->known_folder, &l->darwin_id, &l->shim_layer};
	for (size_t i = 0; i < G_N_ELEMENTS(strings); i++)
		g_free(*strings[i]);
	g_ptr_array_unref(l->properties);
	g_ptr_array_unref(l->blocks);
	g_ptr_array_unref(l->problems);
	g_free(l);
}

ks_lnk *ks_lnk_parse(const guint8 *data, gsize len, GError **error)
{
	ks_cursor c;
	ks_cursor_init(&c, data, len);
	guint32 header_size = 0;
	guint8 clsid[16];
	ks_cursor_u32le(&c, &header_size);
	ks_cursor_copy(&c, clsid, sizeof clsid);
	if (!ks_cursor_check(&c, "ShellLinkHeader", error))
		return NULL;
	if (header_size != HEADER_SIZE || memcmp(clsid, link_clsid, sizeof clsid) != 0) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
		                    "not a shell link: no ShellLinkHeader (MS-SHLLINK 2.1)");
		return NULL;
	}
	g_autoptr(ks_lnk) l = g_new0(ks_lnk, 1);
	l->properties = g_ptr_array_new_with_free_func(g_free);
	l->blocks = g_ptr_array_new_with_free_func(g_free);
	l->problems = g_ptr_array_new_with_free_func(g_free);
	guint64 created = 0, accessed = 0, written = 0;
	guint32 icon_index = 0;
	ks_cursor_u32le(&c, &l->link_flags);
	ks_cursor_u32le(&c, &l->file_attributes);
	ks_cursor_u64le(&c, &created);
	ks_cursor_u64le(&c, &accessed);
	ks_cursor_u64le(&c, &written);
	ks_cursor_u32le(&c, &l->file_size);
	ks_cursor_u32le(&c, &icon_index);
	ks_cursor_u32le(&c, &l->show_command);
	ks_cursor_u16le(&c, &l->hotkey);
	ks_cursor_skip(&c, 10); /* Reserved1..3 */
	if (!ks_cursor_check(&c, "ShellLinkHeader", error))
		return NULL;
	l->icon_index = (gint32)icon_index;
	l->created = filetime_to_date(created);
	l->accessed = filetime_to_date(accessed);
	l->written = filetime_to_date(written);

	/* each section starts where the last one said it ends; a section that
	 * fails leaves the cursor failed, so later ones record "truncated" too
	 * rather than reading from a guessed offset */
	if (l->link_flags & KS_LNK_HAS_ID_LIST)
		parse_idlist(l, &c);
	if (l->link_flags & KS_LNK_HAS_LINK_INFO)
		parse_link_info(l, &c);
	struct {
		guint32 flag;
		char **field;
		const char *what;
		bool is_path;
	} strings[] = {
		{KS_LNK_HAS_NAME, &l->name, "StringData NAME_STRING", false},
		{KS_LNK_HAS_RELATIVE_PATH, &l->relative_path, "StringData RELATIVE_PATH", true},
		{KS_LNK_HAS_WORKING_DIR, &l->working_dir, "StringData WORKING_DIR", true},
		{KS_LNK_HAS_ARGUMENTS, &l->arguments, "StringData COMMAND_LINE_ARGUMENTS", false},
		{KS_LNK_HAS_ICON_LOCATION, &l->icon_location, "StringData ICON_LOCATION", true},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(strings) && !c.failed; i++)
		if (l->link_flags & strings[i].flag)
			*strings[i].field = read_counted(l, &c, strings[i].what, strings[i].is_path);
	if (!c.failed)
		parse_extra(l, &c);
	return g_steal_pointer(&l);
}

/* ---- what it runs --------------------------------------------------------- */

static bool is_fs_path(const char *p)
{
	return p && ((g_ascii_isalpha(p[0]) && p[1] == ':') || (p[0] == '\\' && p[1] == '\\'));
}

/* LinkInfo's path: local base path or network share, plus the suffix. */
static char *link_info_path(const ks_lnk *l)
{
	const char *base = l->local_base_path && *l->local_base_path ? l->local_base_path
	                                                              : l->net_name;
	if (!base || !*base)
		return NULL;
	g_autoptr(GString) s = g_string_new(base);
	if (l->common_path_suffix && *l->common_path_suffix)
		path_append(s, l->common_path_suffix);
	return g_strdup(s->str);
}

/* The path from the ID list or LinkInfo, without the environment block. */
static char *static_target(const ks_lnk *l)
{
	if (is_fs_path(l->idlist_path))
		return g_strdup(l->idlist_path);
	char *info = link_info_path(l);
	if (info)
		return info;
	if (l->idlist_path)
		return g_strdup(l->idlist_path);
	return l->relative_path && *l->relative_path ? g_strdup(l->relative_path) : NULL;
}

char *ks_lnk_target(const ks_lnk *l)
{
	/* 2.1.1 HasExpString + 2.5.4: the environment-variable path is the
	 * one the shell resolves when the block is there */
	if ((l->link_flags & KS_LNK_HAS_EXP_STRING) && l->env_target && *l->env_target)
		return g_strdup(l->env_target);
	return static_target(l);
}

char *ks_lnk_command_line(const ks_lnk *l)
{
	g_autofree char *target = ks_lnk_target(l);
	bool has_args = l->arguments && *l->arguments;
	if (!target && !has_args)
		return NULL;
	if (!target)
		return g_strdup(l->arguments);
	if (!has_args)
		return g_steal_pointer(&target);
	/* quoted as the shell would pass it when the path holds a blank */
	if (strchr(target, ' '))
		return g_strdup_printf("\"%s\" %s", target, l->arguments);
	return g_strdup_printf("%s %s", target, l->arguments);
}

/* ---- the analyzer --------------------------------------------------------- */

bool ks_lnk_accepts(const ks_attachment *a)
{
	if (!a->data)
		return false;
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(a->data, &len);
	if (len >= 20 && p[0] == HEADER_SIZE && p[1] == 0 && p[2] == 0 && p[3] == 0 &&
	    memcmp(p + 4, link_clsid, sizeof link_clsid) == 0)
		return true;
	size_t n = a->filename ? strlen(a->filename) : 0;
	return n >= 4 && g_ascii_strcasecmp(a->filename + n - 4, ".lnk") == 0;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

/* The longest run of blanks in s. */
static gsize longest_blank_run(const char *s)
{
	gsize best = 0, run = 0;
	for (; s && *s; s++) {
		run = is_blank(*s) ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

/* The command line for evidence: blank runs shown as "[N blanks]", and a
 * long line cut in the middle so both ends stay visible (the tail is where
 * padded shortcuts put the real command). */
static char *evidence_line(const char *s)
{
	g_autoptr(GString) out = g_string_new(NULL);
	for (const char *p = s; *p;) {
		gsize run = 0;
		while (is_blank(p[run]))
			run++;
		if (run >= 8) {
			g_string_append_printf(out, " [%zu blanks] ", run);
			p += run;
		} else if (run) {
			g_string_append_c(out, ' ');
			p += run;
		} else {
			g_string_append_c(out, *p++);
		}
	}
	glong chars = g_utf8_strlen(out->str, -1);
	if (!g_utf8_validate(out->str, -1, NULL) || chars <= EVIDENCE_HEAD + EVIDENCE_TAIL + 40)
		return ks_sanitize(out->str, KS_SANITIZE_LINE, NULL);
	const char *head_end = g_utf8_offset_to_pointer(out->str, EVIDENCE_HEAD);
	const char *tail = g_utf8_offset_to_pointer(out->str, chars - EVIDENCE_TAIL);
	g_autofree char *cut = g_strdup_printf("%.*s … [%ld characters] … %s",
	                                       (int)(head_end - out->str), out->str,
	                                       chars - EVIDENCE_HEAD - EVIDENCE_TAIL, tail);
	return ks_sanitize(cut, KS_SANITIZE_LINE, NULL);
}

/* "C:\Windows\System32\cmd.exe" -> "cmd"; lower case. */
static char *program_stem(const char *path, gsize len)
{
	g_autofree char *p = g_strndup(path, len);
	g_strstrip(p);
	char *q = p;
	gsize n = strlen(q);
	if (n >= 2 && (q[0] == '"' || q[0] == '\'') && q[n - 1] == q[0]) {
		q[n - 1] = '\0';
		q++;
	}
	const char *base = q;
	for (const char *s = q; *s; s++)
		if (*s == '\\' || *s == '/')
			base = s + 1;
	char *stem = g_ascii_strdown(base, -1);
	char *dot = strrchr(stem, '.');
	if (dot && dot != stem)
		*dot = '\0';
	/* %COMSPEC% is the command interpreter's path (cmd.exe by default):
	 * shortcuts name their target that way to avoid the string "cmd" */
	if (strcmp(stem, "%comspec%") == 0) {
		g_free(stem);
		return g_strdup("cmd");
	}
	return stem;
}

static bool is_lolbin(const char *stem)
{
	const GPtrArray *lines = ks_data_lines("lnk_commands.txt");
	for (guint i = 0; stem && *stem && lines && i < lines->len; i++)
		if (strcmp(stem, g_ptr_array_index(lines, i)) == 0)
			return true;
	return false;
}

/* The first word of s (a quoted one whole), and where it ends. */
static const char *first_word(const char *s, gsize *len)
{
	while (is_blank(*s))
		s++;
	const char *start = s;
	if (*s == '"') {
		const char *close = strchr(s + 1, '"');
		s = close ? close + 1 : s + strlen(s);
	} else {
		while (*s && !is_blank(*s) && *s != '&' && *s != '|')
			s++;
	}
	*len = (gsize)(s - start);
	return start;
}

/* The text inside a quoted word (its closing quote may be missing), or
 * NULL when the word is not quoted. */
static char *quoted_inner(const char *w, gsize len)
{
	if (len < 2 || w[0] != '"')
		return NULL;
	return g_strndup(w + 1, len - (w[len - 1] == '"' ? 2 : 1));
}


/* For "cmd /c X ..." (and /k, /r, after /q /d ...), the program X runs,
 * as a stem; NULL when the arguments do not start a program.  cmd /c
 * "X args" drops the outer quotes and runs X (cmd /?: "Processing of
 * quote characters"), so a quoted word that names no listed program is
 * looked into once. */
static char *chained_program_in(const char *args, int depth)
{
	const char *s = args;
	for (int i = 0; i < 8; i++) {
		gsize len = 0;
		const char *w = first_word(s, &len);
		if (len == 0)
			return NULL;
		/* cmd's /c /q ..., and conhost's --headless, --width N (the N is
		 * no program on the list, so it only costs one of the 8 words) */
		if ((w[0] == '/' && len >= 2) || (len >= 3 && w[0] == '-' && w[1] == '-')) {
			s = w + len;
			continue;
		}
		char *stem = program_stem(w, len);
		g_autofree char *inner = depth == 0 && !is_lolbin(stem) ? quoted_inner(w, len) : NULL;
		char *in_quotes = inner ? chained_program_in(inner, depth + 1) : NULL;
		if (in_quotes && is_lolbin(in_quotes)) {
			g_free(stem);
			return in_quotes;
		}
		g_free(in_quotes);
		return stem;
	}
	return NULL;
}

static char *chained_program(const char *args)
{
	return chained_program_in(args, 0);
}

/* The command line as cmd.exe passes it on: outside double quotes "^"
 * escapes the next character and is dropped ("p^ow^ershell -e^nc" runs
 * "powershell -enc"; cmd /? and MITRE ATT&CK T1027.010 "Command
 * Obfuscation").  A trailing lone caret is dropped too. */
static char *cmd_unescape(const char *s)
{
	GString *out = g_string_sized_new(strlen(s));
	bool quoted = false;
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		if (*p == '^' && !quoted) {
			if (!p[1])
				break;
			p++;
		}
		g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* ---- -EncodedCommand ------------------------------------------------------- */

/* PowerShell takes any unambiguous prefix of a parameter name, case
 * insensitively, after '-' or '/' (and the dashes U+2013..U+2015); "-e" and
 * "-ec" both mean -EncodedCommand (powershell.exe /? and about_PowerShell_exe). */
static bool is_encoded_switch(const char *w, gsize len)
{
	static const char full[] = "encodedcommand";
	gsize skip = 0;
	if (len >= 1 && (w[0] == '-' || w[0] == '/'))
		skip = 1;
	else if (len >= 3 && (guint8)w[0] == 0xE2 && (guint8)w[1] == 0x80 &&
	         (guint8)w[2] >= 0x93 && (guint8)w[2] <= 0x95)
		skip = 3;
	if (!skip || len - skip == 0 || len - skip > sizeof full - 1)
		return false;
	if (len - skip == 2 && g_ascii_strncasecmp(w + skip, "ec", 2) == 0)
		return true;
	return g_ascii_strncasecmp(w + skip, full, len - skip) == 0;
}

/* Base64 of UTF-16LE text to UTF-8; NULL when it is neither. */
static char *decode_script(const char *w, gsize len)
{
	if (len >= 2 && (w[0] == '"' || w[0] == '\'') && w[len - 1] == w[0]) {
		w++;
		len -= 2;
	}
	if (len < 8)
		return NULL;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isalnum(w[i]) && w[i] != '+' && w[i] != '/' && w[i] != '=')
			return NULL;
	g_autofree char *b64 = g_strndup(w, len);
	gsize n = 0;
	g_autofree guint8 *raw = g_base64_decode(b64, &n);
	if (!raw || n < 2)
		return NULL;
	/* UTF-16LE of a script is mostly ASCII: every odd byte zero */
	gsize zeros = 0;
	for (gsize i = 1; i < n; i += 2)
		zeros += raw[i] == 0;
	if (zeros * 4 < (n / 2) * 3)
		return NULL;
	return utf16_to_utf8(raw, n & ~(gsize)1);
}

/* The decoded script of the first -EncodedCommand in args, or NULL. */
static char *find_encoded_script_in(const char *args, int depth)
{
	const char *s = args;
	for (int words = 0; words < 4096; words++) {
		gsize len = 0;
		const char *w = first_word(s, &len);
		if (len == 0) {
			if (!*w)
				return NULL;
			s = w + 1; /* a lone '&' or '|' */
			continue;
		}
		s = w + len;
		/* cmd /c "powershell -e B64": the command is one quoted word */
		g_autofree char *inner = depth == 0 ? quoted_inner(w, len) : NULL;
		char *nested = inner ? find_encoded_script_in(inner, depth + 1) : NULL;
		if (nested)
			return nested;
		if (!is_encoded_switch(w, len))
			continue;
		gsize vlen = 0;
		const char *v = first_word(s, &vlen);
		char *script = decode_script(v, vlen);
		if (script)
			return script;
	}
	return NULL;
}

static char *find_encoded_script(const char *args)
{
	return find_encoded_script_in(args, 0);
}

/* ---- IOCs ---------------------------------------------------------------- */

static bool url_char(char ch)
{
	return ch && !is_blank(ch) && !strchr("\"'`<>()[]{}|^;,", ch);
}

static void add_url_iocs(ks_report *r, const char *s)
{
	static const char *const schemes[] = {"http://", "https://", "ftp://"};
	for (const char *p = s; *p; p++) {
		for (size_t i = 0; i < G_N_ELEMENTS(schemes); i++) {
			size_t n = strlen(schemes[i]);
			if (g_ascii_strncasecmp(p, schemes[i], n) != 0)
				continue;
			gsize len = n;
			while (url_char(p[len]))
				len++;
			while (len > n && strchr(".:", p[len - 1]))
				len--;
			if (len == n)
				break;
			g_autofree char *url = g_strndup(p, len);
			ks_report_add_ioc(r, KS_IOC_URL, url);
			g_autofree char *host = ks_url_host(url);
			if (host)
				ks_report_add_ioc(r, ks_is_ip_literal(host) ? KS_IOC_IP : KS_IOC_DOMAIN,
				                  host);
			p += len - 1;
			break;
		}
	}
}

/* The host of UNC paths (\\host\share, WebDAV \\host@SSL@443\dav): a
 * shortcut that runs rundll32 or mshta on a remote share names the
 * attacker's server that way.  Hosts without a dot (\\?\, \\.\,
 * NetBIOS names) are no indicator. */
static void add_unc_iocs(ks_report *r, const char *s)
{
	for (const char *p = s; (p = strstr(p, "\\\\")) != NULL;) {
		/* a UNC path starts a word: C:\\tmp\\a.ps1 (an escaped path) is none */
		bool starts = p == s || is_blank(p[-1]) || strchr("\"'=,;(", p[-1]);
		p += 2;
		if (!starts)
			continue;
		while (*p == '\\')
			p++;
		gsize n = 0;
		while (url_char(p[n]) && !strchr("\\/@:%", p[n]))
			n++;
		g_autofree char *host = g_ascii_strdown(p, (gssize)n);
		while (n && host[n - 1] == '.')
			host[--n] = '\0';
		if (!strchr(host, '.'))
			continue;
		if (ks_is_ip_literal(host))
			ks_report_add_ioc(r, KS_IOC_IP, host);
		else if (g_ascii_isalnum(host[n - 1]))
			ks_report_add_ioc(r, KS_IOC_DOMAIN, host);
	}
}

/* Dotted-quad IPv4 addresses standing alone (not inside a version number
 * like 1.2.3.4.5). */
static void add_ip_iocs(ks_report *r, const char *s)
{
	for (const char *p = s; *p; p++) {
		if (!g_ascii_isdigit(*p) || (p > s && (g_ascii_isalnum(p[-1]) || p[-1] == '.')))
			continue;
		const char *q = p;
		int parts = 0;
		bool ok = true;
		while (parts < 4) {
			int v = 0, digits = 0;
			while (g_ascii_isdigit(*q) && digits < 4) {
				v = v * 10 + (*q++ - '0');
				digits++;
			}
			if (digits == 0 || digits > 3 || v > 255) {
				ok = false;
				break;
			}
			parts++;
			if (parts < 4) {
				if (*q != '.') {
					ok = false;
					break;
				}
				q++;
			}
		}
		if (ok && parts == 4 && !g_ascii_isalnum(*q) && !(*q == '.' && g_ascii_isdigit(q[1]))) {
			g_autofree char *ip = g_strndup(p, (gsize)(q - p));
			ks_report_add_ioc(r, KS_IOC_IP, ip);
		}
		while (g_ascii_isdigit(*p) || *p == '.')
			p++;
		if (!*p)
			break;
	}
}

/* ---- metadata and findings -------------------------------------------------- */

static const char *show_command_name(guint32 sw)
{
	switch (sw) {
	case SW_SHOWMAXIMIZED:
		return "SW_SHOWMAXIMIZED";
	case SW_SHOWMINNOACTIVE:
		return "SW_SHOWMINNOACTIVE (starts minimized, without focus: the window stays out of "
		       "sight)";
	case SW_SHOWNORMAL:
		return "SW_SHOWNORMAL";
	default:
		return "SW_SHOWNORMAL (unlisted value)";
	}
}

static void add_meta_time(ks_attachment *a, const char *key, GDateTime *t)
{
	g_autofree char *s = ks_time_format(t);
	ks_attachment_add_meta(a, key, s);
}

static void add_metadata(ks_attachment *a, const ks_lnk *l, const char *target,
                         const char *cmdline)
{
	ks_attachment_add_meta(a, "lnk_target", target);
	ks_attachment_add_meta(a, "lnk_arguments", l->arguments);
	ks_attachment_add_meta(a, "lnk_runs", cmdline);
	if ((l->link_flags & KS_LNK_HAS_EXP_STRING) || l->env_target)
		ks_attachment_add_meta(a, "lnk_env_target", l->env_target);
	ks_attachment_add_meta(a, "lnk_idlist_path", l->idlist_path);
	g_autofree char *info = link_info_path(l);
	ks_attachment_add_meta(a, "lnk_local_path", info);
	ks_attachment_add_meta(a, "lnk_relative_path", l->relative_path);
	ks_attachment_add_meta(a, "lnk_working_dir", l->working_dir);
	ks_attachment_add_meta(a, "lnk_name", l->name);
	g_autofree char *icon = l->icon_location ? g_strdup_printf("%s,%d", l->icon_location,
	                                                            l->icon_index)
	                                         : NULL;
	ks_attachment_add_meta(a, "lnk_icon", icon);
	ks_attachment_add_meta(a, "lnk_icon_env", l->icon_env_target);
	ks_attachment_add_meta(a, "lnk_show_command", show_command_name(l->show_command));
	if (l->hotkey) {
		g_autofree char *hk = g_strdup_printf("0x%04X", l->hotkey);
		ks_attachment_add_meta(a, "lnk_hotkey", hk);
	}
	add_meta_time(a, "lnk_created", l->created);
	add_meta_time(a, "lnk_modified", l->written);
	add_meta_time(a, "lnk_accessed", l->accessed);
	if (l->file_size) {
		g_autofree char *size = g_strdup_printf("%u", l->file_size);
		ks_attachment_add_meta(a, "lnk_target_size", size);
	}
	if (l->has_volume) {
		static const char *const drive_types[] = {"unknown", "no root dir", "removable",
		                                          "fixed", "remote", "cdrom", "ramdisk"};
		ks_attachment_add_meta(a, "lnk_drive_type",
		                       l->drive_type < G_N_ELEMENTS(drive_types)
		                               ? drive_types[l->drive_type]
		                               : "unknown");
		g_autofree char *serial = g_strdup_printf("0x%08x", l->drive_serial);
		ks_attachment_add_meta(a, "lnk_drive_serial", serial);
		ks_attachment_add_meta(a, "lnk_volume_label", l->volume_label ? l->volume_label : "");
	}
	ks_attachment_add_meta(a, "lnk_net_share", l->net_name);
	ks_attachment_add_meta(a, "lnk_net_device", l->device_name);
	ks_attachment_add_meta(a, "lnk_machine_id", l->machine_id);
	ks_attachment_add_meta(a, "lnk_droid_volume", l->droid_volume);
	ks_attachment_add_meta(a, "lnk_droid_file", l->droid_file);
	ks_attachment_add_meta(a, "lnk_birth_droid_volume", l->birth_droid_volume);
	ks_attachment_add_meta(a, "lnk_birth_droid_file", l->birth_droid_file);
	ks_attachment_add_meta(a, "lnk_known_folder", l->known_folder);
	if (l->has_special_folder) {
		g_autofree char *csidl = g_strdup_printf("%u", l->special_folder_id);
		ks_attachment_add_meta(a, "lnk_special_folder", csidl);
	}
	ks_attachment_add_meta(a, "lnk_darwin", l->darwin_id);
	ks_attachment_add_meta(a, "lnk_shim_layer", l->shim_layer);
	if (l->console_codepage) {
		g_autofree char *cp = g_strdup_printf("%u", l->console_codepage);
		ks_attachment_add_meta(a, "lnk_console_codepage", cp);
	}
	for (guint i = 0; i < l->properties->len; i++)
		ks_attachment_add_meta(a, "lnk_property", g_ptr_array_index(l->properties, i));
	if (l->blocks->len) {
		g_ptr_array_add(l->blocks, NULL);
		g_autofree char *blocks = g_strjoinv(", ", (char **)l->blocks->pdata);
		g_ptr_array_remove_index(l->blocks, l->blocks->len - 1);
		ks_attachment_add_meta(a, "lnk_extra_blocks", blocks);
	}
}

void ks_lnk_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	(void)depth;
	ks_report *r = ks_part_walk_report(w);
	g_autofree char *loc = g_strdup_printf("part:%s", a->path);
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(a->data, &len);
	g_autoptr(GError) err = NULL;
	g_autoptr(ks_lnk) l = ks_lnk_parse(p, len, &err);
	if (!l) {
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc, "%s: shortcut unreadable: %s",
		                      a->filename ? a->filename : a->path, err->message);
		return;
	}
	if (l->problems->len) {
		g_ptr_array_add(l->problems, NULL);
		g_autofree char *all = g_strjoinv("; ", (char **)l->problems->pdata);
		g_ptr_array_remove_index(l->problems, l->problems->len - 1);
		ks_report_add_finding(r, KS_RULE_INPUT_MALFORMED, loc,
		                      "%s: shortcut partly unreadable: %s",
		                      a->filename ? a->filename : a->path, all);
	}
	g_autofree char *target = ks_lnk_target(l);
	g_autofree char *cmdline = ks_lnk_command_line(l);
	g_autofree char *path = static_target(l);
	add_metadata(a, l, path, cmdline);
	if (l->created)
		ks_report_add_event(r, l->created, "shortcut's target created (LNK header)", loc);

	gsize pad = longest_blank_run(l->arguments);
	bool has_newline = l->arguments && strpbrk(l->arguments, "\r\n");
	if (pad >= PADDING_RUN || has_newline) {
		g_autofree char *n = g_strdup_printf("%zu", pad);
		ks_attachment_add_meta(a, "lnk_padding", n);
	}

	g_autofree char *stem = target ? program_stem(target, strlen(target)) : NULL;
	/* what cmd.exe hands on once its escapes are gone is what runs */
	bool via_cmd = g_strcmp0(stem, "cmd") == 0;
	g_autofree char *args = l->arguments && via_cmd ? cmd_unescape(l->arguments)
	                                                : g_strdup(l->arguments);
	bool unescaped = args && g_strcmp0(args, l->arguments) != 0;
	g_autofree char *chained = args ? chained_program(args) : NULL;
	bool runs = is_lolbin(stem);
	/* cmd /c powershell ...: the program cmd starts is what matters, and a
	 * target-less shortcut runs its first argument word */
	bool chain = chained && is_lolbin(chained) &&
	             (!stem || g_strcmp0(stem, "cmd") == 0 || g_strcmp0(stem, "conhost") == 0);
	if ((runs || chain) && cmdline) {
		g_autofree char *line = evidence_line(cmdline);
		g_autoptr(GString) ev = g_string_new(NULL);
		g_string_append_printf(ev, "runs %s", runs ? stem : chained);
		if (runs && chain && g_strcmp0(stem, chained) != 0)
			g_string_append_printf(ev, " -> %s", chained);
		g_string_append_printf(ev, ": %s", line);
		if (unescaped) {
			g_autofree char *plain = evidence_line(args);
			g_string_append_printf(ev, " (with cmd's ^ escapes removed: %s)", plain);
		}
		if (pad >= PADDING_RUN || has_newline)
			g_string_append_printf(ev, " (arguments padded with %zu blanks%s to push the "
			                           "command out of the Properties dialog)",
			                       pad, has_newline ? " and line breaks" : "");
		if (l->show_command == SW_SHOWMINNOACTIVE)
			g_string_append(ev, "; window minimized and out of sight");
		ks_report_add_finding(r, KS_RULE_LNK_COMMAND_EXECUTION, loc, "%s", ev->str);
	}

	g_autofree char *script = args ? find_encoded_script(args) : NULL;
	if (script) {
		glong chars = g_utf8_strlen(script, -1);
		g_autofree char *shown =
			chars > SCRIPT_EVIDENCE
				? g_strndup(script,
				            (gsize)(g_utf8_offset_to_pointer(script, SCRIPT_EVIDENCE) - script))
				: g_strdup(script);
		ks_report_add_finding(r, KS_RULE_LNK_ENCODED_POWERSHELL, loc,
		                      "-EncodedCommand decodes to: %s%s", shown,
		                      chars > SCRIPT_EVIDENCE ? " …" : "");
		add_url_iocs(r, script);
		add_ip_iocs(r, script);
	}
	if (cmdline) {
		add_url_iocs(r, cmdline);
		add_ip_iocs(r, cmdline);
		add_unc_iocs(r, cmdline);
	}
	if (unescaped) {
		add_url_iocs(r, args);
		add_ip_iocs(r, args);
		add_unc_iocs(r, args);
	}
}

/* a shortcut is read by its own small parser: runs also when only kensa's own parsers may read (part_walk.h) */
const ks_payload_analyzer ks_lnk_payload = {"lnk", ks_lnk_accepts, ks_lnk_expand, true};
