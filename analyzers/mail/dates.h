/* Dates as mail writes them: RFC 5322 section 3.3 date-time, its obsolete
 * forms (section 4.3) and the non-RFC shapes real mailers emit (zone names
 * such as JST or CET, asctime order, ISO 8601).  One parser for the Date
 * header, Received timestamps and command-line times alike. */
#ifndef KS_DATES_H
#define KS_DATES_H

#include <glib.h>

/* Parses a date; the result carries the offset as written ("+0900" gives a
 * GDateTime at +09:00; "-0000", a missing offset or an unknown zone give UTC).
 * NULL when nothing sensible parses; never fails on any byte string.
 * g_date_time_unref the result. */
GDateTime *ks_date_parse(const char *s);

#endif
