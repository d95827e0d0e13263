/* Outlook .msg ([MS-OXMSG]) into the message model (see msg.h).  What lives
 * here: the property streams and substorages of a message (recipients,
 * attachments, attached messages), MAPI string and time decoding, and the
 * headers: the transport headers Outlook kept (PR_TRANSPORT_MESSAGE_HEADERS,
 * parsed by message.c like any header block) or, for a message that never
 * crossed SMTP, headers made from the MAPI properties.  What does not: OLE
 * access (ole.c), header decoding (message.c), any judgement (analyzers).
 *
 * MS-OXMSG 2.1: a property of id ID and type TYPE is the stream
 * "__substg1.0_IIIITTTT" (hex, upper case) when variable-length, or a
 * 16-byte entry of "__properties_version1.0" when fixed-size. */
#include "core/error.h"
#include "mail/msg.h"

#include "mail/ole.h"

#include <string.h>

/* Limits (DESIGN.md "every parser has limits"). */
#define MAX_STREAM (64 << 20)      /* bytes of one property stream */
#define MAX_HEADERS (1 << 20)      /* bytes of transport headers parsed */
#define MAX_RECIPIENTS 1000        /* recipients read */
#define MAX_CHILDREN 8192          /* substorages and streams looked at */

/* MS-OXCDATA 2.11.1 property types */
#define PT_LONG 0x0003
#define PT_SYSTIME 0x0040
#define PT_STRING8 0x001E
#define PT_UNICODE 0x001F
#define PT_BINARY 0x0102
#define PT_OBJECT 0x000D

/* MS-OXPROPS property ids */
#define PR_SUBJECT 0x0037
#define PR_CLIENT_SUBMIT_TIME 0x0039
#define PR_SENT_REPRESENTING_NAME 0x0042
#define PR_TRANSPORT_MESSAGE_HEADERS 0x007D
#define PR_SENT_REPRESENTING_EMAIL 0x0065
#define PR_RECIPIENT_TYPE 0x0C15
#define PR_SENDER_NAME 0x0C1A
#define PR_SENDER_EMAIL_ADDRESS 0x0C1F
#define PR_MESSAGE_DELIVERY_TIME 0x0E06
#define PR_BODY 0x1000
#define PR_HTML 0x1013
#define PR_INTERNET_MESSAGE_ID 0x1035
#define PR_DISPLAY_NAME 0x3001
#define PR_EMAIL_ADDRESS 0x3003
#define PR_ATTACH_DATA 0x3701
#define PR_ATTACH_FILENAME 0x3704
#define PR_ATTACH_METHOD 0x3705
#define PR_ATTACH_LONG_FILENAME 0x3707
#define PR_ATTACH_MIME_TAG 0x370E
#define PR_ATTACH_CONTENT_ID 0x3712
#define PR_SMTP_ADDRESS 0x39FE
#define PR_SENDER_SMTP_ADDRESS 0x5D01
#define PR_INTERNET_CPID 0x3FDE
#define PR_MESSAGE_CODEPAGE 0x3FFD

/* MS-OXCMSG 2.2.2.9 PidTagAttachMethod */
#define ATTACH_BY_VALUE 1
#define ATTACH_EMBEDDED_MSG 5
#define ATTACH_OLE 6

/* MS-OXMSG 2.4.1: the property stream's header before its 16-byte entries */
#define PROPS_HEADER_TOP 32
#define PROPS_HEADER_EMBEDDED 24
#define PROPS_HEADER_SUB 8

/* ---- fixed-size properties ------------------------------------------------ */

typedef struct {
	GBytes *data; /* the whole "__properties_version1.0" stream, or NULL */
	gsize header;
} props;

