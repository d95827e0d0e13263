/* OLE2 compound files ([MS-CFB]) read from memory through libgsf, for the
 * Office analyzer (office.c) and the Outlook .msg reader (msg.c): opening,
 * children without libgsf's printed warnings, and bounded stream reads.
 * What the storages mean is the caller's business. */
#ifndef KS_OLE_H
#define KS_OLE_H

#include <glib.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input.h>
#include <stdbool.h>

/* libgsf declares no autoptr cleanups of its own */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GsfInput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GsfInfile, g_object_unref)

/* True when the bytes start with the compound file signature ([MS-CFB] 2.2). */
bool ks_ole_sniff(const void *data, gsize len);

/* The root storage of a compound file held in data (not copied: data must
 * outlive the result), or NULL with error set. */
GsfInfile *ks_ole_open(GBytes *data, GError **error);

/* Child i of a storage, or NULL with error set; never prints. */
GsfInput *ks_ole_child_at(GsfInfile *dir, int i, GError **error);
/* The child of that exact name, or NULL. */
GsfInput *ks_ole_child_named(GsfInfile *dir, const char *name);
/* True when the child is a storage (it has children, maybe none). */
bool ks_ole_is_storage(GsfInput *in);

/* A stream's bytes, or NULL when it is empty, unreadable or longer than
 * limit; with prefix, a longer stream gives its first limit bytes. */
GBytes *ks_ole_read(GsfInput *in, gsize limit, bool prefix);

#endif
