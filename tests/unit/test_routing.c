/* Received parsing over the formats real mailers write (each sample is a
 * real header, addresses kept or replaced by documentation ranges), and the
 * routing analyzer: hop order, signed delays, date_reversed, bulk services,
 * unreadable hops. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "checks/routing.h"
#include "testlib.h"

#include <string.h>

typedef struct {
	const char *from, *by, *ip, *with, *id, *date;
} expect;

static void assert_field(const char *what, const char *got, const char *want)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(got, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", what, got ? got : "(null)",
		         want ? want : "(null)");
}

/* Parses raw and checks every field exactly (NULL = must be absent). */
static void expect_hop(const char *raw, expect e)
{
	ks_hop *hop = ks_hop_new();
	bool ok = ks_received_parse(raw, hop);
	if (!ok)
		fail_msg("not parsed: %s", raw);
	assert_true(hop->parsed);
	assert_string_equal(hop->raw, raw);
	assert_field("from", hop->from, e.from);
	assert_field("by", hop->by, e.by);
	assert_field("ip", hop->ip, e.ip);
	assert_field("with", hop->with, e.with);
	assert_field("id", hop->id, e.id);
	g_autofree char *date = ks_time_format(hop->date);
	assert_field("date", date, e.date);
	ks_hop_free(hop);
}

static void received_postfix_with_tls_comments(void **state)
{
	(void)state;
	expect_hop("from emkei.cz (emkei.cz [89.187.129.29]) (using TLSv1.3 with cipher "
	           "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature "
	           "RSA-PSS (4096 bits) server-digest SHA256) (No client certificate requested) "
	           "by mailin03.example.net (Postfix) with ESMTPS id 4B24D1680F36 for "
	           "<victim@example.org>; Wed, 18 Oct 2023 17:29:34 +0200 (CEST)",
	           (expect){"emkei.cz", "mailin03.example.net", "89.187.129.29", "ESMTPS",
	                    "4B24D1680F36", "2023-10-18T17:29:34+02:00"});
}

static void received_postfix_local_submission(void **state)
{
	(void)state;
	expect_hop("by emkei.cz (Postfix, from userid 33) id 1DC075C4EB1; "
	           "Wed, 18 Oct 2023 17:29:34 +0200 (CEST)",
	           (expect){NULL, "emkei.cz", NULL, NULL, "1DC075C4EB1",
	                    "2023-10-18T17:29:34+02:00"});
}

static void received_exim_with_port_and_helo(void **state)
{
	(void)state;
	expect_hop("from 76-227-96-11.lightspeed.elpstx.sbcglobal.net ([76.227.96.11]:49914 "
	           "helo=xnsasum.com) by 101-53-147-91.cprapid.com with esmtpsa  (TLS1.2) tls "
	           "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (Exim 4.97.1) (envelope-from "
	           "<v@example.com>) id 1sAH85-000000003aP-3yPZ; Fri, 24 May 2024 04:11:40 +0530",
	           (expect){"76-227-96-11.lightspeed.elpstx.sbcglobal.net",
	                    "101-53-147-91.cprapid.com", "76.227.96.11", "esmtpsa",
	                    "1sAH85-000000003aP-3yPZ", "2024-05-24T04:11:40+05:30"});
}

static void received_exim_ipv6_loopback_literal(void **state)
{
	(void)state;
	expect_hop("from [::1] (port=2470 helo=patraoluis.com.br) by iuri0126.hospedagemdesites.ws "
	           "with esmtp (Exim 4.96.2) (envelope-from <n@example.com.br>) id "
	           "1tKkEY-0005TT-2B for X@example.com; Mon, 09 Dec 2024 17:19:58 -0300",
	           (expect){"[::1]", "iuri0126.hospedagemdesites.ws", "::1", "esmtp",
	                    "1tKkEY-0005TT-2B", "2024-12-09T17:19:58-03:00"});
}

static void received_sendmail(void **state)
{
	(void)state;
	expect_hop("from host.example.com (host.example.com [192.0.2.10]) (authenticated bits=0) "
	           "by mx.example.net (8.15.2/8.15.2) with ESMTPSA id 01AB2cDe012345 "
	           "(version=TLSv1.2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256 verify=NO) "
	           "for <x@example.net>; Wed, 1 Jan 2020 12:00:00 +0900",
	           (expect){"host.example.com", "mx.example.net", "192.0.2.10", "ESMTPSA",
	                    "01AB2cDe012345", "2020-01-01T12:00:00+09:00"});
}

static void received_exchange_ipv6_comments(void **state)
{
	(void)state;
	expect_hop("from TY4PR01CA0026.jpnprd01.prod.outlook.com (2603:1096:405:2bf::12) by "
	           "PH0PR20MB4517.namprd20.prod.outlook.com (2603:10b6:510:147::13) with Microsoft "
	           "SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id "
	           "15.20.8746.30; Fri, 23 May 2025 06:56:20 +0000",
	           (expect){"TY4PR01CA0026.jpnprd01.prod.outlook.com",
	                    "PH0PR20MB4517.namprd20.prod.outlook.com", "2603:1096:405:2bf::12",
	                    "Microsoft SMTP Server", "15.20.8746.30", "2025-05-23T06:56:20+00:00"});
}

static void received_m365_frontend_transport(void **state)
{
	(void)state;
	expect_hop("from mail-lj1-f177.google.com (209.85.208.177) by "
	           "MW2NAM10FT027.mail.protection.outlook.com (10.13.155.187) with Microsoft SMTP "
	           "Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id "
	           "15.20.6954.19 via Frontend Transport; Wed, 1 Nov 2023 17:36:57 +0000",
	           (expect){"mail-lj1-f177.google.com", "MW2NAM10FT027.mail.protection.outlook.com",
	                    "209.85.208.177", "Microsoft SMTP Server", "15.20.6954.19",
	                    "2023-11-01T17:36:57+00:00"});
}

