# kensa — one Makefile: make, make run, make test, make bench, make eval,
# make fuzz, make install, make clean.  Objects go under build/; `V=1` shows commands.
# Missing libraries are installed from Debian's packages when run as root
# (see deps.mk); otherwise the exact apt-get command is printed.

PREFIX    ?= /usr/local
BUILD     ?= build
CC        ?= cc
SANITIZE  ?=
SAMPLE    ?= samples/invoice_lookalike_thread.eml

.DEFAULT_GOAL := all
include deps.mk

Q := $(if $(V),,@)
say = $(if $(V),,@printf '  %-6s %s\n' $(1) $(2);)

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wwrite-strings -Wno-unused-parameter
HARDEN   := -fstack-protector-strong -D_FORTIFY_SOURCE=2
OPT      ?= -O2 -g
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(HARDEN) $(SANITIZE) $(CFLAGS)
LDFLAGS_ALL = $(SANITIZE) $(LDFLAGS)

# The layers, held by the compiler (STYLE.md "layers you can check"): each
# directory sees its own headers and those of the layers below it, and the
# library headers it may use; the "poison" directories, searched before the
# system's, turn an include of SQLite or curses where it does not belong
# into a compile error that names the rule.
POISON   := $(BUILD)/poison
CF_AN    = $(CFLAGS_BASE) -I$(POISON)/analyzers -Ianalyzers -I$(BUILD)/gen $(AN_CFLAGS)
CF_DB    = $(CFLAGS_BASE) -I$(POISON)/db -Ianalyzers -Idb $(DB_CFLAGS)
CF_TUI   = $(CFLAGS_BASE) -Ianalyzers -Idb -Itui $(TUI_CFLAGS)
CF_CLI   = $(CFLAGS_BASE) -I$(POISON)/cli -Ianalyzers -Idb -Itui $(TUI_CFLAGS) \
           -DKS_LOCALEDIR='"$(PREFIX)/share/locale"'
CF_TEST  = $(CF_TUI) $(shell pkg-config --cflags cmocka 2>/dev/null)
SQL_HDRS := sqlite3.h sqlite3ext.h libpq-fe.h
TTY_HDRS := curses.h ncurses.h term.h panel.h form.h menu.h ncursesw/curses.h \
            ncursesw/ncurses.h ncursesw/panel.h