/* The 8 value bytes of the fixed-size property (id, type), or NULL. */
static const guint8 *prop_value(const props *p, guint16 id, guint16 type)
{
	gsize len = 0;
	const guint8 *d = p->data ? g_bytes_get_data(p->data, &len) : NULL;
	for (gsize off = p->header; d && off + 16 <= len; off += 16) {
		guint16 t = (guint16)(d[off] | d[off + 1] << 8);
		guint16 i = (guint16)(d[off + 2] | d[off + 3] << 8);
		if (i == id && t == type)
			return d + off + 8;
	}
	return NULL;
}

static bool prop_long(const props *p, guint16 id, guint32 *out)
{
	const guint8 *v = prop_value(p, id, PT_LONG);
	if (!v)
		return false;
	*out = (guint32)v[0] | (guint32)v[1] << 8 | (guint32)v[2] << 16 | (guint32)v[3] << 24;
	return true;
}

/* MS-OXCDATA 2.11.1 PtypTime: a FILETIME, 100 ns since 1601-01-01 UTC. */
static GDateTime *prop_time(const props *p, guint16 id)
{
	const guint8 *v = prop_value(p, id, PT_SYSTIME);
	if (!v)
		return NULL;
	guint64 ft = 0;
	for (int i = 7; i >= 0; i--)
		ft = ft << 8 | v[i];
	gint64 unix_s = (gint64)(ft / 10000000) - G_GINT64_CONSTANT(11644473600);
	if (ft == 0 || unix_s < 0 || unix_s > G_GINT64_CONSTANT(253402300799))
		return NULL;
	return g_date_time_new_from_unix_utc(unix_s);
}

static props props_read(GsfInfile *dir, gsize header)
{
	props p = {NULL, header};
	g_autoptr(GsfInput) in = ks_ole_child_named(dir, "__properties_version1.0");
	if (in)
		p.data = ks_ole_read(in, MAX_STREAM, false);
	return p;
}

/* ---- variable-length properties ----------------------------------------- */

static GBytes *substg(GsfInfile *dir, guint16 id, guint16 type)
{
	char name[32];
	g_snprintf(name, sizeof name, "__substg1.0_%04X%04X", id, type);
	g_autoptr(GsfInput) in = ks_ole_child_named(dir, name);
	return in ? ks_ole_read(in, MAX_STREAM, false) : NULL;
}

/* An iconv name for a Windows code page (MS-OXCMSG PidTagInternetCodepage). */
static const char *codepage_charset(guint32 cp, char *buf, gsize size)
{
	switch (cp) {
	case 0:
		return "WINDOWS-1252";
	case 65001:
		return "UTF-8";
	case 1200:
		return "UTF-16LE";
	case 20127:
		return "ASCII";
	case 50220:
	case 50221:
	case 50222:
		return "ISO-2022-JP";
	case 51932:
		return "EUC-JP";
	case 28591:
		return "ISO-8859-1";
	default:
		g_snprintf(buf, size, "CP%u", cp);
		return buf;
	}
}

/* Bytes in a code page as UTF-8 (invalid input is kept as valid UTF-8 with
 * replacement characters, never dropped); *out_len is its length, NUL
 * characters included. */
static char *decode(const guint8 *d, gsize len, guint32 cp, gsize *out_len)
{
	char buf[16];
	const char *cs = codepage_charset(cp, buf, sizeof buf);
	gsize written = 0;
	char *out = g_convert_with_fallback((const char *)d, (gssize)len, "UTF-8", cs, "?", NULL,
	                                    &written, NULL);
	if (!out) {
		out = g_utf8_make_valid((const char *)d, (gssize)len);
		written = strlen(out);
	}
	if (out_len)
		*out_len = written;
	return out;
}

/* A string property: PT_UNICODE (UTF-16LE) first, else PT_STRING8 in the
 * message's code page; trailing NULs, line ends and blanks dropped, NULs
 * inside kept (*len is the length).  NULL when absent or empty. */