static void received_exchange_mailbox_resubmission_keeps_first_by(void **state)
{
	(void)state;
	expect_hop("from DM4PR10MB8218.namprd10.prod.outlook.com (2603:10b6:8:2f::15) by "
	           "DM4PR10MB8218.namprd10.prod.outlook.com (2603:10b6:8:2f::15) with "
	           "MailboxResubmission by AntispamTT id 15.20.9031.25; Thu, 21 Aug 2025 11:16:15 +0000",
	           (expect){"DM4PR10MB8218.namprd10.prod.outlook.com",
	                    "DM4PR10MB8218.namprd10.prod.outlook.com", "2603:10b6:8:2f::15",
	                    "MailboxResubmission", "15.20.9031.25", "2025-08-21T11:16:15+00:00"});
}

static void received_gmail_internal_ipv6_by(void **state)
{
	(void)state;
	expect_hop("by 2002:a05:6214:2f02:b0:4c7:809b:3549 with SMTP id i1csp1259274qvp; "
	           "Sat, 15 Apr 2023 15:42:21 -0700 (PDT)",
	           (expect){NULL, "2002:a05:6214:2f02:b0:4c7:809b:3549", NULL, "SMTP",
	                    "i1csp1259274qvp", "2023-04-15T15:42:21-07:00"});
}

static void received_gmail_smtps_transport_security(void **state)
{
	(void)state;
	expect_hop("from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by "
	           "mx.google.com with SMTPS id a640c23a62f3a-a8d2583d1b7sor60424366b.2 for "
	           "<x@example.com> (Google Transport Security); Tue, 10 Sep 2024 02:14:32 -0700 (PDT)",
	           (expect){"mail-sor-f41.google.com", "mx.google.com", "209.85.220.41", "SMTPS",
	                    "a640c23a62f3a-a8d2583d1b7sor60424366b.2", "2024-09-10T02:14:32-07:00"});
}

static void received_qmail_invoked_by_uid(void **state)
{
	(void)state;
	expect_hop("(qmail 12345 invoked by uid 89); 1 Jan 2020 12:00:00 -0000",
	           (expect){NULL, NULL, NULL, NULL, NULL, "2020-01-01T12:00:00+00:00"});
}

static void received_qmail_invoked_from_network(void **state)
{
	(void)state;
	expect_hop("(qmail 4441 invoked from network); 2 Feb 2023 01:42:45 -0000",
	           (expect){NULL, NULL, NULL, NULL, NULL, "2023-02-02T01:42:45+00:00"});
}

static void received_qmail_helo_and_bare_ip(void **state)
{
	(void)state;
	expect_hop("from unknown (HELO host.example.com) (192.0.2.7) by mail.example.com with SMTP; "
	           "1 Jan 2020 12:00:00 -0000",
	           (expect){"unknown", "mail.example.com", "192.0.2.7", "SMTP", NULL,
	                    "2020-01-01T12:00:00+00:00"});
	/* authenticated qmail: "(user@ip)" */
	expect_hop("from unknown (HELO ?192.168.0.110?) (u@example.com@102.69.220.202) by "
	           "mailserver with SMTP; 2 Feb 2023 01:42:41 -0000",
	           (expect){"unknown", "mailserver", "102.69.220.202", "SMTP", NULL,
	                    "2023-02-02T01:42:41+00:00"});
}

static void received_sendgrid_geopod_without_semicolon(void **state)
{
	(void)state;
	expect_hop("from MjAwNDg2NjU (unknown) by geopod-ismtpd-canary-0 (SG) with HTTP id "
	           "lqe1W66GRReRoSz_q2_XuA Wed, 09 Oct 2024 23:04:18.561 +0000 (UTC)",
	           (expect){"MjAwNDg2NjU", "geopod-ismtpd-canary-0", NULL, "HTTP",
	                    "lqe1W66GRReRoSz_q2_XuA", "2024-10-09T23:04:18+00:00"});
}

static void received_sendgrid_filterdrecv_go_time(void **state)
{
	(void)state;
	expect_hop("by filterdrecv-7ddc4b679f-hdnvz with SMTP id "
	           "filterdrecv-7ddc4b679f-hdnvz-1-63F06327-4E 2023-02-18 05:33:28.001954205 +0000 "
	           "UTC m=+642907.172406960",
	           (expect){NULL, "filterdrecv-7ddc4b679f-hdnvz", NULL, "SMTP",
	                    "filterdrecv-7ddc4b679f-hdnvz-1-63F06327-4E", "2023-02-18T05:33:28+00:00"});
}

static void received_amazon_ses(void **state)
{
	(void)state;
	expect_hop("from a8-33.smtp-out.amazonses.com (a8-33.smtp-out.amazonses.com [54.240.8.33]) "
	           "by mx.example.com (Postfix) with ESMTPS id 4Abc; Thu, 21 Sep 2023 10:00:00 +0000",
	           (expect){"a8-33.smtp-out.amazonses.com", "mx.example.com", "54.240.8.33", "ESMTPS",
	                    "4Abc", "2023-09-21T10:00:00+00:00"});
}

static void received_ibm_domino(void **state)
{
	(void)state;
	expect_hop("by mail.example.com (Lotus Domino Release 9.0.1FP10) with ESMTP id "
	           "2020010112000012-345 ; Wed, 1 Jan 2020 12:00:00 +0900",
	           (expect){NULL, "mail.example.com", NULL, "ESMTP", "2020010112000012-345",
	                    "2020-01-01T12:00:00+09:00"});
}

