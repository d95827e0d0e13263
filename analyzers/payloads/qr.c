/* QR codes in the pictures a mail carries.  What lives here:
 *   - decoding pictures to 8-bit grey: PNG through libpng's simplified API
 *     (alpha composed onto white), JPEG through libjpeg (scaled down while
 *     decoding, its messages kept off stderr), each refused past a pixel
 *     limit read from its header before any pixel is decoded;
 *   - the image XObjects of a PDF, found in its bytes (ISO 32000-1 8.9.5:
 *     /Subtype /Image streams with /Width, /Height, /BitsPerComponent,
 *     /ColorSpace, /Filter, /DecodeParms), FlateDecode (with PNG
 *     predictors) and DCTDecode undone here, never by rendering a page;
 *   - the media of OOXML packages (word/media, xl/media, ppt/media) and
 *     data: images in HTML;
 *   - a cheap look for two tones and three finder patterns, then libzbar's
 *     QR reader over the pixels, other symbologies off (libzbar is opened
 *     then, on first use, not linked: deps.mk).
 * GIF, WebP, JPEG 2000, JBIG2 and CCITT pictures are not decoded.  Each
 * message has a budget of pixels (KS_QR_PIXELS_PER_MESSAGE). */
#include "payloads/qr.h"

#include "core/module.h"
#include "mail/cursor.h"
#include "mail/html.h"
#include "payloads/pdf.h"

#include <gio/gio.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <string.h>
#include <zbar.h>
#include <zip.h>

/* A picture's declared size past which it is not decoded: a 40-megapixel
 * photo is larger than any phone takes, and 40 MB of grey. */
#define DECODE_PIXELS_MAX ((int64_t)40 * 1000 * 1000)
/* The longest side scanned: larger pictures are scaled down to it.  A QR
 * code of version 10 (57 modules) filling a quarter of such a side still
 * has 7 pixels a module. */
#define SCAN_SIDE 1600
/* zbar scans every other line each way: a QR finder pattern is 7 modules
 * (ISO/IEC 18004 6.3.3), crossed by three lines or more at 2 pixels a
 * module, and the scan takes a third less time. */
#define SCAN_DENSITY 2
/* The shortest side worth scanning: version 1 (21 modules) with its quiet
 * zone at under two pixels a module (ISO/IEC 18004 5.3.8). */
#define MIN_SIDE 40
/* Pictures looked at per PDF, OOXML package or HTML page. */
#define PICTURES_PER_FILE 16
/* Encoded bytes of one picture taken from a package or a data: URI. */
#define PICTURE_BYTES_MAX (16 << 20)
/* Bytes around "/Subtype /Image" where its dictionary is looked for. */
#define DICT_WINDOW 4096
/* QR contents named in one finding's evidence, and characters of each. */
#define EVIDENCE_CODES 3
#define CONTENT_SHOWN 200

/* ---- zbar ---------------------------------------------------------------- */

/* libzbar is opened on first use, not linked (deps.mk says why): its
 * functions, found by name in the module. */
typedef struct {
	zbar_image_scanner_t *(*scanner_create)(void);
	void (*scanner_destroy)(zbar_image_scanner_t *);
	int (*scanner_set_config)(zbar_image_scanner_t *, zbar_symbol_type_t, zbar_config_t, int);
	zbar_image_t *(*image_create)(void);
	void (*image_destroy)(zbar_image_t *);
	void (*image_set_format)(zbar_image_t *, unsigned long);
	void (*image_set_size)(zbar_image_t *, unsigned, unsigned);
	void (*image_set_data)(zbar_image_t *, const void *, unsigned long,
	                       zbar_image_cleanup_handler_t *);
	int (*scan_image)(zbar_image_scanner_t *, zbar_image_t *);
	const zbar_symbol_t *(*first_symbol)(const zbar_image_t *);
	const zbar_symbol_t *(*symbol_next)(const zbar_symbol_t *);
	const char *(*symbol_data)(const zbar_symbol_t *);
	unsigned (*symbol_length)(const zbar_symbol_t *);
} zbar_api;

/* Debian's libzbar0 installs libzbar.so.0 (libzbar-dev adds libzbar.so). */
static gpointer zbar_load(gpointer unused)
{
	(void)unused;
	static const char *const names[] = {"libzbar.so.0", "libzbar.so"};
	zbar_api *z = g_new0(zbar_api, 1);
	const ks_module_symbol syms[] = {
		{"zbar_image_scanner_create", (gpointer *)&z->scanner_create},
		{"zbar_image_scanner_destroy", (gpointer *)&z->scanner_destroy},
		{"zbar_image_scanner_set_config", (gpointer *)&z->scanner_set_config},
		{"zbar_image_create", (gpointer *)&z->image_create},
		{"zbar_image_destroy", (gpointer *)&z->image_destroy},
		{"zbar_image_set_format", (gpointer *)&z->image_set_format},
		{"zbar_image_set_size", (gpointer *)&z->image_set_size},
		{"zbar_image_set_data", (gpointer *)&z->image_set_data},
		{"zbar_scan_image", (gpointer *)&z->scan_image},
		{"zbar_image_first_symbol", (gpointer *)&z->first_symbol},
		{"zbar_symbol_next", (gpointer *)&z->symbol_next},
		{"zbar_symbol_get_data", (gpointer *)&z->symbol_data},
		{"zbar_symbol_get_data_length", (gpointer *)&z->symbol_length},
	};
	if (!ks_module_load(names, G_N_ELEMENTS(names), syms, G_N_ELEMENTS(syms))) {
		g_free(z);
		return NULL;
	}
	return z; /* reachable from the GOnce */
}

