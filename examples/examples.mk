# SPDX-License-Identifier: GPL-2.0-or-later
#
# examples/: programs that use only virtos.h, linked against the shared
# library the way an outside management tool would (-lvirtos).

EXAMPLES := $(B)/examples/vos-example

$(B)/examples/vos-example: $(B)/examples/vos-example.o $(LIBVIRTOS_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< -L$(B)/lib -lvirtos -Wl,-rpath,'$$ORIGIN/../lib'

ALL_TARGETS += $(EXAMPLES)
CLEAN_FILES += $(EXAMPLES)