static char *prop_string_len(GsfInfile *dir, guint16 id, guint32 cp, gsize *len)
{
	g_autoptr(GBytes) w = substg(dir, id, PT_UNICODE);
	gsize n = 0;
	const guint8 *d = w ? g_bytes_get_data(w, &n) : NULL;
	char *s = NULL;
	if (d) {
		s = decode(d, n & ~(gsize)1, 1200, len);
	} else {
		g_autoptr(GBytes) a = substg(dir, id, PT_STRING8);
		d = a ? g_bytes_get_data(a, &n) : NULL;
		if (d)
			s = decode(d, n, cp, len);
	}
	if (s) {
		while (*len > 0 && (s[*len - 1] == '\0' || s[*len - 1] == '\r' ||
		                    s[*len - 1] == '\n' || s[*len - 1] == ' '))
			s[--*len] = '\0';
	}
	if (s && !*len)
		g_clear_pointer(&s, g_free);
	return s;
}

/* The same, ended at the first NUL: what Outlook shows. */
static char *prop_string(GsfInfile *dir, guint16 id, guint32 cp)
{
	gsize len = 0;
	char *s = prop_string_len(dir, id, cp, &len);
	if (!s)
		return NULL;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == '\r' || s[len - 1] == '\n' || s[len - 1] == ' '))
		s[--len] = '\0';
	if (!len)
		g_clear_pointer(&s, g_free);
	return s;
}

/* ---- the model ---------------------------------------------------------- */

static void header_add(ks_message *m, const char *name, const char *value)
{
	ks_raw_header *h = g_new0(ks_raw_header, 1);
	h->name = g_strdup(name);
	h->raw_value = g_strdup(value);
	h->value = g_strdup(value);
	g_ptr_array_add(m->headers, h);
}

/* "Name" <address>, quoting the name as RFC 5322 3.2.4 asks (a name
 * alone is quoted too: a comma in it must not make two recipients). */
static char *mailbox(const char *name, const char *address)
{
	if (!address && !name)
		return NULL;
	if (address && (!name || strcmp(name, address) == 0))
		return g_strdup_printf("<%s>", address);
	GString *s = g_string_new("\"");
	for (const char *c = name; *c; c++) {
		if (*c == '"' || *c == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, *c);
	}
	g_string_append_c(s, '"');
	if (address)
		g_string_append_printf(s, " <%s>", address);
	return g_string_free(s, FALSE);
}

/* An SMTP address from a property, or NULL: for an Exchange X.500 DN
 * ("/O=ORG/OU=...") that is no address anyone can write to, and for a value
 * that is no single address ('<', '>', ',', '"' or a control character
 * would let the headers made from it name recipients that do not exist),
 * which is reported. */
static char *smtp_only(ks_message *m, char *address, const char *property)
{
	if (address && !strchr(address, '@'))
		g_clear_pointer(&address, g_free);
	const char *flaw = address ? ks_address_flaw(address, true) : NULL;
	if (flaw) {
		ks_message_problem(m, "%s \"%.200s\" holds %s: not taken as an address", property, address,
		        flaw);
		g_clear_pointer(&address, g_free);
	}
	return address;
}

/* RFC 5322 3.3 date-time, in English whatever the locale. */
static char *rfc5322_date(GDateTime *t)
{
	static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	return g_strdup_printf("%s, %02d %s %04d %02d:%02d:%02d +0000",
	                       days[g_date_time_get_day_of_week(t) - 1],
	                       g_date_time_get_day_of_month(t), months[g_date_time_get_month(t) - 1],
	                       g_date_time_get_year(t), g_date_time_get_hour(t),
	                       g_date_time_get_minute(t), g_date_time_get_second(t));
}

/* The transport headers, parsed as the header block they are; false when
 * absent or not a header block. */