static const zbar_api *zbar_get(void)
{
	static GOnce once = G_ONCE_INIT;
	return g_once(&once, zbar_load, NULL);
}

bool ks_qr_available(void)
{
	return zbar_get() != NULL;
}

GPtrArray *ks_qr_scan_gray(const guint8 *gray, int w, int h)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const zbar_api *z = zbar_get();
	if (!z || !gray || w < MIN_SIDE || h < MIN_SIDE)
		return out;
	zbar_image_scanner_t *sc = z->scanner_create();
	if (!sc)
		return out;
	z->scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	z->scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	/* white-on-dark codes are printed too */
	z->scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_TEST_INVERTED, 1);
	z->scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_X_DENSITY, SCAN_DENSITY);
	z->scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_Y_DENSITY, SCAN_DENSITY);
	zbar_image_t *img = z->image_create();
	z->image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	z->image_set_size(img, (unsigned)w, (unsigned)h);
	z->image_set_data(img, gray, (unsigned long)w * (unsigned long)h, NULL);
	if (z->scan_image(sc, img) > 0) {
		for (const zbar_symbol_t *sym = z->first_symbol(img); sym; sym = z->symbol_next(sym)) {
			const char *d = z->symbol_data(sym);
			unsigned n = z->symbol_length(sym);
			if (d && n)
				g_ptr_array_add(out, g_strndup(d, n));
		}
	}
	z->image_destroy(img);
	z->scanner_destroy(sc);
	return out;
}

/* ---- pixels ---------------------------------------------------------------- */

typedef struct {
	guint8 *px; /* w*h grey bytes, g_free */
	int w, h;
} grey;

/* Box-filters g down by a whole factor until its longest side is at most
 * SCAN_SIDE. */
static void shrink(grey *g)
{
	int f = (MAX(g->w, g->h) + SCAN_SIDE - 1) / SCAN_SIDE;
	if (f <= 1)
		return;
	int w = g->w / f, h = g->h / f;
	guint8 *out = g_malloc((gsize)w * (gsize)h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned sum = 0;
			for (int dy = 0; dy < f; dy++) {
				const guint8 *row = g->px + (gsize)(y * f + dy) * (gsize)g->w + (gsize)x * f;
				for (int dx = 0; dx < f; dx++)
					sum += row[dx];
			}
			out[(gsize)y * w + x] = (guint8)(sum / (unsigned)(f * f));
		}
	g_free(g->px);
	g->px = out;
	g->w = w;
	g->h = h;
}

static bool take_pixels(int64_t *budget, int64_t n, char **skipped, const char *what)
{
	if (n > DECODE_PIXELS_MAX) {
		if (skipped && !*skipped)
			*skipped = g_strdup_printf("%s of %" G_GINT64_FORMAT " pixels, over the limit of %d "
			                           "million, not decoded",
			                           what, n, (int)(DECODE_PIXELS_MAX / 1000000));
		return false;
	}
	if (budget && n > *budget) {
		if (skipped && !*skipped)
			*skipped = g_strdup_printf("the message's QR budget of %d million pixels is spent; "
			                           "later pictures were not decoded",
			                           (int)(KS_QR_PIXELS_PER_MESSAGE / 1000000));
		return false;
	}
	if (budget)
		*budget -= n;
	return true;
}

static bool decode_png(const guint8 *data, gsize len, grey *g, int64_t *budget, char **skipped)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, data, len))
		return false;
	if (img.width < MIN_SIDE || img.height < MIN_SIDE ||
	    !take_pixels(budget, (int64_t)img.width * img.height, skipped, "a PNG")) {
		png_image_free(&img);
		return false;
	}
	/* grey without alpha: transparent pixels are composed onto white */
	img.format = PNG_FORMAT_GRAY;
	png_color white = {255, 255, 255};
	g->w = (int)img.width;
	g->h = (int)img.height;
	g->px = g_malloc(PNG_IMAGE_SIZE(img));
	if (!png_image_finish_read(&img, &white, g->px, 0, NULL)) {
		png_image_free(&img);
		g_clear_pointer(&g->px, g_free);
		return false;
	}
	return true;
}

typedef struct {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
} jpeg_errors;

static void jpeg_fail(j_common_ptr cinfo)
{
	longjmp(((jpeg_errors *)(void *)cinfo->err)->jump, 1);
}

/* libjpeg writes its warnings ("Corrupt JPEG data") to stderr by default,
 * which would garble the workbench's screen. */
static void jpeg_quiet(j_common_ptr cinfo)
{
	(void)cinfo;
}

static void jpeg_quiet_level(j_common_ptr cinfo, int level)
{
	(void)cinfo;
	(void)level;
}