static void received_private_helo_literal_unknown_rdns(void **state)
{
	(void)state;
	expect_hop("from [192.168.1.2] (unknown [198.51.100.4]) (Authenticated sender: "
	           "a@example.cz) by relay.example.cz (Postfix) with ESMTPSA id 358B373126; "
	           "Sun, 14 Jul 2024 10:01:16 +0200 (CEST)",
	           (expect){"[192.168.1.2]", "relay.example.cz", "198.51.100.4", "ESMTPSA",
	                    "358B373126", "2024-07-14T10:01:16+02:00"});
}

static void received_ipv6_address_literal(void **state)
{
	(void)state;
	expect_hop("from mail.example.org (mail.example.org [IPv6:2001:db8::1]) by mx.example.net "
	           "(Postfix) with ESMTPS id 4XyZ for <a@example.net>; Mon, 2 Jan 2006 15:04:05 -0700",
	           (expect){"mail.example.org", "mx.example.net", "2001:db8::1", "ESMTPS", "4XyZ",
	                    "2006-01-02T15:04:05-07:00"});
}

static void received_localhost_and_envelope_from(void **state)
{
	(void)state;
	expect_hop("from localhost (localhost [127.0.0.1]) by mail.example.com (Postfix) with "
	           "ESMTP id 23F354E039F (envelope-from <b@example.com>) for <c@example.com>; "
	           "Mon,  3 Apr 2023 16:18:32 -0300 (-03)",
	           (expect){"localhost", "mail.example.com", "127.0.0.1", "ESMTP", "23F354E039F",
	                    "2023-04-03T16:18:32-03:00"});
}

static void received_address_outside_comment(void **state)
{
	(void)state;
	expect_hop("from rly04.example.com [201.69.61.98] by relay37.example.net with ASMTP; "
	           "Tue, 06 Aug 2024 17:53:56 +0200",
	           (expect){"rly04.example.com", "relay37.example.net", "201.69.61.98", "ASMTP",
	                    NULL, "2024-08-06T17:53:56+02:00"});
}

static void received_mandrill_no_space_after_semicolon(void **state)
{
	(void)state;
	expect_hop("from [118.236.92.230] by mandrillapp.com id e4a064f447e8ad179c0d47099eacd4a2;"
	           "Wed, 27 Dec 2023 14:50:53 +0000",
	           (expect){"[118.236.92.230]", "mandrillapp.com", "118.236.92.230", NULL,
	                    "e4a064f447e8ad179c0d47099eacd4a2", "2023-12-27T14:50:53+00:00"});
}

static void received_unparseable_returns_false_and_keeps_raw(void **state)
{
	(void)state;
	ks_hop *hop = ks_hop_new();
	assert_false(ks_received_parse("this is not a received header at all", hop));
	assert_false(hop->parsed);
	assert_string_equal(hop->raw, "this is not a received header at all");
	assert_null(hop->from);
	assert_null(hop->by);
	assert_false(ks_received_parse("", hop));
	assert_string_equal(hop->raw, "");
	assert_false(ks_received_parse(NULL, hop));
	ks_hop_free(hop);
	assert_false(ks_received_parse("x", NULL));
}

static void received_control_characters_are_sanitized(void **state)
{
	(void)state;
	ks_hop *hop = ks_hop_new();
	assert_true(ks_received_parse("from evil\x1b[31m.example by mx.example.com; "
	                              "Wed, 1 Jan 2020 12:00:00 +0000", hop));
	assert_non_null(hop->from);
	assert_null(strchr(hop->from, '\x1b'));
	assert_null(strchr(hop->raw, '\x1b'));
	ks_hop_free(hop);
}

/* ---- what the routing pane shows beside the hop: HELO, rDNS, TLS ------- */

typedef struct {
	const char *helo; /* ks_hop_helo: the HELO name as the header writes it */
	const char *rdns, *tls;
	bool differs; /* ks_hop_rdns_differs */
} extras;

/* Parses raw and checks the HELO, reverse DNS and TLS exactly (NULL = absent). */
static void expect_extras(const char *raw, extras e)
{
	ks_hop *hop = ks_hop_new();
	if (!ks_received_parse(raw, hop))
		fail_msg("not parsed: %s", raw);
	assert_field("helo", ks_hop_helo(hop), e.helo);
	assert_field("rdns", hop->rdns, e.rdns);
	assert_field("tls", hop->tls, e.tls);
	if (ks_hop_rdns_differs(hop) != e.differs)
		fail_msg("rdns differs: got %d for %s", !e.differs, raw);
	ks_hop_free(hop);
}

static void received_postfix_rdns_apart_from_helo_and_tls_from_using(void **state)
{
	(void)state;
	expect_extras("from helo.example (mail.rdns.example [192.0.2.1]) (using TLSv1.3 with cipher "
	              "TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519) (No client "
	              "certificate requested) by mx.example.org (Postfix) with ESMTPS id 4B24D1; "
	              "Wed, 18 Oct 2023 17:29:34 +0200",
	              (extras){"helo.example", "mail.rdns.example", "TLSv1.3", true});
	/* no name found: Postfix writes "unknown", which is no reverse DNS */
	expect_extras("from [192.168.1.2] (unknown [198.51.100.4]) by relay.example.cz (Postfix) "
	              "with ESMTPSA id 358B; Sun, 14 Jul 2024 10:01:16 +0200",
	              (extras){"[192.168.1.2]", NULL, "yes (ESMTPSA)", false});
}

