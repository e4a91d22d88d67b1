/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz the JSON reader and writer.  Whatever parses must write, parse back to
 * an equal tree, write again to the same bytes, and copy to an equal tree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write node, parse the text back and write that again: both texts must match. */
static void round_trip(const struct hr_json *node, unsigned wflags)
{
        struct hr_json *again = NULL;
        struct hr_error err = {0};
        char *t1 = NULL, *t2 = NULL;
        size_t l1, l2;

        if (hr_json_write(node, wflags, &t1, &l1, &err) < 0)
                abort();
        if (strlen(t1) > l1 || hr_json_parse(t1, l1, 0, &again, &err) < 0)
                abort();
        if (!hr_json_equal(node, again))
                abort();
        if (hr_json_write(again, wflags, &t2, &l2, &err) < 0 || l1 != l2 || memcmp(t1, t2, l1) != 0)
                abort();
        hr_json_free(again);
        free(t1);
        free(t2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const unsigned flags[] = {0, HR_JSON_ALLOW_COMMENTS};

        for (size_t i = 0; i < HR_ARRAY_SIZE(flags); i++) {
                struct hr_json *node = NULL, *copy;
                struct hr_error err = {0};
                int r = hr_json_parse((const char *)data, size, flags[i], &node, &err);

                if (r < 0) {
                        /* Every refusal says why, and leaves no tree behind. */
                        if (node || err.code != -r || err.msg[0] == '\0')
                                abort();
                        continue;
                }
                round_trip(node, 0);
                round_trip(node, HR_JSON_PRETTY);
                copy = hr_json_copy(node);
                if (!copy || !hr_json_equal(node, copy))
                        abort();
                hr_json_free(copy);
                hr_json_free(node);
        }
        return 0;
}