static bool decode_jpeg(const guint8 *data, gsize len, grey *g, int64_t *budget, char **skipped)
{
	struct jpeg_decompress_struct cinfo;
	jpeg_errors err;
	guint8 *volatile px = NULL;
	cinfo.err = jpeg_std_error(&err.pub);
	err.pub.error_exit = jpeg_fail;
	err.pub.output_message = jpeg_quiet;
	err.pub.emit_message = jpeg_quiet_level;
	if (setjmp(err.jump)) {
		jpeg_destroy_decompress(&cinfo);
		g_free(px);
		return false;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, data, (unsigned long)len);
	if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK || cinfo.image_width < MIN_SIDE ||
	    cinfo.image_height < MIN_SIDE ||
	    !take_pixels(budget, (int64_t)cinfo.image_width * cinfo.image_height, skipped,
	                 "a JPEG") ||
	    cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
		jpeg_destroy_decompress(&cinfo);
		return false;
	}
	cinfo.out_color_space = JCS_GRAYSCALE;
	/* scaled while decoding (libjpeg-turbo: num/8) to about SCAN_SIDE */
	unsigned side = MAX(cinfo.image_width, cinfo.image_height);
	cinfo.scale_denom = 8;
	cinfo.scale_num = (unsigned)CLAMP((8 * SCAN_SIDE + side - 1) / side, 1, 8);
	jpeg_start_decompress(&cinfo);
	int w = (int)cinfo.output_width, h = (int)cinfo.output_height;
	px = g_malloc((gsize)w * (gsize)h);
	while (cinfo.output_scanline < cinfo.output_height) {
		JSAMPROW row = px + (gsize)cinfo.output_scanline * (gsize)w;
		jpeg_read_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_decompress(&cinfo);
	jpeg_destroy_decompress(&cinfo);
	g->px = px;
	g->w = w;
	g->h = h;
	return true;
}

static bool is_png(const guint8 *p, gsize n)
{
	return n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0;
}

static bool is_jpeg(const guint8 *p, gsize n)
{
	return n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF;
}

/* ---- is it worth zbar's time? ------------------------------------------- */

/* zbar costs 50-100 ms a megapixel on a picture full of edges (a
 * screenshot of a letter), which is what phishing mails carry; these two
 * tests cost a fiftieth of that and let through only pictures that could
 * hold a code.
 *
 * Two tones: a QR code, or a page of text with one, is mostly its dark
 * and its light tone with little between (anti-aliased edges, JPEG
 * ringing); a photograph is mostly in between.  Between the 5th and 95th
 * percentiles there must be a contrast of at least MIN_CONTRAST, and at
 * most MAX_MIDTONES of the pixels may lie in the middle half of that
 * range.  A code in a brand colour on white passes; a code photographed on
 * a poster does not, which is the price.  The threshold between the tones
 * is returned for the next test. */
#define MIN_CONTRAST 64
#define MAX_MIDTONES 0.35
static bool two_toned(const grey *g, int *threshold)
{
	gsize n = (gsize)g->w * (gsize)g->h, hist[256] = {0};
	for (gsize i = 0; i < n; i++)
		hist[g->px[i]]++;
	int lo = 0, hi = 255;
	for (gsize acc = 0; lo < 255 && (acc += hist[lo]) < n / 20;)
		lo++;
	for (gsize acc = 0; hi > 0 && (acc += hist[hi]) < n / 20;)
		hi--;
	if (hi - lo < MIN_CONTRAST)
		return false;
	int a = lo + (hi - lo) / 4, b = hi - (hi - lo) / 4;
	gsize mid = 0;
	for (int v = a + 1; v < b; v++)
		mid += hist[v];
	*threshold = (lo + hi) / 2;
	return (double)mid <= MAX_MIDTONES * (double)n;
}

/* Finder patterns: every QR code has three, dark-light-dark-light-dark in
 * the ratio 1:1:3:1:1 across and down (ISO/IEC 18004 6.3.3).  Rows are
 * read for that ratio (each run within FINDER_TOLERANCE of its share) and
 * each hit is checked down its centre column, as ZXing's finder does; text
 * seldom passes both.  Three hits apart from each other are needed. */
#define FINDER_TOLERANCE 0.6
#define FINDERS_WANTED 3

static bool finder_ratio(const int r[5])
{
	int total = r[0] + r[1] + r[2] + r[3] + r[4];
	if (total < 7)
		return false;
	double m = total / 7.0, tol = m * FINDER_TOLERANCE;
	return ABS(r[0] - m) < tol && ABS(r[1] - m) < tol && ABS(r[2] - 3 * m) < 3 * tol &&
	       ABS(r[3] - m) < tol && ABS(r[4] - m) < tol;
}

static bool dark_at(const grey *g, int x, int y, int t)
{
	return g->px[(gsize)y * (gsize)g->w + (gsize)x] < t;
}

/* The column through (x, y), the centre of a row hit of width total,
 * read up and down for the same ratio. */
static bool column_confirms(const grey *g, int x, int y, int t, int total)
{
	int r[5] = {0};
	int limit = total * 2;
	int yy = y;
	/* up: the centre's dark, light, dark */
	while (yy >= 0 && dark_at(g, x, yy, t) && r[2] < limit)
		r[2]++, yy--;
	while (yy >= 0 && !dark_at(g, x, yy, t) && r[1] < limit)
		r[1]++, yy--;
	while (yy >= 0 && dark_at(g, x, yy, t) && r[0] < limit)
		r[0]++, yy--;
	yy = y + 1;
	while (yy < g->h && dark_at(g, x, yy, t) && r[2] < 2 * limit)
		r[2]++, yy++;
	while (yy < g->h && !dark_at(g, x, yy, t) && r[3] < limit)
		r[3]++, yy++;
	while (yy < g->h && dark_at(g, x, yy, t) && r[4] < limit)
		r[4]++, yy++;
	int vtotal = r[0] + r[1] + r[2] + r[3] + r[4];
	return r[0] && r[1] && r[3] && r[4] && vtotal * 2 > total && vtotal < total * 2 &&
	       finder_ratio(r);
}