static void received_gmail_rdns_with_final_dot_is_the_helo(void **state)
{
	(void)state;
	/* the version comment after "for" says more than the protocol word */
	expect_extras("from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by "
	              "mx.google.com with ESMTPS id a640c23a62f3a for <x@example.com> "
	              "(version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); "
	              "Tue, 10 Sep 2024 02:14:32 -0700",
	              (extras){"mail-sor-f41.google.com", "mail-sor-f41.google.com", "TLS1_3", false});
	expect_extras("by mx.google.com with ESMTPS id a640c23a62f3a; Tue, 10 Sep 2024 02:14:32 -0700",
	              (extras){NULL, NULL, "yes (ESMTPS)", false});
}

static void received_exim_helo_apart_and_tls_comment(void **state)
{
	(void)state;
	/* Exim puts the name it looked up first and the HELO in "helo=" */
	expect_extras("from 76-227-96-11.lightspeed.elpstx.sbcglobal.net ([76.227.96.11]:49914 "
	              "helo=xnsasum.com) by 101-53-147-91.cprapid.com with esmtpsa  (TLS1.2) tls "
	              "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (Exim 4.97.1) (envelope-from "
	              "<v@example.com>) id 1sAH85-000000003aP-3yPZ; Fri, 24 May 2024 04:11:40 +0530",
	              (extras){"xnsasum.com", "76-227-96-11.lightspeed.elpstx.sbcglobal.net", "TLS1.2",
	                       true});
	/* a literal first: Exim found no name; esmtp and "(Exim 4.96.2)" say no TLS */
	expect_extras("from [::1] (port=2470 helo=patraoluis.com.br) by iuri0126.hospedagemdesites.ws "
	              "with esmtp (Exim 4.96.2) (envelope-from <n@example.com.br>) id "
	              "1tKkEY-0005TT-2B for X@example.com; Mon, 09 Dec 2024 17:19:58 -0300",
	              (extras){"patraoluis.com.br", NULL, NULL, false});
	/* the older form: version, cipher and bits in one comment */
	expect_extras("from mail.example.net ([192.0.2.5] helo=mail.example.net) by mx.example.org "
	              "with esmtps (TLSv1.2:ECDHE-RSA-AES256-GCM-SHA384:256) (Exim 4.92) id "
	              "1abc-0001; Mon, 2 Jan 2023 10:00:00 +0000",
	              (extras){"mail.example.net", "mail.example.net", "TLSv1.2", false});
}

static void received_exchange_tls_from_version_and_no_rdns(void **state)
{
	(void)state;
	expect_extras("from TY4PR01CA0026.jpnprd01.prod.outlook.com (2603:1096:405:2bf::12) by "
	              "PH0PR20MB4517.namprd20.prod.outlook.com (2603:10b6:510:147::13) with Microsoft "
	              "SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id "
	              "15.20.8746.30; Fri, 23 May 2025 06:56:20 +0000",
	              (extras){"TY4PR01CA0026.jpnprd01.prod.outlook.com", NULL, "TLS1_2", false});
	/* inside Exchange: no TLS said */
	expect_extras("from DM4PR10MB8218.namprd10.prod.outlook.com (2603:10b6:8:2f::15) by "
	              "DM4PR10MB8218.namprd10.prod.outlook.com (2603:10b6:8:2f::15) with mapi id "
	              "15.20.9031.25; Thu, 21 Aug 2025 11:16:15 +0000",
	              (extras){"DM4PR10MB8218.namprd10.prod.outlook.com", NULL, NULL, false});
}

static void received_sendmail_openssl_version_pair(void **state)
{
	(void)state;
	expect_extras("from mlug.example.edu (mogmios@localhost [127.0.0.1]) by mlug.example.edu "
	              "(8.12.3/8.12.3) with ESMTP id g7KJBZKL022804 (version=TLSv1/SSLv3 "
	              "cipher=EDH-RSA-DES-CBC3-SHA bits=168 verify=FAIL); Tue, 20 Aug 2002 14:11:35 -0500",
	              (extras){"mlug.example.edu", NULL, "TLSv1/SSLv3", false});
}

static void received_qmail_helo_apart_from_remote_host(void **state)
{
	(void)state;
	expect_extras("from unknown (HELO host.example.com) (192.0.2.7) by mail.example.com with "
	              "SMTP; 1 Jan 2020 12:00:00 -0000",
	              (extras){"host.example.com", NULL, NULL, false});
	expect_extras("from rdns.example.net (HELO helo.example) (192.0.2.7) by mail.example.com "
	              "with SMTP; 1 Jan 2020 12:00:00 -0000",
	              (extras){"helo.example", "rdns.example.net", NULL, true});
}

static void received_rfc3848_and_rfc6531_protocols_say_tls(void **state)
{
	(void)state;
	expect_extras("from a.example (a.example [192.0.2.1]) by b.example with UTF8SMTPS id 1; "
	              "Mon, 2 Jan 2023 10:00:00 +0000",
	              (extras){"a.example", "a.example", "yes (UTF8SMTPS)", false});
	expect_extras("from b.example by c.example with lmtps id 2; Mon, 2 Jan 2023 10:00:00 +0000",
	              (extras){"b.example", NULL, "yes (lmtps)", false});
}