# analyzers/ in stage folders (README "Layout"); includes name the folder
# ("core/report.h") from the layer's root
AN_SRC   := $(wildcard analyzers/*/*.c)
DB_SRC   := $(wildcard db/*.c db/*/*.c)
TUI_SRC  := $(wildcard tui/*.c tui/cli/*.c)
DATA     := $(sort $(wildcard analyzers/data/*.txt))
UNIT_SRC := $(wildcard tests/unit/test_*.c)

AN_OBJ   := $(AN_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/data_gen.o
DB_OBJ   := $(DB_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

LIB_AN   := $(BUILD)/libkensa_analyzers.a
LIB_DB   := $(BUILD)/libkensa_db.a
BIN      := kensa

.PHONY: all run test test-unit test-e2e test-tui test-asan test-fuzz bench eval fuzz install \
        clean deps check-layering unit-bins pot locale-ja

all: deps $(BIN)

# What kensa says in other languages (analyzers/core/i18n.h): po/LANG.po,
# checked and compiled into $(BUILD)/locale/LANG/LC_MESSAGES/kensa.mo, which
# the binary finds beside itself (tui/cli/lang.c).  `make pot` extracts
# po/kensa.pot from the sources (rules.def's descriptions too); msgmerge
# brings a .po up to date with it.
PO       := $(wildcard po/*.po)
MO       := $(PO:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/kensa.mo)
POT_SRC   = $(sort $(AN_SRC) $(DB_SRC) $(TUI_SRC)) analyzers/core/rules.def tui/wb.h
$(BUILD)/locale/%/LC_MESSAGES/kensa.mo: po/%.po
	@mkdir -p $(@D)
	$(call say,MSGFMT,$<)msgfmt --check -o $@ $<

pot:
	$(Q)xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=P_:1,2 --keyword=KS_RULE:4 \
		--add-comments=TRANSLATORS: --add-location=file --sort-by-file \
		--package-name=kensa --msgid-bugs-address=kensa -o po/kensa.pot $(POT_SRC)

$(BUILD)/gen/data_gen.c: $(DATA) analyzers/embed_data.sh
	@mkdir -p $(@D)
	$(call say,GEN,$@)sh analyzers/embed_data.sh $@ $(DATA)

# poison(DIR, HEADERS, WHY): a header per name that stops the build
poison = for h in $(2); do mkdir -p $$(dirname $(POISON)/$(1)/$$h); \
	printf '\043error "%s: $(3) (STYLE.md: layers)"\n' "$$h" >$(POISON)/$(1)/$$h; done; touch $@

$(POISON)/analyzers/.made: Makefile
	@$(call poison,analyzers,$(SQL_HDRS) $(TTY_HDRS),analyzers/ use neither SQLite, libpq nor curses)

$(POISON)/db/.made: Makefile
	@$(call poison,db,$(TTY_HDRS),db/ draws nothing: curses belongs to tui/)

$(POISON)/cli/.made: Makefile
	@$(call poison,cli,$(TTY_HDRS),tui/cli/ runs commands without curses: views live in tui/)

$(BUILD)/analyzers/%.o: analyzers/%.c | deps $(POISON)/analyzers/.made
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CF_AN) -MMD -MP -c $< -o $@

$(BUILD)/db/%.o: db/%.c | deps $(POISON)/db/.made
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CF_DB) -MMD -MP -c $< -o $@

$(BUILD)/tui/cli/%.o: tui/cli/%.c | deps $(POISON)/cli/.made
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CF_CLI) -MMD -MP -c $< -o $@

$(BUILD)/tui/%.o: tui/%.c | deps
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CF_TUI) -MMD -MP -c $< -o $@

$(BUILD)/gen/data_gen.o: $(BUILD)/gen/data_gen.c | $(POISON)/analyzers/.made
	$(call say,CC,$<)$(CC) $(CF_AN) -c $< -o $@

$(LIB_AN): $(AN_OBJ)
	@mkdir -p $(@D)
	$(call say,AR,$@)rm -f $@ && ar rcs $@ $^

# (an empty archive while db/ has no sources: ar writes nothing for no members)
$(LIB_DB): $(DB_OBJ)
	@mkdir -p $(@D)
	$(call say,AR,$@)rm -f $@ && if [ -n "$^" ]; then ar rcs $@ $^; else printf '!<arch>\n' >$@; fi

# the binary is built in $(BUILD); the top-level ./kensa is a copy of the normal build
$(BUILD)/kensa: $(TUI_OBJ) $(LIB_DB) $(LIB_AN) | $(MO)
	$(call say,LD,$@)$(CC) $(LDFLAGS_ALL) -o $@ $(TUI_OBJ) $(LIB_DB) $(LIB_AN) $(DEP_LIBS) $(TUI_LIBS)

# copied beside and renamed over, so a running ./kensa (a test, the
# workbench) does not make the copy fail with "text file busy"
$(BIN): $(BUILD)/kensa | $(MO)
	$(Q)cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB_DB) $(LIB_AN)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CF_TEST) -MMD -MP -o $@ $< $(LIB_DB) $(LIB_AN) $(LDFLAGS_ALL) $(DEP_LIBS) $(TUI_LIBS) $(TEST_LIBS)

unit-bins: $(UNIT_BIN)

# make bench's store measurements (tests/bench/store_bench.py)
$(BUILD)/bench/store_bench: tests/bench/store_bench.c $(LIB_DB) $(LIB_AN)
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CF_TUI) -o $@ $< $(LIB_DB) $(LIB_AN) $(LDFLAGS_ALL) $(DEP_LIBS)

run: all
	./$(BIN) $(SAMPLE)

# Everything: unit, end-to-end, TUI, then all of it again under ASan+UBSan,
# then each fuzz target briefly.  tests/run.sh tallies and prints the closing line.
test: deps locale-ja
	$(Q)sh tests/run.sh

# The Japanese interface is tested under a real ja_JP.UTF-8 locale: made
# here when this machine has none (Debian's locales package, localedef).
locale-ja:
	$(Q)if ! locale -a 2>/dev/null | grep -qix 'ja_JP.utf-\{0,1\}8'; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "  LOCALE generating ja_JP.UTF-8 for the Japanese interface's tests"; \
			[ -e /usr/share/i18n/locales/ja_JP ] || { export DEBIAN_FRONTEND=noninteractive; \
				apt-get update -qq >/dev/null && \
				apt-get install -y -qq --no-install-recommends locales >/dev/null; }; \
			localedef -i ja_JP -f UTF-8 ja_JP.UTF-8 || \
				{ echo "kensa: locale-ja: localedef failed" >&2; exit 1; }; \
		else \
			echo "kensa: locale-ja: no ja_JP.UTF-8 locale; run as root:" >&2; \
			echo "  localedef -i ja_JP -f UTF-8 ja_JP.UTF-8" >&2; exit 1; \
		fi; \
	fi

test-unit: all unit-bins
	$(Q)sh tests/run.sh unit

# The layers' check is the compiler's: each probe includes what its layer
# must not, with that layer's flags, and must fail to compile.
check-layering: deps $(POISON)/analyzers/.made $(POISON)/db/.made $(POISON)/cli/.made
	$(Q)CF_AN='$(CF_AN)' CF_DB='$(CF_DB)' CF_CLI='$(CF_CLI)' CC='$(CC)' BUILD='$(BUILD)' \
		OPENED_LIBS='$(foreach p,$(OPENED) $(DB_OPENED),$(if $(filter lib%,$(p)),$(p),lib$(p)))' \
		sh tests/check_layering.sh

fuzz: deps
	$(Q)$(MAKE) -s -f tests/fuzz/fuzz.mk BUILD=$(BUILD)/fuzz DEP_CFLAGS='$(DEP_CFLAGS)' DEP_LIBS='$(DEP_LIBS)'

bench: all $(BUILD)/bench/store_bench
	$(Q)sh tests/bench/bench.sh

# detection quality on the real mail of ../shared/corpora (a measurement, not a
# timed test): rates at score 25 and 60, every false alarm, every missed phish,
# and the ratchet of tests/eval/floor.txt
eval: all
	$(Q)python3 tests/eval/eval.py --check tests/eval/floor.txt

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/kensa/themes $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/kensa
	if ls themes/*.theme >/dev/null 2>&1; then install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/kensa/themes/; fi
	install -m 0644 kensa.1 $(DESTDIR)$(PREFIX)/share/man/man1/kensa.1
	for mo in $(MO); do lang=$$(basename $$(dirname $$(dirname $$mo))); \
		install -d $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES; \
		install -m 0644 $$mo $(DESTDIR)$(PREFIX)/share/locale/$$lang/LC_MESSAGES/kensa.mo; done

clean:
	rm -rf $(BUILD) $(BIN)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