static bool has_finders(const grey *g, int t)
{
	int cx[FINDERS_WANTED], cy[FINDERS_WANTED], size[FINDERS_WANTED];
	int found = 0;
	for (int y = 0; y < g->h && found < FINDERS_WANTED; y += 2) {
		const guint8 *row = g->px + (gsize)y * (gsize)g->w;
		int r[5] = {0};
		int runs = 0;
		bool dark = row[0] < t;
		int len = 0;
		for (int x = 0; x <= g->w && found < FINDERS_WANTED; x++) {
			bool d = x < g->w && row[x] < t;
			if (x < g->w && d == dark) {
				len++;
				continue;
			}
			/* a run of len ended at x */
			memmove(r, r + 1, sizeof r - sizeof r[0]);
			r[4] = len;
			runs++;
			if (dark && runs >= 5 && finder_ratio(r)) {
				int total = r[0] + r[1] + r[2] + r[3] + r[4];
				int c = x - r[4] - r[3] - r[2] / 2;
				bool near = false;
				for (int k = 0; k < found; k++)
					near = near || (ABS(cx[k] - c) < size[k] && ABS(cy[k] - y) < size[k]);
				if (!near && column_confirms(g, c, y, t, total)) {
					cx[found] = c;
					cy[found] = y;
					size[found] = total;
					found++;
				}
			}
			dark = d;
			len = 1;
		}
	}
	return found >= FINDERS_WANTED;
}

/* The codes in g (whose pixels are freed); *skipped (may be NULL) says so
 * when a picture worth reading met no libzbar. */
static GPtrArray *scan_grey(grey *g, char **skipped)
{
	shrink(g);
	int t = 128;
	bool worth = two_toned(g, &t) && has_finders(g, t);
	if (worth && !ks_qr_available() && skipped && !*skipped)
		*skipped = g_strdup("libzbar could not be opened; QR codes were not read");
	GPtrArray *codes = worth ? ks_qr_scan_gray(g->px, g->w, g->h)
	                         : g_ptr_array_new_with_free_func(g_free);
	g_clear_pointer(&g->px, g_free);
	return codes;
}

GPtrArray *ks_qr_decode_image(const guint8 *data, gsize len, int64_t *pixels, char **skipped)
{
	grey g = {0};
	bool ok = false;
	if (data && is_png(data, len))
		ok = decode_png(data, len, &g, pixels, skipped);
	else if (data && is_jpeg(data, len))
		ok = decode_jpeg(data, len, &g, pixels, skipped);
	if (!ok)
		return g_ptr_array_new_with_free_func(g_free);
	return scan_grey(&g, skipped);
}

/* ---- what was found, per attachment node ----------------------------------- */

typedef struct {
	ks_report *r;
	const char *loc;
	int64_t *pixels;
	char *skipped;
	GString *evidence; /* "https://... (in word/media/image1.png)" */
	int urls;
	GPtrArray *other; /* char*: contents that are no URL */
	int pictures;
} finds;

static bool is_url(const char *s)
{
	return g_ascii_strncasecmp(s, "http://", 7) == 0 || g_ascii_strncasecmp(s, "https://", 8) == 0 ||
	       g_ascii_strncasecmp(s, "www.", 4) == 0;
}

static char *shorten(const char *s, long max_chars)
{
	if (!g_utf8_validate(s, -1, NULL) || g_utf8_strlen(s, -1) <= max_chars)
		return g_strdup(s);
	g_autofree char *head = g_utf8_substring(s, 0, max_chars);
	return g_strconcat(head, "…", NULL);
}

static void note_codes(finds *f, GPtrArray *codes, const char *where)
{
	for (guint i = 0; i < codes->len; i++) {
		const char *c = g_ptr_array_index(codes, i);
		g_autofree char *text = g_strstrip(g_strdup(c));
		if (!is_url(text)) {
			if (f->other->len < EVIDENCE_CODES)
				g_ptr_array_add(f->other, shorten(text, CONTENT_SHOWN));
			continue;
		}
		bool known = false;
		for (guint k = 0; k < f->r->links->len && !known; k++) {
			const ks_link *l = g_ptr_array_index(f->r->links, k);
			known = g_strcmp0(l->location, f->loc) == 0 && strcmp(l->href, text) == 0;
		}
		if (known)
			continue;
		g_ptr_array_add(f->r->links, ks_link_new_at("[QR code]", text, f->loc));
		if (f->urls++ < EVIDENCE_CODES) {
			g_autofree char *u = shorten(text, CONTENT_SHOWN);
			g_string_append_printf(f->evidence, "%s%s", f->evidence->len ? "; " : "", u);
			if (where)
				g_string_append_printf(f->evidence, " (in %s)", where);
		}
	}
	g_ptr_array_unref(codes);
}

static void picture(finds *f, const guint8 *data, gsize len, const char *where)
{
	if (f->pictures >= PICTURES_PER_FILE)
		return;
	f->pictures++;
	note_codes(f, ks_qr_decode_image(data, len, f->pixels, &f->skipped), where);
}

/* ---- PDF image XObjects ---------------------------------------------------- */

static bool pdf_regular(guint8 c)
{
	return !(c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ' ||
	         strchr("()<>[]{}/%", c));
}

/* The name key in dict, followed by a delimiter (so /Width is not
 * /WidthScale), or NULL. */
static const char *dict_key(const char *dict, gsize len, const char *key)
{
	gsize k = strlen(key);
	for (const char *p = dict; (p = ks_memfind(p, len - (gsize)(p - dict), key, k)); p += k)
		if ((gsize)(p - dict) + k >= len || !pdf_regular((guint8)p[k]))
			return p + k;
	return NULL;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && strchr(" \t\r\n\f", *p) && *p)
		p++;
	return p;
}