static void received_near_misses_say_no_tls(void **state)
{
	(void)state;
	static const char *const plain[] = {
		"from a.example (a.example [192.0.2.1]) by b.example with ESMTP id 1; "
		"Mon, 2 Jan 2023 10:00:00 +0000",
		"from a.example (a.example [192.0.2.1]) by b.example with SMTP id 1; "
		"Mon, 2 Jan 2023 10:00:00 +0000",
		"from a.example (a.example [192.0.2.1]) by b.example with ESMTPA id 1; "
		"Mon, 2 Jan 2023 10:00:00 +0000",
		/* names that hold "tls" or start like a version are hosts */
		"from tls.example.com (tls1.example.com [192.0.2.9]) by mx.example.net with ESMTP id 3; "
		"Mon, 2 Jan 2023 10:00:00 +0000",
		"from TLS1.2 ([192.0.2.9] helo=TLSv1.3) by mx.example.net with esmtp id 4; "
		"Mon, 2 Jan 2023 10:00:00 +0000",
		"from a.example (TLS1 [192.0.2.1]) by b.example with ESMTP id 5; "
		"Mon, 2 Jan 2023 10:00:00 +0000",
		/* "using" and "version=" with something else than TLS */
		"from a.example (a.example [192.0.2.1]) (using SMTP AUTH) (version=1.0) by b.example "
		"with ESMTP id 6; Mon, 2 Jan 2023 10:00:00 +0000",
		/* a protocol word that only starts like ESMTPS */
		"from a.example by b.example with ESMTPSX id 7; Mon, 2 Jan 2023 10:00:00 +0000",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(plain); i++) {
		ks_hop *hop = ks_hop_new();
		assert_true(ks_received_parse(plain[i], hop));
		if (hop->tls)
			fail_msg("tls \"%s\" from: %s", hop->tls, plain[i]);
		ks_hop_free(hop);
	}
	/* a HELO name beginning with "helo" is no helo= */
	expect_extras("from helo.example (helo.example [192.0.2.1]) by b.example with ESMTP id 8; "
	              "Mon, 2 Jan 2023 10:00:00 +0000",
	              (extras){"helo.example", "helo.example", NULL, false});
}

static void rdns_comparison_ignores_case_and_final_dot(void **state)
{
	(void)state;
	ks_hop *hop = ks_hop_new();
	assert_false(ks_hop_rdns_differs(hop)); /* no rdns: nothing to compare */
	hop->from = g_strdup("Mail.Example.COM");
	hop->rdns = g_strdup("mail.example.com.");
	assert_false(ks_hop_rdns_differs(hop));
	hop->helo = g_strdup("mail.example.co");
	assert_string_equal(ks_hop_helo(hop), "mail.example.co");
	assert_true(ks_hop_rdns_differs(hop));
	ks_hop_free(hop);
	assert_null(ks_hop_helo(NULL));
}

/* ---- the analyzer over whole messages ---------------------------------- */

/* A message with these Received values (message order: recipient first). */
static ks_message *message_with(const char *extra_headers, const char *const *received)
{
	GString *s = g_string_new("");
	for (int i = 0; received && received[i]; i++)
		g_string_append_printf(s, "Received: %s\r\n", received[i]);
	if (extra_headers)
		g_string_append(s, extra_headers);
	g_string_append(s, "From: a@example.com\r\nTo: b@example.org\r\nSubject: t\r\n"
	                   "Date: Wed, 1 Jan 2020 12:00:00 +0000\r\n\r\nhello\r\n");
	GBytes *b = g_string_free_to_bytes(s);
	ks_message *m = ks_message_parse(b, 0, NULL);
	g_bytes_unref(b);
	if (!m)
		fail_msg("ks_message_parse returned NULL");
	return m;
}

static ks_report *route(const char *extra_headers, const char *const *received)
{
	ks_message *m = message_with(extra_headers, received);
	ks_report *r = ks_report_new();
	ks_routing_analyze(m, NULL, r);
	ks_message_free(m);
	return r;
}

static ks_hop *hop_at(const ks_report *r, guint i)
{
	assert_true(i < r->hops->len);
	return g_ptr_array_index(r->hops, i);
}

static void hops_are_origin_first(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from relay.example.net (relay.example.net [192.0.2.2]) by mx.example.org with ESMTP "
		"id B; Wed, 1 Jan 2020 12:00:10 +0000",
		"from client.example.com (client.example.com [192.0.2.1]) by relay.example.net with "
		"ESMTP id A; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_int_equal(r->hops->len, 2);
	assert_int_equal(hop_at(r, 0)->index, 0);
	assert_string_equal(hop_at(r, 0)->id, "A");
	assert_string_equal(hop_at(r, 0)->ip, "192.0.2.1");
	assert_false(hop_at(r, 0)->has_delay);
	assert_int_equal(hop_at(r, 1)->index, 1);
	assert_string_equal(hop_at(r, 1)->id, "B");
	assert_true(hop_at(r, 1)->has_delay);
	assert_int_equal(hop_at(r, 1)->delay_seconds, 10);
	assert_int_equal(r->findings->len, 0);
	assert_null(r->bulk_service);
	/* each hop keeps the place of its Received header, from the top */
	assert_int_equal(hop_at(r, 0)->header_index, 1);
	assert_int_equal(hop_at(r, 1)->header_index, 0);
}

