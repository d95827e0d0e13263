# Dependencies: every library through pkg-config; what is missing is installed
# from Debian's packages when we are root, else the exact command is printed.
# Add a library here as "pkg-config-name:debian-package".

PKGS := gmime-3.0:libgmime-3.0-dev glib-2.0:libglib2.0-dev libzip:libzip-dev \
        libmagic:libmagic-dev libpsl:libpsl-dev icu-uc:libicu-dev icu-i18n:libicu-dev \
        libxml-2.0:libxml2-dev json-glib-1.0:libjson-glib-dev libcrypto:libssl-dev \
        sqlite3:libsqlite3-dev libpq:libpq-dev libidn2:libidn2-dev ncursesw:libncurses-dev \
        cmocka:libcmocka-dev poppler-glib:libpoppler-glib-dev libarchive:libarchive-dev \
        libgsf-1:libgsf-1-dev zbar:libzbar-dev libpng:libpng-dev libjpeg:libjpeg-dev \
        gmodule-no-export-2.0:libglib2.0-dev libseccomp:libseccomp-dev

# programs the build and tests run: "command:debian-package"
TOOLS := pkg-config:pkg-config tmux:tmux python3:python3 clang:clang \
         lnkinfo:liblnk-utils isoinfo:genisoimage pdfinfo:poppler-utils time:time \
         zip:zip mu:maildir-utils qrencode:qrencode msgfmt:gettext xgettext:gettext \
         openssl:openssl psql:postgresql-client

# Each layer compiles against its own libraries only (STYLE.md "layers you
# can check"): analyzers/ never sees SQLite, libpq or curses, db/ adds them, tui/
# adds ncursesw.  Everything links into ./kensa and the unit tests.
# libzbar, poppler-glib and libpq are not linked: qr.c, pdf.c and
# engine_pg.c open them (GModule) the first time a picture may hold a QR
# code, a PDF is read or a PostgreSQL store is opened, because they bring
# X11, D-Bus, cairo, NSS, Kerberos, LDAP and more into the process (10, 6
# and 3 ms of start-up for every kensa run); only their headers are compiled
# against.
OPENED  := zbar poppler-glib
DB_OPENED := libpq
AN_PC   := gmime-3.0 glib-2.0 libzip libmagic libpsl icu-uc icu-i18n libxml-2.0 \
           json-glib-1.0 libcrypto libidn2 libarchive libgsf-1 \
           libpng libjpeg gmodule-no-export-2.0 libseccomp
DB_PC   := sqlite3
LIB_PC  := $(AN_PC) $(DB_PC)
AN_CFLAGS  = $(shell pkg-config --cflags $(AN_PC) $(OPENED) 2>/dev/null)
DB_CFLAGS  = $(AN_CFLAGS) $(shell pkg-config --cflags $(DB_PC) $(DB_OPENED) 2>/dev/null)
TUI_CFLAGS = $(DB_CFLAGS) $(shell pkg-config --cflags ncursesw 2>/dev/null)
DEP_CFLAGS = $(shell pkg-config --cflags $(LIB_PC) $(OPENED) $(DB_OPENED) 2>/dev/null)
DEP_LIBS   = $(shell pkg-config --libs $(LIB_PC) 2>/dev/null) -lpthread -lm
TUI_LIBS   = $(shell pkg-config --libs ncursesw 2>/dev/null)
TEST_LIBS  = $(shell pkg-config --libs cmocka 2>/dev/null)

deps:
	@missing=""; \
	for t in $(TOOLS); do \
		command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; \
	done; \
	for p in $(PKGS); do \
		if command -v pkg-config >/dev/null 2>&1; then \
			pkg-config --exists $${p%%:*} || missing="$$missing $${p#*:}"; \
		else missing="$$missing $${p#*:}"; fi; \
	done; \
	dpkg -s libclang-rt-14-dev >/dev/null 2>&1 || missing="$$missing libclang-rt-14-dev"; \
	dpkg -s postgresql >/dev/null 2>&1 || missing="$$missing postgresql"; \
	missing=$$(echo $$missing | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	if [ -n "$$(echo $$missing | tr -d ' ')" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "  DEPS   installing:$$missing"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get update -qq >/dev/null && \
			apt-get install -y -qq --no-install-recommends $$missing >/dev/null || \
			{ echo "kensa: deps: apt-get install failed:$$missing" >&2; exit 1; }; \
		else \
			echo "kensa: deps: missing packages; run as root:" >&2; \
			echo "  apt-get install -y$$missing" >&2; exit 1; \
		fi; \
	fi