/* A direct integer value, or -1 (absent, indirect, not a number). */
static long dict_int(const char *dict, gsize len, const char *key)
{
	const char *end = dict + len;
	const char *v = dict_key(dict, len, key);
	if (!v)
		return -1;
	v = skip_ws(v, end);
	long n = 0;
	const char *d = v;
	while (d < end && g_ascii_isdigit(*d) && n < 100000000)
		n = n * 10 + (*d++ - '0');
	if (d == v)
		return -1;
	/* "12 0 R" is a reference, not a number */
	const char *q = skip_ws(d, end);
	if (q < end && g_ascii_isdigit(*q)) {
		while (q < end && g_ascii_isdigit(*q))
			q++;
		q = skip_ws(q, end);
		if (q < end && *q == 'R')
			return -1;
	}
	return n;
}

static bool dict_has(const char *dict, gsize len, const char *name)
{
	return dict_key(dict, len, name) != NULL;
}

typedef struct {
	int w, h, bpc, comps; /* comps 0: unknown, from the data's length */
	bool indexed;
	int flate, dct, other; /* filters named */
	int predictor, colors, columns;
	const guint8 *data;
	gsize len;
} pdf_image;

/* Reads one image dictionary dict[0..len) and the stream after it. */
static bool pdf_image_read(const char *dict, gsize dict_len, const guint8 *file, gsize file_len,
                           const guint8 *stream_kw, pdf_image *im)
{
	memset(im, 0, sizeof *im);
	im->w = (int)dict_int(dict, dict_len, "/Width");
	im->h = (int)dict_int(dict, dict_len, "/Height");
	im->bpc = (int)dict_int(dict, dict_len, "/BitsPerComponent");
	if (dict_has(dict, dict_len, "/ImageMask")) {
		const char *v = skip_ws(dict_key(dict, dict_len, "/ImageMask"), dict + dict_len);
		if (v && g_str_has_prefix(v, "true")) {
			im->bpc = 1;
			im->comps = 1;
		}
	}
	if (im->w < MIN_SIDE || im->h < MIN_SIDE || im->bpc <= 0)
		return false;
	if (dict_has(dict, dict_len, "/Indexed")) {
		im->indexed = true;
		im->comps = 1;
	} else if (dict_has(dict, dict_len, "/DeviceGray") || dict_has(dict, dict_len, "/CalGray")) {
		im->comps = 1;
	} else if (dict_has(dict, dict_len, "/DeviceRGB") || dict_has(dict, dict_len, "/CalRGB")) {
		im->comps = 3;
	} else if (dict_has(dict, dict_len, "/DeviceCMYK")) {
		im->comps = 4;
	}
	im->flate = dict_has(dict, dict_len, "/FlateDecode") || dict_has(dict, dict_len, "/Fl");
	im->dct = dict_has(dict, dict_len, "/DCTDecode") || dict_has(dict, dict_len, "/DCT");
	im->other = dict_has(dict, dict_len, "/JPXDecode") || dict_has(dict, dict_len, "/JBIG2Decode") ||
	            dict_has(dict, dict_len, "/CCITTFaxDecode") || dict_has(dict, dict_len, "/LZWDecode") ||
	            dict_has(dict, dict_len, "/ASCII85Decode") || dict_has(dict, dict_len, "/ASCIIHexDecode") ||
	            dict_has(dict, dict_len, "/RunLengthDecode");
	im->predictor = (int)dict_int(dict, dict_len, "/Predictor");
	im->colors = (int)dict_int(dict, dict_len, "/Colors");
	im->columns = (int)dict_int(dict, dict_len, "/Columns");
	/* ISO 32000-1 7.3.8.1: "stream" and an end of line, then the data */
	const guint8 *d = stream_kw + 6;
	const guint8 *end = file + file_len;
	if (d < end && *d == '\r')
		d++;
	if (d < end && *d == '\n')
		d++;
	long length = dict_int(dict, dict_len, "/Length");
	const guint8 *stop = NULL;
	if (length >= 0 && (gsize)length <= (gsize)(end - d))
		stop = d + length;
	else
		stop = ks_memfind(d, (gsize)(end - d), "endstream", 9);
	if (!stop)
		return false;
	im->data = d;
	im->len = (gsize)(stop - d);
	return !im->other;
}

static GByteArray *inflate_to(const guint8 *in, gsize len, gsize limit)
{
	g_autoptr(GConverter) z = G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
	/* the size is known from the dictionary: one allocation, no copies */
	GByteArray *out = g_byte_array_sized_new((guint)MIN(limit + 16384, (gsize)G_MAXUINT32));
	guint8 buf[16384];
	gsize read_total = 0;
	for (;;) {
		gsize r = 0, w = 0;
		GConverterResult res = g_converter_convert(z, in + read_total, len - read_total, buf,
		                                           sizeof buf, G_CONVERTER_INPUT_AT_END, &r, &w,
		                                           NULL);
		read_total += r;
		g_byte_array_append(out, buf, (guint)w);
		if (res == G_CONVERTER_ERROR || res == G_CONVERTER_FINISHED || out->len >= limit ||
		    (r == 0 && w == 0))
			break;
	}
	if (out->len > limit)
		g_byte_array_set_size(out, (guint)limit);
	return out;
}

/* PNG predictors (ISO 32000-1 7.4.4.4, PNG spec 9): each row starts with
 * its filter type.  Undone in place into rows of rowbytes. */
