/* The payload table (payloads.h). */
#include "payloads/payloads.h"

#include "payloads/archives.h"
#include "payloads/html_attachment.h"
#include "payloads/ics.h"
#include "payloads/lnk.h"
#include "payloads/office.h"
#include "payloads/pdf.h"
#include "payloads/qr.h"
#include "payloads/svg.h"

const ks_payload_analyzer *const ks_payloads[] = {
	&ks_pdf_payload,    &ks_archives_payload, &ks_lnk_payload, &ks_html_payload,
	&ks_office_payload, &ks_ics_payload,      &ks_svg_payload, &ks_qr_payload,
};
const size_t ks_payloads_count = G_N_ELEMENTS(ks_payloads);
