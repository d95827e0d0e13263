/* The brand list and the reading of short texts that name a brand or speak
 * as an organisation.  One list (data/brands.txt) and one reader serve the
 * page-brand guess of HTML pages (html_scan.c) and the impersonation rules
 * (impersonation.c); the organisation words are data/org_words.txt.
 *
 * Names are compared on a matching key: NFKD, marks, format and other
 * invisible characters dropped, case folded, then the UTS #39 confusable
 * skeleton (ICU), with 1/l/I/i and vv/w folded together.  So "Ꮇicrosoft",
 * "Аpple" (Cyrillic А), "𝐏𝐚𝐲𝐏𝐚𝐥", "Co\U000E0139inbase", "PayPaI" and
 * "ＡＭＡＺＯＮ" all read as the brand.  The key is computed for short texts
 * only (names, subjects, titles, a few signature lines). */
#ifndef KS_BRANDS_H
#define KS_BRANDS_H

#include <glib.h>
#include <stdbool.h>

typedef struct ks_brand ks_brand;

/* The brands in file order.  Static lifetime, thread-safe. */
const GPtrArray *ks_brands_all(void);
/* The brand's name as the data file gives it ("PayPal", "三井住友カード"). */
const char *ks_brand_name(const ks_brand *b);

/* True when host (a sender's domain, or a page's form target; any case,
 * trailing dot allowed) is one of the brand's domains or below one.  A
 * consumer mailbox host of the brand ("!outlook.com") counts only when
 * consumer_ok: a page may post to login.live.com, but a mail from
 * anyone@outlook.com is not Microsoft speaking. */
bool ks_brand_owns_host(const ks_brand *b, const char *host, bool consumer_ok);

/* The brand's first max domains (consumer mailbox hosts left out),
 * ", "-joined, with ", ..." when there are more; g_free. */
char *ks_brand_domains_text(const ks_brand *b, guint max);

/* The brand of that name (as brands.txt writes it), or NULL. */
const ks_brand *ks_brand_by_name(const char *name);

/* The matching key of a text (see above); g_free.  Texts beyond 4 KiB are
 * cut first. */
char *ks_brand_key(const char *text);

/* Kinds of organisation words (data/org_words.txt sections), as bits. */
enum {
	KS_ORG_FILLER = 1 << 0,
	KS_ORG_GENERIC = 1 << 1,
	KS_ORG_SERVICE = 1 << 2,
	KS_ORG_INSTITUTION = 1 << 3,
	KS_ORG_COMPANY = 1 << 4,
};

typedef struct {
	const ks_brand *brand;
	const char *name; /* the name that matched, as the data file writes it */
	bool disguised;   /* found only through the key: look-alike letters,
	                     marks or invisible characters inside the name */
	bool common;      /* a "~" name: a common word or a surname too */
} ks_brand_hit;

/* What a short text (a display name, a subject, a signature line) names. */
typedef struct {
	GArray *brands;     /* ks_brand_hit, one per brand, in file order */
	unsigned org_kinds; /* KS_ORG_* bits of the organisation words in it */
	char *org_words;    /* the non-filler organisation words found, as the
	                       data writes them, ", "-joined; NULL when none */
	bool other_words;   /* letters remain that are neither a brand's name
	                       nor an organisation word: a person's name, a
	                       sentence, a product */
} ks_brand_reading;

/* Reads text; a NULL or empty text reads as nothing.  Clear with
 * ks_brand_reading_clear. */
void ks_brand_read(const char *text, ks_brand_reading *out);
/* The same for the brands only (org_kinds, org_words and other_words are
 * left empty): a subject or a title, where only the names matter. */
void ks_brand_find(const char *text, ks_brand_reading *out);
void ks_brand_reading_clear(ks_brand_reading *r);

/* Brands whose name (five letters or more, not a common word) is hidden
 * in disguise inside one word: "0nmicr0s0ft", "securepaypa1" (a typosquat
 * in a domain label).  A name written plainly inside a word is not one
 * ("whatsonnetflix" may be a fan site).  GArray of ks_brand_hit, each
 * disguised; g_array_unref. */
GArray *ks_brands_disguised_inside(const char *word);

/* The brand a web page imitates, from its title, visible text and image
 * alt texts and URLs (all lower case is not required): a name or page word
 * in the title weighs 20, in alt texts and image URLs 5, in the text 1;
 * the first brand in file order wins a tie.  NULL when none is named. */
const ks_brand *ks_brands_guess_page(const char *title, const char *text, const char *extra);

#endif