static GByteArray *unpredict(GByteArray *in, gsize rowbytes, gsize bpp, int rows)
{
	GByteArray *out = g_byte_array_sized_new((guint)(rowbytes * (gsize)rows));
	g_autofree guint8 *prev = g_malloc0(rowbytes);
	for (int y = 0; y < rows; y++) {
		gsize at = (gsize)y * (rowbytes + 1);
		if (at + rowbytes + 1 > in->len)
			break;
		guint8 type = in->data[at];
		guint8 *row = in->data + at + 1;
		for (gsize x = 0; x < rowbytes; x++) {
			guint8 a = x >= bpp ? row[x - bpp] : 0, b = prev[x], c = x >= bpp ? prev[x - bpp] : 0;
			int pred = 0;
			switch (type) {
			case 1: pred = a; break;
			case 2: pred = b; break;
			case 3: pred = (a + b) / 2; break;
			case 4: {
				int p = a + b - c, pa = ABS(p - a), pb = ABS(p - b), pc = ABS(p - c);
				pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
				break;
			}
			default: break;
			}
			row[x] = (guint8)(row[x] + pred);
		}
		memcpy(prev, row, rowbytes);
		g_byte_array_append(out, row, (guint)rowbytes);
	}
	return out;
}

/* Samples to 8-bit grey (ITU-R BT.601 luma weights in eighths of 256: 77,
 * 150, 29).  An indexed image's indices are stretched to the full range: a
 * two-colour QR picture keeps its two tones whatever its palette (zbar also
 * tries the inverse). */
static bool raw_to_grey(const pdf_image *im, const guint8 *s, gsize len, grey *g)
{
	int comps = im->comps;
	gsize need1 = ((gsize)im->w * (gsize)im->bpc + 7) / 8 * (gsize)im->h;
	if (comps == 0) {
		/* /ICCBased or an indirect colour space: judge by the size */
		for (int c = 1; c <= 4 && !comps; c++)
			if (((gsize)im->w * (gsize)c * (gsize)im->bpc + 7) / 8 * (gsize)im->h == len)
				comps = c;
		if (!comps)
			return false;
	}
	if (im->bpc != 1 && im->bpc != 2 && im->bpc != 4 && im->bpc != 8 && im->bpc != 16)
		return false;
	gsize rowbytes = ((gsize)im->w * (gsize)comps * (gsize)im->bpc + 7) / 8;
	if (rowbytes * (gsize)im->h > len || need1 == 0)
		return false;
	g->w = im->w;
	g->h = im->h;
	g->px = g_malloc((gsize)im->w * (gsize)im->h);
	int maxv = (1 << MIN(im->bpc, 8)) - 1;
	int lo = 255, hi = 0;
	if (im->bpc == 8 && !im->indexed && (comps == 1 || comps == 3)) {
		/* the common case, without the bit arithmetic */
		for (int y = 0; y < im->h; y++) {
			const guint8 *row = s + (gsize)y * rowbytes;
			guint8 *out = g->px + (gsize)y * im->w;
			if (comps == 1)
				memcpy(out, row, (gsize)im->w);
			else
				for (int x = 0; x < im->w; x++, row += 3)
					out[x] = (guint8)((row[0] * 77 + row[1] * 150 + row[2] * 29) >> 8);
		}
		return true;
	}
	for (int y = 0; y < im->h; y++) {
		const guint8 *row = s + (gsize)y * rowbytes;
		for (int x = 0; x < im->w; x++) {
			int v[4] = {0};
			for (int c = 0; c < comps; c++) {
				gsize bit = ((gsize)x * (gsize)comps + (gsize)c) * (gsize)im->bpc;
				if (im->bpc >= 8)
					v[c] = row[bit / 8];
				else
					v[c] = (row[bit / 8] >> (8 - im->bpc - bit % 8)) & maxv;
				if (im->bpc < 8 && !im->indexed)
					v[c] = v[c] * 255 / maxv;
			}
			int out;
			if (comps == 1)
				out = v[0];
			else if (comps == 3)
				out = (v[0] * 77 + v[1] * 150 + v[2] * 29) >> 8;
			else if (comps == 4)
				out = 255 - MIN(255, (v[0] * 30 + v[1] * 59 + v[2] * 11) / 100 + v[3]);
			else
				out = v[0];
			lo = MIN(lo, out);
			hi = MAX(hi, out);
			g->px[(gsize)y * im->w + x] = (guint8)out;
		}
	}
	if (im->indexed && hi > lo) {
		gsize n = (gsize)im->w * (gsize)im->h;
		for (gsize i = 0; i < n; i++)
			g->px[i] = (guint8)((g->px[i] - lo) * 255 / (hi - lo));
	}
	return true;
}

static void pdf_picture(finds *f, const pdf_image *im, int number)
{
	if (f->pictures >= PICTURES_PER_FILE)
		return;
	g_autofree char *where = g_strdup_printf("image %d", number);
	g_autoptr(GByteArray) inflated = NULL;
	const guint8 *s = im->data;
	gsize len = im->len;
	int comps = im->comps ? im->comps : 4;
	gsize rowbytes = ((gsize)im->w * (gsize)comps * (gsize)MAX(im->bpc, 1) + 7) / 8;
	if (im->dct) {
		/* a JPEG, maybe deflated first; the decoder checks its size */
		if (im->flate) {
			inflated = inflate_to(s, len, PICTURE_BYTES_MAX);
			s = inflated->data;
			len = inflated->len;
		}
		picture(f, s, len, where);
		return;
	}
	if (!take_pixels(f->pixels, (int64_t)im->w * im->h, &f->skipped, "a PDF image"))
		return;
	f->pictures++;
	if (im->flate) {
		inflated = inflate_to(s, len, (rowbytes + 1) * (gsize)im->h);
		s = inflated->data;
		len = inflated->len;
	}
	g_autoptr(GByteArray) plain = NULL;
	if (im->flate && im->predictor >= 10) {
		int colors = im->colors > 0 ? im->colors : 1;
		int columns = im->columns > 0 ? im->columns : im->w;
		gsize prow = ((gsize)columns * (gsize)colors * (gsize)im->bpc + 7) / 8;
		gsize bpp = MAX((gsize)1, (gsize)colors * (gsize)im->bpc / 8);
		plain = unpredict(inflated, prow, bpp, im->h);
		s = plain->data;
		len = plain->len;
	}
	grey g = {0};
	if (raw_to_grey(im, s, len, &g))
		note_codes(f, scan_grey(&g, &f->skipped), where);
}

