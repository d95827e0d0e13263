/* Payload analyzer: Windows shortcuts (MS-SHLLINK), parsed by hand through a
 * bounds-checked cursor (cursor.h).  A row of the payload table in
 * attachments.c (see attachments.h).  ks_lnk_parse() is the parser alone,
 * for tests, fuzzing and any other caller; ks_lnk_expand() turns a parse
 * into attachment metadata, lnk.* findings and IOCs. */
#ifndef KS_LNK_H
#define KS_LNK_H

#include "payloads/part_walk.h"

/* MS-SHLLINK 2.1.1 LinkFlags used here */
#define KS_LNK_HAS_ID_LIST 0x00000001u
#define KS_LNK_HAS_LINK_INFO 0x00000002u
#define KS_LNK_HAS_NAME 0x00000004u
#define KS_LNK_HAS_RELATIVE_PATH 0x00000008u
#define KS_LNK_HAS_WORKING_DIR 0x00000010u
#define KS_LNK_HAS_ARGUMENTS 0x00000020u
#define KS_LNK_HAS_ICON_LOCATION 0x00000040u
#define KS_LNK_IS_UNICODE 0x00000080u
#define KS_LNK_HAS_EXP_STRING 0x00000200u

/* One parsed shortcut.  Strings are UTF-8 (unpaired surrogates and
 * unconvertible bytes become U+FFFD) but NOT sanitized: they are what the
 * file says, for the report's setters to clean.  NULL when absent. */
typedef struct {
	/* ShellLinkHeader (2.1) */
	guint32 link_flags;
	guint32 file_attributes;
	GDateTime *created, *accessed, *written; /* UTC; NULL when zero or out of range */
	guint32 file_size;
	gint32 icon_index;
	guint32 show_command; /* SW_* as written (1 normal, 3 maximized, 7 min no active) */
	guint16 hotkey;       /* low byte virtual key, high byte HOTKEYF_* */

	/* LinkTargetIDList (2.2): the shell items rendered as a path */
	char *idlist_path;
	guint n_items;

	/* LinkInfo (2.3) */
	bool has_volume;
	guint32 drive_type; /* DRIVE_* (2.3.1) */
	guint32 drive_serial;
	char *volume_label;
	char *local_base_path;
	char *net_name, *device_name; /* CommonNetworkRelativeLink (2.3.2) */
	char *common_path_suffix;

	/* StringData (2.4) */
	char *name, *relative_path, *working_dir, *arguments, *icon_location;

	/* ExtraData (2.5) */
	char *env_target;      /* EnvironmentVariablesDataBlock, Unicode preferred */
	char *icon_env_target; /* IconEnvironmentDataBlock */
	char *machine_id;      /* TrackerDataBlock (NetBIOS name) */
	char *droid_volume, *droid_file, *birth_droid_volume, *birth_droid_file; /* GUID text */
	char *known_folder;     /* KnownFolderDataBlock GUID text */
	bool has_special_folder;
	guint32 special_folder_id; /* CSIDL */
	guint32 property_store_size;
	GPtrArray *properties; /* char*: "FMTID/ID=value" for simple string properties */
	bool has_console;
	guint32 console_codepage; /* ConsoleFEDataBlock; 0 when absent */
	char *darwin_id;
	char *shim_layer;
	bool has_vista_idlist;
	GPtrArray *blocks; /* char*: names of the ExtraData blocks, in order */

	/* what could not be read: "LinkInfo: truncated at offset 12", ...
	 * (char*); empty for a well-formed file */
	GPtrArray *problems;
} ks_lnk;

/* Parses a shortcut.  NULL with error (KS_CURSOR_ERROR "...truncated..."
 * or G_IO_ERROR_INVALID_DATA) only when the 76-byte header itself is not a
 * ShellLinkHeader; past the header, every section that cannot be read is
 * recorded in problems and parsing goes on with what it could read. */
ks_lnk *ks_lnk_parse(const guint8 *data, gsize len, GError **error);
void ks_lnk_free(ks_lnk *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ks_lnk, ks_lnk_free)

/* What Windows would run: the environment-variable target when HasExpString
 * and present (Windows prefers it), else the ID list's file-system path,
 * else LinkInfo's path, else the relative path; NULL when none.  g_free. */
char *ks_lnk_target(const ks_lnk *l);
/* The target and the arguments, as one command line; NULL when neither. */
char *ks_lnk_command_line(const ks_lnk *l);

bool ks_lnk_accepts(const ks_attachment *a);
void ks_lnk_expand(ks_part_walk *w, ks_attachment *a, int depth);

/* Its row of the payload table (payloads.c). */
extern const ks_payload_analyzer ks_lnk_payload;

#endif
