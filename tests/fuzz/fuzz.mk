# The fuzz build (DESIGN.md "every parser has a fuzz target"): every
# analyzers/*/*.c and the embedded rule data compiled with clang under
# libFuzzer, ASan and UBSan, and each tests/fuzz/fuzz_<name>.c linked into
# $(BUILD)/fuzz_<name>.  Run by the top Makefile's `fuzz` target, which passes
# BUILD, DEP_CFLAGS and DEP_LIBS; tests/run.sh then runs each target briefly
# over tests/fuzz/corpus/<name>/.  libFuzzer comes with clang's runtime
# (Debian libclang-rt-14-dev).

BUILD      ?= build/fuzz
FUZZ_CC    ?= clang
DEP_CFLAGS ?=
DEP_LIBS   ?=

FUZZ_CFLAGS  := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -g -O1 -std=c11 -D_GNU_SOURCE \
                -Wall -Wextra -Wshadow -Wstrict-prototypes -Wwrite-strings -Wno-unused-parameter \
                -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Ianalyzers -I$(BUILD)/gen $(DEP_CFLAGS)
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

AN_SRC  := $(wildcard analyzers/*/*.c)
DATA    := $(sort $(wildcard analyzers/data/*.txt))
AN_OBJ  := $(AN_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/data_gen.o
LIB_AN  := $(BUILD)/libkensa_analyzers.a
TARGETS := $(patsubst tests/fuzz/%.c,$(BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all
all: $(TARGETS)

$(BUILD)/gen/data_gen.c: $(DATA) analyzers/embed_data.sh
	@mkdir -p $(@D)
	sh analyzers/embed_data.sh $@ $(DATA)

$(BUILD)/gen/data_gen.o: $(BUILD)/gen/data_gen.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(BUILD)/analyzers/%.o: analyzers/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(LIB_AN): $(AN_OBJ)
	rm -f $@ && ar rcs $@ $^

# the one db/ file a target fuzzes (the redactor works on reports, no SQLite)
$(BUILD)/db/redact.o: db/export/redact.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Idb -MMD -MP -c $< -o $@

$(BUILD)/fuzz_redact: tests/fuzz/fuzz_redact.c $(BUILD)/db/redact.o $(LIB_AN)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Idb $(FUZZ_LDFLAGS) -MMD -MP -o $@ $< $(BUILD)/db/redact.o $(LIB_AN) $(DEP_LIBS)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_AN)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LDFLAGS) -MMD -MP -o $@ $< $(LIB_AN) $(DEP_LIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