/* The object numbers named as another image's transparency ("/SMask 12 0
 * R", "/Mask 12 0 R"; ISO 32000-1 11.6.5.3, 8.9.6): alpha channels, not
 * pictures anyone looks at. */
static GHashTable *mask_objects(const guint8 *p, gsize len)
{
	GHashTable *set = g_hash_table_new(g_direct_hash, g_direct_equal);
	static const char *const keys[] = {"/SMask", "/Mask"};
	const char *end = (const char *)p + len;
	for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
		gsize n = strlen(keys[k]);
		for (const char *at = (const char *)p; (at = ks_memfind(at, (gsize)(end - at), keys[k], n));
		     at += n) {
			const char *v = skip_ws(at + n, end);
			long num = 0;
			const char *d = v;
			while (d < end && g_ascii_isdigit(*d) && num < 100000000)
				num = num * 10 + (*d++ - '0');
			if (d > v && num > 0)
				g_hash_table_add(set, GINT_TO_POINTER((int)num));
		}
	}
	return set;
}

/* The number of the object whose "obj" keyword is at obj ("12 0 obj"), or 0. */
static int object_number(const guint8 *file, const guint8 *obj)
{
	const guint8 *q = obj;
	while (q > file && (q[-1] == ' ' || q[-1] == '\r' || q[-1] == '\n'))
		q--;
	while (q > file && g_ascii_isdigit(q[-1]))
		q--; /* the generation */
	while (q > file && (q[-1] == ' ' || q[-1] == '\r' || q[-1] == '\n'))
		q--;
	const guint8 *e = q;
	while (q > file && g_ascii_isdigit(q[-1]) && e - q < 9)
		q--;
	int num = 0;
	for (; q < e; q++)
		num = num * 10 + (*q - '0');
	return num;
}

/* Every "/Subtype /Image" stream of the file, in file order, but for the
 * masks of others.  An encrypted file's streams are ciphertext and are not
 * read. */
static void pdf_pictures(finds *f, const guint8 *p, gsize len)
{
	if (ks_memfind(p, len, "/Encrypt", 8))
		return;
	g_autoptr(GHashTable) masks = mask_objects(p, len);
	int number = 0;
	const guint8 *end = p + len;
	for (const guint8 *at = p; (at = ks_memfind(at, (gsize)(end - at), "/Image", 6)); at += 6) {
		if (at + 6 < end && pdf_regular(at[6]))
			continue;
		/* "/Subtype" just before it (whitespace between) */
		const guint8 *b = at;
		while (b > p && strchr(" \t\r\n\f", b[-1]) && b[-1])
			b--;
		if (b - p < 8 || memcmp(b - 8, "/Subtype", 8) != 0)
			continue;
		const guint8 *from = at - MIN((gsize)(at - p), (gsize)DICT_WINDOW);
		const guint8 *obj = NULL;
		for (const guint8 *q = from; (q = ks_memfind(q, (gsize)(at - q), "obj", 3)); q += 3)
			obj = q;
		const guint8 *stream = ks_memfind(at, MIN((gsize)(end - at), (gsize)DICT_WINDOW), "stream", 6);
		if (!obj || !stream)
			continue;
		int num = object_number(p, obj);
		if (num && g_hash_table_contains(masks, GINT_TO_POINTER(num)))
			continue;
		pdf_image im;
		if (!pdf_image_read((const char *)obj, (gsize)(stream - obj), p, len, stream, &im))
			continue;
		pdf_picture(f, &im, ++number);
		if (f->pictures >= PICTURES_PER_FILE)
			break;
	}
}

/* ---- OOXML media and HTML data: images ----------------------------------- */

static bool picture_name(const char *name)
{
	static const char *const exts[] = {".png", ".jpg", ".jpeg", ".jpe"};
	for (size_t i = 0; i < G_N_ELEMENTS(exts); i++)
		if (g_str_has_suffix(name, exts[i]))
			return true;
	g_autofree char *low = g_ascii_strdown(name, -1);
	for (size_t i = 0; i < G_N_ELEMENTS(exts); i++)
		if (g_str_has_suffix(low, exts[i]))
			return true;
	return false;
}

static void ooxml_pictures(finds *f, GBytes *data)
{
	gsize len = 0;
	const void *p = g_bytes_get_data(data, &len);
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(p, len, 0, &zerr);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
	zip_error_fini(&zerr);
	if (!za) {
		zip_source_free(src);
		return;
	}
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n && f->pictures < PICTURES_PER_FILE; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		zip_stat_t st;
		zip_stat_init(&st);
		if (!name || !strstr(name, "/media/") || !picture_name(name) ||
		    zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
		    st.size > PICTURE_BYTES_MAX || st.size == 0)
			continue;
		zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
		if (!zf)
			continue;
		g_autofree guint8 *buf = g_malloc(st.size);
		zip_int64_t got = zip_fread(zf, buf, st.size);
		zip_fclose(zf);
		if (got > 0)
			picture(f, buf, (gsize)got, name);
	}
	zip_discard(za);
}