static bool transport_headers(ks_message *m, GsfInfile *dir, guint32 cp)
{
	g_autofree char *text = prop_string(dir, PR_TRANSPORT_MESSAGE_HEADERS, cp);
	if (!text)
		return false;
	gsize len = strlen(text);
	if (len > MAX_HEADERS) {
		ks_message_problem(m, "transport headers longer than %d bytes; the rest not read", MAX_HEADERS);
		len = MAX_HEADERS;
	}
	/* the block ends at a blank line; a body must not follow */
	g_autoptr(GString) block = g_string_new_len(text, (gssize)len);
	g_string_append(block, "\r\n\r\n");
	g_autoptr(GBytes) bytes = g_string_free_to_bytes(g_steal_pointer(&block));
	g_autoptr(ks_message) parsed = ks_mime_parse(bytes, m->depth, NULL);
	if (!parsed || !parsed->headers->len) {
		ks_message_problem(m, "transport headers (PR_TRANSPORT_MESSAGE_HEADERS) are not a header block");
		return false;
	}
	g_ptr_array_unref(m->headers);
	m->headers = g_ptr_array_ref(parsed->headers);
	return true;
}

typedef struct {
	GString *to, *cc;
} recipients;

static void recipient_read(ks_message *m, GsfInfile *dir, guint32 cp, recipients *rc)
{
	props p = props_read(dir, PROPS_HEADER_SUB);
	guint32 type = 1;
	prop_long(&p, PR_RECIPIENT_TYPE, &type);
	g_autofree char *name = prop_string(dir, PR_DISPLAY_NAME, cp);
	char *address = smtp_only(m, prop_string(dir, PR_SMTP_ADDRESS, cp), "PR_SMTP_ADDRESS");
	if (!address)
		address = smtp_only(m, prop_string(dir, PR_EMAIL_ADDRESS, cp), "PR_EMAIL_ADDRESS");
	g_autofree char *box = mailbox(name, address);
	g_free(address);
	if (p.data)
		g_bytes_unref(p.data);
	/* MS-OXOMSG 2.2.3.1: 1 To, 2 Cc, 3 Bcc (not shown in headers) */
	GString *list = type == 1 ? rc->to : type == 2 ? rc->cc : NULL;
	if (!list || !box)
		return;
	if (list->len)
		g_string_append(list, ", ");
	g_string_append(list, box);
}

/* Headers for a message that has no transport headers (a draft, or one
 * saved from the sender's own Sent Items): what Outlook shows. */
static void synthesize_headers(ks_message *m, GsfInfile *dir, const props *p, guint32 cp,
                               const recipients *rc)
{
	g_autofree char *sender = prop_string(dir, PR_SENDER_NAME, cp);
	char *address = smtp_only(m, prop_string(dir, PR_SENDER_SMTP_ADDRESS, cp),
	                          "PR_SENDER_SMTP_ADDRESS");
	if (!address)
		address = smtp_only(m, prop_string(dir, PR_SENDER_EMAIL_ADDRESS, cp),
		                    "PR_SENDER_EMAIL_ADDRESS");
	g_autofree char *rep = prop_string(dir, PR_SENT_REPRESENTING_NAME, cp);
	g_autofree char *rep_address = smtp_only(m, prop_string(dir, PR_SENT_REPRESENTING_EMAIL, cp),
	                                         "PR_SENT_REPRESENTING_EMAIL");
	g_autofree char *from = rep_address ? mailbox(rep, rep_address) : mailbox(sender, address);
	if (from)
		header_add(m, "From", from);
	/* sent on behalf of someone else: the real sender, as RFC 5322 3.6.2 has it */
	if (rep_address && address && g_ascii_strcasecmp(rep_address, address) != 0) {
		g_autofree char *s = mailbox(sender, address);
		header_add(m, "Sender", s);
	}
	g_free(address);
	if (rc->to->len)
		header_add(m, "To", rc->to->str);
	if (rc->cc->len)
		header_add(m, "Cc", rc->cc->str);
	g_autofree char *subject = prop_string(dir, PR_SUBJECT, cp);
	if (subject)
		header_add(m, "Subject", subject);
	g_autoptr(GDateTime) date = prop_time(p, PR_CLIENT_SUBMIT_TIME);
	if (!date)
		date = prop_time(p, PR_MESSAGE_DELIVERY_TIME);
	if (date) {
		g_autofree char *d = rfc5322_date(date);
		header_add(m, "Date", d);
	}
	g_autofree char *id = prop_string(dir, PR_INTERNET_MESSAGE_ID, cp);
	if (id)
		header_add(m, "Message-ID", id);
}