static void received_with_negative_gap_keeps_sign(void **state)
{
	(void)state;
	/* 2 minutes backwards: within skew, kept negative, not flagged. */
	const char *rcv[] = {
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 12:58:00 +0900",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 04:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_int_equal(r->hops->len, 2);
	assert_true(hop_at(r, 1)->has_delay);
	assert_int_equal(hop_at(r, 1)->delay_seconds, -120);
	assert_false(hop_at(r, 1)->suspicious);
	assert_int_equal(count_rule(r, KS_RULE_ROUTING_DATE_REVERSED), 0);
}

static void received_with_day_long_gap(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from b.example.net by c.example.org; Thu, 2 Jan 2020 12:00:05 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_int_equal(hop_at(r, 1)->delay_seconds, 86405);
	assert_int_equal(count_rule(r, KS_RULE_ROUTING_DATE_REVERSED), 0);
}

static void date_reversed_beyond_skew_flags_the_hop(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from c.example.org by d.example.org; Wed, 1 Jan 2020 12:10:00 +0000",
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 09:47:00 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_int_equal(hop_at(r, 1)->delay_seconds, -7980);
	assert_true(hop_at(r, 1)->suspicious);
	assert_int_equal(hop_at(r, 2)->delay_seconds, 8580);
	assert_false(hop_at(r, 2)->suspicious);
	assert_int_equal(count_rule(r, KS_RULE_ROUTING_DATE_REVERSED), 1);
	const ks_finding *f = find_rule(r, KS_RULE_ROUTING_DATE_REVERSED);
	assert_string_equal(f->location, "hop:1");
	assert_int_equal(f->severity, KS_SEV_LOW);
	assert_non_null(strstr(f->evidence, "2020-01-01T09:47:00+00:00"));
	assert_non_null(strstr(f->evidence, "2020-01-01T12:00:00+00:00"));
	assert_non_null(strstr(f->evidence, "7980"));
	/* 2 h 13 min is no time-zone mistake */
	assert_null(strstr(f->evidence, "time zone"));
}

/* sa_ham's real chains: a list server 14 minutes slow, a desktop 35
 * minutes slow.  Within an hour it is context, and the hop is not marked. */
static void date_reversed_within_an_hour_is_clock_drift(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 11:25:00 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	const ks_finding *f = find_rule(r, KS_RULE_ROUTING_DATE_REVERSED);
	assert_non_null(f);
	assert_int_equal(f->severity, KS_SEV_INFO);
	assert_non_null(strstr(f->evidence, "drift"));
	assert_false(hop_at(r, 1)->suspicious);
	/* the boundary: an hour is drift, a second more is not */
	const char *hour[] = {
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 11:00:00 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r2 = route(NULL, hour);
	assert_int_equal(find_rule(r2, KS_RULE_ROUTING_DATE_REVERSED)->severity, KS_SEV_INFO);
	const char *past[] = {
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 10:59:59 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r3 = route(NULL, past);
	assert_int_equal(find_rule(r3, KS_RULE_ROUTING_DATE_REVERSED)->severity, KS_SEV_LOW);
	assert_true(hop_at(r3, 1)->suspicious);
}

/* A server writing local time under the wrong offset: whole hours. */
static void date_reversed_by_whole_hours_names_the_time_zone(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 04:03:10 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	const ks_finding *f = find_rule(r, KS_RULE_ROUTING_DATE_REVERSED);
	assert_int_equal(f->severity, KS_SEV_LOW);
	assert_non_null(strstr(f->evidence, "time zone"));
}

/* A hop days before the one it came from: no clock or zone explains it. */
static void date_reversed_beyond_any_zone_is_medium(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from b.example.net by c.example.org; Sun, 29 Dec 2019 12:00:00 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	const ks_finding *f = find_rule(r, KS_RULE_ROUTING_DATE_REVERSED);
	assert_int_equal(f->severity, KS_SEV_MEDIUM);
	assert_non_null(strstr(f->evidence, "forged or replayed"));
	/* near miss: 26 hours (UTC+14 written as UTC-12) is still a zone */
	const char *zone[] = {
		"from b.example.net by c.example.org; Tue, 31 Dec 2019 10:00:00 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r2 = route(NULL, zone);
	assert_int_equal(find_rule(r2, KS_RULE_ROUTING_DATE_REVERSED)->severity, KS_SEV_LOW);
}

static void date_reversed_boundary_is_300_seconds(void **state)
{
	(void)state;
	const char *at_skew[] = {
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 11:55:00 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r1 = route(NULL, at_skew);
	assert_int_equal(hop_at(r1, 1)->delay_seconds, -300);
	assert_int_equal(count_rule(r1, KS_RULE_ROUTING_DATE_REVERSED), 0);
	const char *past_skew[] = {
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 11:54:59 +0000",
		"from a.example.com by b.example.net; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r2 = route(NULL, past_skew);
	assert_int_equal(hop_at(r2, 1)->delay_seconds, -301);
	assert_int_equal(count_rule(r2, KS_RULE_ROUTING_DATE_REVERSED), 1);
}

static void delay_needs_both_times(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 12:00:00 +0000",
		"from a.example.com by b.example.net; not a date",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_null(hop_at(r, 0)->date);
	assert_true(hop_at(r, 0)->parsed);
	assert_false(hop_at(r, 1)->has_delay);
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 0);
}

static void bulk_service_by_received_host(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from a8-33.smtp-out.amazonses.com (a8-33.smtp-out.amazonses.com [54.240.8.33]) by "
		"mx.example.org (Postfix) with ESMTPS id 4Abc; Thu, 21 Sep 2023 10:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_non_null(r->bulk_service);
	assert_string_equal(r->bulk_service, "Amazon SES");
	assert_int_equal(count_rule(r, KS_RULE_ROUTING_BULK_SERVICE), 1);
	const ks_finding *f = find_rule(r, KS_RULE_ROUTING_BULK_SERVICE);
	assert_string_equal(f->location, "hop:0");
	assert_int_equal(f->severity, KS_SEV_INFO);
	assert_non_null(strstr(f->evidence, "a8-33.smtp-out.amazonses.com"));
}

static void bulk_service_by_reverse_dns_in_comment(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from helo.example (o1.ptr1234.sendgrid.net [192.0.2.9]) by mx.example.org "
		"(Postfix) with ESMTPS id 1; Thu, 21 Sep 2023 10:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_non_null(r->bulk_service);
	assert_string_equal(r->bulk_service, "SendGrid");
}

static void bulk_service_by_header(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from mail.example.com (mail.example.com [192.0.2.1]) by mx.example.org with ESMTP "
		"id 1; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route("X-SG-EID: u001.abc\r\n", rcv);
	assert_non_null(r->bulk_service);
	assert_string_equal(r->bulk_service, "SendGrid");
	const ks_finding *f = find_rule(r, KS_RULE_ROUTING_BULK_SERVICE);
	assert_non_null(f);
	assert_string_equal(f->location, "header:X-SG-EID");
}

static void bulk_service_by_header_value(void **state)
{
	(void)state;
	g_autoptr(ks_report) r =
		route("Feedback-ID: ::1.us-east-1.uXWD4XKFQapCJjPk=:AmazonSES\r\n", NULL);
	assert_non_null(r->bulk_service);
	assert_string_equal(r->bulk_service, "Amazon SES");
	/* A Feedback-ID that does not name SES is nothing. */
	g_autoptr(ks_report) r2 = route("Feedback-ID: 325-anexp#nret-fa:account-notifier\r\n", NULL);
	assert_null(r2->bulk_service);
	assert_int_equal(count_rule(r2, KS_RULE_ROUTING_BULK_SERVICE), 0);
}

static void bulk_service_reported_once_per_service(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from o1.sendgrid.net (o1.sendgrid.net [192.0.2.9]) by mx.example.org with ESMTP "
		"id 1; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route("X-SG-EID: a\r\nX-SG-ID: b\r\nX-Mailgun-Tag: c\r\n", rcv);
	assert_string_equal(r->bulk_service, "SendGrid");
	assert_int_equal(count_rule(r, KS_RULE_ROUTING_BULK_SERVICE), 2);
}

static void mail_to_a_fastmail_user_is_not_bulk(void **state)
{
	(void)state;
	/* Inbound to Fastmail: the service's own hosts receive, they do not carry. */
	const char *rcv[] = {
		"from mx6.messagingengine.com (mx6.messagingengine.com [10.0.0.6]) by "
		"store1.messagingengine.com (LMTPProxy); Wed, 1 Jan 2020 12:00:02 +0000",
		"from mail.example.com (mail.example.com [192.0.2.1]) by mx6.messagingengine.com "
		"with ESMTPS id 1; Wed, 1 Jan 2020 12:00:01 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_null(r->bulk_service);
	assert_int_equal(count_rule(r, KS_RULE_ROUTING_BULK_SERVICE), 0);
	/* Outbound from Fastmail: the exit hop names it. */
	const char *out[] = {
		"from out1-smtp.messagingengine.com (out1-smtp.messagingengine.com [66.111.4.25]) by "
		"mx.example.org with ESMTPS id 2; Wed, 1 Jan 2020 12:00:01 +0000",
		NULL,
	};
	g_autoptr(ks_report) r2 = route(NULL, out);
	assert_non_null(r2->bulk_service);
	assert_string_equal(r2->bulk_service, "Fastmail");
}

static void sendgrid_internal_hop_by_prefix(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from MjAwNDg2NjU (unknown) by geopod-ismtpd-canary-0 (SG) with HTTP id "
		"lqe1W66GRReRoSz_q2_XuA Wed, 09 Oct 2024 23:04:18.561 +0000 (UTC)",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_non_null(r->bulk_service);
	assert_string_equal(r->bulk_service, "SendGrid");
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 0);
}

static void lookalike_service_domain_is_not_bulk(void **state)
{
	(void)state;
	/* "notsendgrid.net" is not under "sendgrid.net". */
	const char *rcv[] = {
		"from o1.notsendgrid.net (o1.notsendgrid.net [192.0.2.9]) by mx.example.org with "
		"ESMTP id 1; Wed, 1 Jan 2020 12:00:00 +0000",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_null(r->bulk_service);
}

static void unparseable_hop_kept_raw_with_malformed(void **state)
{
	(void)state;
	const char *rcv[] = {
		"from b.example.net by c.example.org; Wed, 1 Jan 2020 12:00:00 +0000",
		"garbage garbage garbage",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_int_equal(r->hops->len, 2);
	assert_false(hop_at(r, 0)->parsed);
	assert_string_equal(hop_at(r, 0)->raw, "garbage garbage garbage");
	assert_true(hop_at(r, 1)->parsed);
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 1);
	const ks_finding *f = find_rule(r, KS_RULE_INPUT_MALFORMED);
	assert_string_equal(f->location, "hop:0");
	assert_non_null(strstr(f->evidence, "Received"));
	assert_non_null(strstr(f->evidence, "garbage"));
}

static void common_variants_are_not_malformed(void **state)
{
	(void)state;
	const char *rcv[] = {
		"(qmail 12345 invoked by uid 89); 1 Jan 2020 12:00:00 -0000",
		"by 2002:a05:6214:2f02:b0:4c7:809b:3549 with HTTP; Mon, 26 Dec 2022 05:48:21 -0800 (PST)",
		"from SJ1P223MB0411.NAMP223.PROD.OUTLOOK.COM (::1) by LV3P223MB0968.NAMP223.PROD.OUTLOOK.COM "
		"with HTTPS; Thu, 8 Aug 2024 13:02:00 +0000",
		"by filterdrecv-7ddc4b679f-hdnvz with SMTP id filterdrecv-7ddc4b679f-hdnvz-1-63F06327-4E "
		"2023-02-18 05:33:28.001954205 +0000 UTC m=+642907.172406960",
		NULL,
	};
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_int_equal(r->hops->len, 4);
	for (guint i = 0; i < r->hops->len; i++) {
		assert_true(hop_at(r, i)->parsed);
		assert_non_null(hop_at(r, i)->date);
	}
	assert_int_equal(count_rule(r, KS_RULE_INPUT_MALFORMED), 0);
}

static void no_received_headers_no_hops(void **state)
{
	(void)state;
	g_autoptr(ks_report) r = route(NULL, NULL);
	assert_int_equal(r->hops->len, 0);
	assert_int_equal(r->findings->len, 0);
}

static void past_the_hop_cap_each_hop_still_knows_its_header(void **state)
{
	(void)state;
	/* 300 Received headers: the 256 nearest the recipient are read, so the
	 * origin hop is the 256th header from the top, not the last */
	const char *rcv[301];
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; i < 300; i++) {
		char *v = g_strdup_printf("from h%d.example.net (h%d.example.net [192.0.2.%d]) by "
		                          "h%d.example.org with ESMTP id N%d; Wed, 1 Jan 2020 12:00:00 "
		                          "+0000", i, i, i % 250 + 1, i, i);
		g_ptr_array_add(keep, v);
		rcv[i] = v;
	}
	rcv[300] = NULL;
	g_autoptr(ks_report) r = route(NULL, rcv);
	assert_int_equal(r->hops->len, 256);
	assert_int_equal(hop_at(r, 0)->header_index, 255);
	assert_string_equal(hop_at(r, 0)->id, "N255");
	assert_int_equal(hop_at(r, 255)->header_index, 0);
	assert_string_equal(hop_at(r, 255)->id, "N0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(received_postfix_with_tls_comments),
		cmocka_unit_test(received_postfix_local_submission),
		cmocka_unit_test(received_exim_with_port_and_helo),
		cmocka_unit_test(received_exim_ipv6_loopback_literal),
		cmocka_unit_test(received_sendmail),
		cmocka_unit_test(received_exchange_ipv6_comments),
		cmocka_unit_test(received_m365_frontend_transport),
		cmocka_unit_test(received_exchange_mailbox_resubmission_keeps_first_by),
		cmocka_unit_test(received_gmail_internal_ipv6_by),
		cmocka_unit_test(received_gmail_smtps_transport_security),
		cmocka_unit_test(received_qmail_invoked_by_uid),
		cmocka_unit_test(received_qmail_invoked_from_network),
		cmocka_unit_test(received_qmail_helo_and_bare_ip),
		cmocka_unit_test(received_sendgrid_geopod_without_semicolon),
		cmocka_unit_test(received_sendgrid_filterdrecv_go_time),
		cmocka_unit_test(received_amazon_ses),
		cmocka_unit_test(received_ibm_domino),
		cmocka_unit_test(received_private_helo_literal_unknown_rdns),
		cmocka_unit_test(received_ipv6_address_literal),
		cmocka_unit_test(received_localhost_and_envelope_from),
		cmocka_unit_test(received_address_outside_comment),
		cmocka_unit_test(received_mandrill_no_space_after_semicolon),
		cmocka_unit_test(received_unparseable_returns_false_and_keeps_raw),
		cmocka_unit_test(received_control_characters_are_sanitized),
		cmocka_unit_test(received_postfix_rdns_apart_from_helo_and_tls_from_using),
		cmocka_unit_test(received_gmail_rdns_with_final_dot_is_the_helo),
		cmocka_unit_test(received_exim_helo_apart_and_tls_comment),
		cmocka_unit_test(received_exchange_tls_from_version_and_no_rdns),
		cmocka_unit_test(received_sendmail_openssl_version_pair),
		cmocka_unit_test(received_qmail_helo_apart_from_remote_host),
		cmocka_unit_test(received_rfc3848_and_rfc6531_protocols_say_tls),
		cmocka_unit_test(received_near_misses_say_no_tls),
		cmocka_unit_test(rdns_comparison_ignores_case_and_final_dot),
		cmocka_unit_test(hops_are_origin_first),
		cmocka_unit_test(past_the_hop_cap_each_hop_still_knows_its_header),
		cmocka_unit_test(received_with_negative_gap_keeps_sign),
		cmocka_unit_test(received_with_day_long_gap),
		cmocka_unit_test(date_reversed_beyond_skew_flags_the_hop),
		cmocka_unit_test(date_reversed_within_an_hour_is_clock_drift),
		cmocka_unit_test(date_reversed_by_whole_hours_names_the_time_zone),
		cmocka_unit_test(date_reversed_beyond_any_zone_is_medium),
		cmocka_unit_test(date_reversed_boundary_is_300_seconds),
		cmocka_unit_test(delay_needs_both_times),
		cmocka_unit_test(bulk_service_by_received_host),
		cmocka_unit_test(bulk_service_by_reverse_dns_in_comment),
		cmocka_unit_test(bulk_service_by_header),
		cmocka_unit_test(bulk_service_by_header_value),
		cmocka_unit_test(bulk_service_reported_once_per_service),
		cmocka_unit_test(mail_to_a_fastmail_user_is_not_bulk),
		cmocka_unit_test(sendgrid_internal_hop_by_prefix),
		cmocka_unit_test(lookalike_service_domain_is_not_bulk),
		cmocka_unit_test(unparseable_hop_kept_raw_with_malformed),
		cmocka_unit_test(common_variants_are_not_malformed),
		cmocka_unit_test(no_received_headers_no_hops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