/* data:image/png;base64,... and data:image/jpeg;base64,... (blanks inside
 * the base64 are skipped, as browsers do). */
static void html_pictures(finds *f, const char *html, gsize len)
{
	static const char *const prefixes[] = {"data:image/png;base64,", "data:image/jpeg;base64,",
	                                       "data:image/jpg;base64,"};
	const char *end = html + len;
	int number = 0;
	for (const char *p = html; p < end && f->pictures < PICTURES_PER_FILE; p++) {
		if (*p != 'd' && *p != 'D')
			continue;
		gsize skip = 0;
		for (size_t i = 0; i < G_N_ELEMENTS(prefixes) && !skip; i++) {
			gsize k = strlen(prefixes[i]);
			if ((gsize)(end - p) > k && g_ascii_strncasecmp(p, prefixes[i], k) == 0)
				skip = k;
		}
		if (!skip)
			continue;
		GString *b64 = g_string_new(NULL);
		const char *q = p + skip;
		for (; q < end && b64->len < (gsize)PICTURE_BYTES_MAX / 3 * 4; q++) {
			if (g_ascii_isalnum(*q) || *q == '+' || *q == '/' || *q == '=')
				g_string_append_c(b64, *q);
			else if (!g_ascii_isspace(*q))
				break;
		}
		gsize n = 0;
		g_autofree guchar *raw = b64->len >= 16 ? g_base64_decode(b64->str, &n) : NULL;
		g_string_free(b64, TRUE);
		g_autofree char *where = g_strdup_printf("data: image %d", ++number);
		if (raw && n)
			picture(f, raw, n, where);
		p = q - 1;
	}
}

/* ---- the attachment row ------------------------------------------------- */

static bool starts_with(const ks_attachment *a, const void *magic, gsize n)
{
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(a->data, &len);
	return len >= n && memcmp(p, magic, n) == 0;
}

/* what the PDF reader reads (pdf.h): not a zip again for the PDF stored
 * in it, whose pictures are its own node's */
static bool is_pdf(const ks_attachment *a)
{
	return ks_pdf_accepts(a);
}

static bool is_html(const ks_attachment *a)
{
	return g_strcmp0(a->detected_type, "text/html") == 0 ||
	       g_strcmp0(a->detected_type, "image/svg+xml") == 0;
}

bool ks_qr_accepts(const ks_attachment *a)
{
	if (!a || !a->data || g_bytes_get_size(a->data) == 0)
		return false;
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(a->data, &len);
	return is_png(p, len) || is_jpeg(p, len) || is_pdf(a) || is_html(a) ||
	       (starts_with(a, "PK\x03\x04", 4) && g_strcmp0(ks_attachment_get_meta(a, "ooxml"), "true") == 0);
}

static void report(finds *f, ks_attachment *a)
{
	const char *name = a && a->filename ? a->filename : a ? a->path : "the body";
	if (f->other->len) {
		g_autoptr(GString) v = g_string_new(NULL);
		for (guint i = 0; i < f->other->len; i++)
			g_string_append_printf(v, "%s%s", i ? "; " : "", (const char *)g_ptr_array_index(f->other, i));
		if (a)
			ks_attachment_add_meta(a, "qr_codes", v->str);
	}
	if (f->skipped && a)
		ks_attachment_add_meta(a, "qr_not_scanned", f->skipped);
	if (!f->urls)
		return;
	if (f->urls > EVIDENCE_CODES)
		g_string_append_printf(f->evidence, "; and %d more", f->urls - EVIDENCE_CODES);
	ks_report_add_finding(f->r, KS_RULE_ATTACHMENT_QR_CODE, f->loc, "%s: a QR code for %s", name,
	                      f->evidence->str);
}

static void finds_clear(finds *f)
{
	g_string_free(f->evidence, TRUE);
	g_ptr_array_unref(f->other);
	g_free(f->skipped);
}

void ks_qr_expand(ks_part_walk *w, ks_attachment *a, int depth)
{
	(void)depth;
	g_autofree char *loc = g_strdup_printf("part:%s", a->path);
	finds f = {
		.r = ks_part_walk_report(w),
		.loc = loc,
		.pixels = ks_part_walk_pixels(w),
		.evidence = g_string_new(NULL),
		.other = g_ptr_array_new_with_free_func(g_free),
	};
	gsize len = 0;
	const guint8 *p = g_bytes_get_data(a->data, &len);
	if (is_png(p, len) || is_jpeg(p, len))
		picture(&f, p, len, NULL);
	else if (is_pdf(a))
		pdf_pictures(&f, p, len);
	else if (is_html(a))
		html_pictures(&f, (const char *)p, len);
	else
		ooxml_pictures(&f, a->data);
	report(&f, a);
	finds_clear(&f);
}

void ks_qr_scan_html(const char *html, gsize len, const char *location, ks_report *r)
{
	if (!html || !len || !r)
		return;
	int64_t pixels = KS_QR_PIXELS_PER_MESSAGE;
	finds f = {
		.r = r,
		.loc = location,
		.pixels = &pixels,
		.evidence = g_string_new(NULL),
		.other = g_ptr_array_new_with_free_func(g_free),
	};
	html_pictures(&f, html, len);
	report(&f, NULL);
	finds_clear(&f);
}

/* pictures are libpng/libjpeg/zbar's */
const ks_payload_analyzer ks_qr_payload = {"qr", ks_qr_accepts, ks_qr_expand, false};