static void bodies(ks_message *m, GsfInfile *dir, const props *p, guint32 cp)
{
	m->body_plain = prop_string(dir, PR_BODY, cp);
	guint32 html_cp = cp;
	prop_long(p, PR_INTERNET_CPID, &html_cp);
	g_autoptr(GBytes) html = substg(dir, PR_HTML, PT_BINARY);
	gsize len = 0;
	const guint8 *d = html ? g_bytes_get_data(html, &len) : NULL;
	if (d && len)
		m->body_html = decode(d, len, html_cp, NULL);
	else
		m->body_html = prop_string(dir, PR_HTML, html_cp);
}

static ks_message *parse_storage(GsfInfile *dir, GBytes *raw, int depth, gsize header);

static void attachment_read(ks_message *m, GsfInfile *dir, guint32 cp, guint index)
{
	props p = props_read(dir, PROPS_HEADER_SUB);
	guint32 method = ATTACH_BY_VALUE;
	prop_long(&p, PR_ATTACH_METHOD, &method);
	if (p.data)
		g_bytes_unref(p.data);

	ks_mime_part *part = g_new0(ks_mime_part, 1);
	part->path = g_strdup_printf("%u", index);
	part->disposition = g_strdup("attachment");
	/* a NUL inside the name is kept: it hides the real extension from
	 * tools that stop there */
	static const guint16 names[] = {PR_ATTACH_LONG_FILENAME, PR_ATTACH_FILENAME,
	                                PR_DISPLAY_NAME};
	for (size_t i = 0; i < G_N_ELEMENTS(names) && !part->filename; i++)
		part->filename = prop_string_len(dir, names[i], cp, &part->filename_len);
	g_autofree char *mime = prop_string(dir, PR_ATTACH_MIME_TAG, cp);
	part->content_id = prop_string(dir, PR_ATTACH_CONTENT_ID, cp);

	if (method == ATTACH_EMBEDDED_MSG || method == ATTACH_OLE) {
		char name[32];
		g_snprintf(name, sizeof name, "__substg1.0_%04X%04X", PR_ATTACH_DATA, PT_OBJECT);
		g_autoptr(GsfInput) obj = ks_ole_child_named(dir, name);
		part->data = g_bytes_new(NULL, 0);
		if (method == ATTACH_OLE || !obj || !ks_ole_is_storage(obj)) {
			part->content_type = g_strdup("application/octet-stream");
			if (method == ATTACH_EMBEDDED_MSG)
				ks_message_problem(m, "attachment %u: attached message storage missing", index);
		} else if (m->depth + 1 >= KS_MAX_DEPTH) {
			part->content_type = g_strdup("message/rfc822");
			ks_message_problem(m, "attached messages nested deeper than %d; attachment %u not opened",
			        KS_MAX_DEPTH, index);
		} else {
			part->content_type = g_strdup("message/rfc822");
			/* MS-OXMSG 2.4.1.2: an embedded message's header is 24 bytes */
			part->embedded = parse_storage(GSF_INFILE(obj), NULL, m->depth + 1,
			                               PROPS_HEADER_EMBEDDED);
		}
	} else {
		part->data = substg(dir, PR_ATTACH_DATA, PT_BINARY);
		if (!part->data)
			part->data = g_bytes_new(NULL, 0);
		part->content_type = g_ascii_strdown(mime ? mime : "application/octet-stream", -1);
		/* a .msg attached as a file is a message too, and so is a .eml
		 * (message/rfc822 or a file name ending in .eml) */
		gsize dlen = 0;
		const guint8 *d = g_bytes_get_data(part->data, &dlen);
		g_autofree char *lower = part->filename ? g_ascii_strdown(part->filename, -1) : NULL;
		bool is_msg = ks_msg_sniff(part->data);
		bool is_eml = !is_msg && dlen > 0 &&
		              (g_str_equal(part->content_type, "message/rfc822") ||
		               (lower && g_str_has_suffix(lower, ".eml"))) &&
		              ks_message_looks_like_mail(d, dlen);
		part->holds_message = is_msg || is_eml; /* parse.c parses it */
	}
	g_ptr_array_add(m->parts, part);
}

/* One message storage: the top-level root or an attached message. */
static ks_message *parse_storage(GsfInfile *dir, GBytes *raw, int depth, gsize header)
{
	ks_message *m = ks_message_new(raw, depth);

	props p = props_read(dir, header);
	if (!p.data)
		ks_message_problem(m, "the .msg has no readable property stream");
	guint32 cp = 0;
	if (!prop_long(&p, PR_MESSAGE_CODEPAGE, &cp))
		prop_long(&p, PR_INTERNET_CPID, &cp);

	recipients rc = {g_string_new(NULL), g_string_new(NULL)};
	int n = gsf_infile_num_children(dir);
	guint attachments = 0, recips = 0;
	for (int i = 0; i < n && i < MAX_CHILDREN; i++) {
		const char *name = gsf_infile_name_by_index(dir, i);
		bool is_recip = name && g_str_has_prefix(name, "__recip_version1.0_");
		bool is_attach = name && g_str_has_prefix(name, "__attach_version1.0_");
		if (!is_recip && !is_attach)
			continue;
		g_autoptr(GError) err = NULL;
		g_autoptr(GsfInput) child = ks_ole_child_at(dir, i, &err);
		if (!child || !ks_ole_is_storage(child)) {
			ks_message_problem(m, "%s unreadable: %s", name, err ? err->message : "not a storage");
			continue;
		}
		if (is_recip && recips++ < MAX_RECIPIENTS) {
			recipient_read(m, GSF_INFILE(child), cp, &rc);
		} else if (is_attach) {
			if (attachments >= KS_MAX_PARTS) {
				ks_message_problem(m, "more than %d attachments; the rest were not read",
				        KS_MAX_PARTS);
				break;
			}
			attachment_read(m, GSF_INFILE(child), cp, ++attachments);
		}
	}
	if (n >= MAX_CHILDREN)
		ks_message_problem(m, "more than %d entries in a message storage; the rest not read",
		        MAX_CHILDREN);

	if (!transport_headers(m, dir, cp))
		synthesize_headers(m, dir, &p, cp, &rc);
	bodies(m, dir, &p, cp);
	g_string_free(rc.to, TRUE);
	g_string_free(rc.cc, TRUE);
	if (p.data)
		g_bytes_unref(p.data);
	return m;
}

bool ks_msg_sniff(GBytes *raw)
{
	gsize len = 0;
	const guint8 *d = raw ? g_bytes_get_data(raw, &len) : NULL;
	if (!ks_ole_sniff(d, len))
		return false;
	g_autoptr(GsfInfile) root = ks_ole_open(raw, NULL);
	if (!root)
		return false;
	g_autoptr(GsfInput) stream = ks_ole_child_named(root, "__properties_version1.0");
	return stream != NULL;
}

ks_message *ks_msg_parse(GBytes *raw, int depth, GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GsfInfile) root = ks_ole_open(raw, &err);
	if (!root) {
		g_set_error(error, KS_ERROR, KS_ERROR_NOT_MESSAGE,
		            "not an Outlook message: %s", err ? err->message : "unreadable");
		return NULL;
	}
	g_autoptr(GsfInput) stream = ks_ole_child_named(root, "__properties_version1.0");
	if (!stream) {
		g_set_error(error, KS_ERROR, KS_ERROR_NOT_MESSAGE,
		            "not an Outlook message: an OLE2 file without .msg properties");
		return NULL;
	}
	return parse_storage(root, raw, depth, PROPS_HEADER_TOP);
}
